"""Client-side checks of the Student API's requests, and their wire bodies.

Every rule the client can check without the server's data is checked before sending, all
problems at once, each :class:`~informat_async.errors.Problem` carrying the code the server
would answer (``BR034B``...) and the snake_case field of the model; messages never repeat the
value. A value of the wrong Python type, or a text that is not a date or a GUID, is ``INPUT``
(the server has no documented code for it). What only the server knows (the student, the
admin group, the class, the location, school days, allowed absence codes, the student's age)
is left to it: those are the 409 answers.

"Not in the future" for an absence timestamp compares Belgian local time (Europe/Brussels,
what the API's "Western European Time" means in practice): a naive timestamp is taken as
Belgian wall-clock time, an aware one is converted to it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from typing import Any

from .errors import Problem
from .models.student_api import Absence, NewEnrollment

__all__ = [
    "BRUSSELS",
    "EXCLUDED_ADMGRPS",
    "RELIGION_CODES",
    "absence_body",
    "brussels_wall_clock",
    "enrollment_body",
    "id_problems",
    "link_class_body",
    "validate_absence",
    "validate_enrollment",
    "validate_link_class",
]

try:
    BRUSSELS: dt.tzinfo = zoneinfo.ZoneInfo("Europe/Brussels")
except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover - a system without a tz database
    # Summer time's offset: a timestamp that is not in the future here may still be refused
    # by the server (400 BR053B), but a valid one is never refused locally.
    BRUSSELS = dt.timezone(dt.timedelta(hours=2), "CEST")

#: The religion codes the API accepts (its ``religionCode`` enum).
RELIGION_CODES = frozenset({52, 63, 135, 136, 140, 187, 194, 225, 418, 9999})
#: Admin groups the API refuses (BR045): HBO5, 1A and 1B.
EXCLUDED_ADMGRPS = frozenset({"043905", "006246", "006247"})
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{2})")
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?")
_PROVIDER_MAX = 50
_INT32 = 2**31 - 1


def brussels_wall_clock(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: the current time) as naive Belgian local time."""
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BRUSSELS).replace(tzinfo=None)


# --- single fields ---------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _school_year(value: object, problems: list[Problem]) -> int | None:
    """The first year of a valid school year; problems BR034A/B otherwise."""
    if _blank(value):
        problems.append(Problem("BR034A", "school_year", "the school year is required"))
        return None
    match = _SCHOOL_YEAR.fullmatch(value) if isinstance(value, str) else None
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        problems.append(Problem(
            "BR034B", "school_year",
            "the school year must look like '2025-26', the second part the first year + 1",
        ))
        return None
    return int(match.group(1))


def _date(value: object, path: str, missing: str, problems: list[Problem]) -> dt.date | None:
    if _blank(value):
        problems.append(Problem(missing, path, f"the {path.replace('_', ' ')} is required"))
        return None
    if isinstance(value, dt.datetime):
        problems.append(Problem("INPUT", path, "must be a date, not a datetime"))
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        problems.append(Problem("INPUT", path, "must be a date like '2025-09-01'"))
        return None
    problems.append(Problem("INPUT", path, f"must be a date, got {type(value).__name__}"))
    return None


def _in_school_year(day: dt.date, first_year: int) -> bool:
    return dt.date(first_year, 9, 1) <= day <= dt.date(first_year + 1, 6, 30)


def _weekend(day: dt.date) -> bool:
    return day.weekday() >= 5 and (day.month, day.day) != (9, 1)


