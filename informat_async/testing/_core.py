"""The core of the fake Informat server, which every API family shares.

One aiohttp app on one port: the identity endpoint (``/connect/token``, with its token and
scope bookkeeping in :mod:`._identity`), fault injection, the server-side rate limit, and the
request log. A family is a :class:`Service` registered with :meth:`ServerCore._register`:
requests whose path starts with its prefix go to its ``handle``; its ``scopes`` are what the
identity endpoint grants.
Family modules (``_leerlingen``, ``_legacy``, ``_student_api``...) import this module, never
``_server``, which assembles them into :class:`~informat_async.testing.FakeInformat`.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import datetime as dt
import email.utils
import json
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from aiohttp import web

from ._data import FakeData
from ._faults import Faults
from ._identity import Identity, Token
from ._util import randomize_key_case

__all__ = ["KeyCase", "LoggedRequest", "ServerCore", "Service", "Stats"]

KeyCase = Literal["spec", "random"]

#: Seconds of network jitter the rate limiter forgives (at most half a token).
_RATE_JITTER = 0.02

_HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_HTML_503 = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n'
    "<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n"
    '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n'
    "<BODY><h2>Service Unavailable</h2>\r\n<hr><p>HTTP Error 503. The service is unavailable."
    "</p>\r\n</BODY></HTML>\r\n"
)


@dataclasses.dataclass
class Stats:
    """Counters of what the fake server saw and did; :meth:`reset` zeroes them.

    Attributes:
        requests: API requests (everything under ``/1/``), whatever their outcome.
        endpoints: API requests per endpoint kind (``"students"``, ``"student"``, ``"photo"``,
            ``"registrations"``, ``"school_history"``, ``"student_school_history"``,
            ``"preregistration_save"``, ``"preregistration_delete"``,
            ``"preregistration_status"``); unknown paths are not counted here.
        statuses: API responses per HTTP status (aborted connections have none).
        token_requests: requests to ``/connect/token``.
        tokens_issued: access tokens handed out.
        rate_limited: 429 answers of the server-side ``rate_limit`` (not injected ones).
        faults: injected faults per kind (``"latency"``, ``"500"``, ``"502"``, ``"503"``,
            ``"429"``, ``"reset"``, ``"truncate"``, ``"revoked"``).
    """

    requests: int = 0
    endpoints: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    token_requests: int = 0
    tokens_issued: int = 0
    rate_limited: int = 0
    faults: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)

    def reset(self) -> None:
        """Zero every counter."""
        self.requests = self.token_requests = self.tokens_issued = self.rate_limited = 0
        self.endpoints.clear()
        self.statuses.clear()
        self.faults.clear()


@dataclasses.dataclass
class LoggedRequest:
    """One request as the fake server received it.

    Attributes:
        method: the HTTP method.
        path: the path as sent (``/1/students``, ``/connect/token``).
        query: query parameters (first value of each name).
        headers: request headers in order, repeated ones repeated.
        time: wall-clock time (``time.time()``) of arrival.
        endpoint: the endpoint kind (see :class:`Stats`), ``"token"``, or ``None`` if unknown.
        status: the status answered; ``None`` while running or when the connection was reset.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: list[tuple[str, str]]
    time: float
    endpoint: str | None = None
    status: int | None = None


class _TokenBucket:
    """Server-side rate limit: a token bucket of capacity ``max(1, rate)`` refilled at ``rate``/s.

    So no more than ``rate`` requests pass at once after a quiet period, and ``rate`` per second
    on average; the client's limiter (``transport.rate_limiter``) never sends more than
    ``rate`` in any sliding second.
    """

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate_limit must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.last = time.monotonic()
        self.grace = min(0.5, rate * _RATE_JITTER)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0 - self.grace:
            self.tokens = max(0.0, self.tokens - 1.0)
            return True
        return False


class Service(Protocol):
    """One API family of the fake server."""

    prefix: str
    """The lower-case path prefix it serves (``"/1/"``)."""

    def scopes(self, institute: str) -> list[str]:
        """The OAuth2 scopes of this family for ``institute`` (the identity endpoint grants
        them)."""
        ...

    async def handle(
        self, request: web.Request, entry: LoggedRequest
    ) -> web.StreamResponse | None:
        """Answer a request (``None``: the connection was reset on purpose)."""
        ...


