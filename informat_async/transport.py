"""Sending one API request: rate limit, token, signing, aiohttp, and the retry loop.

Every request of a client passes one rate limiter (an ``aiolimiter.AsyncLimiter`` that
never grants more than the rate in any sliding second, see :func:`rate_limiter`) and one
semaphore (requests in flight), so bulk runs and single
calls share the same politeness towards Informat.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import aiohttp
import attrs
from aiolimiter import AsyncLimiter

from . import _offload
from ._http import DEFAULT_MAX_RESPONSE_BYTES, exchange, transport_error
from ._in_flight import InFlight
from ._limiter import WindowLimiter
from .auth import Token, TokenProvider
from .errors import (
    APIStatusError,
    IncompleteResponseError,
    InformatError,
    TransportError,
)
from .family import Family
from .retry import RetryBudget, RetryPolicy

__all__ = [
    "ClientStats",
    "Transport",
    "is_retryable",
    "rate_limiter",
    "send_once",
    "with_retries",
]

logger = logging.getLogger("informat_async")

T = TypeVar("T")

#: The limiter's bucket holds this many seconds of requests (and at least 2), see rate_limiter.
_LIMITER_WINDOW = 0.05


def rate_limiter(rate: float) -> AsyncLimiter:
    """The limiter for ``rate`` requests per second: never more than ``rate`` in any
    sliding second.

    An ``aiolimiter`` bucket paces the requests. Its capacity is 50 ms of requests, and at
    least 2: a bucket of 1 would space requests exactly but loses every late wake-up of the
    event loop for good (measured: 0.84 of the rate at 200 req/s), while a small bucket
    absorbs that lateness. Such a bucket alone lets its capacity through at once after a
    pause, which takes some one-second windows 4 to 9 % over the rate; the
    :class:`~._limiter.WindowLimiter` guard around it allows at most ``rate`` requests in
    any 1.01 s, so a server counting per sliding second never sees more than ``rate``,
    and the run reaches about 0.99 of it.
    """
    capacity = max(2.0, rate * _LIMITER_WINDOW)
    return WindowLimiter(rate, capacity)


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
        tokens: TokenProvider,
        limiter: AsyncLimiter | None,
        max_in_flight: int,
        retry: RetryPolicy,
        budget: RetryBudget,
        timeout: aiohttp.ClientTimeout,
        stats: ClientStats,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """``clock``: the current time for the ``Timestamp`` header and ``Retry-After``
        dates (default: the system's, with the header made by
        :func:`~informat_async.signing.current_timestamp`)."""
        self._session = session
        self._tokens = tokens
        self.limiter = limiter
        self.in_flight = InFlight(max_in_flight)
        self.retry = retry
        self.budget = budget
        self._timeout = timeout
        self.stats = stats
        self._clock = clock
        self._now: Callable[[], dt.datetime] = clock or _utc_now
        self._scopes: dict[tuple[str, str, str | None], frozenset[str]] = {}

    async def request(
        self,
        method: str,
        url: str,
        *,
        family: Family,
        institute: str,
        endpoint: str,
        decode: Callable[[int, bytes], T],
        off_loop: bool = False,
        scope: str | None = None,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: Any = None,
        budget: RetryBudget | None = None,
        retry: RetryPolicy | None = None,
        max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retryable: Callable[[InformatError, RetryPolicy], bool] | None = None,
    ) -> T:
        """Send until an answer ``family`` calls a success and ``decode(status, body)``
        accepts (its result is returned), or a final error (raised).

        ``off_loop=True``: an answer of :data:`._offload.DECODE_IN_THREAD_BYTES` or more is
        decoded in the worker thread (:func:`._offload.decode_off_loop`), so a big list
        never stalls the event loop. ``decode`` runs inside the attempt, so an answer it
        rejects as incomplete (:class:`~informat_async.errors.IncompleteResponseError`) is
        retried like a truncated body. The token for ``family``'s ``scope`` flavour is
        fetched under the same deadline and retry budget as the request. ``retryable``
        replaces :func:`is_retryable` for this call (a write that is not idempotent retries
        less).
        """
        key = (family.name, institute, scope)
        scopes = self._scopes.get(key)
        if scopes is None:
            scopes = self._scopes[key] = frozenset((family.scope(institute, scope),))
        policy = retry or self.retry
        budget = budget or self.budget
        started = time.monotonic()
        deadline = None if policy.deadline is None else started + policy.deadline
        budget.deposit()
        tokens = self._tokens
        stats = self.stats
        retrying: _Retrying | None = None  # made at the first failure: most calls have none
        refreshed: Token | None = None  # the token fetched after this call's last 401
        refreshes = 0
        # One loop, in this frame, for the attempts and the token refreshes (they were a
        # closure and two more coroutines per call, with send_once a third), and no retry
        # bookkeeping until something fails: this runs once per photo of a bulk run.
        while True:
            try:
                token = tokens.cached(scopes) or await tokens.get(scopes, deadline=deadline)
                # send_once's steps, inline (one coroutine layer fewer per request)
                timeout = self._timeout
                if deadline is not None and (
                    timeout.total is None or timeout.total >= deadline - time.monotonic()
                ):  # the deadline is nearer than the timeout: cut it (or give up)
                    timeout = _bounded(timeout, deadline, url=url, institute=institute,
                                       endpoint=endpoint)
                in_flight = self.in_flight
                if not in_flight.take_now():
                    await in_flight.take()
                try:
                    if self.limiter is not None:
                        await self.limiter.acquire()
                    stats.requests += 1
                    status, headers, body = await exchange(
                        self._session, method, url,
                        headers=family.headers(
                            token.access_token, institute,
                            None if self._clock is None else self._clock(),
                            has_body=json_body is not None,
                        ),
                        client_timeout=timeout, max_bytes=max_bytes, institute=institute,
                        endpoint=endpoint, params=params, json=json_body, data=data,
                    )
                except TransportError as exc:
                    stats.errors[type(exc.__context__ or exc).__name__] += 1
                    # No answer: nothing proves the fresh token was refused, so a later 401
                    # may replace it again.
                    refreshed = None
                    raise
                finally:
                    in_flight.give_back()
                stats.statuses[status] += 1
                if family.success(status):
                    refreshed = None  # the token was accepted: a 401 after a retry is new
                    if off_loop and len(body) >= _offload.DECODE_IN_THREAD_BYTES:
                        return await _offload.decode_off_loop(
                            len(body), functools.partial(decode, status, body)
                        )
                    return decode(status, body)
                if status != 401 or token is refreshed or refreshes >= _MAX_TOKEN_REFRESHES:
                    if status != 401:
                        refreshed = None  # the fresh token was accepted: a later 401 is new
                    # Raised as made, never held in a local: the traceback refers to this
                    # frame, and a local naming the error would make a reference cycle of
                    # them and the caller's frames, freed only by a full collection (a bulk
                    # run's 404 photos piled up).
                    raise family.error(
                        status, headers, body, now=self._now(), institute=institute,
                        endpoint=endpoint,
                    )
                # The token was refused: drop it (unless another coroutine already did) and
                # try again with a fresh one, in the same attempt. A fresh token refused on
                # its very first use means the credentials are the problem; one that worked
                # and was revoked later may be replaced again.
                refreshes += 1
                stats.token_refreshes_on_401 += 1
                tokens.invalidate(token)
                refreshed = await tokens.get(scopes, deadline=deadline)
                logger.debug("%s institute %s: 401, retrying with a fresh token",
                             endpoint, institute)
                continue
            except InformatError as error:
                if retrying is None:
                    retrying = _Retrying(
                        policy, budget, stats, started=started, deadline=deadline,
                        endpoint=endpoint, institute=institute,
                        retryable=retryable or is_retryable,
                    )
                wait = retrying.wait_after(error)
                if wait is None:
                    raise
            if wait > 0:
                await asyncio.sleep(wait)


async def send_once(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    headers: Callable[[], Mapping[str, str]],
    limiter: AsyncLimiter | None,
    in_flight: InFlight,
    stats: ClientStats,
    client_timeout: aiohttp.ClientTimeout,
    deadline: float | None,
    institute: str | None,
    endpoint: str,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    data: Any = None,
) -> tuple[int, Mapping[str, str], bytes]:
    """One HTTP exchange under the in-flight bound and the limiter; any answer is returned
    (the legacy client's path; ``Transport.request`` runs the same steps inline, so a
    change to one belongs in both).

    ``headers`` is called after the limiter let the request through, so a ``Timestamp``
    is fresh however long the wait was. Redirects are refused, bodies are bounded by
    ``max_bytes``, and connection trouble, truncated bodies and timeouts (including the call's
    ``deadline``) raise :class:`~informat_async.errors.TransportError` (see :mod:`._http`).
    """
    timeout = _bounded(client_timeout, deadline, url=url, institute=institute,
                       endpoint=endpoint)
    if not in_flight.take_now():
        await in_flight.take()
    try:
        if limiter is not None:
            await limiter.acquire()
        stats.requests += 1
        status, answer_headers, body = await exchange(
            session, method, url, headers=headers(), client_timeout=timeout,
            max_bytes=max_bytes, institute=institute, endpoint=endpoint, params=params,
            json=json, data=data,
        )
    except TransportError as exc:
        stats.errors[type(exc.__context__ or exc).__name__] += 1
        raise
    finally:
        in_flight.give_back()
    stats.statuses[status] += 1
    return status, answer_headers, body


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _bounded(
    timeout: aiohttp.ClientTimeout,
    deadline: float | None,
    *,
    url: str,
    institute: str | None,
    endpoint: str,
) -> aiohttp.ClientTimeout:
    """``timeout`` cut so that the request ends by ``deadline`` (``time.monotonic()``)."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise transport_error(TimeoutError(), url=url, institute=institute, endpoint=endpoint)
    if timeout.total is None or timeout.total > left:
        return aiohttp.ClientTimeout(
            total=left, connect=timeout.connect, sock_read=timeout.sock_read,
            sock_connect=timeout.sock_connect,
        )
    return timeout


