"""Local validation of Student API requests: every rule both ways, all problems at once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import attrs
import pytest

from informat_async import Absence, NewEnrollment, Problem
from informat_async._student_api_rules import (
    absence_body,
    enrollment_body,
    validate_absence,
    validate_enrollment,
    validate_link_class,
)

PERSON = uuid.UUID("11111111-2222-3333-4444-555555555555")
NOW = dt.datetime(2025, 10, 15, 12, 0, tzinfo=dt.UTC)  # 14:00 in Brussels (summer time)


def enrollment(**changes: Any) -> NewEnrollment:
    base = NewEnrollment("2025-26", PERSON, "123456", dt.date(2025, 9, 1), "Smartschool",
                         class_code="3A", religion_code=140, location_id_discimus=12,
                         is_returning_student=True)
    return attrs.evolve(base, **changes)


def absence(**changes: Any) -> Absence:
    base = Absence("2025-26", "B", dt.date(2025, 10, 15), "VM", 12345,
                   dt.datetime(2025, 10, 15, 8, 30))
    return attrs.evolve(base, **changes)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_a_valid_enrollment_has_no_problem() -> None:
    assert validate_enrollment(enrollment()) == []
    minimal = NewEnrollment("2025-26", str(PERSON).upper(), "123456", "2025-09-08", "X")
    assert validate_enrollment(minimal) == []


@pytest.mark.parametrize(("changes", "code", "path"), [
    ({"school_year": ""}, "BR034A", "school_year"),
    ({"school_year": None}, "BR034A", "school_year"),
    ({"school_year": "2025-2026"}, "BR034B", "school_year"),
    ({"school_year": "2025-27"}, "BR034B", "school_year"),
    ({"school_year": "25-26"}, "BR034B", "school_year"),
    ({"main_structure": ""}, "BR043A", "main_structure"),
    ({"main_structure": "211"}, "BR043B", "main_structure"),
    ({"person_id": ""}, "BR044", "person_id"),
    ({"person_id": None}, "BR044", "person_id"),
    ({"person_id": "not-a-guid"}, "INPUT", "person_id"),
    ({"admgrp_no": ""}, "BR038A", "admgrp_no"),
    ({"admgrp_no": "12345"}, "BR038B", "admgrp_no"),
    ({"admgrp_no": "1234567"}, "BR038B", "admgrp_no"),
    ({"admgrp_no": "043905"}, "BR045", "admgrp_no"),
    ({"admgrp_no": "006246"}, "BR045", "admgrp_no"),
    ({"admgrp_no": "006247"}, "BR045", "admgrp_no"),
    ({"start_date": None}, "BR046A", "start_date"),
    ({"start_date": "2025-13-01"}, "INPUT", "start_date"),
    ({"start_date": dt.datetime(2025, 9, 1, 8)}, "INPUT", "start_date"),
    ({"start_date": dt.date(2025, 8, 29)}, "BR046B", "start_date"),
    ({"start_date": dt.date(2026, 7, 1)}, "BR046B", "start_date"),
    ({"start_date": dt.date(2025, 9, 6)}, "BR046C", "start_date"),
    ({"start_date": "2025-09-07"}, "BR046C", "start_date"),
    ({"religion_code": 141}, "BR017", "religion_code"),
    ({"religion_code": True}, "BR017", "religion_code"),
    ({"religion_code": "140"}, "BR017", "religion_code"),
    ({"name_external_provider": ""}, "BR047A", "name_external_provider"),
    ({"name_external_provider": "  "}, "BR047A", "name_external_provider"),
    ({"name_external_provider": "x" * 51}, "BR047B", "name_external_provider"),
    ({"name_external_provider": "x" * 49 + "😀"}, "BR047B", "name_external_provider"),
    ({"location_id_discimus": "12"}, "INPUT", "location_id_discimus"),
    ({"location_id_discimus": 0}, "INPUT", "location_id_discimus"),
    ({"class_code": ""}, "INPUT", "class_code"),
    ({"is_returning_student": 1}, "INPUT", "is_returning_student"),
])
def test_each_enrollment_rule_refuses(changes: dict[str, Any], code: str, path: str) -> None:
    problems = validate_enrollment(enrollment(**changes))
    assert [(p.code, p.path) for p in problems] == [(code, path)]


@pytest.mark.parametrize("changes", [
    {"school_year": "2099-00"},  # the century turns
    {"start_date": dt.date(2026, 6, 30)},  # the last day
    {"start_date": dt.date(2025, 9, 8)},
    {"school_year": "2024-25", "start_date": dt.date(2024, 9, 1)},  # a Sunday, but 1 September
    *({"religion_code": code} for code in (52, 63, 135, 136, 140, 187, 194, 225, 418, 9999)),
    {"religion_code": None, "class_code": None, "location_id_discimus": None,
     "is_returning_student": None},
    {"name_external_provider": "x" * 50},
    {"admgrp_no": "006248"},
])
def test_each_enrollment_rule_accepts(changes: dict[str, Any]) -> None:
    if changes.get("school_year") == "2099-00":
        changes["start_date"] = dt.date(2099, 9, 1)
    assert validate_enrollment(enrollment(**changes)) == []


def test_all_problems_at_once_and_no_value_echoed() -> None:
    bad = NewEnrollment("2025-27", "85.07.30-033.61", "04390", "2025-09-06", "",
                        main_structure="211", religion_code=1)
    problems = validate_enrollment(bad)
    assert codes(problems) == ["BR034B", "BR043B", "INPUT", "BR038B", "BR046C", "BR017",
                               "BR047A"]
    assert all("85.07" not in str(p) and "033" not in str(p) for p in problems)


def test_not_an_enrollment() -> None:
    assert codes(validate_enrollment("x")) == ["INPUT"]  # type: ignore[arg-type]
    assert codes(validate_absence("x")) == ["INPUT"]  # type: ignore[arg-type]


def test_a_valid_absence_has_no_problem() -> None:
    assert validate_absence(absence(), now=NOW) == []
    assert validate_absence(absence(part_of_day="NM", timestamp="2025-10-15T08:30:00",
                                    date="2025-10-15"), now=NOW) == []


@pytest.mark.parametrize(("changes", "code", "path"), [
    ({"school_year": ""}, "BR034A", "school_year"),
    ({"school_year": "2025/26"}, "BR034B", "school_year"),
    ({"absence_code": ""}, "BR050", "absence_code"),
    ({"absence_code": None}, "BR050", "absence_code"),
    ({"absence_code": 7}, "INPUT", "absence_code"),
    ({"date": None}, "BR051A", "date"),
    ({"date": "15/10/2025"}, "INPUT", "date"),
    ({"date": dt.date(2025, 8, 31)}, "BR051B", "date"),
    ({"date": dt.date(2026, 7, 1)}, "BR051B", "date"),
    ({"part_of_day": ""}, "BR052", "part_of_day"),
    ({"part_of_day": "vm"}, "BR052B", "part_of_day"),
    ({"part_of_day": "MI"}, "BR052B", "part_of_day"),
    ({"location_id_discimus": None}, "INPUT", "location_id_discimus"),
    ({"location_id_discimus": 1.5}, "INPUT", "location_id_discimus"),
    ({"timestamp": None}, "BR053A", "timestamp"),
    ({"timestamp": ""}, "BR053A", "timestamp"),
    ({"timestamp": "yesterday"}, "INPUT", "timestamp"),
    ({"timestamp": dt.datetime(2025, 10, 15, 14, 1)}, "BR053B", "timestamp"),
    ({"timestamp": dt.datetime(2025, 10, 15, 12, 1, tzinfo=dt.UTC)}, "BR053B", "timestamp"),
])
def test_each_absence_rule_refuses(changes: dict[str, Any], code: str, path: str) -> None:
    problems = validate_absence(absence(**changes), now=NOW)
    assert [(p.code, p.path) for p in problems] == [(code, path)]


@pytest.mark.parametrize("changes", [
    {"date": dt.date(2025, 9, 1)},
    {"date": dt.date(2026, 6, 30)},
    {"part_of_day": "NM"},
    # Later than UTC's wall clock (12:00) but not than Brussels' (14:00): not in the future.
    {"timestamp": dt.datetime(2025, 10, 15, 13, 59)},
    {"timestamp": "2025-10-15T14:00:00"},
    {"timestamp": dt.datetime(2025, 10, 15, 11, 59, tzinfo=dt.UTC)},
    {"timestamp": "2025-10-15T13:00:00+01:00"},
])
def test_each_absence_rule_accepts(changes: dict[str, Any]) -> None:
    assert validate_absence(absence(**changes), now=NOW) == []


def test_winter_time_is_utc_plus_one() -> None:
    winter = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)  # 13:00 in Brussels
    ok = absence(date=dt.date(2026, 1, 15), timestamp=dt.datetime(2026, 1, 15, 13, 0))
    late = absence(date=dt.date(2026, 1, 15), timestamp=dt.datetime(2026, 1, 15, 13, 1))
    assert validate_absence(ok, now=winter) == []
    assert codes(validate_absence(late, now=winter)) == ["BR053B"]


def test_the_default_now_is_the_current_time() -> None:
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    problems = validate_absence(absence(date=future.date(), school_year="2025-26",
                                        timestamp=future))
    assert "BR053B" in codes(problems)


def test_absence_all_problems_at_once() -> None:
    bad = Absence("", "", None, "X", None, None)  # type: ignore[arg-type]
    assert codes(validate_absence(bad, now=NOW)) == [
        "BR034A", "BR050", "BR051A", "BR052B", "INPUT", "BR053A"]


def test_link_class_rules() -> None:
    assert validate_link_class("3A", dt.date(2025, 9, 8)) == []
    assert validate_link_class("3A", "2024-09-01") == []  # a Sunday, but 1 September
    assert codes(validate_link_class("", None)) == ["BR049A", "BR046A"]
    assert codes(validate_link_class("3A", dt.date(2025, 9, 6))) == ["BR046C"]


def test_wire_bodies() -> None:
    body = enrollment_body(enrollment(person_id="{" + str(PERSON).upper() + "}",
                                      start_date="2025-09-01"))
    assert body == {
        "schoolYear": "2025-26", "mainStructure": "311", "personId": str(PERSON),
        "admgrpNo": "123456", "startDate": "2025-09-01", "locationIdDiscimus": 12,
        "classCode": "3A", "religionCode": 140, "isReturningStudent": True,
        "nameExternalProvider": "Smartschool",
    }
    aware = dt.datetime(2025, 10, 15, 6, 30, tzinfo=dt.UTC)
    assert absence_body(absence(timestamp=aware)) == {
        "schoolYear": "2025-26", "absenceCode": "B", "date": "2025-10-15", "partOfDay": "VM",
        "locationIdDiscimus": 12345, "timestamp": "2025-10-15T08:30:00",
    }
