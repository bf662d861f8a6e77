"""The fake server's Student API on the wire: its 400 rules agree with the client's local
checks (each tests the other), ProblemDetails bodies, auth and routing."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import attrs
import pytest

from informat_async._student_api_rules import (
    absence_body,
    enrollment_body,
    validate_absence,
    validate_enrollment,
)
from informat_async.testing import FakeInformat

from .test_student_api import GRADE2, SECONDARY, absence, new_enrollment


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def token(server: FakeInformat, session: aiohttp.ClientSession) -> str:
    async with session.post(server.identity_url + "/connect/token", data={
        "grant_type": "client_credentials", "client_id": server.client_id,
        "client_secret": server.client_secret,
        "scope": f"api_informat_sas_leerlingen.leerlingen.{SECONDARY}"}) as resp:
        return str((await resp.json())["access_token"])


async def send(
    server: FakeInformat, session: aiohttp.ClientSession, method: str, path: str,
    body: Any = None, *, headers: dict[str, str] | None = None, raw: bytes | None = None,
) -> tuple[int, Any]:
    sent = {"Authorization": f"Bearer {await token(server, session)}",
            "instituteNo": SECONDARY}
    sent.update(headers or {})
    kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
    async with session.request(method, server.student_api_url + path, headers=sent,
                               **kwargs) as resp:
        text = await resp.read()
        return resp.status, (await resp.json(content_type=None)) if text else None


def server_codes(answer: Any) -> list[str | None]:
    return [e["code"] for e in answer["validationErrors"]]


ENROLLMENT_VARIANTS: list[dict[str, Any]] = [
    {"school_year": ""}, {"school_year": "2025-27"}, {"main_structure": ""},
    {"main_structure": "211"}, {"person_id": ""}, {"admgrp_no": ""}, {"admgrp_no": "12345"},
    {"admgrp_no": "043905"}, {"admgrp_no": "006246"}, {"admgrp_no": "006247"},
    {"start_date": ""}, {"start_date": "2025-08-29"}, {"start_date": "2026-07-01"},
    {"start_date": "2025-09-06"}, {"start_date": "2026-07-04"}, {"religion_code": 141},
    {"name_external_provider": ""}, {"name_external_provider": "x" * 51},
    {"name_external_provider": "x" * 49 + "😀"},
    {"school_year": "2025-27", "admgrp_no": "1", "main_structure": "3", "religion_code": 1,
     "start_date": "2025-09-07", "name_external_provider": ""},
    # accepted by both
    {"start_date": "2026-06-30"}, {"name_external_provider": "x" * 50}, {"religion_code": 9999},
    {"school_year": "2024-25", "start_date": "2024-09-01"},
]


def _body_of(enrollment: Any) -> dict[str, Any]:
    fields = {a.name: getattr(enrollment, a.name) for a in attrs.fields(type(enrollment))}
    return {
        "schoolYear": fields["school_year"], "mainStructure": fields["main_structure"],
        "personId": fields["person_id"], "admgrpNo": fields["admgrp_no"],
        "startDate": str(fields["start_date"]), "classCode": fields["class_code"],
        "religionCode": fields["religion_code"], "locationIdDiscimus": None,
        "nameExternalProvider": fields["name_external_provider"],
    }


@pytest.mark.parametrize("changes", ENROLLMENT_VARIANTS)
async def test_enrollment_rules_agree(
    server: FakeInformat, session: aiohttp.ClientSession, changes: dict[str, Any]
) -> None:
    enrollment = new_enrollment(**changes)
    local = [p.code for p in validate_enrollment(enrollment)]
    status, answer = await send(server, session, "POST", "/enrollments/create",
                                _body_of(enrollment))
    if local:
        assert status == 400
        assert server_codes(answer) == local
        assert answer["title"] == "One or more validation errors occurred."
        assert answer["detail"] == answer["validationErrors"][0]["reason"]
    else:
        assert status in (200, 409)  # valid: created, or a business rule


ABSENCE_VARIANTS: list[dict[str, Any]] = [
    {"school_year": ""}, {"school_year": "2025/26"}, {"absence_code": ""}, {"date": ""},
    {"date": "2025-08-31"}, {"date": "2026-07-01"}, {"part_of_day": ""},
    {"part_of_day": "vm"}, {"timestamp": ""},
    {"timestamp": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)).replace(tzinfo=None)},
    {"school_year": "", "absence_code": "", "date": "", "part_of_day": "X", "timestamp": ""},
    # accepted by both
    {"timestamp": dt.datetime.now(dt.UTC).replace(tzinfo=None)},  # the UTC wall clock: past
    {"part_of_day": "NM", "date": "2025-10-16"},
]


def _absence_json(value: Any) -> dict[str, Any]:
    return {
        "schoolYear": value.school_year, "absenceCode": value.absence_code,
        "date": str(value.date), "partOfDay": value.part_of_day,
        "locationIdDiscimus": value.location_id_discimus,
        "timestamp": value.timestamp.isoformat() if isinstance(value.timestamp, dt.datetime)
        else value.timestamp,
    }


@pytest.mark.parametrize("changes", ABSENCE_VARIANTS)
async def test_absence_rules_agree(
    server: FakeInformat, session: aiohttp.ClientSession, changes: dict[str, Any]
) -> None:
    value = absence(**changes)
    local = [p.code for p in validate_absence(value)]
    status, answer = await send(server, session, "PUT", f"/students/{GRADE2}/absences",
                                _absence_json(value))
    if local:
        assert status == 400
        assert server_codes(answer) == local
    else:
        assert status in (200, 204, 409)


async def test_the_server_compares_timestamps_in_brussels_time(
    server: FakeInformat, session: aiohttp.ClientSession
) -> None:
    # later than the UTC wall clock, earlier than Brussels' (always 1 or 2 hours ahead)
    stamp = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)).replace(tzinfo=None)
    body = absence_body(absence(timestamp=stamp.replace(microsecond=0)))
    status, _ = await send(server, session, "PUT", f"/students/{GRADE2}/absences", body)
    assert status == 200
    aware = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)).isoformat()
    status, answer = await send(server, session, "PUT", f"/students/{GRADE2}/absences",
                                {**body, "timestamp": aware})
    assert status == 400
    assert server_codes(answer) == ["BR053B"]


async def test_link_class_400_rules(server: FakeInformat, session: aiohttp.ClientSession) -> None:
    status, answer = await send(server, session, "PUT", "/enrollments/not-a-guid/link-class",
                                {"classCode": "", "startDate": "2025-09-06"})
    assert status == 400
    assert server_codes(answer) == ["BR048", "BR049A", "BR046C"]
    status, answer = await send(server, session, "PUT", f"/enrollments/{GRADE2}/link-class",
                                {"classCode": "5A"})
    assert server_codes(answer) == ["BR046A"]


async def test_bare_string_answer_and_key_case(
    server: FakeInformat, session: aiohttp.ClientSession
) -> None:
    body = {k.upper(): v for k, v in enrollment_body(new_enrollment()).items()}
    status, answer = await send(server, session, "POST", "/enrollments/create", body)
    assert status == 200
    assert isinstance(answer, str)
    assert answer.lower() in server.data.registration_ids(SECONDARY)


@pytest.mark.parametrize(("headers", "status"), [
    ({"Authorization": "Bearer nope"}, 401),
    ({"instituteNo": ""}, 400),
    ({"instituteNo": "654321"}, 403),
])
async def test_auth_and_header(
    server: FakeInformat, session: aiohttp.ClientSession, headers: dict[str, str], status: int
) -> None:
    got, answer = await send(server, session, "PUT", f"/students/{GRADE2}/absences",
                             absence_body(absence()), headers=headers)
    assert got == status
    assert answer["status"] == status
    assert server.student_api.absences == {}


async def test_routing_and_bodies(server: FakeInformat, session: aiohttp.ClientSession) -> None:
    assert (await send(server, session, "GET", "/enrollments/create"))[0] == 405
    assert (await send(server, session, "PUT", "/nothing/here", {}))[0] == 404
    status, answer = await send(server, session, "POST", "/enrollments/create", raw=b"{nope")
    assert status == 400
    assert answer["validationErrors"][0]["code"] is None


async def test_injected_fault_names_are_checked(server: FakeInformat) -> None:
    with pytest.raises(ValueError, match="unknown faults"):
        server.student_api.inject("boom")  # type: ignore[arg-type]


async def test_religion_is_carried_over_or_set(
    server: FakeInformat, session: aiohttp.ClientSession
) -> None:
    previous = next(r for r in server.data.institutes[SECONDARY].registrations.values()
                    if r["persoonId"].strip("{}").lower() == GRADE2)
    status, new_id = await send(server, session, "POST", "/enrollments/create",
                                enrollment_body(new_enrollment()))
    assert status == 200
    created = server.data.institutes[SECONDARY].registrations[new_id]
    assert created["levensbeschouwingCode"] == previous["levensbeschouwingCode"]
    status, new_id = await send(server, session, "POST", "/enrollments/create",
                                enrollment_body(new_enrollment(admgrp_no="038606",
                                                               class_code=None,
                                                               religion_code=187)))
    assert status == 200
    assert server.data.institutes[SECONDARY].registrations[new_id][
        "levensbeschouwingCode"] == "0187"
