"""The fake Informat server: the identity endpoint and every "Leerlingen" API endpoint."""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import dataclasses
import datetime as dt
import email.utils
import json
import random
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web

from ._data import FakeData, InstituteData, PreRegistration
from ._faults import Faults
from ._legacy import LEGACY_PATH, LegacyService
from ._personnel import PersonnelService
from ._prereg_rules import check_preregistration
from ._util import (
    get_ci,
    normalize_guid,
    parse_datetime,
    parse_school_year,
    parse_timestamp_header,
    randomize_key_case,
    set_ci,
    utcnow,
)

KeyCase = Literal["spec", "random"]

SCOPE_PREFIX = "api_informat_sas_leerlingen"
_SCOPE_RE = re.compile(r"^api_informat_sas_leerlingen\.(leerlingen|voorinschrijvingen)\.(\d{6})$")
_INSTITUTE_RE = re.compile(r"^\d{6}$")
_READ = ("GET", "POST")
_VALIDATION_MESSAGE = "One or more validation errors occurred. See errors for more details."
_PREREG_STATUSES = ("open", "accepted", "refused")
#: Seconds of network jitter the rate limiter forgives (at most half a token).
_RATE_JITTER = 0.02

_MNA_MESSAGES = {
    "MNA001": "This Pre-Registration is already accepted, and can no longer be changed",
    "MNA002": "This Pre-Registration has been refused, and can no longer be changed",
    "MNA003": "This Pre-Registration is already accepted, and can no longer be deleted",
    "MNA004": "This Pre-Registration has been refused, and can no longer be deleted",
    "MNA005": "Changing this Pre-Registration to an update of personal details isn't allowed",
}

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


@dataclasses.dataclass
class _Token:
    client_id: str
    scopes: frozenset[str]
    issued: float
    expires: float


@dataclasses.dataclass
class _Route:
    kind: str
    methods: tuple[str, ...]
    family: str  # "leerlingen" or "voorinschrijvingen"
    ident: str | None = None


class _TokenBucket:
    """Server-side rate limit: a token bucket of capacity ``max(1, rate)`` refilled at ``rate``/s.

    So no more than ``rate`` requests pass at once after a quiet period, and ``rate`` per second
    on average; this is what ``aiolimiter.AsyncLimiter(rate, 1)`` on the client side allows.
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


def _resolve(path: str) -> _Route | None:
    """Map an API path (without ``/1``) to its endpoint, matching case-insensitively."""
    parts = path.strip("/").split("/")
    if parts == [""]:
        return None
    head = parts[0].lower()
    count = len(parts)
    if head == "students":
        if count == 1:
            return _Route("students", _READ, "leerlingen")
        if count == 2:
            return _Route("student", _READ, "leerlingen", parts[1])
        if count == 3 and parts[2].lower() == "photo":
            return _Route("photo", _READ, "leerlingen", parts[1])
    elif head == "registrations" and count == 1:
        return _Route("registrations", _READ, "leerlingen")
    elif head == "schoolhistory":
        if count == 1:
            return _Route("school_history", _READ, "leerlingen")
        if count == 2:
            return _Route("student_school_history", _READ, "leerlingen", parts[1])
    elif head == "preregistrations":
        if count == 2 and parts[1].lower() == "save":
            return _Route("preregistration_save", ("POST",), "voorinschrijvingen")
        if count == 2:
            return _Route("preregistration_delete", ("DELETE",), "voorinschrijvingen", parts[1])
        if count == 3 and parts[2].lower() == "status":
            return _Route("preregistration_status", _READ, "voorinschrijvingen", parts[1])
    return None


_Endpoint = Callable[
    [web.Request, InstituteData, _Route, Mapping[str, str]], Awaitable[tuple[int, Any]]
]


class _ApiError(Exception):
    """An Informat error answer, raised inside endpoint handlers."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _error_list(status: int, message: str, *errors: tuple[str, str]) -> _ApiError:
    return _ApiError(
        status,
        {
            "errors": [{"code": code, "message": text} for code, text in errors],
            "status": status,
            "message": message,
        },
    )


def _invalid_school_year(value: str | None) -> _ApiError:
    # The spec shows ``errors`` as a single object for this one.
    return _ApiError(
        400,
        {
            "errors": {"code": "BR001", "message": f"Invalid school year '{value or ''}'"},
            "status": 400,
            "message": "Invalid school year",
        },
    )


def _invalid_value(name: str) -> _ApiError:
    return _error_list(
        400,
        _VALIDATION_MESSAGE,
        ("BR000", f"The JSON value for {name} could not be converted to applicable type"),
    )


