"""What one Informat API family is: a declaration that the shared layers read.

Informat's REST families (Leerlingen, personnel, the Student API) share one identity
server, one token model and one transport; they differ only in the points a
:class:`Family` declares:

=====================  ===========================================================
``default_url``        where the family lives, and ``url_env`` to override it
``version_path``       a version chosen by a path segment (Leerlingen: ``/1``)
``version_header``     ... or by a header (personnel: ``Api-Version: 2``)
``institute_header``   ``InstituteNo`` or ``instituteNo``
``timestamp``          whether to send the ``Timestamp`` header
``scopes``             the OAuth2 scope pattern per flavour, ``{institute}`` filled in
``unwrap``             how a payload is taken out of an answer (root key or bare)
``read_error``         how an error body reads, and ``catalogue`` of its codes
``success``            which statuses mean success
=====================  ===========================================================

Transport, tokens, signing, the limiter and retries take a family as data and know none.
Adding a family is a declaration in :mod:`informat_async.families` plus its methods on a
:class:`~informat_async.namespace.Namespace`; no transport, auth or retry code changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .errors import APIStatusError, ErrorReader
from .signing import AnswerShape, error_from_answer, request_headers

__all__ = ["Family", "Unwrap"]

Unwrap = Callable[..., Any]
"""``unwrap(data, root, shape, *, institute, endpoint)``: the payload of a decoded answer,
or raise :class:`~informat_async.errors.IncompleteResponseError`."""


def _any_2xx(status: int) -> bool:
    return 200 <= status < 300


@attrs.frozen(kw_only=True)
class Family:
    """The declaration of one API family (see the module docstring)."""

    name: str
    """Short name, also carried by the family's errors (``APIStatusError.family``)."""
    default_url: str
    url_env: str
    """The environment variable ``InformatClient.from_env()`` reads the base URL from."""
    scopes: Mapping[str, str]
    """Scope pattern per flavour; the first is the default. ``{institute}`` is filled in."""
    unwrap: Unwrap
    read_error: ErrorReader
    catalogue: Mapping[str, str]
    version_path: str = ""
    version_header: tuple[str, str] | None = None
    institute_header: str = "InstituteNo"
    timestamp: bool = False
    success: Callable[[int], bool] = _any_2xx

    def base_url(self, url: str) -> str:
        """The URL requests' paths are appended to."""
        return url.rstrip("/") + self.version_path

    def scope(self, institute: str, flavour: str | None = None) -> str:
        """The OAuth2 scope that grants this family's ``flavour`` calls for ``institute``."""
        pattern = self.scopes[flavour] if flavour else next(iter(self.scopes.values()))
        return pattern.format(institute=institute)

    def headers(
        self, access_token: str, institute: str, now: dt.datetime | None, *, has_body: bool
    ) -> dict[str, str]:
        """Every header a request of this family carries (``now=None``: the current time,
        see :func:`~informat_async.signing.request_headers`)."""
        return request_headers(
            access_token, institute, now, has_body=has_body,
            institute_header=self.institute_header, timestamp=self.timestamp,
            extra=self.version_header,
        )

    def error(
        self,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        now: dt.datetime,
        institute: str | None,
        endpoint: str,
    ) -> APIStatusError:
        """The typed error of an answer that is not a success, read the family's way."""
        return error_from_answer(
            status, headers, body, now=now, institute=institute, endpoint=endpoint,
            read=self.read_error, catalogue=self.catalogue, family=self.name,
        )

    def payload(
        self,
        data: Any,
        root: str | None,
        shape: AnswerShape,
        *,
        institute: str | None,
        endpoint: str,
    ) -> Any:
        """The payload of a decoded 2xx answer (see ``unwrap``)."""
        return self.unwrap(data, root, shape, institute=institute, endpoint=endpoint)