def _utf16_length(text: str) -> int:
    """Length as .NET counts it: a character outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object, path: str, missing: str, problems: list[Problem]) -> str | None:
    if _blank(value):
        problems.append(Problem(missing, path, f"the {path.replace('_', ' ')} is required"))
        return None
    if not isinstance(value, str):
        problems.append(Problem("INPUT", path, f"must be a text, got {type(value).__name__}"))
        return None
    return value


def _location(value: object, problems: list[Problem], *, required: bool) -> None:
    if value is None:
        if required:
            problems.append(Problem("INPUT", "location_id_discimus",
                                    "the Discimus location id is required"))
        return
    if not _is_int(value) or not 0 < value <= _INT32:  # type: ignore[operator]
        problems.append(Problem("INPUT", "location_id_discimus",
                                "must be a positive whole number (the Discimus location id)"))


# --- requests --------------------------------------------------------------------------------


def validate_enrollment(enrollment: NewEnrollment) -> list[Problem]:
    """Every problem of a :class:`NewEnrollment` the client can see, with the server's codes."""
    problems: list[Problem] = []
    if not isinstance(enrollment, NewEnrollment):
        return [Problem("INPUT", "enrollment",
                        f"must be a NewEnrollment, got {type(enrollment).__name__}")]
    first_year = _school_year(enrollment.school_year, problems)
    structure = enrollment.main_structure
    if _blank(structure):
        problems.append(Problem("BR043A", "main_structure", "the main structure is required"))
    elif structure != "311":
        problems.append(Problem("BR043B", "main_structure",
                                "the main structure must be '311' (secondary education)"))
    person = enrollment.person_id
    if _blank(person):
        problems.append(Problem("BR044", "person_id", "the person id is required"))
    elif not isinstance(person, uuid.UUID) and not (
        isinstance(person, str) and _GUID.fullmatch(person.strip())
    ):
        problems.append(Problem("INPUT", "person_id", "must be a GUID (uuid.UUID or str)"))
    admgrp = _text(enrollment.admgrp_no, "admgrp_no", "BR038A", problems)
    if admgrp is not None:
        if len(admgrp) != 6:
            problems.append(Problem("BR038B", "admgrp_no",
                                    "the admin group number must be exactly 6 characters"))
        elif admgrp in EXCLUDED_ADMGRPS:
            problems.append(Problem(
                "BR045", "admgrp_no",
                "the admin group may not be HBO5 (043905), 1A (006246) or 1B (006247)",
            ))
    start = _date(enrollment.start_date, "start_date", "BR046A", problems)
    if start is not None:
        if first_year is not None and not _in_school_year(start, first_year):
            problems.append(Problem(
                "BR046B", "start_date",
                "the start date must be within the school year (1 September - 30 June)",
            ))
        if _weekend(start):
            problems.append(Problem("BR046C", "start_date",
                                    "the start date may not be on a weekend unless 1 September"))
    religion = enrollment.religion_code
    if religion is not None and (not _is_int(religion) or religion not in RELIGION_CODES):
        problems.append(Problem("BR017", "religion_code", "must be one of "
                                + ", ".join(map(str, sorted(RELIGION_CODES)))))
    provider = _text(enrollment.name_external_provider, "name_external_provider", "BR047A",
                     problems)
    if provider is not None and _utf16_length(provider) > _PROVIDER_MAX:
        problems.append(Problem("BR047B", "name_external_provider",
                                f"must not exceed {_PROVIDER_MAX} characters"))
    _location(enrollment.location_id_discimus, problems, required=False)
    code = enrollment.class_code
    if code is not None and (not isinstance(code, str) or not code.strip()):
        problems.append(Problem("INPUT", "class_code",
                                "must be a class code, or None for no class"))
    returning = enrollment.is_returning_student
    if returning is not None and not isinstance(returning, bool):
        problems.append(Problem("INPUT", "is_returning_student", "must be True, False or None"))
    return problems