def _not_found() -> _ApiError:
    return _ApiError(404, {"errors": [], "status": 404, "message": "Data not found exception"})


def _dnf(ident: str) -> _ApiError:
    return _error_list(
        404,
        "Data not found exception",
        ("DNF001", f"No registration found for Pre-Registration Id {ident}"),
    )


def _mna(code: str) -> _ApiError:
    return _error_list(405, "Not allowed exception", (code, _MNA_MESSAGES[code]))


class FakeInformat:
    """A fake Informat identity server + "Leerlingen" API on a local port.

    Use it as an async context manager, or call :meth:`start` and :meth:`close`::

        async with FakeInformat(institutes=("123456",), students_per_institute=50) as server:
            ...  # point your client at server.api_url / server.identity_url

    Args:
        institutes: institute numbers to serve, or a count of numbers to generate.
        students_per_institute: generated students (with one registration each) per institute.
        school_year: the school year the data is for (``"2025-26"``); others answer empty lists.
        seed: makes the generated data, the fault draws and the random key case reproducible.
        faults: fault injection (:class:`Faults`); can be replaced later via ``server.faults``.
        rate_limit: requests per second the API accepts (token bucket, see ``_TokenBucket``:
            bursts of at most ``rate_limit`` requests, ``rate_limit`` per second on average);
            above it the answer is 429 with ``Retry-After: 1``. ``None``: unlimited. Counts
            every API request, also unauthorized ones; not the token endpoint.
        token_lifetime: seconds an access token lives (``expires_in``). Fractions (handy for
            fast expiry tests) are sent as they are; the real identity server sends integers.
        spec_examples: also serve institute ``"999999"`` with the spec's example payloads.
        key_case: ``"spec"`` sends keys spelled as the spec examples; ``"random"`` randomizes
            the case of every key of every API JSON answer (reproducible per ``seed``).
        host: interface to bind.
        port: port to bind; 0 picks a free one.
        photo_size: approximate size in bytes of generated photos (padding), for memory tests.
        client_id: the client id accepted by ``/connect/token`` (generated when ``None``).
        client_secret: its secret (generated when ``None``).
        request_log_size: how many requests :attr:`request_log` keeps.
        today: the date taken as "today" for the default reference date (``None``: the real
            UTC date).
        legacy_login: the login of the older webservices (``wsInformat.asmx``, see
            :attr:`legacy`); generated when ``None``.
        legacy_password: its password; generated when ``None``.
    """

    def __init__(
        self,
        institutes: Sequence[str] | int = ("123456", "654321"),
        students_per_institute: int = 25,
        school_year: str = "2025-26",
        seed: int = 0,
        faults: Faults | None = None,
        rate_limit: float | None = None,
        token_lifetime: float = 3600,
        spec_examples: bool = False,
        key_case: KeyCase = "spec",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        photo_size: int | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        request_log_size: int = 10_000,
        today: dt.date | None = None,
        legacy_login: str | None = None,
        legacy_password: str | None = None,
    ) -> None:
        if key_case not in ("spec", "random"):
            raise ValueError("key_case must be 'spec' or 'random'")
        if token_lifetime <= 0:
            raise ValueError("token_lifetime must be positive")
        self.data: FakeData = FakeData.generate(
            institutes=institutes,
            students_per_institute=students_per_institute,
            school_year=school_year,
            seed=seed,
            spec_examples=spec_examples,
            photo_size=photo_size,
        )
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
        self._clients: dict[str, tuple[str, frozenset[str] | None]] = {
            self.client_id: (self.client_secret, None)
        }
        self._tokens: dict[str, _Token] = {}
        self._issued: list[str] = []
        self._fault_rng = random.Random(f"{seed}:faults")
        self._case_rng = random.Random(f"{seed}:keycase")
        self._faults = Faults()
        self.faults = faults or Faults()
        self._bucket = _TokenBucket(rate_limit) if rate_limit is not None else None
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        self._endpoints: dict[str, _Endpoint] = {
            "students": self._ep_students,
            "student": self._ep_student,
            "photo": self._ep_photo,
            "registrations": self._ep_registrations,
            "school_history": self._ep_school_history,
            "student_school_history": self._ep_student_school_history,
            "preregistration_save": self._ep_preregistration_save,
            "preregistration_delete": self._ep_preregistration_delete,
            "preregistration_status": self._ep_preregistration_status,
        }
        self.legacy = LegacyService(self, login=legacy_login, password=legacy_password)
        """The older webservices (``wsInformat.asmx``): ground truth in ``legacy.data``,
        counters in ``legacy.stats`` (see :mod:`informat_async.testing._legacy`)."""
        self.personnel = PersonnelService(self)
        """The personnel API at :attr:`personnel_url`: ground truth ``personnel.institute(n)``
        (the legacy staff), counters ``personnel.stats`` (see ``testing._personnel``)."""

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
    def api_url(self) -> str:
        """Base URL of the API (paths start with ``/1/``)."""
        return self.url

    @property
    def identity_url(self) -> str:
        """Base URL of the identity server (token at ``/connect/token``)."""
        return self.url

    @property
    def personnel_url(self) -> str:
        """Base URL of the personnel API (paths start with ``/employees``)."""
        return self.url + self.personnel.path

    @property
    def legacy_url(self) -> str:
        """URL of the older webservices (``.../wsInfSoft/wsInformat.asmx``)."""
        return self.url + LEGACY_PATH

    @property
    def legacy_login(self) -> str:
        """The login the older webservices accept."""
        return self.legacy.login

    @property
    def legacy_password(self) -> str:
        """The password of :attr:`legacy_login`."""
        return self.legacy.password

    # ------------------------------------------------------------------ control

    def add_client(
        self, client_id: str, client_secret: str, scopes: Sequence[str] | None = None
    ) -> None:
        """Accept another credential pair.

        ``scopes=None`` allows every scope of every served institute; otherwise exactly the
        scope strings given (which may name institutes the server has no data for).
        """
        self._clients[client_id] = (
            client_secret,
            None if scopes is None else frozenset(scopes),
        )

    def revoke_tokens(self) -> None:
        """Forget every issued token: their next use answers 401."""
        self._tokens.clear()

    def issued_tokens(self) -> list[str]:
        """Every access token handed out so far, also revoked and expired ones.

        Handy to check that a client never logs or repeats a token.
        """
        return list(self._issued)

    def scopes_for(self, institute: str) -> list[str]:
        """Both scope names of an institute (leerlingen and voorinschrijvingen)."""
        return [
            f"{SCOPE_PREFIX}.leerlingen.{institute}",
            f"{SCOPE_PREFIX}.voorinschrijvingen.{institute}",
        ]

    def _institute(self, institute: str) -> InstituteData:
        found = self.data.institutes.get(institute)
        if found is None:
            raise KeyError(f"unknown institute {institute!r}")
        return found

    def touch_student(self, institute: str, student_id: str, **changes: Any) -> dict[str, Any]:
        """Change wire fields of a student (``naam="X"``) and mark it changed now.

        Keys match existing keys case-insensitively. Returns the updated payload.
        """
        data = self._institute(institute)
        key = normalize_guid(student_id)
        if key is None or key not in data.students:
            raise KeyError(f"unknown student {student_id!r} in {institute}")
        payload = data.students[key]
        for name, value in changes.items():
            set_ci(payload, name, value)
        data.student_changed[key] = utcnow()
        return payload

    def touch_registration(
        self, institute: str, registration_id: str, **changes: Any
    ) -> dict[str, Any]:
        """Change wire fields of a registration and mark it changed now."""
        data = self._institute(institute)
        key = normalize_guid(registration_id)
        if key is None or key not in data.registrations:
            raise KeyError(f"unknown registration {registration_id!r} in {institute}")
        payload = data.registrations[key]
        for name, value in changes.items():
            set_ci(payload, name, value)
        data.registration_changed[key] = utcnow()
        return payload

    def set_preregistration_status(
        self, institute: str, prereg_id: str, status: Literal["open", "accepted", "refused"]
    ) -> None:
        """Set the status of a saved pre-registration, as the school's administration would."""
        if status not in _PREREG_STATUSES:
            raise ValueError(f"status must be one of {_PREREG_STATUSES}")
        data = self._institute(institute)
        key = normalize_guid(prereg_id)
        if key is None or key not in data.preregistrations:
            raise KeyError(f"unknown pre-registration {prereg_id!r} in {institute}")
        data.preregistrations[key].status = status
        data.preregistrations[key].changed = utcnow()

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
        path = request.path
        if path.rstrip("/").lower() == "/connect/token":
            entry.endpoint = "token"
            response = await self._with_faults(request, "token", self._token_endpoint)
        elif path.lower().startswith("/1/"):
            self.stats.requests += 1
            route = _resolve(path[3:])
            if route is not None:
                entry.endpoint = route.kind
                self.stats.endpoints[route.kind] += 1
            if self._bucket is not None and not self._bucket.take():
                self.stats.rate_limited += 1
                response = self._json(
                    429,
                    {"status": 429, "message": "Too many requests"},
                    {"Retry-After": "1"},
                    randomize=False,
                )
            else:
                kind = route.kind if route is not None else None

                async def api(request: web.Request) -> web.StreamResponse:
                    return await self._api(request, route)

                response = await self._with_faults(request, kind, api)
            if response is not None:
                self.stats.statuses[response.status] += 1
        elif self.personnel.owns(path):
            return await self.personnel.handle(request, entry)
        elif path.lower().startswith(LEGACY_PATH.lower()):
            entry.endpoint = "legacy"
            response = await self._with_faults(request, "legacy", self.legacy.handle)
            self.legacy.count(response)
        else:
            response = web.Response(status=404, text="Not Found")
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
        self.stats.token_requests += 1
        no_cache = {"Cache-Control": "no-store", "Pragma": "no-cache"}

        def oauth_error(error: str, status: int = 400) -> web.Response:
            return self._json(status, {"error": error}, no_cache, randomize=False)

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
                scope for number in self.data.institutes for scope in self.scopes_for(number)
            ) | {self.personnel.scope_for(number) for number in self.data.institutes}
        scope_text = form.get("scope")
        requested = str(scope_text).split() if scope_text else sorted(allowed)
        if not requested or any(scope not in allowed for scope in requested):
            return oauth_error("invalid_scope")
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        self._tokens[token] = _Token(
            client_id=client_id,
            scopes=frozenset(requested),
            issued=now,
            expires=now + self.token_lifetime,
        )
        self.stats.tokens_issued += 1
        self._issued.append(token)
        if len(self._tokens) > 1000:
            self._tokens = {key: t for key, t in self._tokens.items() if t.expires > now}
        return self._json(
            200,
            {
                "access_token": token,
                "expires_in": int(self.token_lifetime)
                if float(self.token_lifetime).is_integer()
                else self.token_lifetime,
                "token_type": "Bearer",
                "scope": " ".join(dict.fromkeys(requested)),
            },
            no_cache,
            randomize=False,
        )

    # ------------------------------------------------------------------ API

    def _authenticate(self, request: web.Request) -> _Token | None:
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
        revoke_every = self._faults.revoke_every
        if revoke_every is not None and now - token.issued >= revoke_every:
            del self._tokens[value.strip()]
            self.stats.faults["revoked"] += 1
            return None
        return token

    def _header_error(self, message: str) -> web.Response:
        return self._json(400, {"status": 400, "message": message})

    async def _api(self, request: web.Request, route: _Route | None) -> web.StreamResponse:
        token = self._authenticate(request)
        if token is None:
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        institutes = request.headers.getall("InstituteNo", [])
        if not institutes:
            return self._header_error("The InstituteNo header is required")
        if len(institutes) > 1 or "," in institutes[0]:
            return self._header_error("The InstituteNo header must hold exactly one institute")
        institute = institutes[0].strip()
        if not _INSTITUTE_RE.match(institute):
            return self._header_error(f"Invalid InstituteNo '{institute}'")
        timestamps = request.headers.getall("Timestamp", [])
        if not timestamps:
            return self._header_error("The Timestamp header is required")
        if len(timestamps) > 1 or parse_timestamp_header(timestamps[0]) is None:
            return self._header_error(f"Invalid Timestamp '{', '.join(timestamps)}'")
        if route is None:
            return self._json(404, {"status": 404, "message": "Not found"})
        if f"{SCOPE_PREFIX}.{route.family}.{institute}" not in token.scopes:
            return web.Response(status=403)
        if request.method not in route.methods:
            return self._json(405, {}, {"Allow": ", ".join(route.methods)})
        query: dict[str, str] = {}
        for name, value in request.query.items():
            query.setdefault(name.lower(), value)
        data = self.data.institutes.get(institute) or InstituteData(
            number=institute, school_year=self.school_year
        )
        handler = self._endpoints[route.kind]
        try:
            status, body = await handler(request, data, route, query)
        except _ApiError as error:
            status, body = error.status, error.body
        return self._json(status, body)

    # -- parameter helpers

    @staticmethod
    def _school_year(query: Mapping[str, str]) -> str:
        value = query.get("schoolyear")
        if parse_school_year(value) is None or value is None:
            raise _invalid_school_year(value)
        return value

    @staticmethod
    def _date_param(query: Mapping[str, str], name: str) -> dt.datetime | None:
        value = query.get(name.lower())
        if value is None or value == "":
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            raise _invalid_value(name)
        return parsed

    @staticmethod
    def _student_id(route: _Route) -> str:
        key = normalize_guid(route.ident or "")
        if key is None:
            raise _error_list(400, "Invalid student id", ("BR002", "Invalid student id"))
        return key

    @staticmethod
    def _certificate_source(query: Mapping[str, str]) -> int:
        value = query.get("certificatesource")
        if value is None or value == "":
            return 0
        if value.strip() not in ("0", "1"):
            raise _invalid_value("certificateSource")
        return int(value)

    @staticmethod
    def _prereg_id(route: _Route) -> str:
        key = normalize_guid(route.ident or "")
        if key is None:
            raise _error_list(400, _VALIDATION_MESSAGE, ("BR033", "Invalid Pre Registration Id"))
        return key

    # -- endpoints: each returns (status, JSON body) or raises _ApiError

    async def _ep_students(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        school_year = self._school_year(query)
        refdate = self._date_param(query, "refdate")
        changed_since = self._date_param(query, "changedSince")
        students = data.list_students(
            school_year,
            refdate.date() if refdate else None,
            changed_since,
            today=self.today,
        )
        return 200, {"students": students}

    async def _ep_student(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        student_id = self._student_id(route)
        school_year = self._school_year(query)
        refdate = self._date_param(query, "refdate")
        student = data.get_student(
            student_id, school_year, refdate.date() if refdate else None, today=self.today
        )
        if student is None:
            raise _not_found()
        return 200, {"student": student}

    async def _ep_photo(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        photo = data.photos.photo_object(self._student_id(route))
        if photo is None:
            raise _not_found()
        return 200, {"photo": photo}

    async def _ep_registrations(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        school_year = self._school_year(query)
        changed_since = self._date_param(query, "changedSince")
        return 200, {"registrations": data.list_registrations(school_year, changed_since)}

    async def _ep_school_history(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        school_year = self._school_year(query)
        source = self._certificate_source(query)
        return 200, data.list_school_history(school_year, source)

    async def _ep_student_school_history(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        student_id = self._student_id(route)
        source = self._certificate_source(query)
        return 200, data.list_school_history(None, source, student_id)

    async def _ep_preregistration_save(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        raw = await request.read()
        try:
            payload = json.loads(raw.decode("utf-8-sig")) if raw.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if not isinstance(payload, dict):
            raise _invalid_value("$")
        errors = list(
            check_preregistration(
                payload, known_location_ids=data.location_ids, stop_at_conversion_error=True
            )
        )
        codes = {code for code, _ in errors}
        sent_id = get_ci(payload, "preRegistrationId")
        key = normalize_guid(sent_id) if isinstance(sent_id, str) else None
        if key is None and "BR033" not in codes:
            errors.append(("BR033", "Invalid Pre Registration Id"))
            codes.add("BR033")
        institute = get_ci(payload, "institute")
        if (
            isinstance(institute, str)
            and institute != data.number
            and not any(code.startswith("BR035") for code in codes)
        ):
            errors.append(
                ("BR035C", f"Institute '{institute}' doesn't match the InstituteNo header")
            )
        if errors or key is None:
            raise _error_list(400, _VALIDATION_MESSAGE, *errors)
        target = self.data.institute(data.number)
        existing = target.preregistrations.get(key)
        if existing is not None:
            if existing.status == "accepted":
                raise _mna("MNA001")
            if existing.status == "refused":
                raise _mna("MNA002")
            old_admgrp = get_ci(existing.body, "admgrpId")
            if old_admgrp != "000000" and get_ci(payload, "admgrpId") == "000000":
                raise _mna("MNA005")
        target.preregistrations[key] = PreRegistration(body=payload, status="open")
        return 200, {
            "preRegistrationStatus": {"preRegistrationId": sent_id, "status": "open"},
            "status": 200,
            "message": None,
        }

    async def _ep_preregistration_delete(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        key = self._prereg_id(route)
        existing = data.preregistrations.get(key)
        if existing is None:
            raise _dnf(key)
        if existing.status == "accepted":
            raise _mna("MNA003")
        if existing.status == "refused":
            raise _mna("MNA004")
        del data.preregistrations[key]
        return 200, {"preRegistrationStatus": None, "status": 200, "message": None}

    async def _ep_preregistration_status(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        key = self._prereg_id(route)
        existing = data.preregistrations.get(key)
        if existing is None:
            raise _dnf(key)
        return 200, {
            "preRegistrationStatus": {"preRegistrationId": key, "status": existing.status},
            "status": 200,
            "message": None,
        }


__all__ = ["FakeInformat", "KeyCase", "LoggedRequest", "Stats"]
