"""Personnel writes: checked before anything is sent (every problem at once, as a
``WriteValidationError``, an ``InvalidInputError``; the fake server sees no request), and
sent to the fake server, which enforces the reference's rules (MNA codes, overlaps)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from informat_async import (
    BadRequestError,
    InformatClient,
    InterruptionWrite,
    InvalidInputError,
    MethodNotAllowedError,
    SigningStatus,
    WriteValidationError,
)
from informat_async.personnel import MAX_ATTACHMENT_BYTES, check_interruption
from informat_async.testing import FakeInformat, Faults
from tests.conftest import SCHOOL_YEAR, make_client
from tests.test_personnel import free_day, sick_leave, truth

INST = "123456"
PERSON = uuid.UUID("11111111-2222-3333-4444-555555555555")


@pytest.fixture
async def staff(server: FakeInformat) -> AsyncIterator[InformatClient]:
    async with make_client(server, personnel_url=server.personnel_url) as client:
        yield client


def write(**changes: Any) -> InterruptionWrite:
    fields: dict[str, Any] = {
        "schooljaar": SCHOOL_YEAR, "hfd": "311", "code": "1",
        "begindatum": dt.date(2026, 2, 2), "einddatum": dt.date(2026, 2, 4),
        "afzender": "tests",
    }
    fields.update(changes)
    return InterruptionWrite(**fields)


def nothing_sent(server: FakeInformat) -> bool:
    return len(server.request_log) == 0


@pytest.mark.parametrize(("changes", "code"), [
    ({"schooljaar": ""}, "BR004A"),
    ({"schooljaar": "2025-2026"}, "BR004B"),
    ({"hfd": None}, "BR005A"),
    ({"hfd": "31"}, "BR005B"),
    ({"code": " "}, "BR006A"),
    ({"begindatum": None}, "BR007A"),
    ({"einddatum": None}, "BR008A"),
    ({"einddatum": dt.date(2026, 2, 1)}, "BR008B"),
    ({"opmerking": "x" * 51}, "BR009"),
    ({"naam_geneesheer": "x" * 76}, "BR010"),
    ({"telefoon_geneesheer": "0" * 21}, "BR011"),
    ({"afzender": ""}, "BR012A"),
    ({"afzender": "x" * 51}, "BR012B"),
    ({"instelnr": "1234567"}, "BR003A"),
    ({"instelnr": "654321"}, "BR013"),
    ({"mag_woonst_verlaten": "ja"}, "INPUT"),
    ({"begindatum": "2026-02-02"}, "INPUT"),
])
async def test_each_interruption_rule_is_checked_before_sending(
    server: FakeInformat, staff: InformatClient, changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(WriteValidationError) as caught:
        await staff.personnel.save_interruption(INST, PERSON, uuid.uuid4(), write(**changes))
    assert caught.value.codes == (code,)
    assert isinstance(caught.value, InvalidInputError)
    assert nothing_sent(server)


async def test_the_limits_themselves_are_allowed() -> None:
    assert check_interruption(write(opmerking="x" * 50, naam_geneesheer="x" * 75,
                                    telefoon_geneesheer="0" * 20, afzender="x" * 50,
                                    einddatum=dt.date(2026, 2, 2), instelnr=INST,
                                    mag_woonst_verlaten=True), INST) == []


async def test_every_problem_is_reported_at_once_without_echoing_values(
    server: FakeInformat, staff: InformatClient
) -> None:
    secret_remark = "80010112345 " + "x" * 60
    bad = write(hfd="3111", afzender="", opmerking=secret_remark,
                einddatum=dt.date(2026, 1, 1), schooljaar="2025")
    with pytest.raises(WriteValidationError) as caught:
        await staff.personnel.save_interruption(INST, PERSON, uuid.uuid4(), bad)
    assert set(caught.value.codes) == {"BR004B", "BR005B", "BR008B", "BR012A", "BR009"}
    assert {p.path for p in caught.value.problems} == {
        "schooljaar", "hfd", "einddatum", "afzender", "opmerking"}
    assert "80010112345" not in str(caught.value)
    assert "xxxx" not in str(caught.value)
    assert nothing_sent(server)


async def test_a_write_that_is_not_an_interruption_write_is_refused(
    server: FakeInformat, staff: InformatClient
) -> None:
    with pytest.raises(InvalidInputError):
        await staff.personnel.save_interruption(
            INST, PERSON, uuid.uuid4(), {"schooljaar": SCHOOL_YEAR})  # type: ignore[arg-type]
    assert nothing_sent(server)


@pytest.mark.parametrize(("filename", "size", "codes"), [
    ("", 10, ("BR016A",)),
    ("x" * 97 + ".pdf", 10, ("BR016B",)),
    ("attest.pdf", 0, ("BR017A",)),
    ("attest.pdf", MAX_ATTACHMENT_BYTES + 1, ("BR017B",)),
    ("", MAX_ATTACHMENT_BYTES + 1, ("BR016A", "BR017B")),
])
async def test_attachment_rules_are_checked_before_sending(
    server: FakeInformat, staff: InformatClient, filename: str, size: int,
    codes: tuple[str, ...],
) -> None:
    with pytest.raises(WriteValidationError) as caught:
        await staff.personnel.save_interruption_attachment(
            INST, uuid.uuid4(), uuid.uuid4(), filename, b"x" * size)
    assert caught.value.codes == codes
    assert nothing_sent(server)


async def test_an_attachment_of_exactly_ten_megabytes_is_sent(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = server.personnel.institute(INST)
    person = next(iter(data.employees))
    iid, aid = uuid.uuid4(), uuid.uuid4()
    await staff.personnel.save_interruption(
        INST, person, iid, write(hfd=data.structures[0], begindatum=dt.date(2026, 8, 3),
                                 einddatum=dt.date(2026, 8, 4)))
    content = b"%" * MAX_ATTACHMENT_BYTES  # the limit is on the file, before base64
    await staff.personnel.save_interruption_attachment(INST, iid, aid, "scan.pdf", content)
    assert len(data.attachments[str(aid)]["content"]) == MAX_ATTACHMENT_BYTES


@pytest.mark.parametrize(("kwargs", "paths"), [
    ({"status": "Ondertekend", "at": dt.datetime.now(dt.UTC)}, {"pdf"}),
    ({"status": "Getekend", "at": dt.datetime.now(dt.UTC)}, {"status"}),
    ({"status": "Bekeken", "at": dt.datetime(2026, 1, 1, 12, 0)}, {"at"}),
    ({"status": "Bekeken", "at": "2026-01-01T12:00:00Z"}, {"at"}),
    ({"status": 3, "at": None, "pdf": "not bytes"}, {"status", "at", "pdf"}),
    ({"status": "Ondertekend", "at": dt.datetime.now(dt.UTC), "pdf": b""}, {"pdf"}),
])
async def test_signed_document_reports_are_checked_before_sending(
    server: FakeInformat, staff: InformatClient, kwargs: dict[str, Any], paths: set[str]
) -> None:
    with pytest.raises(WriteValidationError) as caught:
        await staff.personnel.submit_signed_document(INST, PERSON, 5, **kwargs)
    assert {p.path for p in caught.value.problems} == paths
    assert nothing_sent(server)


@pytest.mark.parametrize("call", [
    lambda p: p.employees("1234567", SCHOOL_YEAR),
    lambda p: p.employees(INST, "2025-27"),
    lambda p: p.employees(INST, SCHOOL_YEAR, structure="31"),
    lambda p: p.employees(INST, SCHOOL_YEAR, changed_since="yesterday"),
    lambda p: p.employee(INST, "not-a-guid", SCHOOL_YEAR),
    lambda p: p.interruptions(INST, SCHOOL_YEAR, person_id=12),
    lambda p: p.photo(INST, "80010112345"),
    lambda p: p.documents(INST, SCHOOL_YEAR, rl_types=("RL3",)),
    lambda p: p.documents(INST, SCHOOL_YEAR, rl_types=()),
    lambda p: p.documents(INST, SCHOOL_YEAR, reference_date="01/11/2025"),
    lambda p: p.document_pdf(INST, PERSON, "5"),
    lambda p: p.document_pdf(INST, PERSON, True),
    lambda p: p.delete_interruption(INST, "{1234}"),
    lambda p: p.delete_interruption_attachment(INST, PERSON, None),
])
async def test_bad_arguments_are_refused_before_sending(
    server: FakeInformat, staff: InformatClient, call: Any
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await call(staff.personnel)
    assert "80010112345" not in str(caught.value)
    assert nothing_sent(server)


async def test_ids_in_any_form_are_sent_plain_and_hyphenated(
    server: FakeInformat, staff: InformatClient
) -> None:
    iid = uuid.UUID("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
    for form in (iid, str(iid).upper(), "{" + str(iid) + "}", iid.hex):
        with pytest.raises(BadRequestError) as caught:  # the fake does not know the id
            await staff.personnel.delete_interruption(INST, form)
        assert caught.value.codes == ("BR018",)
    assert {r.path for r in server.request_log if r.path.startswith("/personeel")} == {
        f"/personeel/employees/interruptions/{iid}"}


# --- writes against the fake server ------------------------------------------------------


async def test_an_interruption_is_saved_updated_and_deleted(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = truth(server)
    person = next(iter(data.employees))
    day = free_day(data, person)
    iid = uuid.uuid4()
    p = staff.personnel
    await p.save_interruption(INST, person, str(iid).upper(), sick_leave(data, day))
    assert server.request_log[-1].status == 201  # a 2xx other than 200 is success
    written = data.written[str(iid)]
    assert written == {"schooljaar": SCHOOL_YEAR, "hfd": data.structures[0], "code": "1",
                       "begindatum": day.isoformat(),
                       "einddatum": (day + dt.timedelta(days=2)).isoformat(),
                       "afzender": "tests", "instelnr": INST}  # unset fields left out
    listed = await p.interruptions(INST, SCHOOL_YEAR, person_id=person)
    assert iid in {i.do_id for i in listed}

    await p.save_interruption(INST, person, iid, sick_leave(
        data, day, opmerking="griep", mag_woonst_verlaten=False, naam_geneesheer="Dr. Peeters"))
    assert server.request_log[-1].status == 204
    assert data.written[str(iid)]["magWoonstVerlaten"] is False
    assert data.written[str(iid)]["opmerking"] == "griep"
    assert data.written[str(iid)]["naamGeneesheer"] == "Dr. Peeters"
    assert data.interruptions[str(iid)]["opmPersoneelslid"] == "griep"

    await p.delete_interruption(INST, iid)
    assert str(iid) not in data.interruptions


async def test_overlapping_interruptions_are_refused(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = truth(server)
    person = next(iter(data.employees))
    day = free_day(data, person)
    first, second = uuid.uuid4(), uuid.uuid4()
    p = staff.personnel
    await p.save_interruption(INST, person, first, sick_leave(data, day))
    with pytest.raises(MethodNotAllowedError) as added:
        await p.save_interruption(INST, person, second, sick_leave(data, day + dt.timedelta(1)))
    assert added.value.codes == ("MNA005",)
    assert added.value.details[0].description == "Cannot add: an overlapping interruption exists"
    await p.save_interruption(INST, person, second, sick_leave(data, day + dt.timedelta(14)))
    with pytest.raises(MethodNotAllowedError) as changed:
        await p.save_interruption(INST, person, second, sick_leave(data, day))
    assert changed.value.codes == ("MNA006",)


async def test_only_interruptions_created_through_the_api_are_deleted(
    server: FakeInformat, staff: InformatClient
) -> None:
    existing = next(iter(truth(server).interruptions))
    with pytest.raises(MethodNotAllowedError) as caught:
        await staff.personnel.delete_interruption(INST, existing)
    assert caught.value.status == 405
    assert caught.value.codes == ("MNA008",)
    assert caught.value.family == "personnel"
    assert caught.value.details[0].description == (
        "Only interruptions added through the API can be deleted")
    assert existing in truth(server).interruptions


async def test_an_interruption_of_another_employee_is_refused(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = truth(server)
    first, second = list(data.employees)[:2]
    iid = uuid.uuid4()
    await staff.personnel.save_interruption(
        INST, first, iid, sick_leave(data, free_day(data, first)))
    with pytest.raises(MethodNotAllowedError) as caught:
        await staff.personnel.save_interruption(
            INST, second, iid, sick_leave(data, free_day(data, second)))
    assert caught.value.codes == ("MNA002",)


async def test_an_attachment_is_saved_and_unlinked(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = truth(server)
    person = next(iter(data.employees))
    iid, aid = uuid.uuid4(), uuid.uuid4()
    p = staff.personnel
    await p.save_interruption(INST, person, iid, sick_leave(data, free_day(data, person)))
    content = b"%PDF-1.4 medical certificate"
    await p.save_interruption_attachment(INST, iid, aid, "attest.pdf", content)
    assert data.attachments[str(aid)]["content"] == content
    assert data.attachments[str(aid)]["filename"] == "attest.pdf"
    assert dict(server.request_log[-1].headers)["Content-Type"].startswith("application/json")
    await p.delete_interruption_attachment(INST, iid, aid)
    assert str(aid) not in data.attachments
    with pytest.raises(BadRequestError) as caught:
        await p.delete_interruption_attachment(INST, iid, aid)
    assert caught.value.codes == ("BR019",)


async def test_an_extension_the_server_refuses_is_its_call(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = truth(server)
    person = next(iter(data.employees))
    iid = uuid.uuid4()
    await staff.personnel.save_interruption(
        INST, person, iid, sick_leave(data, free_day(data, person)))
    with pytest.raises(BadRequestError) as caught:
        await staff.personnel.save_interruption_attachment(
            INST, iid, uuid.uuid4(), "attest.xyz", b"data")
    assert caught.value.codes == ("BR016C",)  # sent: the client does not know the rule


async def test_a_signed_document_is_reported_as_multipart(
    server: FakeInformat, staff: InformatClient
) -> None:
    number, doc = next(iter(truth(server).documents.items()))
    at = dt.datetime(2026, 1, 5, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    await staff.personnel.submit_signed_document(
        INST, doc["personId"], number, status=SigningStatus.SIGNED, at=at, pdf=b"%PDF signed")
    assert server.request_log[-1].status == 201
    assert truth(server).signed[number] == {
        "status": "Ondertekend", "tijdstip": "2026-01-05T09:30:00Z", "pdf": b"%PDF signed"}
    await staff.personnel.submit_signed_document(
        INST, doc["personId"], number, status="geweigerd", at=at)
    assert truth(server).signed[number]["status"] == "Geweigerd"
    assert truth(server).signed[number]["pdf"] is None


async def test_a_signed_document_is_sent_whole_again_after_a_503(
    server: FakeInformat, staff: InformatClient
) -> None:
    number, doc = next(iter(truth(server).documents.items()))
    server.faults = Faults(p_503=0.5, endpoints={"signed_document"}, seed=3)
    await staff.personnel.submit_signed_document(
        INST, doc["personId"], number, status="Ondertekend", at=dt.datetime.now(dt.UTC),
        pdf=b"%PDF again")
    assert server.stats.faults["503"] >= 1  # the first attempt was refused unread
    assert truth(server).signed[number]["pdf"] == b"%PDF again"




async def test_an_attachment_is_sent_whole_again_after_a_503(
    server: FakeInformat, staff: InformatClient
) -> None:
    data = truth(server)
    person = next(iter(data.employees))
    iid, aid = uuid.uuid4(), uuid.uuid4()
    await staff.personnel.save_interruption(
        INST, person, iid, sick_leave(data, free_day(data, person)))
    server.faults = Faults(p_503=0.5, endpoints={"attachment_save"}, seed=3)
    content = bytes(range(256)) * 5000
    await staff.personnel.save_interruption_attachment(
        INST, iid, aid, "attest é.pdf", content)
    assert server.stats.faults["503"] >= 1
    assert data.attachments[str(aid)]["content"] == content
    assert data.attachments[str(aid)]["filename"] == "attest é.pdf"
