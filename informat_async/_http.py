"""One HTTP exchange, safely: the lowest layer every request of every family goes through.

- Redirects are never followed (``allow_redirects=False``): a 3xx answer is a
  :class:`~informat_async.errors.RedirectError` naming the status and the target host, so a
  client secret, token or legacy password never reaches another origin.
- A body is read in chunks and counted after decompression; past ``max_bytes`` reading stops
  with :class:`~informat_async.errors.ResponseTooLargeError`.
- Whatever aiohttp, ssl or the socket raise becomes a
  :class:`~informat_async.errors.TransportError` naming the host, with ``retryable`` false for
  what another try cannot fix (a certificate, a name that does not resolve, an invalid URL).
- :func:`check_base_url` refuses plain ``http://`` except on loopback or when asked for.
"""

from __future__ import annotations

import ipaddress
import re
import ssl
import urllib.parse
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
import yarl

from .errors import (
    InformatConnectionError,
    InformatError,
    InformatTimeoutError,
    InvalidInputError,
    RedirectError,
    ResponseTooLargeError,
    TransportError,
)

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_MAX_PHOTO_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "TOKEN_MAX_BYTES",
    "check_base_url",
    "check_session_options",
    "exchange",
    "host_of",
    "new_session",
    "request_timeout",
    "transport_error",
]

#: Default limit of a list answer's decompressed body.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: Default limit of a photo answer's decompressed body.
DEFAULT_MAX_PHOTO_BYTES = 16 * 1024 * 1024
#: Limit of an identity server answer.
TOKEN_MAX_BYTES = 1024 * 1024

_CHUNK = 256 * 1024


