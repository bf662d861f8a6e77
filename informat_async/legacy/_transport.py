"""Sending one SOAP call through the REST client's own machinery.

It uses :func:`informat_async.transport.send_once` and
:func:`informat_async.transport.with_retries` (same limiter, semaphore, policy, budget,
statistics and DEBUG log lines as ``InformatClient``, without tokens or signing), and may
share them with an ``InformatClient`` so that one rate limit covers both APIs. Bodies and
parameters are never logged (they hold the password).

Decoders are coroutines: a big list is decoded in slices that hand the event loop back
to other tasks (:func:`informat_async.legacy._decode.decode_list_async`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

import aiohttp
from aiolimiter import AsyncLimiter

from .._in_flight import InFlight
from ..errors import (
    APIStatusError,
    InformatError,
    RateLimitError,
    ServerError,
    TransportError,
)
from ..retry import RetryBudget, RetryPolicy
from ..transport import ClientStats, send_once, with_retries

__all__ = ["LegacyTransport"]

T = TypeVar("T")


Decoder = Callable[[int, Mapping[str, str], bytes], Awaitable[T]]
"""``await decode(status, headers, body)``: the result, or raise the typed error."""


def _retryable(error: InformatError, policy: RetryPolicy) -> bool:
    if isinstance(error, TransportError):
        return error.retryable
    # Faults that name the login, the institute or the input are final whatever their
    # status (ASMX answers all faults with 500): only server trouble is retried.
    if isinstance(error, (ServerError, RateLimitError)) or type(error) is APIStatusError:
        return error.status in policy.statuses
    return False


class LegacyTransport:
    """Posts SOAP calls for one legacy client. Not public: use ``InformatLegacyClient``."""

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession,
        url: str,
        limiter: AsyncLimiter | None,
        in_flight: InFlight,
        retry: RetryPolicy,
        budget: RetryBudget,
        timeout: aiohttp.ClientTimeout,
        stats: ClientStats,
    ) -> None:
        self._session = session
        self.url = url
        self.limiter = limiter
        self.in_flight = in_flight
        self.retry = retry
        self.budget = budget
        self._timeout = timeout
        self.stats = stats

    async def post(
        self,
        body: bytes,
        headers: Mapping[str, str],
        decode: Decoder[T],
        *,
        endpoint: str,
        institute: str | None,
        budget: RetryBudget | None = None,
    ) -> T:
        """Send until ``decode`` returns (its value is returned) or a final error."""

        async def attempt(deadline: float | None) -> T:
            status, answer_headers, answer = await send_once(
                self._session, "POST", self.url, headers=lambda: headers,
                limiter=self.limiter, in_flight=self.in_flight, stats=self.stats,
                client_timeout=self._timeout, deadline=deadline, institute=institute,
                endpoint=endpoint, data=body,
            )
            return await decode(status, answer_headers, answer)

        return await with_retries(
            attempt, policy=self.retry, budget=budget or self.budget, stats=self.stats,
            endpoint=endpoint, institute=institute, retryable=_retryable,
        )