def is_retryable(error: InformatError, policy: RetryPolicy) -> bool:
    """Connection trouble (unless no retry can fix it), incomplete answers, and the statuses
    of ``policy`` (408, 429, 5xx by default)."""
    if isinstance(error, TransportError):
        return error.retryable
    if isinstance(error, IncompleteResponseError):
        return True
    return isinstance(error, APIStatusError) and error.status in policy.statuses


async def with_retries(
    attempt: Callable[[float | None], Awaitable[T]],
    *,
    policy: RetryPolicy,
    budget: RetryBudget,
    stats: ClientStats,
    endpoint: str,
    institute: str | None,
    retryable: Callable[[InformatError, RetryPolicy], bool] = is_retryable,
) -> T:
    """Run ``attempt(deadline)`` until it returns or fails for good (see :class:`_Retrying`
    for when a failure is retried; ``Transport.request`` runs the same loop inline)."""
    started = time.monotonic()
    deadline = None if policy.deadline is None else started + policy.deadline
    budget.deposit()
    retrying = _Retrying(policy, budget, stats, started=started, deadline=deadline,
                         endpoint=endpoint, institute=institute, retryable=retryable)
    while True:
        try:
            return await attempt(deadline)
        except InformatError as error:
            wait = retrying.wait_after(error)
            if wait is None:
                raise
        if wait > 0:
            await asyncio.sleep(wait)


