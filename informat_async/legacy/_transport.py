"""Sending one SOAP call through the REST client's own machinery.

It uses :func:`informat_async.transport.send_once` and
:func:`informat_async.transport.with_retries` (same limiter, semaphore, policy, budget,
statistics and DEBUG log lines as ``InformatClient``, without tokens or signing), and may
share them with an ``InformatClient`` so that one rate limit covers both APIs. Bodies and
parameters are never logged (they hold the password).

An answer bigger than :data:`INLINE_DECODE_LIMIT` is decoded in a worker thread
(``asyncio.to_thread``): the decoder feeds expat 64 KiB at a time and runs Python code
for every element, so the interpreter switches back to the event loop thread every few
milliseconds and the loop never stalls on a big list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TypeVar

import aiohttp
from aiolimiter import AsyncLimiter

from ..errors import (
    APIStatusError,
    InformatError,
    RateLimitError,
    ServerError,
    TransportError,
)
from ..retry import RetryBudget, RetryPolicy
from ..transport import ClientStats, send_once, with_retries

__all__ = ["INLINE_DECODE_LIMIT", "LegacyTransport"]

#: Answers up to this size are decoded on the event loop (a thread costs more).
INLINE_DECODE_LIMIT = 256 * 1024

T = TypeVar("T")


Decoder = Callable[[int, Mapping[str, str], bytes], T]
"""``decode(status, headers, body)``: the result, or raise the typed error."""


def _retryable(error: InformatError, policy: RetryPolicy) -> bool:
    if isinstance(error, TransportError):
        return True
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
        in_flight: asyncio.Semaphore,
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
            if len(answer) <= INLINE_DECODE_LIMIT:
                return decode(status, answer_headers, answer)
            return await asyncio.to_thread(decode, status, answer_headers, answer)

        return await with_retries(
            attempt, policy=self.retry, budget=budget or self.budget, stats=self.stats,
            endpoint=endpoint, institute=institute, retryable=_retryable,
        )
