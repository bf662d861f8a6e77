"""The client's machinery, apart from its endpoints: configuration, the session, the
lifecycle (open, close, one event loop), ``from_env``, and the views that
:meth:`~informat_async.client.InformatClient.with_options` returns.

:class:`BaseClient` is the base of :class:`~informat_async.client.InformatClient`, which adds
the Leerlingen methods and the bulk entry points; the other families hang on it as
namespaces (``client.personnel``, ``client.student_api``).
"""

from __future__ import annotations

import asyncio
import copy
import enum
import os
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp

from ._http import (
    DEFAULT_MAX_PHOTO_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    check_base_url,
    check_session_options,
    new_session,
    request_timeout,
)
from .auth import TokenProvider
from .errors import InformatError, InvalidInputError
from .families import LEERLINGEN, PERSONNEL, STUDENT_API
from .family import Family
from .personnel import Personnel
from .retry import RetryBudget, RetryPolicy
from .student_api import StudentApi
from .transport import ClientStats, Transport, rate_limiter

__all__ = ["DEFAULT_API_URL", "DEFAULT_IDENTITY_URL", "BaseClient", "ClientViewMixin"]

DEFAULT_API_URL = LEERLINGEN.default_url
DEFAULT_IDENTITY_URL = "https://www.identityserver.be"


V = TypeVar("V", bound="ClientViewMixin")


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPEN = "open"
    CLOSED = "closed"