class _Retrying:
    """The retry bookkeeping of one call: whether, and after how long, a failure is retried.

    A failure is retried when ``retryable`` says so, attempts are left, the backoff (full
    jitter, ``Retry-After`` honoured up to a cap) ends before the call's deadline, and the
    shared ``budget`` grants a retry. A host that could not be reached at all is given up
    on after ``policy.unreachable_after`` seconds. Every retry, and every giving up, is
    logged at DEBUG with its reason.
    """

    __slots__ = ("_budget", "_deadline", "_endpoint", "_institute", "_policy", "_retryable",
                 "_started", "_stats", "attempts")

    def __init__(
        self,
        policy: RetryPolicy,
        budget: RetryBudget,
        stats: ClientStats,
        *,
        started: float,
        deadline: float | None,
        endpoint: str,
        institute: str | None,
        retryable: Callable[[InformatError, RetryPolicy], bool],
    ) -> None:
        self._policy = policy
        self._budget = budget
        self._stats = stats
        self._started = started
        self._deadline = deadline
        self._endpoint = endpoint
        self._institute = institute
        self._retryable = retryable
        self.attempts = 1
        """Attempts made so far."""

    def wait_after(self, error: InformatError) -> float | None:
        """Seconds to wait before the next attempt after ``error`` ended the last one, or
        None: the call gives up (the caller re-raises ``error``)."""
        policy = self._policy
        if not self._retryable(error, policy):
            return None
        endpoint, attempts, deadline = self._endpoint, self.attempts, self._deadline
        reason = _reason(error)
        who = f"institute {self._institute}" if self._institute else "no institute"
        if attempts >= policy.max_attempts:
            logger.debug("%s %s: giving up after %d attempts: %s",
                         endpoint, who, attempts, reason)
            return None
        retry_after = error.retry_after if isinstance(error, APIStatusError) else None
        wait = policy.backoff(attempts, retry_after)
        now = time.monotonic()
        if deadline is not None and now + wait >= deadline:
            logger.debug("%s %s: deadline leaves no time to retry: %s", endpoint, who, reason)
            return None
        if (
            isinstance(error, TransportError) and error.unreachable
            and policy.unreachable_after is not None
            and now + wait - self._started >= policy.unreachable_after
        ):
            logger.debug("%s %s: %s unreachable for %.0fs, giving up: %s",
                         endpoint, who, error.host, now - self._started, reason)
            return None
        if not self._budget.try_spend():
            logger.debug("%s %s: retry budget exhausted: %s", endpoint, who, reason)
            return None
        host = error.host if isinstance(error, TransportError) else None
        self._stats.retries += 1
        self.attempts += 1
        logger.debug("%s %s: retry %d in %.2fs after %s", endpoint, who, attempts, wait, reason,
                     extra={"informat_retry": {"host": host, "endpoint": endpoint,
                                               "institute": self._institute,
                                               "attempt": attempts, "wait": wait,
                                               "reason": reason}})
        return wait


def _reason(error: InformatError) -> str:
    if isinstance(error, APIStatusError):
        return f"{type(error).__name__} (HTTP {error.status})"
    if isinstance(error, TransportError) and error.host:
        return f"{type(error).__name__} ({error.host})"
    return type(error).__name__
