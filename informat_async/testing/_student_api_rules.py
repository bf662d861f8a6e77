"""The Student API's 400 rules, on the JSON bodies the fake server receives.

Independent of the client's own checks (:mod:`informat_async._student_api_rules`), so each is
a test of the other. Every function returns ``(name, code, reason)`` triples, all of them.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from typing import Any

from ._util import get_ci, normalize_guid

__all__ = ["BRUSSELS", "Violation", "absence_errors", "enrollment_errors", "link_class_errors"]

Violation = tuple[str, str | None, str]
"""``(field name, code or None, reason)``: one ``validationErrors`` entry."""

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
RELIGION_CODES = frozenset({52, 63, 135, 136, 140, 187, 194, 225, 418, 9999})
EXCLUDED_ADMGRPS = {"043905": "HBO5", "006246": "1A", "006247": "1B"}
_SCHOOL_YEAR = re.compile(r"^\d{4}-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def school_year_start(value: Any) -> int | None:
    """The first year of a well-formed school year."""
    if not isinstance(value, str) or not _SCHOOL_YEAR.match(value):
        return None
    start = int(value[:4])
    return start if (start + 1) % 100 == int(value[5:]) else None


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def in_school_year(day: dt.date, start: int) -> bool:
    return dt.date(start, 9, 1) <= day <= dt.date(start + 1, 6, 30)


def weekend(day: dt.date) -> bool:
    return day.weekday() >= 5 and (day.month, day.day) != (9, 1)


def _school_year(body: Mapping[str, Any], errors: list[Violation]) -> int | None:
    value = get_ci(body, "schoolYear")
    if _missing(value):
        errors.append(("schoolYear", "BR034A", "School year is required."))
        return None
    start = school_year_start(value)
    if start is None:
        errors.append(("schoolYear", "BR034B",
                       "School year format is invalid. Expected format: yyyy-yy (e.g. 2025-26)."))
    return start


def _start_date(body: Mapping[str, Any], errors: list[Violation]) -> dt.date | None:
    value = get_ci(body, "startDate")
    if _missing(value):
        errors.append(("startDate", "BR046A", "Start date is required."))
        return None
    day = parse_date(value)
    if day is None:
        errors.append(("startDate", None, "The value could not be converted to a date."))
    elif weekend(day):
        errors.append(("startDate", "BR046C",
                       "Start date may not be on a weekend unless it is 1 September."))
    return day


def enrollment_errors(body: Mapping[str, Any]) -> list[Violation]:
    """The 400 answers to ``POST /enrollments/create``."""
    errors: list[Violation] = []
    start = _school_year(body, errors)
    structure = get_ci(body, "mainStructure")
    if _missing(structure):
        errors.append(("mainStructure", "BR043A", "Main structure is required."))
    elif structure != "311":
        errors.append(("mainStructure", "BR043B", "Main structure must be 311 (SO)."))
    person = get_ci(body, "personId")
    if _missing(person):
        errors.append(("personId", "BR044", "Person ID is required."))
    elif not isinstance(person, str) or normalize_guid(person) is None:
        errors.append(("personId", None, "The value could not be converted to a Guid."))
    admgrp = get_ci(body, "admgrpNo")
    if _missing(admgrp):
        errors.append(("admgrpNo", "BR038A", "Admin group number is required."))
    elif not isinstance(admgrp, str) or len(admgrp) != 6:
        errors.append(("admgrpNo", "BR038B", "Admin group number must be exactly 6 characters."))
    elif admgrp in EXCLUDED_ADMGRPS:
        errors.append(("admgrpNo", "BR045",
                       f"Admin group number may not be {EXCLUDED_ADMGRPS[admgrp]}."))
    errors_before = len(errors)
    day = _start_date(body, errors)
    if day is not None and start is not None and not in_school_year(day, start):
        errors.insert(errors_before, (
            "startDate", "BR046B",
            "Start date must be within the school year (1 September - 30 June).",
        ))
    religion = get_ci(body, "religionCode")
    if religion is not None and (
        isinstance(religion, bool) or not isinstance(religion, int)
        or religion not in RELIGION_CODES
    ):
        errors.append(("religionCode", "BR017", "Invalid religion code."))
    provider = get_ci(body, "nameExternalProvider")
    if _missing(provider):
        errors.append(("nameExternalProvider", "BR047A", "Name of external provider is required."))
    elif not isinstance(provider, str) or len(provider.encode("utf-16-le")) // 2 > 50:
        errors.append(("nameExternalProvider", "BR047B",
                       "Name of external provider must not exceed 50 characters."))
    location = get_ci(body, "locationIdDiscimus")
    if location is not None and (isinstance(location, bool) or not isinstance(location, int)):
        errors.append(("locationIdDiscimus", None, "The value could not be converted."))
    return errors


def link_class_errors(enrollment_id: str, body: Mapping[str, Any]) -> list[Violation]:
    """The 400 answers to ``PUT /enrollments/{enrollmentId}/link-class``."""
    errors: list[Violation] = []
    if normalize_guid(enrollment_id) is None:
        errors.append(("enrollmentId", "BR048", "Enrollment ID is required."))
    code = get_ci(body, "classCode")
    if _missing(code) or not isinstance(code, str):
        errors.append(("classCode", "BR049A", "classCode is required"))
    _start_date(body, errors)
    return errors


def absence_errors(body: Mapping[str, Any], now: dt.datetime) -> list[Violation]:
    """The 400 answers to ``PUT /students/{studentId}/absences`` (``now``: aware)."""
    errors: list[Violation] = []
    start = _school_year(body, errors)
    code = get_ci(body, "absenceCode")
    if _missing(code) or not isinstance(code, str):
        errors.append(("absenceCode", "BR050", "Absence code is required."))
    value = get_ci(body, "date")
    if _missing(value):
        errors.append(("date", "BR051A", "Date is required."))
    else:
        day = parse_date(value)
        if day is None:
            errors.append(("date", None, "The value could not be converted to a date."))
        elif start is not None and not in_school_year(day, start):
            errors.append(("date", "BR051B",
                           "Date must be within the school year (1 September - 30 June)."))
    part = get_ci(body, "partOfDay")
    if _missing(part):
        errors.append(("partOfDay", "BR052", "Part of day is required."))
    elif part not in ("VM", "NM"):
        errors.append(("partOfDay", "BR052B", "Part of day must be VM or NM."))
    location = get_ci(body, "locationIdDiscimus")
    if location is None or isinstance(location, bool) or not isinstance(location, int):
        errors.append(("locationIdDiscimus", None, "The locationIdDiscimus field is required."))
    stamp = get_ci(body, "timestamp")
    if _missing(stamp):
        errors.append(("timestamp", "BR053A", "Timestamp is required."))
    else:
        moment = parse_timestamp(stamp)
        if moment is None:
            errors.append(("timestamp", None, "The value could not be converted to a DateTime."))
        elif moment > now.astimezone(BRUSSELS).replace(tzinfo=None):
            errors.append(("timestamp", "BR053B",
                           "Timestamp must not be in the future (compared to Western European "
                           "Time)."))
    return errors


def parse_timestamp(value: Any) -> dt.datetime | None:
    """A request timestamp as naive Belgian local time (an offset, if sent, converted)."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(BRUSSELS).replace(tzinfo=None)
    return moment
