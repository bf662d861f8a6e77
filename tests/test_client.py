"""InformatClient against the fake server over loopback: every endpoint, header and error."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import logging
import re
import uuid

import aiohttp
import pytest

from informat_async import (
    AuthenticationError,
    InformatClient,
    InformatError,
    InvalidInputError,
    MethodNotAllowedError,
    NotFoundError,
    PreRegistration,
    PreRegistrationState,
    PreRegistrationValidationError,
    RetryPolicy,
    ServerError,
    Student,
)
from informat_async.convert import structure
from informat_async.insz import generate_insz
from informat_async.testing import FakeInformat, Faults
from tests.conftest import SCHOOL_YEAR, make_client
from tests.spec_data import spec_example

INST = "123456"


def ids(values: object) -> set[uuid.UUID]:
    return {uuid.UUID(str(v).strip("{}")) for v in values}  # type: ignore[attr-defined]


async def test_students_match_the_ground_truth(
    server: FakeInformat, client: InformatClient
) -> None:
    students = await client.students(INST, SCHOOL_YEAR)
    assert {s.persoon_id for s in students} == ids(server.data.student_ids(INST))
    assert all(isinstance(s, Student) for s in students)
    truth = server.data.institutes[INST].students
    for s in students:
        raw = truth[str(s.persoon_id)]
        assert s.naam == raw["naam"]
        assert len(s.relaties) == len(raw["relaties"])


async def test_one_student_and_photo(server: FakeInformat, client: InformatClient) -> None:
    sid = server.data.student_ids(INST)[0]
    student = await client.student(INST, sid.upper(), SCHOOL_YEAR)
    assert student.persoon_id == uuid.UUID(sid)
    photo = await client.student_photo(INST, "{" + sid + "}")
    assert photo.persoon_id == uuid.UUID(sid)
    assert photo.foto == server.data.institutes[INST].photos[sid]


async def test_registrations_and_school_history(
    server: FakeInformat, client: InformatClient
) -> None:
    regs = await client.registrations(INST, SCHOOL_YEAR)
    assert {r.inschrijvings_id for r in regs} == ids(server.data.registration_ids(INST))
    assert any(r.inschr_klassen and r.inschr_klassen[0].klassenleraars for r in regs)
    truth = server.data.institutes[INST]
    for source in (0, 1):
        history = await client.school_history(INST, SCHOOL_YEAR, certificate_source=source)
        expected = truth.list_school_history(SCHOOL_YEAR, source)
        assert [h.persoon_id for h in history] == [uuid.UUID(h["persoonId"]) for h in expected]
    history = await client.school_history(INST, SCHOOL_YEAR)
    assert history, "the generated data has school history"
    sid = history[0].persoon_id
    one = await client.student_school_history(INST, sid)
    assert one
    assert all(h.persoon_id == sid for h in one)
    assert len(one) == len(truth.list_school_history(None, 0, str(sid)))


async def test_spec_examples_decode_through_the_wire(client: InformatClient) -> None:
    students = await client.students("999999", SCHOOL_YEAR, reference_date="2021-10-01")
    expected = structure(spec_example("students")["students"][0], Student)
    assert expected in students
    regs = await client.registrations("999999", SCHOOL_YEAR)
    assert regs, "the spec's example registration is served"
    photo = await client.student_photo("999999", "c5806777-4bce-4d50-afc5-9cb47f1a5f14")
    raw = spec_example("photo")["photo"]["foto"]
    assert photo.foto == base64.b64decode(raw)


async def test_every_request_is_signed(server: FakeInformat, client: InformatClient) -> None:
    await client.students(INST, SCHOOL_YEAR)
    await client.student_photo(INST, server.data.student_ids(INST)[0])
    api = [r for r in server.request_log if r.path.startswith("/1/")]
    assert len(api) == 2
    for entry in api:
        names = [name.lower() for name, _ in entry.headers]
        assert names.count("instituteno") == 1
        assert names.count("timestamp") == 1
        headers = {name.lower(): value for name, value in entry.headers}
        assert headers["instituteno"] == INST
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", headers["timestamp"])
        stamp = dt.datetime.fromisoformat(headers["timestamp"]).replace(tzinfo=dt.UTC)
        assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 60
        assert headers["authorization"].startswith("Bearer ")
        assert headers["accept"] == "application/json"
        assert entry.method == "GET"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.students("1234567", SCHOOL_YEAR),
        lambda c: c.students(123456.0, SCHOOL_YEAR),
        lambda c: c.students(INST, "2025-2026"),
        lambda c: c.students(INST, SCHOOL_YEAR, changed_since="yesterday"),
        lambda c: c.student(INST, "not-a-guid", SCHOOL_YEAR),
        lambda c: c.student_photo(INST, "1234"),
        lambda c: c.registrations(INST, "25-26"),
        lambda c: c.school_history(INST, SCHOOL_YEAR, certificate_source=2),
        lambda c: c.delete_preregistration(INST, "x"),
        lambda c: c.preregistration_status("1234567", str(uuid.uuid4())),
    ],
)
async def test_bad_input_raises_before_any_request(
    server: FakeInformat, client: InformatClient, call: object
) -> None:
    before = len(server.request_log)
    with pytest.raises(InvalidInputError):
        await call(client)  # type: ignore[operator]
    assert len(server.request_log) == before
    assert client.stats.requests == 0
    assert client.stats.token_requests == 0


async def test_unknown_student_is_not_found(client: InformatClient) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.student(INST, uuid.uuid4(), SCHOOL_YEAR)
    assert info.value.status == 404
    assert info.value.institute == INST
    assert info.value.endpoint == "GET /students/{studentId}"


async def test_wrong_credentials(server: FakeInformat) -> None:
    async with InformatClient(
        server.client_id, "wrong-secret-value", api_url=server.api_url,
        identity_url=server.identity_url, retry=RetryPolicy.no_wait(),
    ) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.students(INST, SCHOOL_YEAR)
    assert info.value.error == "invalid_client"
    assert "wrong-secret-value" not in str(info.value)
    assert client.stats.requests == 0


async def test_scope_not_granted(server: FakeInformat) -> None:
    server.add_client("limited", "limited-secret",
                      scopes=["api_informat_sas_leerlingen.leerlingen.123456"])
    async with InformatClient(
        "limited", "limited-secret", api_url=server.api_url,
        identity_url=server.identity_url, retry=RetryPolicy.no_wait(),
    ) as client:
        assert await client.students(INST, SCHOOL_YEAR)
        with pytest.raises(AuthenticationError) as info:
            await client.students("654321", SCHOOL_YEAR)
    assert info.value.error == "invalid_scope"


async def test_revoked_token_is_refreshed_once(
    server: FakeInformat, client: InformatClient
) -> None:
    await client.students(INST, SCHOOL_YEAR)
    assert client.stats.token_requests == 1
    server.revoke_tokens()
    await client.students(INST, SCHOOL_YEAR)
    assert client.stats.token_requests == 2
    assert client.stats.token_refreshes_on_401 == 1


async def test_a_thousand_concurrent_calls_share_one_token_request(
    server: FakeInformat,
) -> None:
    sid = server.data.student_ids(INST)[0]
    async with make_client(server, max_in_flight=50) as client:
        photos = await asyncio.gather(*(client.student_photo(INST, sid) for _ in range(1000)))
    assert len(photos) == 1000
    assert client.stats.token_requests == 1
    assert server.stats.token_requests == 1


async def test_tokens_are_per_scope(server: FakeInformat, client: InformatClient) -> None:
    await asyncio.gather(client.students(INST, SCHOOL_YEAR), client.students("654321", SCHOOL_YEAR))
    await client.students(INST, SCHOOL_YEAR)
    assert client.stats.token_requests == 2


async def test_server_trouble_is_retried(server: FakeInformat) -> None:
    server.faults = Faults(p_500=0.15, p_502=0.1, p_503=0.1, p_429=0.05, retry_after=0,
                           p_reset=0.05, p_truncate=0.05, seed=3)
    async with make_client(server, retry=RetryPolicy.no_wait(max_attempts=10)) as client:
        students = await client.students(INST, SCHOOL_YEAR)
        sids = [s.persoon_id for s in students]
        photos = await asyncio.gather(*(client.student_photo(INST, s) for s in sids))
    assert {p.persoon_id for p in photos} == set(sids)
    assert client.stats.retries > 0


async def test_proxy_html_page_is_a_typed_error(server: FakeInformat) -> None:
    server.faults = Faults(p_502=1.0)
    async with make_client(server, retry=RetryPolicy.never()) as client:
        with pytest.raises(ServerError) as info:
            await client.students(INST, SCHOOL_YEAR)
    assert info.value.status == 502
    assert "HTML" in str(info.value)


async def test_client_lifecycle(server: FakeInformat) -> None:
    client = make_client(server)
    assert "client_secret" not in repr(client)
    assert server.client_secret not in repr(client)
    async with client:
        await client.students(INST, SCHOOL_YEAR)
    assert client.closed
    with pytest.raises(InformatError):
        async with client:
            pass


async def test_a_given_session_is_not_closed(server: FakeInformat) -> None:
    async with aiohttp.ClientSession() as session:
        async with make_client(server, session=session) as client:
            await client.students(INST, SCHOOL_YEAR)
        assert not session.closed


async def test_from_env(server: FakeInformat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFORMAT_CLIENT_ID", server.client_id)
    monkeypatch.setenv("INFORMAT_CLIENT_SECRET", server.client_secret)
    monkeypatch.setenv("INFORMAT_API_URL", server.api_url)
    monkeypatch.setenv("INFORMAT_IDENTITY_URL", server.identity_url)
    async with InformatClient.from_env(rate_limit=None) as client:
        assert await client.students(INST, SCHOOL_YEAR)
    monkeypatch.delenv("INFORMAT_CLIENT_SECRET")
    with pytest.raises(InvalidInputError, match="INFORMAT_CLIENT_SECRET"):
        InformatClient.from_env()


async def test_random_key_case_decodes_the_same() -> None:
    kwargs = {"institutes": (INST,), "students_per_institute": 5, "seed": 11,
              "school_year": SCHOOL_YEAR}
    async with FakeInformat(**kwargs) as plain, FakeInformat(  # type: ignore[arg-type]
        key_case="random", **kwargs  # type: ignore[arg-type]
    ) as shuffled:
        async with make_client(plain) as a, make_client(shuffled) as b:
            assert sorted(await a.students(INST, SCHOOL_YEAR), key=lambda s: s.persoon_id) == (
                sorted(await b.students(INST, SCHOOL_YEAR), key=lambda s: s.persoon_id)
            )
            assert sorted(await a.registrations(INST, SCHOOL_YEAR),
                          key=lambda r: r.inschrijvings_id) == sorted(
                await b.registrations(INST, SCHOOL_YEAR), key=lambda r: r.inschrijvings_id)


# --- pre-registrations ------------------------------------------------------------------


def valid_preregistration(institute: str = INST) -> PreRegistration:
    raw = spec_example("preregistration_request")
    raw.update(
        institute=institute, schoolyear=SCHOOL_YEAR, startDate="2025-09-01",
        preRegistrationDate="2025-06-05T10:15", preRegistrationId=str(uuid.uuid4()),
        # the spec's example INSZ fails its own checksum: use a valid one
        insz=generate_insz(dt.date(2010, 4, 1), 157),
    )
    raw["Relationships"][0]["insz"] = generate_insz(dt.date(1980, 3, 15), 167)
    return structure(raw, PreRegistration)


async def test_preregistration_round_trip(server: FakeInformat, client: InformatClient) -> None:
    prereg = valid_preregistration()
    status = await client.save_preregistration(INST, prereg)
    assert status.pre_registration_id == prereg.pre_registration_id
    assert status.status is PreRegistrationState.OPEN
    again = await client.save_preregistration(INST, prereg)  # idempotent update
    assert again == status
    assert (await client.preregistration_status(INST, prereg.pre_registration_id)) == status
    await client.delete_preregistration(INST, prereg.pre_registration_id)
    with pytest.raises(NotFoundError) as info:
        await client.preregistration_status(INST, prereg.pre_registration_id)
    assert info.value.codes == ("DNF001",)


async def test_preregistration_mna_codes(server: FakeInformat, client: InformatClient) -> None:
    prereg = valid_preregistration()
    await client.save_preregistration(INST, prereg)
    server.set_preregistration_status(INST, str(prereg.pre_registration_id), "refused")
    with pytest.raises(MethodNotAllowedError) as info:
        await client.delete_preregistration(INST, prereg.pre_registration_id)
    assert info.value.codes == ("MNA004",)
    with pytest.raises(MethodNotAllowedError) as info:
        await client.save_preregistration(INST, prereg)
    assert info.value.codes == ("MNA002",)


async def test_wait_for_preregistration(server: FakeInformat, client: InformatClient) -> None:
    prereg = valid_preregistration()
    await client.save_preregistration(INST, prereg)

    async def accept_later() -> None:
        await asyncio.sleep(0.05)
        server.set_preregistration_status(INST, str(prereg.pre_registration_id), "accepted")

    task = asyncio.create_task(accept_later())
    status = await client.wait_for_preregistration(
        INST, prereg.pre_registration_id, first_interval=0.01, max_interval=0.05, max_wait=5
    )
    await task
    assert status.status is PreRegistrationState.ACCEPTED


async def test_invalid_preregistration_is_not_sent(
    server: FakeInformat, client: InformatClient
) -> None:
    import attrs

    prereg = attrs.evolve(valid_preregistration(), last_name="", insz="12345678901",
                          institute="12345")
    before = len(server.request_log)
    with pytest.raises(PreRegistrationValidationError) as info:
        await client.save_preregistration(INST, prereg)
    assert {"BR001A", "BR010A", "BR035B"} <= set(info.value.codes)
    assert "12345678901" not in str(info.value)
    assert len(server.request_log) == before


# --- privacy ------------------------------------------------------------------------------


async def test_no_secret_token_or_national_number_in_logs(
    server: FakeInformat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="informat_async")
    server.faults = Faults(p_503=0.3, seed=1)
    async with make_client(server) as client:
        students = await client.students(INST, SCHOOL_YEAR)
        for s in students[:5]:
            await client.student_photo(INST, s.persoon_id)
        server.revoke_tokens()
        await client.students(INST, SCHOOL_YEAR)
        texts = [caplog.text, repr(client), *(repr(s) for s in students)]
    secrets = [server.client_secret, *server.issued_tokens()]
    numbers = [s.rijksregisternr for s in students if s.rijksregisternr]
    numbers += [s.bisnr for s in students if s.bisnr]
    numbers += [r.insz for s in students for r in s.relaties if r.insz]
    assert numbers
    assert len(secrets) > 1
    assert "retry" in caplog.text
    for text in texts:
        for value in secrets + numbers:
            assert value not in text


async def test_many_401s_at_once_cause_one_new_token(server: FakeInformat) -> None:
    sid = server.data.student_ids(INST)[0]
    async with make_client(server, max_in_flight=25) as client:
        await client.student_photo(INST, sid)
        server.revoke_tokens()
        await asyncio.gather(*(client.student_photo(INST, sid) for _ in range(100)))
    assert client.stats.token_requests == 2
    assert server.stats.statuses[401] >= 1


async def test_tokens_are_refreshed_ahead_of_expiry() -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=2, seed=1,
                            token_lifetime=4.0) as server:
        sid = server.data.student_ids(INST)[0]
        async with make_client(server, max_in_flight=20) as client:
            await client.student_photo(INST, sid)
            # half of a 4 s lifetime is the latest a token is used: then one fetch for all
            await asyncio.sleep(2.1)
            await asyncio.gather(*(client.student_photo(INST, sid) for _ in range(200)))
        assert client.stats.token_requests == 2
        assert server.stats.statuses[401] == 0
