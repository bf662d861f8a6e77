"""client.student_api against the fake server: the calls, the 409 rules, 204 and the empty
GUID, the round trip into /registrations, and nothing invalid ever sent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from informat_async import (
    Absence,
    AbsenceSaved,
    BadRequestError,
    ClassLinked,
    ConflictError,
    ForbiddenError,
    InformatClient,
    NewEnrollment,
    StudentApiValidationError,
)
from informat_async.families import STUDENT_API
from informat_async.testing import FakeInformat

from .conftest import SCHOOL_YEAR, make_client

SECONDARY = "123456"  # with seed 7: secondary education, one location (Discimus id 1)
PRIMARY = "654321"
GRADE2 = "cc13ebea-aec3-49f5-87ef-57a5b359a268"  # grade 2 (admgrp 040102, class 2B), age 13
INACTIVE = "b99e680c-b9b0-425c-8785-659b70ea99af"  # registration status 1
NOW = dt.datetime(2025, 10, 14, 9, 0)  # a Tuesday, in the past


@pytest.fixture
async def sa_client(server: FakeInformat) -> AsyncIterator[InformatClient]:
    async with make_client(server, student_api_url=server.student_api_url) as c:
        yield c


def new_enrollment(**changes: Any) -> NewEnrollment:
    values: dict[str, Any] = {
        "school_year": SCHOOL_YEAR, "person_id": GRADE2, "admgrp_no": "038505",
        "start_date": dt.date(2025, 10, 6), "name_external_provider": "Tests",
        "class_code": "5A",
    }
    values.update(changes)
    return NewEnrollment(**values)


def absence(**changes: Any) -> Absence:
    values: dict[str, Any] = {
        "school_year": SCHOOL_YEAR, "absence_code": "B", "date": dt.date(2025, 10, 14),
        "part_of_day": "VM", "location_id_discimus": 1, "timestamp": NOW,
    }
    values.update(changes)
    return Absence(**values)


def student_api_requests(server: FakeInformat) -> list[Any]:
    return [r for r in server.request_log if r.path.startswith("/api/v1/")]


def find(registrations: list[Any], enrollment_id: uuid.UUID) -> Any:
    found = [r for r in registrations if r.inschrijvings_id == enrollment_id]
    assert len(found) == 1
    return found[0]


async def test_create_link_and_see_it_in_registrations(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    created = await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert isinstance(created, uuid.UUID)
    registration = find(await sa_client.registrations(SECONDARY, SCHOOL_YEAR), created)
    assert registration.persoon_id == uuid.UUID(GRADE2)
    assert registration.nr_admgrp == "038505"
    assert registration.begindatum == dt.date(2025, 10, 6)
    assert [k.klas_code for k in registration.inschr_klassen] == ["5A"]

    linked = await sa_client.student_api.link_class(SECONDARY, created, "5B", "2025-11-03")
    assert linked.outcome == "linked"
    assert isinstance(linked.class_enrollment_id, uuid.UUID)
    registration = find(await sa_client.registrations(SECONDARY, SCHOOL_YEAR), created)
    classes = [(k.klas_code, k.begindatum, k.einddatum) for k in registration.inschr_klassen]
    assert classes == [("5A", dt.date(2025, 10, 6), dt.date(2025, 11, 2)),
                       ("5B", dt.date(2025, 11, 3), None)]
    assert registration.inschr_klassen[1].inschr_klas_id == linked.class_enrollment_id

    # the same class again, and an older start date: 204, nothing changes
    again = await sa_client.student_api.link_class(SECONDARY, created, "5B", "2025-11-10")
    older = await sa_client.student_api.link_class(SECONDARY, created, "5A", "2025-10-20")
    assert again == ClassLinked("unchanged", None)
    assert older == ClassLinked("unchanged", None)
    after = find(await sa_client.registrations(SECONDARY, SCHOOL_YEAR), created)
    assert after.inschr_klassen == registration.inschr_klassen


async def test_the_wire(sa_client: InformatClient, server: FakeInformat) -> None:
    await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment(class_code=None))
    (sent,) = student_api_requests(server)
    assert sent.method == "POST"
    assert sent.path == "/api/v1/enrollments/create"
    names = [name for name, _ in sent.headers]
    assert "instituteNo" in names
    assert "Timestamp" not in names
    assert dict(sent.headers)["instituteNo"] == SECONDARY


async def test_one_token_for_reads_and_the_student_api(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    await sa_client.registrations(SECONDARY, SCHOOL_YEAR)
    await sa_client.student_api.save_absence(SECONDARY, GRADE2, absence())
    assert server.stats.tokens_issued == 1


async def test_absence_created_unchanged_updated(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    api = sa_client.student_api
    created = await api.save_absence(SECONDARY, GRADE2, absence())
    assert created.outcome == "created"
    assert isinstance(created.absence_id, uuid.UUID)
    assert await api.save_absence(SECONDARY, GRADE2, absence()) == AbsenceSaved("unchanged")
    updated = await api.save_absence(SECONDARY, GRADE2, absence(absence_code="Z"))
    assert updated == AbsenceSaved("updated", None)
    assert server.student_api.absences_of(SECONDARY, GRADE2) == {
        (dt.date(2025, 10, 14), "VM"): "Z"}
    stored = server.student_api.absences[(SECONDARY, GRADE2, dt.date(2025, 10, 14), "VM")]
    assert stored.absence_id == str(created.absence_id)


async def test_mna007_newer_registration_by_the_school_wins(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    day = dt.date(2025, 10, 14)
    server.student_api.add_absence(SECONDARY, GRADE2, day, "NM", "Z", NOW + dt.timedelta(hours=5))
    with pytest.raises(ConflictError) as caught:
        await sa_client.student_api.save_absence(SECONDARY, GRADE2, absence(part_of_day="NM"))
    assert caught.value.codes == ("MNA007",)
    assert caught.value.details[0].name == "timestamp"
    # an older registration of the school's is overwritten: updated
    server.student_api.add_absence(SECONDARY, GRADE2, day, "VM", "Z", NOW - dt.timedelta(hours=1))
    saved = await sa_client.student_api.save_absence(SECONDARY, GRADE2, absence())
    assert saved.outcome == "updated"


async def _conflict(call: Any) -> ConflictError:
    with pytest.raises(ConflictError) as caught:
        await call
    return caught.value


@pytest.mark.parametrize(("changes", "code", "name"), [
    ({"person_id": str(uuid.UUID(int=5))}, "DNF002", "personId"),
    ({"school_year": "2024-25", "start_date": dt.date(2024, 9, 2)}, "DNF004", "instituteNo"),
    ({"admgrp_no": "999999"}, "DNF005", "admgrpNo"),
    ({"admgrp_no": "038505", "location_id_discimus": 7}, "DNF005", "admgrpNo"),
    ({"admgrp_no": "040102"}, "MNA006", "admgrpNo"),
    ({"class_code": "9Z"}, "DNF006", "classCode"),
    ({"class_code": "2B"}, "DNF006", "classCode"),  # a class of another year
])
async def test_create_conflicts(
    sa_client: InformatClient, changes: dict[str, Any], code: str, name: str
) -> None:
    error = await _conflict(
        sa_client.student_api.create_enrollment(SECONDARY, new_enrollment(**changes)))
    assert error.codes == (code,)
    assert error.details[0].name == name
    assert error.family == "student_api"


async def test_create_age_out_of_range(sa_client: InformatClient, server: FakeInformat) -> None:
    young = server.data.student_ids(PRIMARY)[0]
    error = await _conflict(sa_client.student_api.create_enrollment(
        PRIMARY, new_enrollment(person_id=young)))
    assert error.codes == ("DNF003",)


async def test_mna006_says_what_to_do(sa_client: InformatClient) -> None:
    error = await _conflict(sa_client.student_api.create_enrollment(
        SECONDARY, new_enrollment(admgrp_no="040102")))
    assert "probably succeeded" in str(error)
    assert "registrations(" in str(error)


async def test_link_conflicts(sa_client: InformatClient) -> None:
    api = sa_client.student_api
    error = await _conflict(api.link_class(SECONDARY, uuid.uuid4(), "5A", "2025-10-06"))
    assert error.codes == ("DNF007",)
    created = await api.create_enrollment(SECONDARY, new_enrollment())
    error = await _conflict(api.link_class(SECONDARY, created, "5B", "2025-09-08"))
    assert (error.codes, error.details[0].name) == (("BR046D",), "startDate")
    error = await _conflict(api.link_class(SECONDARY, created, "1A", "2025-10-13"))
    assert error.codes == ("DNF006",)


@pytest.mark.parametrize(("student", "changes", "code"), [
    (str(uuid.UUID(int=9)), {}, "DNF002"),
    (GRADE2, {"location_id_discimus": 2}, "DNF008"),
    (GRADE2, {"school_year": "2024-25", "date": dt.date(2024, 10, 14)}, "DNF008"),
    (GRADE2, {"date": dt.date(2025, 10, 11)}, "DNF009"),  # a Saturday
    (GRADE2, {"date": dt.date(2025, 10, 15), "part_of_day": "NM"}, "DNF009"),  # Wednesday pm
    (GRADE2, {"absence_code": "Q"}, "DNF010"),
    (INACTIVE, {}, "DNF011"),
])
async def test_absence_conflicts(
    sa_client: InformatClient, student: str, changes: dict[str, Any], code: str
) -> None:
    error = await _conflict(
        sa_client.student_api.save_absence(SECONDARY, student, absence(**changes)))
    assert error.codes == (code,)


async def test_holidays_are_no_school_days(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    server.student_api.holidays.add(dt.date(2025, 10, 14))
    error = await _conflict(sa_client.student_api.save_absence(SECONDARY, GRADE2, absence()))
    assert error.codes == ("DNF009",)


async def test_a_token_without_the_institute_s_scope_is_forbidden(
    server: FakeInformat,
) -> None:
    server.add_client("other", "secret-other",
                      scopes=["api_informat_sas_leerlingen.leerlingen.654321"])
    async with aiohttp.ClientSession() as session:
        async with session.post(server.identity_url + "/connect/token", data={
            "grant_type": "client_credentials", "client_id": "other",
            "client_secret": "secret-other",
            "scope": "api_informat_sas_leerlingen.leerlingen.654321"}) as resp:
            token = (await resp.json())["access_token"]
        async with session.put(
            f"{server.student_api_url}/students/{GRADE2}/absences",
            headers={"Authorization": f"Bearer {token}", "instituteNo": SECONDARY},
            json={}) as resp:
            assert resp.status == 403
            body = await resp.read()
    error = STUDENT_API.error(403, {}, body, now=NOW, institute=SECONDARY, endpoint="PUT x")
    assert isinstance(error, ForbiddenError)
    assert "permission" in str(error)


async def test_invalid_input_never_leaves_the_process(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    api = sa_client.student_api
    with pytest.raises(StudentApiValidationError) as caught:
        await api.create_enrollment(SECONDARY, new_enrollment(admgrp_no="006246",
                                                              start_date="2025-10-11"))
    assert caught.value.codes == ("BR045", "BR046C")
    with pytest.raises(StudentApiValidationError) as caught:
        await api.link_class(SECONDARY, "", "", "2025-10-11")
    assert caught.value.codes == ("BR048", "BR049A", "BR046C")
    future = dt.datetime.now() + dt.timedelta(days=2)
    with pytest.raises(StudentApiValidationError) as caught:
        await api.save_absence(SECONDARY, "nope", absence(part_of_day="AM", timestamp=future))
    assert caught.value.codes == ("INPUT", "BR052B", "BR053B")
    with pytest.raises(StudentApiValidationError):
        await api.save_absence(SECONDARY, GRADE2, absence(location_id_discimus=None))
    assert isinstance(caught.value, ValueError)
    assert server.request_log == type(server.request_log)(maxlen=server.request_log.maxlen)
    assert server.stats.token_requests == 0


async def test_namespace_validators(sa_client: InformatClient) -> None:
    api = sa_client.student_api
    assert api.validate_enrollment(new_enrollment()) == []
    assert [p.code for p in api.validate_enrollment(new_enrollment(main_structure="211"))] == [
        "BR043B"]
    assert api.validate_absence(absence()) == []
    stamp = dt.datetime(2025, 10, 14, 10, 30)
    assert [p.code for p in api.validate_absence(
        absence(timestamp=stamp), now=dt.datetime(2025, 10, 14, 8, 0, tzinfo=dt.UTC))] == [
        "BR053B"]


def test_from_env_reads_the_student_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFORMAT_CLIENT_ID", "id")
    monkeypatch.setenv("INFORMAT_CLIENT_SECRET", "secret")
    monkeypatch.setenv("INFORMAT_STUDENT_API_URL", "https://student.example/api/v1/")
    client = InformatClient.from_env()
    assert client.student_api_url == "https://student.example/api/v1"
    monkeypatch.delenv("INFORMAT_STUDENT_API_URL")
    assert InformatClient.from_env().student_api_url == (
        "https://studentapi.informatsoftware.be/api/v1")


def test_plain_http_student_api_url_is_refused() -> None:
    with pytest.raises(ValueError, match="student_api_url"):
        InformatClient("id", "secret", student_api_url="http://studentapi.example/api/v1")


async def test_a_400_from_the_server_is_a_bad_request_with_problems(
    server: FakeInformat,
) -> None:
    # An absence whose timestamp was valid when checked but is refused by the server's
    # clock is the one way a 400 reaches the client; simulate it with a too-strict server.
    import informat_async.testing._student_api as fake

    original = fake.absence_errors

    def strict(body: Any, now: dt.datetime) -> Any:
        return [*original(body, now), ("timestamp", "BR053B", "in the future")]

    fake.absence_errors = strict  # type: ignore[assignment]
    try:
        async with make_client(server, student_api_url=server.student_api_url) as c:
            with pytest.raises(BadRequestError) as caught:
                await c.student_api.save_absence(SECONDARY, GRADE2, absence())
    finally:
        fake.absence_errors = original
    assert caught.value.codes == ("BR053B",)
    assert caught.value.details[0].name == "timestamp"


async def test_readme_example_runs() -> None:
    from .test_readme import block_after

    namespace: dict[str, Any] = {}
    exec(block_after("## Student API: enrollments, classes and absences", "python"),  # noqa: S102
         namespace)
    assert await namespace["enroll_and_register_absence"]() == ("linked", "created", "unchanged")
