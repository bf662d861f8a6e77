"""Input checks that run before any request is sent.

Each check raises :class:`~informat_async.errors.InvalidInputError` with a message that
names the argument and what is expected, never echoing a sensitive value.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from ._uuids import uuid_from_int
from .errors import InvalidInputError

__all__ = [
    "check_institute",
    "check_school_year",
    "coerce_date",
    "coerce_guid",
    "coerce_uuid",
    "current_school_year",
    "school_year_bounds",
]

#: Only ASCII digits: ``\d`` and ``str.isdigit`` also take '١٢٣٤٥٦' and fullwidth digits,
#: which would go out in the token scope, the ``InstituteNo`` header and the query.
_INSTITUTE = re.compile(r"[0-9]{1,6}")
_LONG_NUMBER = re.compile(r"\d[\d .\-/]{7,}\d")


def _shown(value: str) -> str:
    """The value for an error message, unless it may be a national register number or
    another long number a caller passed by mistake: then only its length."""
    if _LONG_NUMBER.search(value) or len(value) > 60:
        return f"a value of {len(value)} characters"
    return repr(value)
_SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")


def check_institute(institute: object, *, name: str = "institute") -> str:
    """Return the institute number as Informat writes it: six ASCII digits.

    A number whose leading zeros were lost (``30569`` or ``"30569"``, as spreadsheets and
    integers do) is zero-padded (``"030569"``); anything else raises
    :class:`~informat_async.errors.InvalidInputError`.
    """
    if isinstance(institute, int) and not isinstance(institute, bool):
        if not 0 <= institute <= 999_999:
            raise InvalidInputError(f"{name} must be a number of at most 6 digits")
        return f"{institute:06d}"
    if not isinstance(institute, str):
        raise InvalidInputError(
            f"{name} must be a string of 6 digits such as '012345', "
            f"got {type(institute).__name__}"
        )
    if not _INSTITUTE.fullmatch(institute):
        raise InvalidInputError(f"{name} must be 6 digits (0-9), got {_shown(institute)}")
    return institute.zfill(6)


def check_school_year(school_year: object, *, name: str = "school_year") -> str:
    """Return the school year if it reads like ``"2025-26"`` (two consecutive years)."""
    if not isinstance(school_year, str):
        raise InvalidInputError(
            f"{name} must be a string like '2025-26', got {type(school_year).__name__}"
        )
    match = _SCHOOL_YEAR.fullmatch(school_year)
    if match is None:
        raise InvalidInputError(f"{name} must look like '2025-26', got {_shown(school_year)}")
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise InvalidInputError(
            f"{name} must name two consecutive years like '2025-26', got {_shown(school_year)}"
        )
    if not 1900 <= start <= 2999:
        raise InvalidInputError(f"{name} is out of range: {_shown(school_year)}")
    return school_year


def school_year_bounds(school_year: str) -> tuple[dt.date, dt.date]:
    """First and last day of a school year: 1 September to 31 August."""
    start = int(check_school_year(school_year)[:4])
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def current_school_year(today: dt.date | None = None) -> str:
    """The school year of ``today`` (default: the local date); it starts on 1 September."""
    day = today or dt.date.today()
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


#: A GUID's 32 hex digits, with or without its four dashes (braces are taken off first).
_GUID = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)


def coerce_uuid(value: object, *, name: str) -> uuid.UUID:
    """Accept a UUID, or a GUID string in any case, with or without braces."""
    if isinstance(value, uuid.UUID):
        return value
    return _guid_of_text(value, name)[0]


def coerce_guid(value: object, *, name: str) -> tuple[uuid.UUID, str]:
    """:func:`coerce_uuid`, and the UUID's text as ``str()`` writes it (lower case, with
    dashes) for a URL: a string already written that way is taken as it is, not formatted
    again from the number (0.6 µs: once per photo request)."""
    if isinstance(value, uuid.UUID):
        return value, str(value)
    return _guid_of_text(value, name)


def _guid_of_text(value: object, name: str) -> tuple[uuid.UUID, str]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1]
        if _GUID.fullmatch(text):
            # from the digits the pattern checked, without parsing them again
            made = uuid_from_int(int(text.replace("-", ""), 16))
            # 36 characters that match the pattern have their dashes where str() puts them
            return made, text.lower() if len(text) == 36 else str(made)
        raise InvalidInputError(f"{name} must be a GUID, got {_shown(value)}")
    raise InvalidInputError(f"{name} must be a GUID (uuid.UUID or str), got {type(value).__name__}")


def coerce_date(value: object, *, name: str) -> dt.date | dt.datetime:
    """Accept a ``date``, a ``datetime`` or an ISO string for a date query parameter."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        raise InvalidInputError(f"{name} must be a date like '2025-09-01', got {_shown(value)}")
    raise InvalidInputError(f"{name} must be a date or datetime, got {type(value).__name__}")