def validate_absence(absence: Absence, *, now: dt.datetime | None = None) -> list[Problem]:
    """Every problem of an :class:`Absence` the client can see, with the server's codes.

    ``now`` (default: the current time) is what "not in the future" compares with.
    """
    problems: list[Problem] = []
    if not isinstance(absence, Absence):
        return [Problem("INPUT", "absence", f"must be an Absence, got {type(absence).__name__}")]
    first_year = _school_year(absence.school_year, problems)
    _text(absence.absence_code, "absence_code", "BR050", problems)
    day = _date(absence.date, "date", "BR051A", problems)
    if day is not None and first_year is not None and not _in_school_year(day, first_year):
        problems.append(Problem("BR051B", "date",
                                "the date must be within the school year (1 September - 30 June)"))
    part = absence.part_of_day
    if _blank(part):
        problems.append(Problem("BR052", "part_of_day", "the part of day is required"))
    elif part not in ("VM", "NM"):
        problems.append(Problem("BR052B", "part_of_day", "must be 'VM' or 'NM'"))
    _location(absence.location_id_discimus, problems, required=True)
    stamp = _timestamp(absence.timestamp, problems)
    if stamp is not None and stamp > brussels_wall_clock(now):
        problems.append(Problem("BR053B", "timestamp",
                                "must not be in the future (Belgian local time)"))
    return problems


def id_problems(value: object, path: str, missing: str) -> list[Problem]:
    """A path parameter's GUID: ``missing`` when absent, ``INPUT`` when not a GUID."""
    if _blank(value):
        return [Problem(missing, path, f"the {path.replace('_', ' ')} is required")]
    if isinstance(value, uuid.UUID) or (isinstance(value, str) and _GUID.fullmatch(value.strip())):
        return []
    return [Problem("INPUT", path, "must be a GUID (uuid.UUID or str)")]


def validate_link_class(class_code: object, start_date: object) -> list[Problem]:
    """Every problem of a link-class request the client can see."""
    problems: list[Problem] = []
    _text(class_code, "class_code", "BR049A", problems)
    start = _date(start_date, "start_date", "BR046A", problems)
    if start is not None and _weekend(start):
        problems.append(Problem("BR046C", "start_date",
                                "the start date may not be on a weekend unless 1 September"))
    return problems


def _timestamp(value: object, problems: list[Problem]) -> dt.datetime | None:
    """The timestamp as naive Belgian local time."""
    if _blank(value):
        problems.append(Problem("BR053A", "timestamp", "the timestamp is required"))
        return None
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        problems.append(Problem("INPUT", "timestamp",
                                "must be a datetime like '2025-10-15T08:30:00'"))
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(BRUSSELS).replace(tzinfo=None)
    return moment


# --- wire bodies (of validated input) --------------------------------------------------------


def _iso_date(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else dt.date.fromisoformat(
        value.strip()).isoformat()


def _guid(value: uuid.UUID | str) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value.strip().strip("{}")))


def enrollment_body(enrollment: NewEnrollment) -> dict[str, Any]:
    """The JSON body of ``POST /enrollments/create`` (of a valid enrollment)."""
    return {
        "schoolYear": enrollment.school_year,
        "mainStructure": enrollment.main_structure,
        "personId": _guid(enrollment.person_id),
        "admgrpNo": enrollment.admgrp_no,
        "startDate": _iso_date(enrollment.start_date),
        "locationIdDiscimus": enrollment.location_id_discimus,
        "classCode": enrollment.class_code,
        "religionCode": enrollment.religion_code,
        "isReturningStudent": enrollment.is_returning_student,
        "nameExternalProvider": enrollment.name_external_provider,
    }


def absence_body(absence: Absence) -> dict[str, Any]:
    """The JSON body of ``PUT /students/{studentId}/absences`` (of a valid absence)."""
    stamp = _timestamp(absence.timestamp, [])
    assert stamp is not None  # validated
    return {
        "schoolYear": absence.school_year,
        "absenceCode": absence.absence_code,
        "date": _iso_date(absence.date),
        "partOfDay": absence.part_of_day,
        "locationIdDiscimus": absence.location_id_discimus,
        "timestamp": stamp.isoformat(timespec="seconds"),
    }


def link_class_body(class_code: str, start_date: dt.date | str) -> dict[str, Any]:
    """The JSON body of ``PUT /enrollments/{enrollmentId}/link-class``."""
    return {"classCode": class_code, "startDate": _iso_date(start_date)}