def host_of(url: str) -> str:
    """``host`` or ``host:port`` of ``url``, never its path, user info or query."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "an invalid URL"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: object, *, name: str, allow_insecure_http: bool = False) -> str:
    """Return ``url`` without a trailing slash if it is a usable base URL.

    ``https://`` always; ``http://`` only to a loopback address (the fake server) or with
    ``allow_insecure_http=True``, since a token, secret or password would cross the network
    in clear text. User info in the URL is refused: credentials go in their own arguments.
    """
    if not isinstance(url, str):
        raise InvalidInputError(f"{name} must be a URL string, got {type(url).__name__}")
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InvalidInputError(f"{name} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInputError(f"{name} must be an https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidInputError(f"{name} must not hold credentials (user:password@)")
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{name} must not have a query string or fragment")
    if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(host):
        raise InvalidInputError(
            f"{name} uses plain http:// to {host_of(url)}: credentials and pupils' data would "
            "travel unencrypted; use https://, or pass allow_insecure_http=True if you must"
        )
    return url.strip().rstrip("/")


#: Seconds to establish a connection; with ``RetryPolicy.unreachable_after`` it bounds how
#: long an unreachable host can hold a call.
CONNECT_TIMEOUT = 10.0


def request_timeout(timeout: float) -> aiohttp.ClientTimeout:
    """``timeout`` seconds for one request, of which at most :data:`CONNECT_TIMEOUT` to
    connect."""
    return aiohttp.ClientTimeout(total=timeout, sock_connect=min(timeout, CONNECT_TIMEOUT))


def check_session_options(
    *,
    rate_limit: float | None,
    max_in_flight: int,
    timeout: float,
    proxy: str | None,
    session: aiohttp.ClientSession | None,
) -> aiohttp.ClientTimeout:
    """Check the options every client takes for its requests; return the request timeout."""
    if rate_limit is not None and not rate_limit > 0:
        raise InvalidInputError("rate_limit must be a positive number of requests/second")
    if max_in_flight < 1:
        raise InvalidInputError("max_in_flight must be at least 1")
    if not timeout > 0:
        raise InvalidInputError("timeout must be positive")
    if proxy is not None and (
        not isinstance(proxy, str) or not proxy.startswith(("http://", "https://"))
    ):
        raise InvalidInputError("proxy must be an http(s) URL such as 'http://proxy:3128'")
    if proxy is not None and session is not None:
        raise InvalidInputError("proxy applies to the session the client creates; "
                                "configure the proxy of the session you pass instead")
    return request_timeout(timeout)


def new_session(
    urls: Sequence[str], *, limit: int, proxy: str | None
) -> aiohttp.ClientSession:
    """The session a client creates for talking to ``urls``.

    An explicit ``proxy`` is used for every request. Otherwise ``HTTPS_PROXY``/``HTTP_PROXY``
    and ``NO_PROXY`` decide, once per origin (see :func:`exchange`), and aiohttp's
    ``trust_env`` stays off: it would look the environment and ``~/.netrc`` up again on
    every request (hundreds of microseconds of CPU each), and a ``~/.netrc`` entry for an
    Informat host would put Basic credentials next to the bearer token.
    """
    connector = aiohttp.TCPConnector(limit=limit)
    if proxy is not None:
        return aiohttp.ClientSession(connector=connector, raise_for_status=False, proxy=proxy)
    session = aiohttp.ClientSession(connector=connector, raise_for_status=False)
    _ENV_PROXIES[session] = {}
    return session


#: Sessions made by :func:`new_session` without a proxy -> the environment's proxy choice
#: per origin (``{}`` or ``{"proxy": ..., "proxy_auth": ...}``), decided on first use.
_ENV_PROXIES: weakref.WeakKeyDictionary[aiohttp.ClientSession, dict[str, dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)


#: ``scheme://netloc`` at the start of a URL (what ``urlsplit`` calls them).
_ORIGIN = re.compile(r"[^:/?#]+://[^/?#]*")


#: The session of the last :func:`_route` and its entry of ``_ENV_PROXIES`` (None: not made
#: by :func:`new_session`): looking a session up in the weak dictionary makes a weak
#: reference every time, and most processes send every request through one session.
_last_session: tuple[weakref.ref[aiohttp.ClientSession], dict[str, Any] | None] | None = None
#: A path of unreserved characters only, whose segments are not empty and do not start with
#: a dot (no "." or ".." to resolve): as a URL it reads the same quoted or not.
_PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?")
#: ``scheme://netloc`` -> its ``yarl.URL``, for :func:`_route`.
_ORIGIN_URLS: dict[str, yarl.URL] = {}


def _route(session: aiohttp.ClientSession, url: str) -> tuple[yarl.URL | str, dict[str, Any]]:
    """What to hand aiohttp for ``url``: the URL, and the environment's proxy arguments for
    its origin when ``session`` was made by :func:`new_session`.

    The URL is a ``yarl.URL`` made from the origin's cached one when the rest is a plain
    path (0.7 µs, where aiohttp's parse of the string costs 2.9: once per request, photos
    included), else ``url`` itself for aiohttp to parse and quote. The origin is found by a
    precompiled match, not ``urlsplit`` (~4 µs).
    """
    global _last_session
    last = _last_session
    if last is not None and last[0]() is session:
        choices = last[1]
    else:
        choices = _ENV_PROXIES.get(session)
        _last_session = (weakref.ref(session), choices)
    matched = _ORIGIN.match(url)
    if matched is None:
        return url, {}
    origin = matched.group()
    choice: dict[str, Any] = {}
    if choices is not None:
        known = choices.get(origin)
        choice = known if known is not None else _env_choice(choices, origin)
    if not _PLAIN_PATH.fullmatch(url, matched.end()):
        return url, choice
    base = _ORIGIN_URLS.get(origin)
    if base is None:
        if len(_ORIGIN_URLS) >= 64:  # a process talks to a handful of hosts
            _ORIGIN_URLS.clear()
        try:
            base = _ORIGIN_URLS[origin] = yarl.URL(origin)
        except ValueError:
            return url, choice  # aiohttp's own parse names the problem
    return base.with_path(url[matched.end():] or "/", encoded=True), choice


def _env_choice(choices: dict[str, dict[str, Any]], origin: str) -> dict[str, Any]:
    """The environment's proxy for ``origin``, decided once and kept in ``choices``."""
    choice: dict[str, Any]
    try:
        env_proxy, env_auth = aiohttp.helpers.get_env_proxy_for_url(yarl.URL(origin))
        choice = {"proxy": env_proxy}
        if env_auth is not None:  # user:password in the proxy variable
            choice["proxy_headers"] = {"Proxy-Authorization": env_auth.encode()}
    except LookupError:  # no proxy for this scheme, or NO_PROXY names the host
        choice = {}
    choices[origin] = choice
    return choice


