"""The fake server's identity endpoint (``/connect/token``): the credentials it accepts, the
tokens it issues (OAuth2 client credentials), and the check of a request's bearer token.

One :class:`Identity` serves every family of a :class:`~informat_async.testing.FakeInformat`;
the server (:class:`~informat_async.testing._core.ServerCore`) owns it and answers with it.
"""

from __future__ import annotations

import base64
import binascii
import collections
import dataclasses
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from aiohttp import web

from ._data import FakeData
from ._faults import Faults

__all__ = ["Identity", "IdentityHost", "Token"]


@dataclasses.dataclass
class Token:
    client_id: str
    scopes: frozenset[str]
    issued: float
    expires: float


class TokenCounters(Protocol):
    """The counters of :class:`~informat_async.testing._core.Stats` the endpoint keeps."""

    token_requests: int
    tokens_issued: int
    faults: collections.Counter[str]


class IdentityHost(Protocol):
    """What the identity endpoint needs of the server it is part of."""

    token_lifetime: float

    @property
    def data(self) -> FakeData: ...

    @property
    def stats(self) -> TokenCounters: ...

    @property
    def faults(self) -> Faults: ...

    def _granted_scopes(self, institute: str) -> list[str]: ...

    def _json(
        self,
        status: int,
        body: Any,
        headers: Mapping[str, str] | None = None,
        randomize: bool = True,
    ) -> web.Response: ...


class Identity:
    """Credentials, issued tokens, and the token endpoint of the fake server."""

    def __init__(self, host: IdentityHost, client_id: str, client_secret: str) -> None:
        self._host = host
        self._clients: dict[str, tuple[str, frozenset[str] | None]] = {
            client_id: (client_secret, None)
        }
        self._tokens: dict[str, Token] = {}
        self._issued: list[str] = []

    def add_client(
        self, client_id: str, client_secret: str, scopes: Sequence[str] | None = None
    ) -> None:
        """Accept another credential pair (see ``ServerCore.add_client``)."""
        self._clients[client_id] = (
            client_secret,
            None if scopes is None else frozenset(scopes),
        )

    def revoke_tokens(self) -> None:
        """Forget every issued token: their next use answers 401."""
        self._tokens.clear()

    def issued_tokens(self) -> list[str]:
        """Every access token handed out so far, also revoked and expired ones."""
        return list(self._issued)

    async def token_endpoint(self, request: web.Request) -> web.StreamResponse:
        host = self._host
        host.stats.token_requests += 1
        no_cache = {"Cache-Control": "no-store", "Pragma": "no-cache"}

        def oauth_error(error: str, status: int = 400) -> web.Response:
            return host._json(status, {"error": error}, no_cache, randomize=False)

        if request.method != "POST":
            return web.Response(status=405, headers={"Allow": "POST"})
        if request.content_type != "application/x-www-form-urlencoded":
            return oauth_error("invalid_request")
        form = await request.post()
        client_id = form.get("client_id")
        client_secret = form.get("client_secret")
        authorization = request.headers.get("Authorization", "")
        if authorization[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return oauth_error("invalid_client")
            client_id, _, client_secret = decoded.partition(":")
        if not isinstance(client_id, str) or not isinstance(client_secret, str):
            return oauth_error("invalid_client")
        known = self._clients.get(client_id)
        if known is None or not secrets.compare_digest(known[0], client_secret):
            return oauth_error("invalid_client")
        grant_type = form.get("grant_type")
        if not grant_type:
            return oauth_error("invalid_request")
        if grant_type != "client_credentials":
            return oauth_error("unsupported_grant_type")
        allowed = known[1]
        if allowed is None:
            allowed = frozenset(
                scope for number in host.data.institutes for scope in host._granted_scopes(number)
            )
        scope_text = form.get("scope")
        requested = str(scope_text).split() if scope_text else sorted(allowed)
        if not requested or any(scope not in allowed for scope in requested):
            return oauth_error("invalid_scope")
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        self._tokens[token] = Token(
            client_id=client_id,
            scopes=frozenset(requested),
            issued=now,
            expires=now + host.token_lifetime,
        )
        host.stats.tokens_issued += 1
        self._issued.append(token)
        if len(self._tokens) > 1000:
            self._tokens = {key: t for key, t in self._tokens.items() if t.expires > now}
        return host._json(
            200,
            {
                "access_token": token,
                "expires_in": int(host.token_lifetime)
                if float(host.token_lifetime).is_integer()
                else host.token_lifetime,
                "token_type": "Bearer",
                "scope": " ".join(dict.fromkeys(requested)),
            },
            no_cache,
            randomize=False,
        )

    def authenticate(self, request: web.Request) -> Token | None:
        """The valid token a request bears, or ``None`` (missing, unknown, expired, or
        revoked by ``Faults.revoke_every``)."""
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        token = self._tokens.get(value.strip())
        if token is None:
            return None
        now = time.monotonic()
        if now >= token.expires:
            del self._tokens[value.strip()]
            return None
        revoke_every = self._host.faults.revoke_every
        if revoke_every is not None and now - token.issued >= revoke_every:
            del self._tokens[value.strip()]
            self._host.stats.faults["revoked"] += 1
            return None
        return token
