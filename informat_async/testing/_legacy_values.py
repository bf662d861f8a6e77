"""Wire values and request parameters of the fake older webservices.

A row (:data:`Row`) maps element names to text, ``None`` being a null value. Here are the
formats the service writes (``dd/mm/yyyy`` strings, .NET ``dateTime`` with offset,
``Ja``/``Nee``, ``1``/``0``, ``true``/``false``), how it reads its date, structure and
``gewijzigdSinds`` parameters, and the fault it answers (:class:`LegacyFault`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ._util import get_ci, parse_datetime

Row = dict[str, str | None]

Group = tuple[str, list[Row]]
"""One pupil of a nested answer: its ``PPersoon`` and its items (maybe none)."""

_DMY_RE = re.compile(r"^(\d{1,2})\D(\d{1,2})\D(\d{4})$")


class LegacyFault(Exception):
    """A fault the fake service answers (a SOAP fault, or HTTP 500 text for form calls)."""

    def __init__(self, kind: str, message: str, *, client: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        """``"login"``, ``"institute"``, ``"input"`` or ``"operation"``."""
        self.message = message
        self.client = client
        """SOAP ``faultcode`` Client instead of Server."""


def parse_dmy(value: str, name: str) -> dt.date:
    """A parameter date: day-month-year with any separator (or ISO), as Informat reads it."""
    text = value.strip()
    match = _DMY_RE.match(text)
    try:
        if match is not None:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        parsed = parse_datetime(text) if len(text) > 10 else dt.date.fromisoformat(text)
        if parsed is None:
            raise ValueError(text)
        return parsed if not isinstance(parsed, dt.datetime) else parsed.date()
    except ValueError:
        raise LegacyFault("input", f"Ongeldige datum voor {name}: '{value}'") from None


def _parse_since(value: str) -> dt.datetime:
    text = value.strip()
    parts = text.split(" ", 1)
    if len(parts) == 2 and _DMY_RE.match(parts[0]):
        day = parse_dmy(parts[0], "gewijzigdSinds")
        try:
            clock = dt.time.fromisoformat(parts[1])
        except ValueError:
            raise LegacyFault("input", f"Ongeldige datum voor gewijzigdSinds: '{value}'") from None
        return dt.datetime.combine(day, clock)
    parsed = parse_datetime(text) if len(text) > 10 else None
    if parsed is not None:
        return parsed.replace(tzinfo=None)
    return dt.datetime.combine(parse_dmy(text, "gewijzigdSinds"), dt.time())


def dmy(day: dt.date | None) -> str | None:
    """``dd/mm/yyyy``: how the service writes dates held in string columns."""
    return None if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def _offset(moment: dt.datetime) -> dt.timezone:
    # Belgian time, close enough for a fake: summer time from April to October
    return dt.timezone(dt.timedelta(hours=2 if 4 <= moment.month <= 10 else 1))


def dotnet(moment: dt.datetime | dt.date | None) -> str | None:
    """A ``dateTime`` column as .NET writes it: local time with its offset."""
    if moment is None:
        return None
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
        return moment.replace(tzinfo=_offset(moment)).isoformat()
    utc = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return utc.astimezone(_offset(utc)).isoformat()


def ja(value: Any) -> str | None:
    return None if value is None else ("Ja" if value else "Nee")


def bit(value: Any) -> str | None:
    return None if value is None else ("1" if value else "0")


def truth(value: Any) -> str | None:
    return None if value is None else ("true" if value else "false")


def opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def opt_str_of(mapping: Mapping[str, Any] | None, key: str) -> str | None:
    return None if mapping is None else opt_str(get_ci(mapping, key))


def opt_date(params: Mapping[str, str], name: str) -> dt.date | None:
    value = params.get(name, "")
    return parse_dmy(value, name) if value.strip() else None


def structure_param(params: Mapping[str, str]) -> str | None:
    value = params.get("hoofdstructuur", "").strip()
    if value and not re.fullmatch(r"\d{3}", value):
        raise LegacyFault("input", f"Ongeldige hoofdstructuur '{value}'")
    return value or None


def since_param(params: Mapping[str, str]) -> dt.datetime | None:
    """``gewijzigdSinds`` as naive UTC (change times are kept so; a parameter is Belgian
    time), or None when empty."""
    text = params.get("gewijzigdSinds", "").strip()
    if not text:
        return None
    since = _parse_since(text)
    return since - (_offset(since).utcoffset(None) or dt.timedelta())
