"""Sending one SOAP call: the limiter, the in-flight semaphore and the retry loop.

It mirrors :meth:`informat_async.transport.Transport.request` (same policy, budget,
statistics and DEBUG log lines) without tokens or signing, and may share the limiter,
semaphore, policy, budget and statistics of an ``InformatClient`` so that one rate limit
covers both APIs. Bodies and parameters are never logged (they hold the password).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import aiohttp
from aiolimiter import AsyncLimiter

from ..errors import (
    APIStatusError,
    InformatConnectionError,
    InformatError,
    InformatTimeoutError,
    RateLimitError,
    ServerError,
    TransportError,
)
from ..retry import RetryBudget, RetryPolicy
from ..transport import ClientStats

__all__ = ["LegacyTransport"]

logger = logging.getLogger("informat_async")

T = TypeVar("T")

_RETRYABLE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectionError,  # connect errors, resets, ServerDisconnectedError
    aiohttp.ClientPayloadError,  # truncated bodies
    TimeoutError,
)

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
        policy = self.retry
        budget = budget or self.budget
        deadline = None if policy.deadline is None else time.monotonic() + policy.deadline
        who = f"institute {institute}" if institute else "no institute"
        attempt = 0
        budget.deposit()
        while True:
            attempt += 1
            error: InformatError
            try:
                status, answer_headers, answer = await self._send(body, headers, deadline)
            except _RETRYABLE_EXCEPTIONS as exc:
                self.stats.errors[type(exc).__name__] += 1
                error = _transport_error(exc, institute=institute, endpoint=endpoint)
            else:
                self.stats.statuses[status] += 1
                try:
                    return decode(status, answer_headers, answer)
                except InformatError as exc:
                    error = exc
                if not _retryable(error, policy):
                    raise error
            retry_after = error.retry_after if isinstance(error, APIStatusError) else None
            if attempt >= policy.max_attempts:
                logger.debug("%s %s: giving up after %d attempts: %s",
                             endpoint, who, attempt, _reason(error))
                raise error
            wait = policy.backoff(attempt, retry_after)
            if deadline is not None and time.monotonic() + wait >= deadline:
                logger.debug("%s %s: deadline leaves no time to retry: %s",
                             endpoint, who, _reason(error))
                raise error
            if not budget.try_spend():
                logger.debug("%s %s: retry budget exhausted: %s", endpoint, who, _reason(error))
                raise error
            self.stats.retries += 1
            logger.debug("%s %s: retry %d in %.2fs after %s",
                         endpoint, who, attempt, wait, _reason(error))
            if wait > 0:
                await asyncio.sleep(wait)

    async def _send(
        self, body: bytes, headers: Mapping[str, str], deadline: float | None
    ) -> tuple[int, Mapping[str, str], bytes]:
        timeout = self._timeout
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if timeout.total is None or timeout.total > left:
                timeout = aiohttp.ClientTimeout(
                    total=left, connect=timeout.connect, sock_read=timeout.sock_read,
                    sock_connect=timeout.sock_connect,
                )
        async with self.in_flight:
            if self.limiter is not None:
                await self.limiter.acquire()
            self.stats.requests += 1
            async with self._session.post(
                self.url, data=body, headers=dict(headers), timeout=timeout
            ) as resp:
                answer = await resp.read()
                return resp.status, resp.headers, answer


def _transport_error(exc: BaseException, *, institute: str | None, endpoint: str
                     ) -> TransportError:
    who = f" for institute {institute}" if institute else ""
    if isinstance(exc, TimeoutError):
        return InformatTimeoutError(f"{endpoint}{who} timed out", institute=institute,
                                    endpoint=endpoint)
    return InformatConnectionError(
        f"{endpoint}{who} failed: {type(exc).__name__}", institute=institute, endpoint=endpoint
    )


def _reason(error: InformatError) -> str:
    status = getattr(error, "status", None)
    if isinstance(error, APIStatusError):
        return f"{type(error).__name__} (HTTP {status})"
    return type(error).__name__
