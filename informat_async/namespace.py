"""Calling a REST family through the client's shared machinery.

:func:`call` is the one path every REST method takes: the family's base URL, the client's
transport (session, limiter, tokens, retries, stats), and the family's way of taking the
payload out of an answer. :class:`Namespace` is the base of ``client.personnel`` and
``client.student_api`` style attributes: a family's methods, on the client's machinery.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, ClassVar, Protocol

from . import _offload
from .errors import InformatError
from .family import Family
from .retry import RetryBudget, RetryPolicy
from .signing import AnswerShape, decode_json
from .transport import Transport

__all__ = ["CallHost", "Namespace", "call"]

logger = logging.getLogger("informat_async")


class CallHost(Protocol):
    """What :func:`call` needs of a client (``InformatClient`` is one)."""

    max_response_size: int

    def _ready_transport(self) -> Transport | None: ...

    async def _get_transport(self) -> Transport: ...

    def _base_url(self, family: Family) -> str: ...


def call(
    host: CallHost,
    family: Family,
    method: str,
    path: str,
    *,
    institute: str,
    endpoint: str,
    root: str | None,
    shape: AnswerShape = "list",
    scope: str | None = None,
    params: Mapping[str, str] | None = None,
    json_body: Any = None,
    data: Any = None,
    budget: RetryBudget | None = None,
    max_bytes: int | None = None,
    read: bool = True,
    no_content: bool = False,
    retryable: Callable[[InformatError, RetryPolicy], bool] | None = None,
    convert: Callable[[Any], Any] | None = None,
) -> Coroutine[Any, Any, Any]:
    """Send, and return the JSON payload of the answer (see :meth:`Family.payload`).

    ``read=False``: the body is not read (``None`` is returned). ``no_content=True``: a 204,
    or an empty body, is an answer in its own right and returns ``None``. Otherwise the
    payload is checked inside the retry loop, so an empty, ``null`` or rootless answer is
    retried and never taken for "no records". ``retryable`` decides which failures are
    retried instead of :func:`~informat_async.transport.is_retryable` (for writes that are not
    idempotent). ``convert(payload)`` turns the payload into models; parsing, unwrapping
    and converting a large answer run in a worker thread (:mod:`._offload`).

    Not a coroutine function: it returns the transport's coroutine itself when the client is
    open, one coroutine layer fewer for every step of the call's task.
    """
    started = time.monotonic()

    def decode(status: int, body: bytes) -> Any:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s institute %s: HTTP %d, %d bytes in %.3fs", endpoint, institute,
                         status, len(body), time.monotonic() - started)
        if not read or (no_content and (status == 204 or not body.strip())):
            return None
        # a big answer is decoded in the worker thread (off_loop), where the parse lets the
        # loop's thread run now and then
        answer = decode_json(body, institute=institute, endpoint=endpoint,
                             give_way=len(body) >= _offload.DECODE_IN_THREAD_BYTES)
        payload = family.payload(answer, root, shape, institute=institute, endpoint=endpoint)
        return payload if convert is None else convert(payload)

    transport = host._ready_transport()
    send: Callable[..., Coroutine[Any, Any, Any]] = (
        transport.request if transport is not None else functools.partial(_opening, host)
    )
    return send(
        method, host._base_url(family) + path, family=family, institute=institute,
        endpoint=endpoint, decode=decode, off_loop=read, scope=scope, params=params,
        json_body=json_body, data=data, budget=budget,
        max_bytes=host.max_response_size if max_bytes is None else max_bytes,
        retryable=retryable,
    )


async def _opening(host: CallHost, *args: Any, **kwargs: Any) -> Any:
    """``Transport.request(*args, **kwargs)`` once the client is open (its first call opens
    it) in this event loop."""
    transport = await host._get_transport()
    return await transport.request(*args, **kwargs)


class Namespace:
    """The methods of one API family on a client, sharing its session, tokens, limiter
    and stats (``client.personnel``, ``client.student_api``)."""

    family: ClassVar[Family]

    def __init__(self, client: CallHost) -> None:
        self._client = client

    def _call(self, method: str, path: str, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        return call(self._client, self.family, method, path, **kwargs)
