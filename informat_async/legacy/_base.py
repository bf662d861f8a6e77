"""The legacy client's machinery, apart from its lists: configuration, the session (own or
shared with an :class:`~informat_async.InformatClient`), the lifecycle, sending one prepared
call and decoding its rows, and the fan-out over institutes.

:class:`LegacyClientBase` is the base of
:class:`~informat_async.legacy.InformatLegacyClient`, which adds one typed method per list.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, overload

import aiohttp
import attrs

from .._http import check_base_url, check_session_options, new_session
from .._in_flight import InFlight
from ..errors import InformatError, InvalidInputError, ResponseValidationError
from ..retry import RetryBudget, RetryPolicy
from ..transport import ClientStats, rate_limiter
from . import _protocol
from ._convert import make_converter
from ._decode import Decoded, decode_list_async
from ._operations import MODELS, OPERATIONS, Operation, find_operation
from ._params import PreparedCall, prepare_call
from ._transport import LegacyTransport

if TYPE_CHECKING:
    from ..client import InformatClient
    from ._fanout import LegacyRun

__all__ = ["DEFAULT_LEGACY_URL", "DateLike", "LegacyClientBase"]

logger = logging.getLogger("informat_async")

DEFAULT_LEGACY_URL = "https://webservice.informatsoftware.be/wsInfSoft/wsInformat.asmx"

DateLike = dt.date | str
"""A ``datetime.date``, or text as ``dd/mm/yyyy`` (any separator) or ``yyyy-mm-dd``."""

T = TypeVar("T")

_CONVERTER = make_converter(MODELS)


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPEN = "open"
    CLOSED = "closed"



class LegacyClientBase:
    """Configuration, session, lifecycle and sending of a legacy client (the constructor's
    arguments are documented on :class:`~informat_async.legacy.InformatLegacyClient`)."""

    def __init__(
        self,
        login: str,
        password: str,
        *,
        url: str = DEFAULT_LEGACY_URL,
        session: aiohttp.ClientSession | None = None,
        rate_limit: float | None = 10.0,
        max_in_flight: int = 10,
        retry: RetryPolicy | None = None,
        retry_budget: RetryBudget | None = None,
        timeout: float = 60.0,
        share_with: InformatClient | None = None,
        operation_names: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        proxy: str | None = None,
    ) -> None:
        if not isinstance(login, str) or not login:
            raise InvalidInputError("login must be a non-empty string")
        if not isinstance(password, str) or not password:
            raise InvalidInputError("password must be a non-empty string")
        url = check_base_url(url, name="url", allow_insecure_http=allow_insecure_http)
        self._timeout = check_session_options(
            rate_limit=rate_limit, max_in_flight=max_in_flight, timeout=timeout, proxy=proxy,
            session=session,
        )
        names = dict(operation_names or {})
        unknown = sorted(set(names) - set(OPERATIONS))
        if unknown:
            raise InvalidInputError(f"operation_names: unknown methods {', '.join(unknown)}")
        for method, name in names.items():
            if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise InvalidInputError(f"operation_names[{method!r}] is not an operation name")
        self.login = login
        self._password = password
        self.url = url
        self.rate_limit = rate_limit
        self.max_in_flight = max_in_flight
        self._retry = retry
        self._retry_budget = retry_budget
        self._share_with = share_with
        self._renamed = frozenset(names)
        self._operations: dict[str, Operation] = {
            method: attrs.evolve(op, name=names[method]) if method in names else op
            for method, op in OPERATIONS.items()
        }
        self._given_session = session
        self.proxy = proxy
        self._session: aiohttp.ClientSession | None = None
        self._transport: LegacyTransport | None = None
        self._state = _State.UNOPENED
        self._open_lock = asyncio.Lock()
        self._own_stats = ClientStats()

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build a client from ``INFORMAT_LEGACY_LOGIN``, ``INFORMAT_LEGACY_PASSWORD`` and
        the optional ``INFORMAT_LEGACY_URL``; ``kwargs`` go to the constructor."""
        env = os.environ
        missing = [n for n in ("INFORMAT_LEGACY_LOGIN", "INFORMAT_LEGACY_PASSWORD")
                   if not env.get(n)]
        if missing:
            raise InvalidInputError("missing environment variable(s): " + ", ".join(missing))
        if env.get("INFORMAT_LEGACY_URL"):
            kwargs.setdefault("url", env["INFORMAT_LEGACY_URL"])
        return cls(env["INFORMAT_LEGACY_LOGIN"], env["INFORMAT_LEGACY_PASSWORD"], **kwargs)

    def __repr__(self) -> str:
        return (f"<InformatLegacyClient login={self.login!r} url={self.url!r} "
                f"state={self._state.value}>")

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def open(self) -> None:
        """Create the session (or take the given one) and the limiter (``async with``
        does this)."""
        async with self._open_lock:
            if self._state is _State.CLOSED:
                raise InformatError("this InformatLegacyClient is closed; create a new one")
            if self._state is _State.OPEN:
                return
            if self._share_with is not None:
                shared = await self._share_with._get_transport()
                limiter, in_flight = shared.limiter, shared.in_flight
                retry = self._retry or shared.retry
                budget = self._retry_budget or shared.budget
                stats = shared.stats
            else:
                limiter = None if self.rate_limit is None else rate_limiter(self.rate_limit)
                in_flight = InFlight(self.max_in_flight)
                retry = self._retry or RetryPolicy()
                budget = self._retry_budget or RetryBudget()
                stats = self._own_stats
            session = self._given_session or new_session(
                [self.url], limit=self.max_in_flight, proxy=self.proxy
            )
            self._session = session
            self._transport = LegacyTransport(
                session=session, url=self.url, limiter=limiter, in_flight=in_flight,
                retry=retry, budget=budget, timeout=self._timeout, stats=stats,
            )
            self._state = _State.OPEN

    async def aclose(self) -> None:
        """Close the session if the client created it. A closed client cannot reopen."""
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        if self._session is not None and self._given_session is None:
            await self._session.close()
        self._session = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._state is _State.CLOSED

    @property
    def stats(self) -> ClientStats:
        """Counters of requests and retries (the shared client's with ``share_with``)."""
        if self._transport is not None:
            return self._transport.stats
        if self._share_with is not None:
            return self._share_with.stats
        return self._own_stats

    @property
    def retry_budget(self) -> RetryBudget | None:
        """The retry budget in use (None until the client is open)."""
        return None if self._transport is None else self._transport.budget

    async def _get_transport(self) -> LegacyTransport:
        if self._state is not _State.OPEN:
            await self.open()
        if self._transport is None or self._state is not _State.OPEN:
            raise InformatError("this InformatLegacyClient is closed; create a new one")
        return self._transport

    def operation(self, method: str) -> Operation:
        """The operation behind a method name or ASMX name (with ``operation_names``
        applied); raises :class:`InvalidInputError` when unknown."""
        found = find_operation(method)
        if found is None:
            # an ASMX name that operation_names introduced
            for op in self._operations.values():
                if op.name.lower() == method.strip().lower():
                    return op
            raise InvalidInputError(
                f"unknown legacy list {method!r}; one of: {', '.join(OPERATIONS)}"
            )
        return self._operations[found.method]

    def prepare(
        self, method: str, instelnr: str | None, schooljaar: str, /, **options: object
    ) -> PreparedCall:
        """Check a call's arguments without sending anything (the fan-out checks every
        institute's call this way before the first request)."""
        return prepare_call(self.operation(method), instelnr, schooljaar, options)

    # --- sending -----------------------------------------------------------------------

    async def _call(self, prepared: PreparedCall, budget: RetryBudget | None = None) -> list[Any]:
        transport = await self._get_transport()
        op = prepared.operation
        endpoint = f"legacy {op.name}"
        headers, body = _protocol.soap_request(
            op.name, (("login", self.login), ("paswoord", self._password), *prepared.params)
        )
        secrets = (self._password,)
        institute = prepared.institute

        strict_row = op.method not in self._renamed

        async def decode(status: int, answer_headers: Mapping[str, str], answer: bytes
                         ) -> Decoded:
            if not 200 <= status < 300:
                raise _protocol.error_from_answer(
                    status, answer_headers, answer, now=dt.datetime.now(dt.UTC),
                    institute=institute, endpoint=endpoint, secrets=secrets,
                )
            return await decode_list_async(
                answer, op, _CONVERTER, status=status, headers=answer_headers,
                institute=institute, endpoint=endpoint, secrets=secrets, strict_row=strict_row,
            )

        started = time.monotonic()
        decoded = await transport.post(body, headers, decode, endpoint=endpoint,
                                       institute=institute, budget=budget)
        logger.debug("%s institute %s: %d rows in %.3fs", endpoint, institute or "-",
                     decoded.rows, time.monotonic() - started)
        if decoded.errors:
            raise ResponseValidationError(
                f"{endpoint} for institute {institute or '-'}: {len(decoded.errors)} "
                f"problem(s) decoding {op.model.__name__} rows: "
                + "; ".join(decoded.errors[:5]),
                errors=decoded.errors, institute=institute, endpoint=endpoint,
                partial=decoded.items,
            )
        return decoded.items

    async def _list(self, method: str, instelnr: str | None, schooljaar: str,
                    **options: object) -> list[Any]:
        return await self._call(self.prepare(method, instelnr, schooljaar, **options))

    async def call(
        self, method: str, instelnr: str | None, schooljaar: str, /, **options: object
    ) -> list[object]:
        """Call a list by name (``"leerkrachten"`` or ``"Leerkrachten"``) with its options
        as keyword arguments: what the command line uses. Prefer the typed methods."""
        return await self._call(self.prepare(method, instelnr, schooljaar, **options))

    # --- fan-out ----------------------------------------------------------------------

    @overload
    def fetch_many(
        self,
        method: Callable[..., Awaitable[list[T]]],
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        **options: object,
    ) -> LegacyRun[T]: ...

    @overload
    def fetch_many(
        self,
        method: str,
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        **options: object,
    ) -> LegacyRun[object]: ...

    def fetch_many(
        self,
        method: str | Callable[..., Awaitable[list[Any]]],
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        **options: object,
    ) -> LegacyRun[Any]:
        """Pull one list for many institutes in parallel, under this client's (possibly
        shared) rate limit; one institute's failure never stops the others.

        ``method`` is a method name (``"leerkrachten"``), an ASMX name, or a bound method
        of this client (``legacy.leerkrachten``); ``options`` are its keyword arguments,
        the same for every institute. Every institute's call is checked before anything is
        sent. ``concurrency`` (default ``max_in_flight``) workers take institutes from a
        queue; ``retry_budget`` (default: a fresh one per run) bounds the run's retries.

        Use ``async with legacy.fetch_many(...) as run: async for result in run: ...``
        (each result is a :class:`~informat_async.legacy.LegacyFetched` or a
        :class:`~informat_async.bulk.Failure`), then read ``run.report``; or
        ``result = await legacy.fetch_many(...).gather()``.
        """
        from ._fanout import LegacyRun

        return LegacyRun(self, method, institutes, schooljaar, concurrency=concurrency,
                         retry_budget=retry_budget, options=options)

