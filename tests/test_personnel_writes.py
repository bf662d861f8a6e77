"""Personnel writes are checked before anything is sent: every problem at once, as a
``WriteValidationError`` (an ``InvalidInputError``), and the fake server sees no request."""

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
    WriteValidationError,
)
from informat_async.personnel import MAX_ATTACHMENT_BYTES, check_interruption
from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR, make_client

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
    ({"instelnr": "12345"}, "BR003A"),
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
    lambda p: p.employees("12345", SCHOOL_YEAR),
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
