"""OAuth2 client-credentials tokens for the Leerlingen API.

One :class:`TokenProvider` per client caches a token per scope set, refreshes it ahead of
expiry, makes a single token request however many coroutines need the same token at once
(single flight), and forgets a token the API refused only if it is still the cached one.
Tokens and the client secret never reach a log line, a ``repr`` or an exception message.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

import aiohttp
import attrs

from .errors import AuthenticationError, InformatConnectionError, InformatTimeoutError
from .retry import RetryPolicy

__all__ = ["Token", "TokenProvider"]

logger = logging.getLogger("informat_async")

#: OAuth2 error codes that no retry will fix.
_FINAL_ERRORS = frozenset(
    {"invalid_client", "invalid_scope", "unauthorized_client", "unsupported_grant_type",
     "invalid_grant", "invalid_request"}
)


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
        retry: RetryPolicy,
        refresh_margin: float = 60.0,
        timeout: aiohttp.ClientTimeout | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._session = session
        self._token_url = identity_url.rstrip("/") + "/connect/token"
        self._client_id = client_id
        self._client_secret = client_secret
        self._retry = retry
        self._margin = refresh_margin
        self._timeout = timeout or aiohttp.ClientTimeout(total=30)
        self._clock = clock
        self._on_request = on_request
        self._sleep = sleep
        self._cache: dict[frozenset[str], Token] = {}
        self._pending: dict[frozenset[str], asyncio.Future[Token]] = {}
        self.requests = 0
        """Token requests sent to the identity server."""

    def __repr__(self) -> str:
        return f"<TokenProvider {self._token_url} client_id={self._client_id!r}>"

    def cached(self, scopes: Iterable[str]) -> Token | None:
        """The cached token for these scopes if it is still fresh."""
        token = self._cache.get(frozenset(scopes))
        if token is not None and self._clock() < token.refresh_at(self._margin):
            return token
        return None

    async def get(self, scopes: Iterable[str]) -> Token:
        """A fresh token for ``scopes``; one request however many callers wait for it."""
        key = frozenset(scopes)
        token = self.cached(key)
        if token is not None:
            return token
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch(key))
            self._pending[key] = pending
            pending.add_done_callback(lambda _: self._pending.pop(key, None))
        # shield: one waiter being cancelled must not cancel the request the others share
        return await asyncio.shield(pending)

    def invalidate(self, token: Token) -> bool:
        """Forget ``token`` if it is still the cached one (a 401 proved it dead).

        Returns whether it was forgotten; a token another coroutine already replaced stays.
        """
        if self._cache.get(token.scopes) is token:
            del self._cache[token.scopes]
            return True
        return False

    def clear(self) -> None:
        """Forget every cached token."""
        self._cache.clear()

    async def _fetch(self, scopes: frozenset[str]) -> Token:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": " ".join(sorted(scopes)),
        }
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._request(form, scopes)
            except (InformatConnectionError, InformatTimeoutError, _RetryableTokenError) as exc:
                if attempt >= self._retry.max_attempts:
                    if isinstance(exc, _RetryableTokenError):
                        raise AuthenticationError(str(exc), status=exc.status) from None
                    raise
                wait = self._retry.backoff(attempt, getattr(exc, "retry_after", None))
                logger.debug(
                    "token request failed (%s); retry %d in %.2fs", exc, attempt, wait
                )
                await self._sleep(wait)

    async def _request(self, form: dict[str, str], scopes: frozenset[str]) -> Token:
        self.requests += 1
        if self._on_request is not None:
            self._on_request()
        logger.debug("requesting token for %d scope(s)", len(scopes))
        try:
            async with self._session().post(
                self._token_url,
                data=form,
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            ) as resp:
                status = resp.status
                body = await resp.read()
                retry_after = resp.headers.get("Retry-After")
        except TimeoutError:
            raise InformatTimeoutError("token request timed out") from None
        except aiohttp.ClientError as exc:
            raise InformatConnectionError(
                f"token request failed: {type(exc).__name__}"
            ) from None
        try:
            payload = json.loads(body) if body.strip() else None
        except ValueError:
            payload = None
        if status == 200 and isinstance(payload, dict):
            access_token = payload.get("access_token")
            if not isinstance(access_token, str) or not access_token:
                raise AuthenticationError("token response has no access_token", status=status)
            expires_in = payload.get("expires_in", 3600)
            lifetime = float(expires_in) if isinstance(expires_in, (int, float)) else 3600.0
            return self._store(
                Token(access_token=access_token, scopes=scopes,
                      obtained_at=self._clock(), lifetime=lifetime)
            )
        error = payload.get("error") if isinstance(payload, dict) else None
        if (isinstance(error, str) and error in _FINAL_ERRORS) or status in (400, 401, 403):
            hint = {
                "invalid_client": "check the client id and secret",
                "invalid_scope": "the client is not granted these scopes: "
                + " ".join(sorted(scopes)),
            }.get(str(error), "")
            raise AuthenticationError(
                f"identity server refused the token request: HTTP {status}"
                + (f" {error}" if error else "")
                + (f" ({hint})" if hint else ""),
                error=error if isinstance(error, str) else None,
                status=status,
            )
        raise _RetryableTokenError(status, retry_after)

    def _store(self, token: Token) -> Token:
        self._cache[token.scopes] = token
        return token


class _RetryableTokenError(Exception):
    def __init__(self, status: int, retry_after: str | None) -> None:
        super().__init__(f"identity server answered HTTP {status}")
        self.status = status
        try:
            self.retry_after: float | None = float(retry_after) if retry_after else None
        except ValueError:
            self.retry_after = None
