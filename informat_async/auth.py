"""OAuth2 client-credentials tokens for the Leerlingen API.

One :class:`TokenProvider` per client caches a token per scope set, refreshes it ahead of
expiry, makes a single token request however many coroutines need the same token at once
(single flight), and forgets a token the API refused only if it is still the cached one.
Tokens and the client secret never reach a log line, a ``repr`` or an exception message.

A token request is one attempt: it runs inside the attempt of the API request that needed
it, under that call's deadline, retry policy and retry budget, so the two retry loops never
multiply. Redirects from the identity server are refused, and an answer whose token or
lifetime is not sane is refused and never cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import re
import time
from collections.abc import Callable, Iterable

import aiohttp
import attrs

from ._http import TOKEN_MAX_BYTES, exchange, host_of
from .errors import (
    AuthenticationError,
    IncompleteResponseError,
    InformatTimeoutError,
    error_for_status,
)

__all__ = ["Token", "TokenProvider"]

logger = logging.getLogger("informat_async")

#: OAuth2 error codes that no retry will fix.
_FINAL_ERRORS = frozenset(
    {"invalid_client", "invalid_scope", "unauthorized_client", "unsupported_grant_type",
     "invalid_grant", "invalid_request"}
)

#: RFC 6750's b64token: what may follow ``Bearer `` in a header.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
#: An OAuth2 error code as RFC 6749 allows it (no spaces, no quotes); anything else is not shown.
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
#: Longest token lifetime taken at face value (30 days); longer is not a sane answer.
_MAX_LIFETIME = 30 * 24 * 3600.0
_TOKEN_ENDPOINT = "POST /connect/token"  # noqa: S105 - an endpoint name, not a secret


@attrs.frozen
class Token:
    """An access token; the secret value is kept out of ``repr``."""

    access_token: str = attrs.field(repr=False)
    scopes: frozenset[str]
    obtained_at: float
    """``time.monotonic()`` when it was received."""
    lifetime: float
    """Seconds it was valid for, from ``expires_in``."""

    @property
    def expires_at(self) -> float:
        """``time.monotonic()`` when it expires."""
        return self.obtained_at + self.lifetime

    def refresh_at(self, margin: float) -> float:
        """When to stop using it: ``margin`` seconds, or 10 % of its lifetime, before expiry.

        Never earlier than half its lifetime, so a short-lived token is still used.
        """
        ahead = min(max(margin, 0.1 * self.lifetime), 0.5 * self.lifetime)
        return self.expires_at - ahead


class TokenProvider:
    """Fetches and caches client-credentials tokens per scope set."""

    def __init__(
        self,
        *,
        session: Callable[[], aiohttp.ClientSession],
        identity_url: str,
        client_id: str,
        client_secret: str,
        refresh_margin: float = 60.0,
        timeout: aiohttp.ClientTimeout | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[], None] | None = None,
    ) -> None:
        self._session = session
        self._token_url = identity_url.rstrip("/") + "/connect/token"
        self._host = host_of(self._token_url)
        self._client_id = client_id
        self._client_secret = client_secret
        self._margin = refresh_margin
        self._timeout = timeout or aiohttp.ClientTimeout(total=30)
        self._clock = clock
        self._on_request = on_request
        # each scope set's token with the time to stop using it (refresh_at, computed once)
        self._cache: dict[frozenset[str], tuple[Token, float]] = {}
        self._pending: dict[frozenset[str], asyncio.Future[Token]] = {}
        self.requests = 0
        """Token requests sent to the identity server."""

    def __repr__(self) -> str:
        return f"<TokenProvider {self._host} client_id={self._client_id!r}>"

    def cached(self, scopes: Iterable[str]) -> Token | None:
        """The cached token for these scopes if it is still fresh."""
        entry = self._cache.get(scopes if type(scopes) is frozenset else frozenset(scopes))
        if entry is not None and self._clock() < entry[1]:
            return entry[0]
        return None

    async def get(self, scopes: Iterable[str], *, deadline: float | None = None) -> Token:
        """A fresh token for ``scopes``; one request however many callers wait for it.

        ``deadline`` (``time.monotonic()``) bounds this caller's wait, and the request when
        this caller starts it. A failed request raises to every waiter; each retries under
        its own policy.
        """
        key = scopes if isinstance(scopes, frozenset) else frozenset(scopes)
        token = self.cached(key)
        if token is not None:
            return token
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._request(key, deadline))
            self._pending[key] = pending
            pending.add_done_callback(self._forget(key))
        # shield: one waiter being cancelled must not cancel the request the others share
        if deadline is None:
            return await asyncio.shield(pending)
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            return await asyncio.wait_for(asyncio.shield(pending), left)
        except TimeoutError:
            raise InformatTimeoutError(
                f"token request to {self._host} did not finish before the call's deadline",
                endpoint=_TOKEN_ENDPOINT, host=self._host,
            ) from None

    def _forget(self, key: frozenset[str]) -> Callable[[asyncio.Future[Token]], None]:
        def done(future: asyncio.Future[Token]) -> None:
            if self._pending.get(key) is future:
                del self._pending[key]
            # Retrieve the outcome, so a failure nobody waits for any more (all waiters were
            # cancelled) is not logged as "exception was never retrieved".
            if not future.cancelled():
                future.exception()

        return done

    def invalidate(self, token: Token) -> bool:
        """Forget ``token`` if it is still the cached one (a 401 proved it dead).

        Returns whether it was forgotten; a token another coroutine already replaced stays.
        """
        entry = self._cache.get(token.scopes)
        if entry is not None and entry[0] is token:
            del self._cache[token.scopes]
            return True
        return False

    def clear(self) -> None:
        """Forget every cached token."""
        self._cache.clear()

    async def aclose(self) -> None:
        """Cancel and await every token request still in flight, then forget every token."""
        pending = list(self._pending.values())
        for future in pending:
            future.cancel()
        for future in pending:
            with contextlib.suppress(BaseException):
                await future
        self._pending.clear()
        self.clear()

    async def _request(self, scopes: frozenset[str], deadline: float | None) -> Token:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": " ".join(sorted(scopes)),
        }
        timeout = self._timeout
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise InformatTimeoutError(
                    f"token request to {self._host}: the call's deadline passed",
                    endpoint=_TOKEN_ENDPOINT, host=self._host,
                )
            if timeout.total is None or timeout.total > left:
                timeout = attrs.evolve(timeout, total=left)
        self.requests += 1
        if self._on_request is not None:
            self._on_request()
        logger.debug("requesting token for %d scope(s) from %s", len(scopes), self._host)
        status, headers, body = await exchange(
            self._session(), "POST", self._token_url, data=form,
            headers={"Accept": "application/json"}, client_timeout=timeout,
            max_bytes=TOKEN_MAX_BYTES, institute=None, endpoint=_TOKEN_ENDPOINT,
        )
        try:
            payload = json.loads(body) if body.strip() else None
        except (ValueError, RecursionError):
            payload = None
        if status == 200:
            if not isinstance(payload, dict):
                raise IncompleteResponseError(
                    f"token answer of {self._host} is not a JSON object ({len(body)} bytes)",
                    endpoint=_TOKEN_ENDPOINT,
                )
            return self._store(self._token_from(payload, scopes, status))
        error = payload.get("error") if isinstance(payload, dict) else None
        if not (isinstance(error, str) and _ERROR_CODE.fullmatch(error)):
            error = None
        if error in _FINAL_ERRORS or status in (400, 401, 403) or 200 < status < 300:
            hint = {
                "invalid_client": "check the client id and secret",
                "invalid_scope": "the client is not granted these scopes: "
                + " ".join(sorted(scopes)),
            }.get(str(error), "")
            raise AuthenticationError(
                f"identity server {self._host} refused the token request: HTTP {status}"
                + (f" {error}" if error else "")
                + (f" ({hint})" if hint else ""),
                error=error,
                status=status,
            )
        # 5xx, 429, 408 and the like: the caller's retry loop decides, under its budget.
        raise error_for_status(status, None, endpoint=_TOKEN_ENDPOINT,
                               retry_after=_seconds(headers.get("Retry-After")))

    def _token_from(self, payload: dict[str, object], scopes: frozenset[str], status: int) -> Token:
        """The token of a 200 answer, or :class:`AuthenticationError` if it is not sane."""
        access_token = payload.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise AuthenticationError(
                f"token answer of {self._host} has no access_token", status=status
            )
        if len(access_token) > 16384 or not _B64TOKEN.fullmatch(access_token):
            raise AuthenticationError(
                f"token answer of {self._host} has an access_token with characters a bearer "
                "token may not hold (RFC 6750); refused",
                status=status,
            )
        expires_in = payload.get("expires_in", 3600)
        if expires_in is None:
            expires_in = 3600
        if (
            isinstance(expires_in, bool)
            or not isinstance(expires_in, (int, float))
            or not (0 < expires_in <= _MAX_LIFETIME)
            or not math.isfinite(expires_in)
        ):
            raise AuthenticationError(
                f"token answer of {self._host} has an expires_in that is not a sane number "
                "of seconds; refused",
                status=status,
            )
        return Token(access_token=access_token, scopes=scopes, obtained_at=self._clock(),
                     lifetime=float(expires_in))

    def _store(self, token: Token) -> Token:
        self._cache[token.scopes] = (token, token.refresh_at(self._margin))
        return token


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    if seconds is None or not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
