"""Reading an error body: what a family's error answer says, as :class:`ErrorBody`.

Each family names its reader (:func:`read_informat_errors` for Informat's own ``errors``
bodies, :func:`read_problem_details` for RFC 7807 ProblemDetails) and its code catalogue;
:func:`~informat_async.errors.error_for_status` turns what the reader found into the
exception. Everything taken from a body is redacted. Re-exported by
:mod:`informat_async.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._codes import CODE_CATALOGUE
from ._redact import redact

__all__ = [
    "ErrorBody",
    "ErrorDetail",
    "ErrorReader",
    "parse_error_details",
    "read_informat_errors",
    "read_problem_details",
]


@attrs.frozen
class ErrorDetail:
    """One entry of an error body: a code such as ``BR010A``, its message, and for
    ProblemDetails ``validationErrors`` the field it is about."""

    code: str | None
    message: str | None
    name: str | None = None
    """The field the error is about (``validationErrors[].name``), when the body says."""
    catalogue: Mapping[str, str] = attrs.field(
        default=attrs.Factory(lambda: CODE_CATALOGUE), repr=False, eq=False
    )
    """The code catalogue of the API family the error came from (the same code means
    different things in different families)."""

    @property
    def description(self) -> str | None:
        """The description of the code in its family's catalogue, if the code is known."""
        return self.catalogue.get(self.code or "")


@attrs.frozen
class ErrorBody:
    """What an error body says, read by the reader of the family it came from."""

    details: tuple[ErrorDetail, ...] = ()
    summary: str | None = None
    """The body's own one-line message (``message``, ``title``/``detail``), redacted."""
    result_code: int | None = None
    """A status or result code carried in the body."""


ErrorReader = Callable[[object, Mapping[str, str]], ErrorBody]
"""``read(decoded_body, catalogue)``: what an error body of one family says."""


def parse_error_details(
    body: object, catalogue: Mapping[str, str] = CODE_CATALOGUE
) -> tuple[ErrorDetail, ...]:
    """Read an ``errors`` member: a list of objects, a single object, or absent.

    Keys are matched case-insensitively (``Errors``, ``Code``, ``message``...), so the
    Leerlingen API's camelCase and the personnel API's PascalCase both read.
    """
    if not isinstance(body, Mapping):
        return ()
    errors = _get_ci(body, "errors")
    items: Sequence[Any]
    if isinstance(errors, Mapping):
        items = [errors]
    elif isinstance(errors, list):
        items = errors
    else:
        return ()
    details = []
    for item in items:
        if isinstance(item, Mapping):
            code, message = _get_ci(item, "code"), _get_ci(item, "message")
            details.append(
                ErrorDetail(
                    code=str(code) if code is not None else None,
                    message=redact(str(message)) if message is not None else None,
                    catalogue=catalogue,
                )
            )
    return tuple(details)


def read_informat_errors(body: object, catalogue: Mapping[str, str]) -> ErrorBody:
    """Informat's own error bodies: ``errors`` as a list or an object, and a top-level
    ``status``/``resultCode`` and ``message``/``resultMessage``, in any key case."""
    details = parse_error_details(body, catalogue)
    if not isinstance(body, Mapping):
        return ErrorBody(details=details, summary=_summary_of_text(body))
    result_code: int | None = None
    raw_code = _get_ci(body, "status")
    if raw_code is None:
        raw_code = _get_ci(body, "resultCode")
    if isinstance(raw_code, int) and not isinstance(raw_code, bool):
        result_code = raw_code
    raw_message = _get_ci(body, "message")
    if raw_message is None:
        raw_message = _get_ci(body, "resultMessage")
    summary = redact(str(raw_message)) if raw_message is not None else None
    return ErrorBody(details=details, summary=summary, result_code=result_code)


def read_problem_details(body: object, catalogue: Mapping[str, str]) -> ErrorBody:
    """RFC 7807 ProblemDetails: ``title``, ``detail``, ``status`` and the
    ``validationErrors`` entries (``name``, ``reason``, ``code``), in any key case."""
    if not isinstance(body, Mapping):
        return ErrorBody(summary=_summary_of_text(body))
    details = []
    entries = _get_ci(body, "validationErrors")
    for item in entries if isinstance(entries, list) else ():
        if isinstance(item, Mapping):
            code, reason, name = (_get_ci(item, k) for k in ("code", "reason", "name"))
            details.append(ErrorDetail(
                code=str(code) if code is not None else None,
                message=redact(str(reason)) if reason is not None else None,
                name=str(name) if name is not None else None,
                catalogue=catalogue,
            ))
    title, detail = _get_ci(body, "title"), _get_ci(body, "detail")
    summary = ": ".join(str(x) for x in (title, detail) if x is not None) or None
    status = _get_ci(body, "status")
    return ErrorBody(
        details=tuple(details),
        summary=redact(summary) if summary else None,
        result_code=status if isinstance(status, int) and not isinstance(status, bool) else None,
    )


def _summary_of_text(body: object) -> str | None:
    if isinstance(body, str) and body.strip():
        return "non-JSON body (" + _looks_like(body) + ")"
    return None


def _looks_like(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")) or "<title" in head:
        return "an HTML page, probably from a proxy"
    return f"{len(text)} characters of text"


def _get_ci(mapping: Mapping[Any, Any], key: str) -> Any:
    if key in mapping:
        return mapping[key]
    folded = key.casefold()
    for k, v in mapping.items():
        if isinstance(k, str) and k.casefold() == folded:
            return v
    return None
