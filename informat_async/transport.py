"""Sending one API request: rate limit, token, signing, aiohttp, and the retry loop.

Every request of a client passes one ``aiolimiter.AsyncLimiter`` (requests per second,
no burst above the rate) and one semaphore (requests in flight), so bulk runs and single
calls share the same politeness towards Informat.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
import attrs
from aiolimiter import AsyncLimiter

from . import signing
from .auth import Token, TokenProvider
from .errors import (
    InformatConnectionError,
    InformatError,
    InformatTimeoutError,
    UnauthorizedError,
)
from .retry import RetryBudget, RetryPolicy

__all__ = ["ClientStats", "Transport"]

logger = logging.getLogger("informat_async")

API_VERSION = "1"

#: Failures of the connection that are worth another try.
_RETRYABLE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectionError,  # connect errors, resets, ServerDisconnectedError
    aiohttp.ClientPayloadError,  # truncated bodies
    TimeoutError,
)

#: At most this many fresh tokens per call when the API keeps answering 401.
_MAX_TOKEN_REFRESHES = 5


@attrs.define
class ClientStats:
    """Counters of what a client sent; read them after a run (they only grow)."""

    requests: int = 0
    """API requests sent (every attempt counts)."""
    retries: int = 0
    """Attempts that were retries of an earlier failure."""
    token_requests: int = 0
    """Requests to the identity server."""
    token_refreshes_on_401: int = 0
    """Tokens dropped because the API answered 401."""
    statuses: Counter[int] = attrs.field(factory=Counter)
    """Answers per HTTP status."""
    errors: Counter[str] = attrs.field(factory=Counter)
    """Connection failures per exception name."""

    def snapshot(self) -> ClientStats:
        """A copy that does not change any more."""
        return attrs.evolve(self, statuses=Counter(self.statuses), errors=Counter(self.errors))


class Transport:
    """Sends signed requests for one client. Not public: use ``InformatClient``."""

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession,
        api_url: str,
        tokens: TokenProvider,
        limiter: AsyncLimiter | None,
        max_in_flight: int,
        retry: RetryPolicy,
        budget: RetryBudget,
        timeout: aiohttp.ClientTimeout,
        stats: ClientStats,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._session = session
        self._base = api_url.rstrip("/") + "/" + API_VERSION
        self._tokens = tokens
        self.limiter = limiter
        self.in_flight = asyncio.Semaphore(max_in_flight)
        self.retry = retry
        self.budget = budget
        self._timeout = timeout
        self.stats = stats
        self._now = clock

    async def request(
        self,
        method: str,
        path: str,
        *,
        institute: str,
        family: signing.ApiFamily,
        endpoint: str,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        budget: RetryBudget | None = None,
        retry: RetryPolicy | None = None,
    ) -> bytes:
        """Send until a 2xx answer (its body is returned) or a final error (raised)."""
        policy = retry or self.retry
        budget = budget or self.budget
        scopes = (signing.scope_for(institute, family),)
        url = self._base + path
        started = time.monotonic()
        deadline = None if policy.deadline is None else started + policy.deadline
        attempt = 0
        refreshes = 0
        refreshed_token: Token | None = None
        budget.deposit()
        while True:
            attempt += 1
            token = await self._tokens.get(scopes)
            error: InformatError
            retry_after: float | None = None
            try:
                status, headers, body = await self._send(
                    method, url, token, institute, params, json_body, deadline
                )
            except _RETRYABLE_EXCEPTIONS as exc:
                self.stats.errors[type(exc).__name__] += 1
                error = _transport_error(exc, institute=institute, endpoint=endpoint)
            else:
                self.stats.statuses[status] += 1
                if 200 <= status < 300:
                    return body
                now = self._now()
                error = signing.error_from_answer(
                    status, headers, body, now=now, institute=institute, endpoint=endpoint
                )
                if status == 401:
                    if token is not refreshed_token and refreshes < _MAX_TOKEN_REFRESHES:
                        # The token was refused: drop it (unless another coroutine already
                        # did) and try once more with a fresh one. A fresh token refused on
                        # its very first use means the credentials are the problem; one
                        # that worked and was revoked later may be replaced again.
                        refreshes += 1
                        self.stats.token_refreshes_on_401 += 1
                        self._tokens.invalidate(token)
                        refreshed_token = await self._tokens.get(scopes)
                        logger.debug("%s: 401, retrying with a fresh token", endpoint)
                        attempt -= 1
                        continue
                    raise error
                refreshed_token = None  # the fresh token was accepted: a later 401 is new
                if status not in policy.statuses:
                    raise error
                retry_after = error.retry_after
            if attempt >= policy.max_attempts:
                logger.debug("%s: giving up after %d attempts: %s", endpoint, attempt, error)
                raise error
            wait = policy.backoff(attempt, retry_after)
            if deadline is not None and time.monotonic() + wait >= deadline:
                logger.debug("%s: deadline leaves no time to retry: %s", endpoint, error)
                raise error
            if not budget.try_spend():
                logger.debug("%s: retry budget exhausted: %s", endpoint, error)
                raise error
            self.stats.retries += 1
            logger.debug(
                "%s institute %s: retry %d in %.2fs after %s",
                endpoint, institute, attempt, wait, _reason(error),
            )
            if wait > 0:
                await asyncio.sleep(wait)

    async def _send(
        self,
        method: str,
        url: str,
        token: Token,
        institute: str,
        params: Mapping[str, str] | None,
        json_body: Any,
        deadline: float | None,
    ) -> tuple[int, Mapping[str, str], bytes]:
        timeout = self._timeout
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if timeout.total is None or timeout.total > left:
                timeout = aiohttp.ClientTimeout(
                    total=left,
                    connect=timeout.connect,
                    sock_read=timeout.sock_read,
                    sock_connect=timeout.sock_connect,
                )
        async with self.in_flight:
            if self.limiter is not None:
                await self.limiter.acquire()
            headers = signing.request_headers(
                token.access_token, institute, self._now(), has_body=json_body is not None
            )
            self.stats.requests += 1
            async with self._session.request(
                method, url, params=params, json=json_body, headers=headers, timeout=timeout
            ) as resp:
                body = await resp.read()
                return resp.status, resp.headers, body


def _transport_error(
    exc: BaseException, *, institute: str, endpoint: str
) -> InformatError:
    if isinstance(exc, TimeoutError):
        return InformatTimeoutError(
            f"{endpoint} for institute {institute} timed out", institute=institute,
            endpoint=endpoint,
        )
    return InformatConnectionError(
        f"{endpoint} for institute {institute} failed: {type(exc).__name__}",
        institute=institute,
        endpoint=endpoint,
    )


def _reason(error: InformatError) -> str:
    status = getattr(error, "status", None)
    if isinstance(error, UnauthorizedError) or status is not None:
        return f"HTTP {status}"
    return type(error).__name__
