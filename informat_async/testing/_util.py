"""Small wire helpers of the fake server: GUIDs, dates, school years and key case.

Everything here works on plain strings and JSON values; nothing depends on the client package.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections.abc import Mapping
from typing import Any

_GUID_RE = re.compile(
    r"^\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?"
    r"([0-9a-fA-F]{12})\}?$"
)
_SCHOOL_YEAR_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)


def normalize_guid(value: str | uuid.UUID) -> str | None:
    """Return the canonical lower-case, brace-less form of a GUID, or ``None`` if malformed.

    Accepts a :class:`uuid.UUID` (as clients return them) or a string in any case, with or
    without braces, as Informat does (``{42CD5A20-...}``).
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("{") != text.endswith("}"):
        return None
    match = _GUID_RE.match(text)
    if match is None:
        return None
    return "-".join(part.lower() for part in match.groups())


def current_school_year(today: dt.date | None = None) -> str:
    """The school year of ``today`` (default: the local date), starting on 1 September: the
    default of the fake server, as of the ``informat-async`` command line."""
    day = today or dt.date.today()
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def parse_school_year(value: str | None) -> tuple[int, int] | None:
    """Parse ``"2025-26"`` into ``(2025, 2026)``; ``None`` if missing or malformed."""
    if value is None:
        return None
    match = _SCHOOL_YEAR_RE.match(value)
    if match is None:
        return None
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        return None
    return start, start + 1


def school_year_bounds(school_year: str) -> tuple[dt.date, dt.date]:
    """First and last day of a school year: 1 September to 30 June (Flemish school calendar)."""
    parsed = parse_school_year(school_year)
    if parsed is None:
        raise ValueError(f"invalid school year {school_year!r}, expected e.g. '2025-26'")
    return dt.date(parsed[0], 9, 1), dt.date(parsed[1], 6, 30)


def parse_datetime(value: str) -> dt.datetime | None:
    """Parse a date or date-time as Informat accepts them; naive UTC, ``None`` if malformed.

    Accepted: ``yyyy-MM-dd``, ``yyyy-MM-ddTHH:mm[:ss[.fff]]`` (``T`` or a space), optionally
    followed by ``Z`` or an offset like ``+0100`` / ``+01:00`` (converted to UTC).
    """
    text = value.strip()
    try:
        match = _DATE_RE.match(text)
        if match is not None:
            return dt.datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _DATETIME_RE.match(text)
        if match is None:
            return None
        year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
        second = int(match.group(6) or 0)
        fraction = (match.group(7) or "0").ljust(6, "0")[:6]
        result = dt.datetime(year, month, day, hour, minute, second, int(fraction))
    except ValueError:
        return None
    zone = match.group(8)
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        result -= sign * offset
    return result


def parse_timestamp_header(value: str) -> dt.datetime | None:
    """Parse the ``Timestamp`` request header (``yyyy-MM-ddTHH:mm:ss[.fff][Z|+hhmm]``).

    Stricter than :func:`parse_datetime`: a time with seconds is required.
    """
    match = _DATETIME_RE.match(value.strip())
    if match is None or match.group(6) is None:
        return None
    return parse_datetime(value)


def utcnow() -> dt.datetime:
    """The current time as a naive UTC datetime (the fake's internal clock for change dates)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def format_date(day: dt.date, style: int = 0) -> str:
    """Format a date the way Informat does: ``yyyy-MM-ddT00:00:00`` (style 0) or ``yyyy-MM-dd``."""
    if style == 0:
        return f"{day.isoformat()}T00:00:00"
    return day.isoformat()


def wire_date(value: Any) -> dt.date | None:
    """Read a date field of a wire payload (either date format); ``None`` when null/invalid."""
    if not isinstance(value, str):
        return None
    parsed = parse_datetime(value)
    return None if parsed is None else parsed.date()


def get_ci(mapping: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """Case-insensitive key lookup, as ASP.NET model binding does."""
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for name, value in mapping.items():
        if name.lower() == lowered:
            return value
    return default


def set_ci(mapping: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` replacing an existing key of any case (keeping that key's spelling)."""
    lowered = key.lower()
    for name in mapping:
        if name.lower() == lowered:
            mapping[name] = value
            return
    mapping[key] = value


def _random_case(key: str, rng: random.Random) -> str:
    style = rng.randrange(6)
    if style == 0:
        return key
    if style == 1:
        return key.lower()
    if style == 2:
        return key.upper()
    if style == 3:
        return key[:1].upper() + key[1:]
    if style == 4:
        return key.swapcase()
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in key)


def randomize_key_case(value: Any, rng: random.Random) -> Any:
    """Return a copy of a JSON value with the case of every object key randomized."""
    if isinstance(value, dict):
        return {_random_case(k, rng): randomize_key_case(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [randomize_key_case(item, rng) for item in value]
    return value