class BaseClient:
    """Configuration, session and lifecycle of an Informat client (the constructor's
    arguments are documented on :class:`~informat_async.client.InformatClient`)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        api_url: str = DEFAULT_API_URL,
        identity_url: str = DEFAULT_IDENTITY_URL,
        session: aiohttp.ClientSession | None = None,
        rate_limit: float | None = 10.0,
        max_in_flight: int = 10,
        retry: RetryPolicy | None = None,
        retry_budget: RetryBudget | None = None,
        timeout: float = 30.0,
        token_refresh_margin: float = 60.0,
        allow_insecure_http: bool = False,
        max_response_size: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_photo_size: int = DEFAULT_MAX_PHOTO_BYTES,
        personnel_url: str = PERSONNEL.default_url,
        student_api_url: str = STUDENT_API.default_url,
        proxy: str | None = None,
    ) -> None:
        if not isinstance(client_id, str) or not client_id:
            raise InvalidInputError("client_id must be a non-empty string")
        if not isinstance(client_secret, str) or not client_secret:
            raise InvalidInputError("client_secret must be a non-empty string")
        self._timeout = check_session_options(
            rate_limit=rate_limit, max_in_flight=max_in_flight, timeout=timeout, proxy=proxy,
            session=session,
        )
        for name, size in (("max_response_size", max_response_size),
                           ("max_photo_size", max_photo_size)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                raise InvalidInputError(f"{name} must be a positive number of bytes")
        self.client_id = client_id
        self._client_secret = client_secret
        self.api_url = check_base_url(api_url, name="api_url",
                                      allow_insecure_http=allow_insecure_http)
        self.identity_url = check_base_url(identity_url, name="identity_url",
                                           allow_insecure_http=allow_insecure_http)
        self.max_response_size = max_response_size
        self.student_api_url = check_base_url(student_api_url, name="student_api_url",
                                              allow_insecure_http=allow_insecure_http)
        self.personnel_url = check_base_url(personnel_url, name="personnel_url",
                                            allow_insecure_http=allow_insecure_http)
        self._base_urls = {
            family.name: family.base_url(url)
            for family, url in ((LEERLINGEN, self.api_url), (PERSONNEL, self.personnel_url),
                                (STUDENT_API, self.student_api_url))
        }
        self.personnel = Personnel(self)
        """The personnel API's calls (see :class:`~informat_async.personnel.Personnel`)."""
        self.max_photo_size = max_photo_size
        self.rate_limit = rate_limit
        self.max_in_flight = max_in_flight
        self.retry = retry or RetryPolicy()
        self.retry_budget = retry_budget or RetryBudget()
        self._refresh_margin = token_refresh_margin
        self._given_session = session
        self._session: aiohttp.ClientSession | None = None
        self._transport: Transport | None = None
        self._tokens: TokenProvider | None = None
        self._state = _State.UNOPENED
        self.proxy = proxy
        self._loop: asyncio.AbstractEventLoop | None = None
        self.stats = ClientStats()
        """Counters of requests, retries and token requests."""
        self.student_api = StudentApi(self)
        """The Student API: create enrollments, link classes, save absences."""

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build a client from ``INFORMAT_CLIENT_ID``, ``INFORMAT_CLIENT_SECRET`` and the
        optional ``INFORMAT_API_URL``, ``INFORMAT_PERSONNEL_URL``,
        ``INFORMAT_STUDENT_API_URL`` and ``INFORMAT_IDENTITY_URL``; ``kwargs`` go to the
        constructor."""
        env = os.environ
        missing = [n for n in ("INFORMAT_CLIENT_ID", "INFORMAT_CLIENT_SECRET") if not env.get(n)]
        if missing:
            raise InvalidInputError("missing environment variable(s): " + ", ".join(missing))
        if env.get(LEERLINGEN.url_env):
            kwargs.setdefault("api_url", env[LEERLINGEN.url_env])
        if env.get(PERSONNEL.url_env):
            kwargs.setdefault("personnel_url", env[PERSONNEL.url_env])
        if env.get(STUDENT_API.url_env):
            kwargs.setdefault("student_api_url", env[STUDENT_API.url_env])
        if env.get("INFORMAT_IDENTITY_URL"):
            kwargs.setdefault("identity_url", env["INFORMAT_IDENTITY_URL"])
        return cls(env["INFORMAT_CLIENT_ID"], env["INFORMAT_CLIENT_SECRET"], **kwargs)

    def __repr__(self) -> str:
        return (
            f"<InformatClient client_id={self.client_id!r} api_url={self.api_url!r} "
            f"state={self._state.value}>"
        )

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def open(self) -> None:
        """Create the session, limiter and token cache (``async with`` does this)."""
        if self._state is _State.CLOSED:
            raise InformatError("this InformatClient is closed; create a new one")
        if self._state is _State.OPEN:
            self._check_loop()
            return
        if self._given_session is not None:
            session = self._given_session
        else:
            if self.proxy is None:
                _check_env_proxies()
            session = new_session(  # HTTPS_PROXY, HTTP_PROXY and NO_PROXY, or proxy=
                [self.identity_url, *self._base_urls.values()], limit=self.max_in_flight,
                proxy=self.proxy,
            )
        self._loop = asyncio.get_running_loop()
        self._session = session
        self._tokens = TokenProvider(
            session=lambda: session,
            identity_url=self.identity_url,
            client_id=self.client_id,
            client_secret=self._client_secret,
            refresh_margin=self._refresh_margin,
            timeout=self._timeout,
            on_request=self._count_token_request,
        )
        limiter = None if self.rate_limit is None else rate_limiter(self.rate_limit)
        self._transport = Transport(
            session=session,
            tokens=self._tokens,
            limiter=limiter,
            max_in_flight=self.max_in_flight,
            retry=self.retry,
            budget=self.retry_budget,
            timeout=self._timeout,
            stats=self.stats,
        )
        self._state = _State.OPEN

    async def aclose(self) -> None:
        """Close the session if the client created it. A closed client cannot reopen."""
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        if self._tokens is not None:
            await self._tokens.aclose()
        if self._session is not None and self._given_session is None:
            await self._session.close()
        self._session = None
        self._transport = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._state is _State.CLOSED

    def _count_token_request(self) -> None:
        self.stats.token_requests += 1

    def _check_loop(self) -> None:
        """Refuse to run in another event loop than the one the client was opened in: its
        session, limiter and locks belong to that loop."""
        loop = asyncio.get_running_loop()
        if self._loop is None or self._loop is loop:
            return
        if self._loop.is_closed():
            raise InformatError(
                "this InformatClient belongs to an event loop that is closed (each "
                "asyncio.run() starts a new one); create a new InformatClient in this "
                "event loop, e.g. 'async with InformatClient(...) as client:' inside the "
                "coroutine you run"
            )
        raise InformatError(
            "this InformatClient belongs to another event loop; create one client per "
            "event loop (or per thread that runs one)"
        )


    def _view(
        self, view_type: type[V], *, timeout: float | None, retry: RetryPolicy | None
    ) -> V:
        """A view of this client of type ``view_type`` with another ``timeout`` and/or
        ``retry`` (see :meth:`~informat_async.client.InformatClient.with_options`)."""
        if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
            raise InvalidInputError("timeout must be a positive number of seconds")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise InvalidInputError("retry must be a RetryPolicy")
        root = self._root()
        view = object.__new__(view_type)
        view.__dict__.update(self.__dict__)
        view._view_of = root
        view._view_transport = None
        if timeout is not None:
            view._timeout = request_timeout(timeout)
        if retry is not None:
            view.retry = retry
        return view

    def _root(self) -> BaseClient:
        return self

    def _ready_transport(self) -> Transport | None:
        """The transport, without an ``await``, when the client is open in this event loop;
        None when :meth:`_get_transport` has more to do (open, or refuse)."""
        if self._state is _State.OPEN and (
            self._loop is None or self._loop is asyncio.get_running_loop()
        ):
            return self._transport
        return None

    async def _get_transport(self) -> Transport:
        if self._state is not _State.OPEN:
            await self.open()
        self._check_loop()
        assert self._transport is not None
        return self._transport

    def _base_url(self, family: Family) -> str:
        return self._base_urls[family.name]


class ClientViewMixin(BaseClient):
    """What :meth:`~informat_async.client.InformatClient.with_options` returns, mixed into
    the client's class: the client's resources with another timeout or retry policy.
    Opening opens the client; closing the view closes nothing."""

    _view_of: BaseClient
    _view_transport: tuple[Transport, Transport] | None

    def __repr__(self) -> str:
        return (
            f"<InformatClient view client_id={self.client_id!r} api_url={self.api_url!r} "
            f"timeout={self._timeout.total:g} state={self._view_of._state.value}>"
        )

    def _root(self) -> BaseClient:
        return self._view_of

    async def open(self) -> None:
        await self._view_of.open()

    async def aclose(self) -> None:
        """Nothing to close: the client this is a view of owns the session."""

    @property
    def closed(self) -> bool:
        return self._view_of.closed

    def _ready_transport(self) -> Transport | None:
        cached = self._view_transport
        if cached is not None and cached[0] is self._view_of._ready_transport():
            return cached[1]
        return None

    async def _get_transport(self) -> Transport:
        shared = await self._view_of._get_transport()
        cached = self._view_transport
        if cached is not None and cached[0] is shared:
            return cached[1]
        transport = copy.copy(shared)  # same session, tokens, limiter, semaphore, budget, stats
        transport._timeout = self._timeout
        transport.retry = self.retry
        self._view_transport = (shared, transport)
        return transport


def _check_env_proxies() -> None:
    """A proxy variable of the environment that aiohttp cannot use fails here, as bad input,
    rather than as a ``ValueError`` from deep inside the first request."""
    try:
        proxies = aiohttp.helpers.proxies_from_env()
    except ValueError as exc:
        raise InvalidInputError(
            f"a proxy variable of the environment (HTTPS_PROXY, HTTP_PROXY) is not a URL: {exc}"
        ) from None
    for scheme, info in proxies.items():
        if info.proxy.scheme != "http" or not info.proxy.host:
            raise InvalidInputError(
                f"the {scheme.upper()}_PROXY environment variable must be an http:// URL "
                "such as http://proxy:3128"
            )

