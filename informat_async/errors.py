"""Every exception informat-async raises, and Informat's code catalogue.

The tree::

    InformatError
    ├── InvalidInputError (a ValueError)        bad input, raised before any request is sent
    │   ├── PreRegistrationValidationError      a pre-registration breaks Informat's BR rules
    │   └── WriteValidationError                a write breaks its API's rules
    │       └── StudentApiValidationError       ... a Student API request
    ├── AuthenticationError                     the identity server refused credentials or scopes
    ├── TransportError                          no usable HTTP answer
    │   ├── InformatConnectionError             connect error, reset, truncated body, bad HTTP
    │   ├── InformatTimeoutError                a timeout or the call's deadline
    │   └── OutcomeUnknownError                 a write may or may not have been applied
    ├── ResponseValidationError                 a 2xx answer that does not decode into the models
    │   ├── IncompleteResponseError             empty, null or rootless answer: retried
    │   └── ResponseTooLargeError               the answer passed the configured size limit
    └── APIStatusError                          the API answered with an error status
        ├── RedirectError            3xx        never followed, so credentials stay put
        ├── BadRequestError          400        Informat BR codes
        ├── UnauthorizedError        401        token refused (after one refresh)
        ├── ForbiddenError           403        the token lacks the institute's scope
        ├── NotFoundError            404        DNF codes
        ├── MethodNotAllowedError    405        MNA codes
        ├── ConflictError            409
        ├── RateLimitError           429        ``retry_after`` in seconds when the server said
        └── ServerError              5xx        result codes 500 and 999

Exceptions carry the HTTP status, Informat's codes and messages, the institute and the
endpoint; never a token, a client secret or a national register number. Every message,
and every message taken from an error body, passes through :func:`~informat_async._redact.redact`,
which masks national register and bis numbers and IBANs a server may quote back. One function,
:func:`error_for_status`, maps a status and a decoded body to the exception class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs

from ._codes import CODE_CATALOGUE, RESULT_CODES
from ._error_bodies import (
    ErrorBody,
    ErrorDetail,
    ErrorReader,
    parse_error_details,
    read_informat_errors,
    read_problem_details,
)
from ._redact import redact

__all__ = [
    "CODE_CATALOGUE",
    "RESULT_CODES",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ErrorBody",
    "ErrorDetail",
    "ErrorReader",
    "ForbiddenError",
    "IncompleteResponseError",
    "InformatConnectionError",
    "InformatError",
    "InformatTimeoutError",
    "InvalidInputError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PreRegistrationValidationError",
    "Problem",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "StudentApiValidationError",
    "TransportError",
    "UnauthorizedError",
    "WriteValidationError",
    "error_for_status",
    "parse_error_details",
    "read_informat_errors",
    "read_problem_details",
]


@attrs.frozen
class Problem:
    """A problem found by local validation, mirroring the Informat code the server would give."""

    code: str
    """The Informat code this mirrors (``BR010A``...), or ``INPUT`` for purely local checks."""
    path: str
    """Where in the input: a field name, or a path such as ``relationships[0].address.city``."""
    message: str
    """What is wrong, without echoing sensitive values."""

    def __str__(self) -> str:
        return f"{self.code} {self.path}: {self.message}"


class InformatError(Exception):
    """Base class of every error raised by informat-async.

    Text arguments are redacted: anything shaped like a national register or bis number or
    an IBAN is masked, whoever built the message.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class InvalidInputError(InformatError, ValueError):
    """The caller's input is invalid; raised before any request is sent."""


class PreRegistrationValidationError(InvalidInputError):
    """A pre-registration breaks one or more of Informat's rules; ``problems`` lists all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"pre-registration is invalid ({len(self.problems)} problems): {lines}")

    @property
    def codes(self) -> tuple[str, ...]:
        """The Informat codes of the problems."""
        return tuple(p.code for p in self.problems)


class WriteValidationError(InvalidInputError):
    """A write breaks one or more of the API's rules; ``problems`` lists all of them (with
    the codes the server would answer) and nothing was sent."""

    def __init__(self, what: str, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"{what} is invalid ({len(self.problems)} problems): {lines}")

    @property
    def codes(self) -> tuple[str, ...]:
        """The Informat codes of the problems."""
        return tuple(p.code for p in self.problems)


class StudentApiValidationError(WriteValidationError):
    """A Student API request breaks one or more of its rules (see
    :class:`WriteValidationError`)."""


class AuthenticationError(InformatError):
    """The identity server refused to issue a token (``invalid_client``, ``invalid_scope``, ...)."""

    def __init__(
        self, message: str, *, error: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.error = error
        """The OAuth2 error code, e.g. ``invalid_client``."""
        self.status = status
        """The HTTP status of the token endpoint's answer."""


class TransportError(InformatError):
    """No usable HTTP answer: the connection failed, was reset, or timed out."""

    def __init__(
        self,
        message: str,
        *,
        institute: str | None = None,
        endpoint: str | None = None,
        host: str | None = None,
        retryable: bool = True,
        unreachable: bool = False,
    ) -> None:
        super().__init__(message)
        self.institute = institute
        self.endpoint = endpoint
        self.host = host
        """The host (and port) the request went to."""
        self.retryable = retryable
        """False for what another try cannot fix: a certificate, a name that does not resolve."""
        self.unreachable = unreachable
        """True when no connection could be made at all (refused, no route, connect timeout)."""


