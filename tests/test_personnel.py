"""The personnel API (``client.personnel``) against the fake server over loopback: every
call, the headers and scopes, the error families, and the link with the legacy staff."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import aiohttp
import pytest

from informat_async import (
    AuthenticationError,
    BadRequestError,
    InformatClient,
    InterruptionWrite,
    InvalidInputError,
    MethodNotAllowedError,
    NotFoundError,
    ResponseValidationError,
    RLType,
)
from informat_async.families import PERSONNEL
from informat_async.testing import FakeInformat, Faults
from informat_async.testing._personnel_data import PersonnelInstitute
from tests.conftest import SCHOOL_YEAR, make_client

INST = "123456"
OTHER = "654321"


def personnel_client(server: FakeInformat, **kwargs: object) -> InformatClient:
    return make_client(server, personnel_url=server.personnel_url, **kwargs)


@pytest.fixture
async def staff_client(server: FakeInformat) -> AsyncIterator[InformatClient]:
    async with personnel_client(server) as c:
        yield c


def truth(server: FakeInformat, number: str = INST) -> PersonnelInstitute:
    return server.personnel.institute(number)


def sick_leave(truth_: PersonnelInstitute, begin: dt.date, days: int = 2,
               **changes: object) -> InterruptionWrite:
    fields: dict[str, object] = {
        "schooljaar": SCHOOL_YEAR, "hfd": truth_.structures[0], "code": "1",
        "begindatum": begin, "einddatum": begin + dt.timedelta(days=days), "afzender": "tests",
    }
    fields.update(changes)
    return InterruptionWrite(**fields)  # type: ignore[arg-type]


def free_day(truth_: PersonnelInstitute, person: str) -> dt.date:
    """A day in the school year on which ``person`` has no interruption."""
    taken = [(dt.date.fromisoformat(i["begindatum"][:10]), dt.date.fromisoformat(
        i["einddatum"][:10])) for i in truth_.interruptions.values() if i["personId"] == person]
    day = dt.date(2026, 3, 2)
    while any(b <= day + dt.timedelta(days=3) and day <= e for b, e in taken):
        day += dt.timedelta(days=7)
    return day


# --- reads ---------------------------------------------------------------------------------


async def test_employees_are_the_legacy_staff(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    employees = await staff_client.personnel.employees(INST, SCHOOL_YEAR)
    legacy = server.legacy.data.institute(INST).staff
    assert {e.p_persoon for e in employees} == {int(str(r["p_persoon"])) for r in legacy}
    by_p = {str(r["p_persoon"]): r for r in legacy}
    for employee in employees:
        row = by_p[str(employee.p_persoon)]
        assert (employee.naam, employee.voornaam, employee.stamnr) == (
            row["Naam"], row["Voornaam"], row["Stamnummer"])
        assert employee.rijksregisternr == row["Rijksregnr"]
        assert employee.bank is not None
        assert employee.bank.iban == row["Iban"]
        assert employee.nick_name == row["Voornaam"]  # nickName and nickname both read
        assert str(employee.person_id) in truth(server).employees
        assert employee.personeelsgroepen[0].naam == server.legacy.data.institute(
            INST).staff_groups[str(employee.p_persoon)]


async def test_employee_ids_are_sent_lower_case_and_hyphenated(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    person = next(iter(truth(server).employees))
    asked = "{" + person.upper().replace("-", "") + "}"
    employee = await staff_client.personnel.employee(INST, asked, SCHOOL_YEAR, structure="311")
    assert str(employee.person_id) == person
    assert server.request_log[-1].path == f"/personeel/employees/{person}"
    assert server.request_log[-1].query == {"schoolYear": SCHOOL_YEAR, "structure": "311"}


async def test_every_request_carries_the_version_and_institute_but_no_timestamp(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    p = staff_client.personnel
    data = truth(server)
    person = next(iter(data.employees))
    number, doc = next(iter(data.documents.items()))
    iid = uuid.uuid4()
    await p.employees(INST, SCHOOL_YEAR)
    await p.assignments(INST, SCHOOL_YEAR)
    await p.save_interruption(INST, person, iid, sick_leave(data, free_day(data, person)))
    await p.delete_interruption(INST, iid)
    await p.document_pdf(INST, doc["personId"], number)
    await p.submit_signed_document(INST, doc["personId"], number, status="Bekeken",
                                   at=dt.datetime.now(dt.UTC))
    requests = [r for r in server.request_log if r.path.startswith("/personeel")]
    assert [r.method for r in requests] == ["GET", "GET", "PUT", "DELETE", "GET", "POST"]
    for request in requests:
        headers = dict(request.headers)
        assert headers["Api-Version"] == "2"
        assert headers["InstituteNo"] == INST
        assert "Timestamp" not in headers


async def test_changed_since_is_passed_on_only_when_asked(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    await staff_client.personnel.employees(INST, SCHOOL_YEAR)
    assert "changedSince" not in server.request_log[-1].query
    await staff_client.personnel.employees(
        INST, SCHOOL_YEAR, changed_since=dt.datetime(2025, 10, 1, 12, 30))
    assert server.request_log[-1].query["changedSince"] == "2025-10-01T12:30:00.000"
    await staff_client.personnel.employees(
        INST, SCHOOL_YEAR,
        changed_since=dt.datetime(2025, 10, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert server.request_log[-1].query["changedSince"] == "2025-10-01T10:30:00.000Z"


def test_the_personnel_url_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INFORMAT_CLIENT_ID", "id")
    monkeypatch.setenv("INFORMAT_CLIENT_SECRET", "secret")
    monkeypatch.delenv("INFORMAT_PERSONNEL_URL", raising=False)
    assert InformatClient.from_env().personnel_url == "https://personeelsapi.informatsoftware.be"
    monkeypatch.setenv("INFORMAT_PERSONNEL_URL", "https://staff.example.be/")
    client = InformatClient.from_env()
    assert client.personnel_url == "https://staff.example.be"
    assert client._base_url(PERSONNEL) == "https://staff.example.be"  # no version segment


def test_plain_http_to_a_remote_personnel_host_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        InformatClient("id", "secret", personnel_url="http://staff.example.be")


async def test_another_school_year_is_empty(staff_client: InformatClient) -> None:
    assert await staff_client.personnel.employees(INST, "2024-25") == []


async def test_assignments_link_replacements_to_interruptions(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    assignments = await staff_client.personnel.assignments(INST, SCHOOL_YEAR)
    interruptions = await staff_client.personnel.interruptions(INST, SCHOOL_YEAR)
    assert len(assignments) == len(server.legacy.data.institute(INST).assignments)
    do_ids = {i.do_id for i in interruptions}
    replacements = [r for a in assignments for r in a.vervangingen]
    assert len(replacements) == len(server.legacy.data.institute(INST).replacements)
    assert all(r.do_id in do_ids for r in replacements)
    assert {a.p_opdracht for a in assignments} == {
        int(str(r["POpdr"])) for r in server.legacy.data.institute(INST).assignments}


async def test_interruptions_diplomas_and_own_fields_of_everyone_and_of_one(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    p = staff_client.personnel
    everyone = await p.interruptions(INST, SCHOOL_YEAR)
    assert {str(i.do_id) for i in everyone} == set(truth(server).interruptions)
    person = everyone[0].person_id
    assert person is not None
    own = await p.interruptions(INST, SCHOOL_YEAR, person_id=str(person).upper())
    assert own == [i for i in everyone if i.person_id == person]
    assert server.request_log[-1].path == f"/personeel/employees/{person}/interruptions"

    diplomas = await p.diplomas(INST, SCHOOL_YEAR)
    assert len(diplomas) == len(truth(server).diplomas)
    assert await p.diplomas(INST, SCHOOL_YEAR, person_id=person) == [
        d for d in diplomas if d.person_id == person]

    fields = await p.own_fields(INST, SCHOOL_YEAR)
    assert len(fields) == len(truth(server).own_fields)
    values = {(str(f.person_id), f.naam): f.waarde for f in fields}
    for raw in truth(server).own_fields:  # waarde keeps its JSON type: str, bool or int
        value = values[(raw["personId"], raw["naam"])]
        assert value == raw["waarde"]
        assert type(value) is type(raw["waarde"])
    assert {type(v) for v in values.values()} == {str, bool, int}
    assert await p.own_fields(INST, SCHOOL_YEAR, person_id=person) == [
        f for f in fields if f.person_id == person]


async def test_structure_filters_interruptions(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    p = staff_client.personnel
    assert await p.interruptions(INST, SCHOOL_YEAR, structure="999") == []
    structure = truth(server).structures[0]
    assert len(await p.interruptions(INST, SCHOOL_YEAR, structure=structure)) == len(
        truth(server).interruptions)


async def test_photos_as_bytes_and_one_photo(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    photos = await staff_client.personnel.photos(INST, SCHOOL_YEAR)
    assert len(photos) == len(truth(server).employees)
    assert "structure" not in server.request_log[-1].query
    assert sum(1 for p in photos if p.photo == b"") == 1  # a blank photo is empty bytes
    full = next(p for p in photos if p.photo)
    assert full.photo.startswith(b"\xff\xd8")
    assert full.person_id is not None
    one = await staff_client.personnel.photo(INST, full.person_id)
    assert one == full
    assert "bytes>" in repr(one)
    assert "\\xff" not in repr(one)


async def test_documents_by_type_and_reference_date(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    p = staff_client.personnel
    default = await p.documents(INST, SCHOOL_YEAR)
    assert {d.rl_type for d in default} == {RLType.RL1, RLType.RL2}
    assert server.request_log[-1].path == "/personeel/employees/documents"
    assert server.request_log[-1].query["rlType"] == "RL1"
    two = await p.documents(INST, SCHOOL_YEAR, rl_types=("RL2", "RL4"))
    assert {d.rl_type for d in two} == {RLType.RL2, RLType.RL4}  # rlType repeated
    every = await p.documents(INST, SCHOOL_YEAR, rl_types=("RL1", "rl2", RLType.RL4))
    assert len(every) == len(truth(server).documents)
    rl2 = [d for d in every if d.rl_type is RLType.RL2]
    assert rl2
    assert all(d.rl1_ingangsdatum is None for d in rl2)
    day = dt.date(2025, 11, 1)
    recent = await p.documents(INST, SCHOOL_YEAR, rl_types=["RL1", "RL2", "RL4"],
                               reference_date=day)
    assert server.request_log[-1].query["referencedate"] == "2025-11-01"
    assert {d.document_id for d in recent} == {
        d.document_id for d in every
        if d.edison_status_gewijzigd_op is not None
        and d.edison_status_gewijzigd_op.date() >= day}
    assert len(recent) < len(every)


async def test_document_pdf_is_raw_bytes(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    number, doc = next(iter(truth(server).documents.items()))
    pdf = await staff_client.personnel.document_pdf(INST, doc["personId"], number)
    assert pdf == truth(server).pdfs[number]
    assert pdf.startswith(b"%PDF")


# --- errors, scopes, tokens, faults -------------------------------------------------------


async def test_unknown_and_malformed_ids_give_the_references_codes(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    p = staff_client.personnel
    with pytest.raises(NotFoundError) as missing:
        await p.employee(INST, uuid.uuid4(), SCHOOL_YEAR)
    assert missing.value.codes == ("BR014",)
    assert missing.value.details[0].description == "No employee found for the PersonId"
    with pytest.raises(BadRequestError) as unknown:
        await p.delete_interruption(INST, uuid.uuid4())
    assert unknown.value.codes == ("BR018",)
    person = next(iter(truth(server).employees))
    with pytest.raises(BadRequestError) as no_employee:
        await p.save_interruption(INST, uuid.uuid4(), uuid.uuid4(),
                                  sick_leave(truth(server), dt.date(2026, 2, 2)))
    assert no_employee.value.codes == ("BR014",)
    with pytest.raises(NotFoundError):
        await p.document_pdf(INST, person, 1)


async def test_a_client_without_the_personnel_scope_gets_no_token(
    server: FakeInformat,
) -> None:
    server.add_client("pupils-only", "s3cret", scopes=server.scopes_for(INST))
    async with InformatClient(
        "pupils-only", "s3cret", api_url=server.api_url, identity_url=server.identity_url,
        personnel_url=server.personnel_url, rate_limit=None,
    ) as pupils_only:
        assert await pupils_only.students(INST, SCHOOL_YEAR)
        with pytest.raises(AuthenticationError):
            await pupils_only.personnel.employees(INST, SCHOOL_YEAR)
    assert not [r for r in server.request_log if r.path.startswith("/personeel")]


async def token_for(server: FakeInformat, session: aiohttp.ClientSession, scope: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": server.client_id,
            "client_secret": server.client_secret, "scope": scope}
    async with session.post(f"{server.identity_url}/connect/token", data=form) as response:
        assert response.status == 200
        token: str = (await response.json())["access_token"]
    return token


async def test_the_fake_checks_the_scope_and_the_institute_header(
    server: FakeInformat,
) -> None:
    url = server.personnel_url + "/employees"
    params = {"schoolYear": SCHOOL_YEAR}
    async with aiohttp.ClientSession() as session:
        token = await token_for(server, session, server.personnel.scope_for(OTHER))
        bearer = {"Authorization": f"Bearer {token}", "Api-Version": "2"}
        async with session.get(url, params=params,
                               headers={**bearer, "InstituteNo": OTHER}) as response:
            assert response.status == 200
        async with session.get(url, params=params,
                               headers={**bearer, "InstituteNo": INST}) as response:
            assert response.status == 403  # the token has no scope for this institute
        async with session.get(url, params=params, headers=bearer) as response:
            assert response.status == 400
            body = await response.json()
        assert "InstituteNo" in body["errors"][0]["Message"]
        async with session.get(url, params=params,
                               headers={"InstituteNo": OTHER}) as response:
            assert response.status == 401


async def test_pupils_and_staff_share_the_identity_server_one_token_per_scope(
    server: FakeInformat, staff_client: InformatClient
) -> None:
    await staff_client.students(INST, SCHOOL_YEAR)
    await staff_client.personnel.employees(INST, SCHOOL_YEAR)
    await staff_client.personnel.assignments(INST, SCHOOL_YEAR)
    await staff_client.students(INST, SCHOOL_YEAR)
    assert staff_client.stats.token_requests == 2
    await staff_client.personnel.employees(OTHER, SCHOOL_YEAR)
    assert staff_client.stats.token_requests == 3


async def test_faults_apply_and_are_retried(server: FakeInformat) -> None:
    server.faults = Faults(p_503=0.3, p_reset=0.1, p_truncate=0.1, seed=11,
                           endpoints={"employees", "employee_assignments"})
    async with personnel_client(server) as client:
        for _ in range(4):
            employees = await client.personnel.employees(INST, SCHOOL_YEAR)
            assert len(employees) == len(truth(server).employees)
            assert len(await client.personnel.assignments(INST, SCHOOL_YEAR)) == len(
                truth(server).assignments)
    assert sum(server.stats.faults[k] for k in ("503", "reset", "truncate")) > 0
    assert client.stats.retries > 0


async def test_random_key_case_decodes_the_same(server: FakeInformat) -> None:
    async with personnel_client(server) as client:
        plain = await client.personnel.employees(INST, SCHOOL_YEAR)
        plain_docs = await client.personnel.documents(INST, SCHOOL_YEAR)
        server.key_case = "random"
        assert await client.personnel.employees(INST, SCHOOL_YEAR) == plain
        assert await client.personnel.documents(INST, SCHOOL_YEAR) == plain_docs
        with pytest.raises(MethodNotAllowedError) as caught:  # error keys in any case too
            await client.personnel.delete_interruption(INST, next(iter(
                truth(server).interruptions)))
    assert caught.value.codes == ("MNA008",)


async def test_an_answer_about_someone_else_is_refused(server: FakeInformat) -> None:
    data = truth(server)
    first, second = list(data.employees)[:2]
    data.employees[first] = dict(data.employees[second])  # the server mixes them up
    async with personnel_client(server) as client:
        with pytest.raises(ResponseValidationError):
            await client.personnel.employee(INST, first, SCHOOL_YEAR)