class ServerCore:
    """What every family of the fake server shares; :class:`FakeInformat` builds on it."""

    def __init__(
        self,
        *,
        data: FakeData,
        seed: int,
        school_year: str,
        token_lifetime: float,
        key_case: KeyCase,
        host: str,
        port: int,
        today: dt.date | None,
        client_id: str | None,
        client_secret: str | None,
        request_log_size: int,
        faults: Faults | None,
        rate_limit: float | None,
    ) -> None:
        if key_case not in ("spec", "random"):
            raise ValueError("key_case must be 'spec' or 'random'")
        if token_lifetime <= 0:
            raise ValueError("token_lifetime must be positive")
        self.data = data
        self.seed = seed
        self.school_year = school_year
        self.token_lifetime = token_lifetime
        self.key_case: KeyCase = key_case
        self.host = host
        self.port = port
        self.today = today
        self.stats = Stats()
        self.request_log: collections.deque[LoggedRequest] = collections.deque(
            maxlen=request_log_size
        )
        self.client_id = client_id or f"informat_customer_fake_{secrets.token_hex(4)}"
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self._identity = Identity(self, self.client_id, self.client_secret)
        self._fault_rng = random.Random(f"{seed}:faults")
        self._case_rng = random.Random(f"{seed}:keycase")
        self._faults = Faults()
        self.faults = faults or Faults()
        self._bucket = _TokenBucket(rate_limit) if rate_limit is not None else None
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        self._services: list[Service] = []

    def _register(self, service: Service) -> None:
        """Serve a family: requests whose path starts with ``service.prefix`` go to it."""
        self._services.append(service)

    # ------------------------------------------------------------------ lifecycle

    @property
    def faults(self) -> Faults:
        """The active fault settings; assign a new :class:`Faults` to change them."""
        return self._faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        if value.seed is not None:
            self._fault_rng = random.Random(f"{value.seed}:faults")
        self._faults = value

    @property
    def rate_limit(self) -> float | None:
        """The server-side rate limit in requests per second (``None``: unlimited)."""
        return None if self._bucket is None else self._bucket.rate

    @rate_limit.setter
    def rate_limit(self, value: float | None) -> None:
        self._bucket = _TokenBucket(value) if value is not None else None

    async def start(self) -> None:
        """Bind the port and start serving."""
        if self._runner is not None:
            raise RuntimeError("the fake server is already running")
        app = web.Application(client_max_size=32 * 1024 * 1024)  # 10 MB attachments
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=0.25, handler_cancellation=True
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise OSError(
                exc.errno, f"cannot listen on {self.host}:{self.port}: "
                f"{exc.strerror or exc} (another server on that port? port 0 picks a free one)"
            ) from None
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        address = runner.addresses[0]
        self._bound_port = int(address[1])

    async def close(self) -> None:
        """Stop serving and close every connection."""
        runner, self._runner = self._runner, None
        self._bound_port = None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._bound_port is None:
            raise RuntimeError("the fake server is not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._bound_port}"

    @property
    def identity_url(self) -> str:
        """Base URL of the identity server (token at ``/connect/token``)."""
        return self.url


    # ------------------------------------------------------------------ control

    def add_client(
        self, client_id: str, client_secret: str, scopes: Sequence[str] | None = None
    ) -> None:
        """Accept another credential pair.

        ``scopes=None`` allows every scope of every served institute; otherwise exactly the
        scope strings given (which may name institutes the server has no data for).
        """
        self._identity.add_client(client_id, client_secret, scopes)

    def revoke_tokens(self) -> None:
        """Forget every issued token: their next use answers 401."""
        self._identity.revoke_tokens()

    def issued_tokens(self) -> list[str]:
        """Every access token handed out so far, also revoked and expired ones.

        Handy to check that a client never logs or repeats a token.
        """
        return self._identity.issued_tokens()

    def _granted_scopes(self, institute: str) -> list[str]:
        """Every scope name of an institute, over every family served: what a client
        registered without a scope list may ask for."""
        return [scope for service in self._services for scope in service.scopes(institute)]

    # ------------------------------------------------------------------ plumbing

    def _json(
        self,
        status: int,
        body: Any,
        headers: Mapping[str, str] | None = None,
        randomize: bool = True,
    ) -> web.Response:
        if randomize and self.key_case == "random":
            body = randomize_key_case(body, self._case_rng)
        return web.Response(
            status=status,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            content_type="application/json",
            charset="utf-8",
            headers=headers,
        )

    def _log(self, request: web.Request) -> LoggedRequest:
        query: dict[str, str] = {}
        for name, value in request.query.items():
            query.setdefault(name, value)
        entry = LoggedRequest(
            method=request.method,
            path=request.path,
            query=query,
            headers=list(request.headers.items()),
            time=time.time(),
        )
        self.request_log.append(entry)
        return entry

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        entry = self._log(request)
        path = request.path.lower()
        response: web.StreamResponse | None
        if path.rstrip("/") == "/connect/token":
            entry.endpoint = "token"
            response = await self._with_faults(request, "token", self._token_endpoint)
        else:
            service = next((s for s in self._services if path.startswith(s.prefix)), None)
            if service is None:
                response = web.Response(status=404, text="Not Found")
            else:
                response = await service.handle(request, entry)
        if response is None:  # connection reset on purpose
            return web.Response(status=500)
        entry.status = response.status
        return response

    def _retry_after(self) -> str:
        seconds = self._faults.retry_after
        if self._faults.retry_after_http_date:
            return email.utils.formatdate(time.time() + seconds, usegmt=True)
        return str(seconds)

    async def _with_faults(
        self,
        request: web.Request,
        kind: str | None,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse | None:
        faults = self._faults
        if not faults.applies_to(kind):
            return await handler(request)
        low, high = faults.latency_range()
        if high > 0:
            self.stats.faults["latency"] += 1
            await asyncio.sleep(self._fault_rng.uniform(low, high))
        draw = self._fault_rng.random()
        chosen = None
        for name, probability in faults.probabilities():
            if draw < probability:
                chosen = name[2:]
                break
            draw -= probability
        if chosen is not None:
            self.stats.faults[chosen] += 1
        if chosen == "500":
            return self._json(
                500,
                {"errors": [], "status": 500, "message": "Internal server error"},
                randomize=False,
            )
        if chosen == "502":
            return web.Response(status=502, text=_HTML_502, content_type="text/html")
        if chosen == "503":
            return web.Response(status=503, text=_HTML_503, content_type="text/html")
        if chosen == "429":
            return self._json(
                429,
                {"status": 429, "message": "Too many requests"},
                {"Retry-After": self._retry_after()},
                randomize=False,
            )
        if chosen == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()
            return None
        response = await handler(request)
        if chosen == "truncate" and isinstance(response, web.Response):
            self._send_truncated(request, response)
        return response

    @staticmethod
    def _send_truncated(request: web.Request, response: web.Response) -> None:
        """Write the response's head with its full Content-Length, half the body, then close."""
        transport = request.transport
        if transport is None:
            return
        body = response.body if isinstance(response.body, bytes) else b""
        announced = len(body) if len(body) >= 2 else len(body) + 16
        lines = [f"HTTP/1.1 {response.status} {response.reason}"]
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                lines.append(f"{name}: {value}")
        if response.content_type and "Content-Type" not in response.headers:
            lines.append(f"Content-Type: {response.content_type}")
        lines += [f"Content-Length: {announced}", "Connection: close", "", ""]
        transport.write("\r\n".join(lines).encode("latin-1") + body[: len(body) // 2])
        transport.close()

    # ------------------------------------------------------------------ identity

    async def _token_endpoint(self, request: web.Request) -> web.StreamResponse:
        return await self._identity.token_endpoint(request)

    # ------------------------------------------------------------------ API

    def _authenticate(self, request: web.Request) -> Token | None:
        return self._identity.authenticate(request)

    def _header_error(self, message: str) -> web.Response:
        return self._json(400, {"status": 400, "message": message})

