"""The personnel API's write rules, checked before anything is sent.

Pure functions (no I/O), so a caller can check its data before a run: each returns every
problem at once as :class:`~informat_async.errors.Problem` s carrying the code the server
would answer (``BR009``...) or ``INPUT`` for purely local checks, without echoing values.
The limits are the reference's; where it says a rule is unknown (which attachment
extensions are allowed) the server decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from . import models
from .errors import InvalidInputError, Problem, WriteValidationError
from .validation import check_institute, check_school_year

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "attachment_problems",
    "check_interruption",
    "interruption_body",
    "signed_document_problems",
]

#: The attachment limit of the reference ("10 MB"), taken as MiB and measured on the file
#: before base64: a larger reading is left to the server rather than refusing what it takes.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

_SIGNING = {s.value.casefold(): s for s in models.SigningStatus}

_INTERRUPTION_LIMITS = (
    ("opmerking", 50, "BR009"),
    ("naam_geneesheer", 75, "BR010"),
    ("telefoon_geneesheer", 20, "BR011"),
)


def check_interruption(
    interruption: models.InterruptionWrite, institute: str
) -> list[Problem]:
    """Every problem of an interruption write for ``institute`` (empty: it may be sent)."""
    problems: list[Problem] = []

    def add(code: str, path: str, message: str) -> None:
        problems.append(Problem(code, path, message))

    def text(name: str, code_missing: str | None) -> str | None:
        value = getattr(interruption, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if code_missing:
                add(code_missing, name, "is required")
            return None
        if not isinstance(value, str):
            add("INPUT", name, f"must be a string, got {type(value).__name__}")
            return None
        return value

    year = text("schooljaar", "BR004A")
    if year is not None:
        try:
            check_school_year(year)
        except InvalidInputError:
            add("BR004B", "schooljaar", "must look like '2025-26'")
    hfd = text("hfd", "BR005A")
    if hfd is not None and len(hfd.strip()) != 3:
        add("BR005B", "hfd", f"must be 3 characters, got {len(hfd.strip())}")
    text("code", "BR006A")
    begin = _day(interruption.begindatum, "begindatum", "BR007A", add)
    end = _day(interruption.einddatum, "einddatum", "BR008A", add)
    if begin is not None and end is not None and end < begin:
        add("BR008B", "einddatum", "may not be before begindatum")
    sender = text("afzender", "BR012A")
    if sender is not None and len(sender) > 50:
        add("BR012B", "afzender", f"at most 50 characters, got {len(sender)}")
    for name, limit, code in _INTERRUPTION_LIMITS:
        value = text(name, None)
        if value is not None and len(value) > limit:
            add(code, name, f"at most {limit} characters, got {len(value)}")
    leave = interruption.mag_woonst_verlaten
    if leave is not None and not isinstance(leave, bool):
        add("INPUT", "mag_woonst_verlaten", "must be True, False or None")
    number = interruption.instelnr
    if number is not None:
        try:
            check_institute(number, name="instelnr")
        except InvalidInputError:
            add("BR003A", "instelnr", "must be 6 digits")
        else:
            if number != institute:
                add("BR013", "instelnr", "differs from the institute the request is sent for")
    return problems


def interruption_body(interruption: object, institute: str) -> dict[str, Any]:
    """The checked JSON body of ``save_interruption``; unset optional fields are left out."""
    if not isinstance(interruption, models.InterruptionWrite):
        raise InvalidInputError(
            f"interruption must be an InterruptionWrite, got {type(interruption).__name__}"
        )
    problems = check_interruption(interruption, institute)
    if problems:
        raise WriteValidationError("interruption", problems)
    body: dict[str, Any] = {
        "schooljaar": interruption.schooljaar,
        "hfd": interruption.hfd.strip(),
        "code": interruption.code,
        "begindatum": _as_day(interruption.begindatum).isoformat(),
        "einddatum": _as_day(interruption.einddatum).isoformat(),
        "afzender": interruption.afzender,
    }
    for name, wire in (("opmerking", "opmerking"), ("naam_geneesheer", "naamGeneesheer"),
                       ("telefoon_geneesheer", "telefoonGeneesheer"),
                       ("mag_woonst_verlaten", "magWoonstVerlaten")):
        value = getattr(interruption, name)
        if value is not None:
            body[wire] = value
    body["instelnr"] = interruption.instelnr or institute
    return body


def attachment_problems(filename: object, content: object) -> list[Problem]:
    """Every problem of an attachment (the extension is the server's to judge)."""
    problems: list[Problem] = []
    if not isinstance(filename, str) or not filename.strip():
        problems.append(Problem("BR016A", "filename", "is required"))
    elif len(filename) > 100:
        problems.append(Problem("BR016B", "filename",
                                f"at most 100 characters, got {len(filename)}"))
    if not isinstance(content, (bytes, bytearray, memoryview)):
        problems.append(Problem("BR017A", "content",
                                f"must be bytes, got {type(content).__name__}"))
    elif len(content) == 0:
        problems.append(Problem("BR017A", "content", "is empty"))
    elif len(content) > MAX_ATTACHMENT_BYTES:
        problems.append(Problem("BR017B", "content",
                                f"at most 10 MB, got {len(content)} bytes"))
    return problems


def signed_document_problems(
    status: object, at: object, pdf: object
) -> tuple[list[Problem], models.SigningStatus | None, str | None]:
    """The problems of a signed-document report, its status and its UTC ``tijdstip``."""
    problems: list[Problem] = []
    state = _SIGNING.get(status.strip().casefold()) if isinstance(status, str) else None
    if state is None:
        problems.append(Problem("INPUT", "status", "must be one of "
                                + ", ".join(s.value for s in models.SigningStatus)))
    when = None
    if not isinstance(at, dt.datetime):
        problems.append(Problem("INPUT", "at", f"must be a datetime, got {type(at).__name__}"))
    elif at.tzinfo is None or at.utcoffset() is None:
        problems.append(Problem("INPUT", "at", "must be timezone-aware (it is sent in UTC)"))
    else:
        when = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if pdf is not None and not isinstance(pdf, (bytes, bytearray, memoryview)):
        problems.append(Problem("INPUT", "pdf", f"must be bytes, got {type(pdf).__name__}"))
    elif pdf is not None and len(pdf) == 0:
        problems.append(Problem("INPUT", "pdf", "is empty"))
    elif pdf is None and state is models.SigningStatus.SIGNED:
        problems.append(Problem("INPUT", "pdf", "is required when the status is Ondertekend"))
    return problems, state, when



def _as_day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _day(
    value: object, name: str, code: str, add: Callable[[str, str, str], None]
) -> dt.date | None:
    if value is None:
        add(code, name, "is required")
        return None
    if not isinstance(value, dt.date):
        add("INPUT", name, f"must be a date, got {type(value).__name__}")
        return None
    return _as_day(value)