def transport_error(
    exc: BaseException, *, url: str, institute: str | None, endpoint: str
) -> TransportError:
    """The typed error for a failed exchange with ``url`` (never its query or credentials)."""
    host = host_of(url)
    who = f" for institute {institute}" if institute else ""
    where = f"{endpoint}{who} to {host}"
    kwargs: dict[str, Any] = {"institute": institute, "endpoint": endpoint, "host": host}
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return InformatTimeoutError(f"{where}: connecting timed out", unreachable=True, **kwargs)
    if isinstance(exc, TimeoutError):
        return InformatTimeoutError(f"{where} timed out", **kwargs)
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return InformatConnectionError(
            f"{where}: the host name does not resolve", retryable=False, unreachable=True,
            **kwargs,
        )
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError, ssl.CertificateError)):
        return InformatConnectionError(
            f"{where}: TLS failed ({type(exc).__name__}); is the certificate trusted?",
            retryable=False, unreachable=True, **kwargs,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return InformatConnectionError(
            f"{where}: cannot connect ({type(exc).__name__})", unreachable=True, **kwargs
        )
    if isinstance(exc, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError)):
        return InformatConnectionError(f"{where} failed: {type(exc).__name__}", **kwargs)
    if isinstance(exc, aiohttp.ClientResponseError):
        # aiohttp's parser refused the answer: a malformed status line, an oversize header,
        # bad chunking. A broken proxy may recover, so this is retried.
        return InformatConnectionError(f"{where}: the answer is not valid HTTP", **kwargs)
    if isinstance(exc, OSError):
        return InformatConnectionError(f"{where} failed: {type(exc).__name__}", **kwargs)
    # InvalidURL, redirect errors, a header value aiohttp refused (ValueError): no retry helps.
    return InformatConnectionError(
        f"{where} failed: {type(exc).__name__}", retryable=False, **kwargs
    )


async def read_bounded(
    resp: aiohttp.ClientResponse,
    max_bytes: int,
    *,
    institute: str | None,
    endpoint: str,
) -> bytes:
    """The body, decompressed, read in chunks; past ``max_bytes`` nothing more is read.

    (:func:`exchange` reads a body sent as it is, with a ``Content-Length`` within the
    limit, in one go instead: aiohttp's parser reads exactly that many bytes, and refuses a
    ``Content-Length`` next to chunked transfer coding, so it cannot grow past the limit.)
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            _too_large(max_bytes, institute=institute, endpoint=endpoint)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int, *, institute: str | None, endpoint: str) -> None:
    who = f" for institute {institute}" if institute else ""
    raise ResponseTooLargeError(
        f"{endpoint}{who}: the answer is larger than the limit of {limit:,} bytes "
        "(raise it with max_response_size / max_photo_size if this is expected)",
        limit=limit, institute=institute, endpoint=endpoint,
    )


def _redirect(
    status: int, location: str | None, *, url: str, institute: str | None, endpoint: str
) -> RedirectError:
    target = host_of(urllib.parse.urljoin(url, location)) if location else None
    who = f" for institute {institute}" if institute else ""
    return RedirectError(
        f"HTTP {status} from {endpoint}{who}: a redirect to {target or 'an unnamed location'} "
        "was refused; redirects are never followed so credentials stay with the configured "
        "host; check the URL",
        status=status, location_host=target, institute=institute, endpoint=endpoint,
    )


async def exchange(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    client_timeout: aiohttp.ClientTimeout,
    max_bytes: int,
    institute: str | None,
    endpoint: str,
    params: Mapping[str, str] | None = None,
    json: Any = None,
    data: Any = None,
) -> tuple[int, Mapping[str, str], bytes]:
    """Send one request, never following a redirect; return status, headers and body (see
    :func:`read_bounded`)."""
    try:
        target, proxy = _route(session, url)
        async with session.request(
            method, target, headers=headers, timeout=client_timeout, allow_redirects=False,
            params=params, json=json, data=data, **proxy
        ) as resp:
            status = resp.status
            if 300 <= status < 400:
                raise _redirect(status, resp.headers.get("Location"), url=url,
                                institute=institute, endpoint=endpoint)
            declared = resp.content_length
            if declared is not None and not resp.headers.get("Content-Encoding"):
                if declared > max_bytes:
                    _too_large(max_bytes, institute=institute, endpoint=endpoint)
                body = await resp.read()  # exactly ``declared`` bytes
            else:
                body = await read_bounded(resp, max_bytes, institute=institute,
                                          endpoint=endpoint)
            return status, resp.headers, body
    except InformatError:
        raise
    except RuntimeError as exc:
        if getattr(session, "closed", False):
            raise TransportError(
                f"{endpoint}: the HTTP session is closed", institute=institute,
                endpoint=endpoint, host=host_of(url), retryable=False,
            ) from None
        raise transport_error(exc, url=url, institute=institute, endpoint=endpoint) from None
    except Exception as exc:  # every failure of a public call is typed
        raise transport_error(exc, url=url, institute=institute, endpoint=endpoint) from None