class InformatConnectionError(TransportError):
    """Connecting failed, the connection was reset, or the body was cut short."""


class InformatTimeoutError(TransportError):
    """A request timed out, or the call's deadline passed while retrying."""


class OutcomeUnknownError(TransportError):
    """A write that is not safe to repeat (``create_enrollment``) failed after the request may
    have reached the server: a timeout or reset after sending, a 500/502/504, or an answer
    that could not be read. It may have been applied. Do not simply send it again: look the
    result up first (for an enrollment: ``registrations(...)``). ``__cause__`` is the failure.
    """


class ResponseValidationError(InformatError):
    """A successful answer whose body does not decode into the models.

    ``errors`` holds cattrs' paths (``$.students[3].persoonId: invalid UUID``) without values.
    """

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[str] = (),
        institute: str | None = None,
        endpoint: str | None = None,
        partial: Sequence[object] = (),
    ) -> None:
        super().__init__(message)
        self.errors = tuple(errors)
        """cattrs' error paths, e.g. ``$.students[3].persoonId: invalid value for type UUID``."""
        self.institute = institute
        self.endpoint = endpoint
        self.partial: tuple[object, ...] = tuple(partial)
        """For lists: every item that did decode, so one bad record does not cost the rest."""


class IncompleteResponseError(ResponseValidationError):
    """A 2xx answer without the data it must carry: an empty body, ``null``, JSON that is not
    JSON or of the wrong type, or an object without its root key (or with it ``null``).

    Retried like a truncated body; it never completes a resource or advances a checkpoint.
    """


class ResponseTooLargeError(ResponseValidationError):
    """The answer's (decompressed) body passed the configured size limit; reading stopped."""

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        institute: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message, institute=institute, endpoint=endpoint)
        self.limit = limit
        """The limit in bytes."""


class APIStatusError(InformatError):
    """The API answered with an error status."""

    status_code: ClassVar[int | None] = None

    def __init__(
        self,
        message: str,
        *,
        status: int,
        details: Sequence[ErrorDetail] = (),
        institute: str | None = None,
        endpoint: str | None = None,
        result_code: int | None = None,
        retry_after: float | None = None,
        family: str | None = None,
    ) -> None:
        super().__init__(message)
        self.family = family
        """The API family that answered (``"leerlingen"``, ``"personnel"``...), when known."""
        self.status = status
        """The HTTP status."""
        self.details = tuple(details)
        """Informat's ``errors`` entries (code and message)."""
        self.institute = institute
        """The institute number the request was for."""
        self.endpoint = endpoint
        """The endpoint, e.g. ``GET /students``."""
        self.result_code = result_code
        """Informat's ``status``/``resultCode`` from the body, when present."""
        self.retry_after = retry_after
        """Seconds the server asked to wait (``Retry-After``), when given."""

    @property
    def codes(self) -> tuple[str, ...]:
        """Informat's codes (``BR010A``, ``MNA004``, ...) of the answer."""
        return tuple(d.code for d in self.details if d.code)

    @property
    def messages(self) -> tuple[str, ...]:
        """Informat's messages of the answer."""
        return tuple(d.message for d in self.details if d.message)


class RedirectError(APIStatusError):
    """3xx: the server redirected. Redirects are never followed, so a client secret, token or
    password never reaches another origin; ``location_host`` names where it pointed."""

    def __init__(self, message: str, *, location_host: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location_host = location_host
        """The host of the ``Location`` header (never its path or query)."""


class BadRequestError(APIStatusError):
    """400: the request was rejected, usually with BR codes."""


class UnauthorizedError(APIStatusError):
    """401: the token was refused, even after fetching a fresh one."""


class ForbiddenError(APIStatusError):
    """403: the token lacks the scope of this institute."""


class NotFoundError(APIStatusError):
    """404: no such data (DNF codes)."""


class MethodNotAllowedError(APIStatusError):
    """405: the operation is not allowed (MNA codes), or a wrong HTTP method."""


class ConflictError(APIStatusError):
    """409: update conflict."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` holds the server's wish in seconds."""


class ServerError(APIStatusError):
    """5xx: the service failed (result codes 500 and 999)."""


_BY_STATUS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    429: RateLimitError,
}


def error_for_status(
    status: int,
    body: object,
    *,
    institute: str | None = None,
    endpoint: str | None = None,
    retry_after: float | None = None,
    read: ErrorReader = read_informat_errors,
    catalogue: Mapping[str, str] = CODE_CATALOGUE,
    family: str | None = None,
) -> APIStatusError:
    """Build the exception for an error answer (``body`` is decoded JSON, text, or None),
    reading the body with the ``read`` function and ``catalogue`` of its family."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIStatusError
    said = read(body, catalogue)
    where = " ".join(x for x in (endpoint, f"institute {institute}" if institute else None) if x)
    text = f"HTTP {status}"
    if where:
        text += f" from {where}"
    if said.summary:
        text += f": {said.summary}"
    if said.details:
        text += " [" + "; ".join(f"{d.code}: {d.message}" for d in said.details) + "]"
    return cls(
        text,
        status=status,
        details=said.details,
        institute=institute,
        endpoint=endpoint,
        result_code=said.result_code,
        retry_after=retry_after,
        family=family,
    )
