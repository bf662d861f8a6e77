"""The legacy client against the fake ``wsInformat.asmx`` over loopback: every list,
filters, faults, retries, XML attacks, sharing with InformatClient, the fan-out, and
that no password leaks."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import typing
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web

from informat_async import InformatClient, RetryPolicy
from informat_async.bulk import Failure
from informat_async.errors import (
    AuthenticationError,
    ForbiddenError,
    InformatConnectionError,
    InvalidInputError,
    ServerError,
)
from informat_async.legacy import (
    OPERATIONS,
    InformatLegacyClient,
    Leerkracht,
    LegacyFetched,
    UnsafeXMLError,
)
from informat_async.legacy._convert import fold, make_converter, structure_rows
from informat_async.legacy._operations import MODELS
from informat_async.testing import FakeInformat, Faults
from tests.conftest import SCHOOL_YEAR
from tests.test_legacy_protocol import BILLION_LAUGHS, EXTERNAL_ENTITY

INSTITUTES = ("123456", "654321")
PLATFORM = "school.smartschool.be"


@pytest.fixture
async def legacy_server() -> AsyncIterator[FakeInformat]:
    async with FakeInformat(institutes=INSTITUTES, students_per_institute=10,
                            school_year=SCHOOL_YEAR, seed=11) as srv:
        yield srv


def make_client(server: FakeInformat, **kwargs: Any) -> InformatLegacyClient:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("retry", RetryPolicy.no_wait())
    return InformatLegacyClient(server.legacy_login, server.legacy_password,
                                url=server.legacy_url, **kwargs)


@pytest.fixture
async def legacy(legacy_server: FakeInformat) -> AsyncIterator[InformatLegacyClient]:
    async with make_client(legacy_server) as client:
        yield client


def _expected(text: str, tp: Any) -> object:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    base = args[0] if args else tp
    if base is str:
        return text
    if base is int:
        return int(text)
    if base is bool:
        return text.strip().lower() in ("ja", "1", "true")
    if base is Decimal:
        return Decimal(text)
    if base is uuid.UUID:
        return uuid.UUID(text)
    if base is dt.datetime:
        return dt.datetime.fromisoformat(text)
    if base is dt.date:
        match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text[:10])
    raise AssertionError(f"unexpected field type {tp}")


def assert_matches(records: Sequence[object], rows: Sequence[Mapping[str, str | None]],
                   model: type) -> None:
    """Every element of every ground-truth row reached its field, decoded."""
    assert len(records) == len(rows)
    hints = typing.get_type_hints(model)
    fields = {fold(f.name): f.name for f in attrs.fields(model)}
    for record, row in zip(records, rows, strict=True):
        assert type(record) is model
        for element, text in row.items():
            name = fields[fold(element)]  # KeyError: the model misses an element
            value = getattr(record, name)
            if text is None or not text.strip():
                assert value is None, (element, value)
            else:
                assert value == _expected(text, hints[name]), (element, text, value)


def call_kwargs(method: str) -> dict[str, object]:
    return {"smartschoolplatform": PLATFORM} if method == "smartschool_users" else {}


def ground_truth(server: FakeInformat, method: str, institute: str,
                 **params: str) -> list[dict[str, str | None]]:
    op = OPERATIONS[method]
    from informat_async.testing._legacy_data import OPERATION_PARAMS

    values = dict.fromkeys(OPERATION_PARAMS[op.name], "")
    values.update({"schooljaar": SCHOOL_YEAR, "instelnr": institute, **params})
    if method == "smartschool_users":
        values.setdefault("smartschoolplatform", PLATFORM)
        values["smartschoolplatform"] = values["smartschoolplatform"] or PLATFORM
    return server.legacy.data.rows(op.name, values)


@pytest.mark.parametrize("method", list(OPERATIONS))
async def test_every_list_decodes_the_ground_truth(
    legacy_server: FakeInformat, legacy: InformatLegacyClient, method: str
) -> None:
    records = await getattr(legacy, method)("123456", SCHOOL_YEAR, **call_kwargs(method))
    rows = ground_truth(legacy_server, method, "123456")
    assert rows, f"the fake serves no {method} rows"
    assert_matches(records, rows, OPERATIONS[method].model)
    # the strict converter proves every element the fake sends has a field
    strict = make_converter(MODELS, forbid_extra_keys=True)
    _, errors = structure_rows(rows, OPERATIONS[method].model, strict)
    assert errors == []


async def test_lists_agree_with_the_rest_data(legacy_server: FakeInformat,
                                              legacy: InformatLegacyClient) -> None:
    pupils = await legacy.leerlingen("123456", SCHOOL_YEAR)
    rest = legacy_server.data.institutes["123456"]
    by_p = {s["pPersoon"]: s for s in rest.students.values()}
    assert pupils
    for pupil in pupils:
        student = by_p[pupil.p_persoon]
        assert (pupil.naam, pupil.voornaam) == (student["naam"], student["voornaam"])
    staff = await legacy.leerkrachten("123456", SCHOOL_YEAR)
    titulars = {s.klastitularis for s in await legacy.subgroepen("123456", SCHOOL_YEAR)}
    names = {f"{t.naam} {t.voornaam}" for t in staff}
    assert titulars <= names
    assert {t.instelnr for t in staff} == {"123456"}


async def test_empty_answers_and_other_school_years(legacy: InformatLegacyClient) -> None:
    assert await legacy.leerlingen("123456", "2019-20") == []
    assert await legacy.leerkrachten("123456", SCHOOL_YEAR, personeelsgroep="Geen") == []


async def test_filters(legacy_server: FakeInformat, legacy: InformatLegacyClient) -> None:
    data = legacy_server.legacy.data
    on_day = await legacy.leerlingen("123456", SCHOOL_YEAR, referentiedatum=dt.date(2025, 8, 1))
    assert on_day == []  # before the school year: nobody is registered
    structure = data.pupils("123456")[0].registration["hfdstructuur"]
    assert len(await legacy.leerlingen("123456", SCHOOL_YEAR, hoofdstructuur=structure)) == len(
        data.pupils("123456"))
    assert await legacy.leerlingen("123456", SCHOOL_YEAR, hoofdstructuur="999") == []

    directie = await legacy.leerkrachten("123456", SCHOOL_YEAR, personeelsgroep="Directie")
    assert len(directie) == 1

    plain = await legacy.leerkrachten_opdrachten("123456", SCHOOL_YEAR)
    with_nsu = await legacy.leerkrachten_opdrachten("123456", SCHOOL_YEAR, met_nsu_uren=True)
    nsu = [o for o in with_nsu if o.opdrachttype == "NSU"]
    assert len(with_nsu) == len(plain) + len(nsu)
    assert all(o.in_npre is None for o in plain)
    interruption = (await legacy.leerkrachten_dienstonderbrekingen("123456", SCHOOL_YEAR))[0]
    assert interruption.begindatum is not None
    npre = await legacy.leerkrachten_opdrachten("123456", SCHOOL_YEAR,
                                                referentiedatum_npre=interruption.begindatum)
    absent = {o.p_persoon for o in npre if o.in_npre}
    assert interruption.p_persoon in absent
    assert all(o.in_npre is not None for o in npre)

    trainings = await legacy.leerkrachten_nascholingen("123456", SCHOOL_YEAR)
    first = min(t.begindatum for t in trainings if t.begindatum)
    only_first = await legacy.leerkrachten_nascholingen("123456", SCHOOL_YEAR,
                                                        begindatum=first, einddatum=first)
    assert only_first
    assert all(t.begindatum == first for t in only_first)

    registration = data.pupils("123456")[1].registration
    pre = "{5A0E0B5C-8D1B-4C3F-9E2A-1B2C3D4E5F61}"
    legacy_server.touch_registration("123456", registration["inschrijvingsId"],
                                     preRegistrationId=pre)
    found = await legacy.inschrijvingen("123456", SCHOOL_YEAR, pre_registration_id=pre)
    assert [str(i.pre_registration_id) for i in found] == [pre.strip("{}").lower()]
    assert found[0].p_persoon == registration["pPersoon"]

    relations = await legacy.relaties("123456", SCHOOL_YEAR)
    student_id = data.pupils("123456")[0].student_id
    legacy_server.touch_student("123456", student_id, naam="Nieuw")
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    changed = await legacy.relaties("123456", SCHOOL_YEAR, gewijzigd_sinds=since)
    assert 0 < len(changed) < len(relations)
    assert {r.p_persoon for r in changed} == {int(data.pupils("123456")[0].p_persoon)}
    assert (await legacy.leerlingen("123456", SCHOOL_YEAR))[0].naam == "Nieuw"

    everyone = await legacy.smartschool_users(None, SCHOOL_YEAR, smartschoolplatform=PLATFORM)
    assert len(everyone) == sum(len(data.pupils(n)) for n in INSTITUTES)
    location = data.pupils("123456")[0].registration["vestCode"]
    discimus = data.institute("123456").discimus_numbers[location]
    narrowed = await legacy.smartschool_users("123456", SCHOOL_YEAR,
                                              smartschoolplatform=PLATFORM,
                                              discimus_vestigingsnr=discimus)
    assert 0 < len(narrowed) <= len(data.pupils("123456"))


async def test_element_case_does_not_matter() -> None:
    async with FakeInformat(institutes=("123456",), students_per_institute=6,
                            school_year=SCHOOL_YEAR, seed=3, key_case="random") as server:
        async with make_client(server) as legacy:
            for method in ("leerlingen", "leerkrachten", "internen", "relaties"):
                records = await getattr(legacy, method)("123456", SCHOOL_YEAR)
                assert_matches(records, ground_truth(server, method, "123456"),
                               OPERATIONS[method].model)


async def test_authenticate_user(legacy_server: FakeInformat,
                                 legacy: InformatLegacyClient) -> None:
    legacy_server.legacy.add_user("leerkracht@school.be", "Geheim-123")
    assert await legacy.authenticate_user("leerkracht@school.be", "Geheim-123") is True
    assert await legacy.authenticate_user("leerkracht@school.be", "fout") is False
    with pytest.raises(InvalidInputError):
        await legacy.authenticate_user("x", "")


async def test_bad_login_unknown_institute_and_unknown_operation(
    legacy_server: FakeInformat,
) -> None:
    async with InformatLegacyClient(legacy_server.legacy_login, "wrong-password-42",
                                    url=legacy_server.legacy_url, rate_limit=None,
                                    retry=RetryPolicy.no_wait()) as legacy:
        with pytest.raises(AuthenticationError) as info:
            await legacy.leerkrachten("123456", SCHOOL_YEAR)
        assert info.value.error == "invalid_login"
        assert "wrong-password-42" not in str(info.value)
    assert legacy_server.legacy.stats.requests == 1  # never retried
    async with make_client(legacy_server, operation_names={"internen": "Bestaatniet"}) as legacy:
        with pytest.raises(ForbiddenError) as forbidden:
            await legacy.leerlingen("999998", SCHOOL_YEAR)
        assert forbidden.value.institute == "999998"
        assert forbidden.value.status == 500
        with pytest.raises(Exception, match="SOAPAction") as unknown:
            await legacy.internen("123456", SCHOOL_YEAR)
        assert type(unknown.value).__name__ == "BadRequestError"
    assert legacy_server.legacy.stats.requests == 3
    assert legacy_server.legacy.stats.faults == {"login": 1, "institute": 1, "operation": 1}


async def test_503_is_retried(legacy_server: FakeInformat) -> None:
    legacy_server.faults = Faults(p_503=0.5, seed=5)
    async with make_client(legacy_server) as legacy:
        for _ in range(4):
            staff = await legacy.leerkrachten("123456", SCHOOL_YEAR)
            assert len(staff) == len(ground_truth(legacy_server, "leerkrachten", "123456"))
        assert legacy.stats.retries > 0
        assert legacy.stats.statuses[503] == legacy.stats.retries
    assert legacy_server.stats.faults["503"] == legacy.stats.retries
    legacy_server.faults = Faults(p_503=1.0)
    async with make_client(legacy_server, retry=RetryPolicy.no_wait(max_attempts=3)) as legacy:
        with pytest.raises(ServerError) as info:
            await legacy.leerkrachten("123456", SCHOOL_YEAR)
        assert info.value.status == 503
        assert legacy.stats.requests == 3


async def test_resets_and_truncated_bodies_are_retried(legacy_server: FakeInformat) -> None:
    legacy_server.faults = Faults(p_reset=0.3, p_truncate=0.3, p_500=0.2, seed=2)
    async with make_client(legacy_server, retry=RetryPolicy.no_wait(max_attempts=12)) as legacy:
        records = await legacy.leerlingen_extra("654321", SCHOOL_YEAR)
        assert_matches(records, ground_truth(legacy_server, "leerlingen_extra", "654321"),
                       OPERATIONS["leerlingen_extra"].model)
    legacy_server.faults = Faults(p_reset=1.0)
    async with make_client(legacy_server, retry=RetryPolicy.no_wait(max_attempts=2)) as legacy:
        with pytest.raises(InformatConnectionError):
            await legacy.leerlingen("654321", SCHOOL_YEAR)


async def _serve(body: bytes) -> tuple[web.AppRunner, str]:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/xml")

    app = web.Application()
    app.router.add_post("/wsInformat.asmx", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/wsInformat.asmx"


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
async def test_xml_attacks_over_http_raise_and_are_not_retried(document: bytes) -> None:
    runner, url = await _serve(document)
    try:
        async with InformatLegacyClient("login", "password-x", url=url, rate_limit=None,
                                        retry=RetryPolicy.no_wait()) as legacy:
            with pytest.raises(UnsafeXMLError):
                await legacy.leerlingen("123456", SCHOOL_YEAR)
            assert legacy.stats.requests == 1
    finally:
        await runner.cleanup()


async def test_share_with_uses_one_limiter_budget_and_stats(legacy_server: FakeInformat,
                                                           ) -> None:
    async with InformatClient(legacy_server.client_id, legacy_server.client_secret,
                              api_url=legacy_server.api_url,
                              identity_url=legacy_server.identity_url, rate_limit=50.0,
                              retry=RetryPolicy.no_wait()) as client:
        async with InformatLegacyClient(legacy_server.legacy_login,
                                        legacy_server.legacy_password,
                                        url=legacy_server.legacy_url, share_with=client) as legacy:
            await client.students("123456", SCHOOL_YEAR)
            await legacy.leerkrachten("123456", SCHOOL_YEAR)
            transport = await client._get_transport()
            mine = await legacy._get_transport()
            assert mine.limiter is transport.limiter is not None
            assert mine.in_flight is transport.in_flight
            assert mine.budget is transport.budget
            assert mine.retry is transport.retry
            assert legacy.stats is client.stats
            assert client.stats.requests == 2
        assert not client.closed  # the legacy client does not close what it shares


async def test_session_given_is_left_open(legacy_server: FakeInformat) -> None:
    async with aiohttp.ClientSession() as session:
        async with make_client(legacy_server, session=session) as legacy:
            await legacy.vervangingen("123456", SCHOOL_YEAR)
        assert not session.closed
        assert legacy.closed
        with pytest.raises(Exception, match="closed"):
            await legacy.vervangingen("123456", SCHOOL_YEAR)


async def test_fan_out_with_one_failing_institute(legacy_server: FakeInformat) -> None:
    institutes = [*INSTITUTES, "999998"]
    async with make_client(legacy_server, rate_limit=200.0) as legacy:
        events = []
        async with legacy.fetch_many("leerkrachten", institutes, SCHOOL_YEAR) as run:
            async for event in run:
                events.append(event)
        fetched = {e.institute: e for e in events if isinstance(e, LegacyFetched)}
        failures = [e for e in events if isinstance(e, Failure)]
        assert set(fetched) == set(INSTITUTES)
        for number in INSTITUTES:
            assert_matches(fetched[number].records,
                           ground_truth(legacy_server, "leerkrachten", number), Leerkracht)
        assert [(f.institute, f.resource, type(f.error)) for f in failures] == [
            ("999998", "Leerkrachten", ForbiddenError)]
        report = run.report
        assert not report.ok
        assert report.failed_institutes == ["999998"]
        assert report.counts == {n: len(fetched[n].records) for n in INSTITUTES}
        assert report.requests == 3
        assert "999998" in report.summary()

        boarding = [legacy_server.legacy.data.boarding_school(n) for n in INSTITUTES]
        result = await legacy.fetch_many(legacy.internen, boarding, SCHOOL_YEAR,
                                         referentiedatum="01/10/2025").gather()
        assert result.report.ok
        assert set(result.records) == set(boarding)
        assert all(result.records.values())
        assert all(r.verblijfstype == "Intern" for rs in result.records.values() for r in rs)

        async def custom(institute: str, schooljaar: str) -> list[str]:
            return [institute, schooljaar]

        assert (await legacy.fetch_many(custom, INSTITUTES, SCHOOL_YEAR).gather()).records == {
            n: [n, SCHOOL_YEAR] for n in INSTITUTES}


async def test_fan_out_checks_every_call_before_sending(legacy_server: FakeInformat) -> None:
    async with make_client(legacy_server) as legacy:
        with pytest.raises(InvalidInputError):
            legacy.fetch_many("leerkrachten", ["123456", "1234567"], SCHOOL_YEAR)
        with pytest.raises(InvalidInputError):
            legacy.fetch_many("leerkrachten", INSTITUTES, SCHOOL_YEAR, hoofdstructuur="311")
        with pytest.raises(InvalidInputError):
            legacy.fetch_many("leerlingen", INSTITUTES, SCHOOL_YEAR, referentiedatum="gisteren")
        with pytest.raises(InvalidInputError):
            legacy.fetch_many("nope", INSTITUTES, SCHOOL_YEAR)
        with pytest.raises(InvalidInputError):
            legacy.fetch_many("leerlingen", "123456", SCHOOL_YEAR)
    assert legacy_server.legacy.stats.requests == 0


async def test_the_fan_out_keeps_to_the_rate_limit(legacy_server: FakeInformat) -> None:
    rate = 20.0
    async with make_client(legacy_server, rate_limit=rate) as legacy:
        started = time.monotonic()
        await legacy.fetch_many("vervangingen", INSTITUTES, SCHOOL_YEAR).gather()
        await legacy.fetch_many("leerkrachten_diplomas", INSTITUTES, SCHOOL_YEAR).gather()
        took = time.monotonic() - started
    times = [e.time for e in legacy_server.request_log if e.endpoint == "legacy"]
    assert len(times) == 4
    # The limiter's bucket lets 2 requests through at once, the others wait their turn. A
    # lower bound measured by the caller: a loaded machine only makes the run longer.
    assert took >= 2 / rate * 0.95


async def test_the_fake_serves_form_post_and_get_and_checks_requests(
    legacy_server: FakeInformat,
) -> None:
    url = legacy_server.legacy_url
    params = {"login": legacy_server.legacy_login, "paswoord": legacy_server.legacy_password,
              "schooljaar": SCHOOL_YEAR, "instelnr": "123456",
              "personeelsgroep_is_een_optie": ""}
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/Leerkrachten", data=params) as resp:
            assert resp.status == 200
            body = await resp.text()
        assert body.count("<Perssortname>") == len(
            ground_truth(legacy_server, "leerkrachten", "123456"))
        assert "<ArrayOfWsPersoneelslid" in body
        assert body.count("<wsPersoneelslid>") == body.count("<Perssortname>")
        missing = {k: v for k, v in params.items() if k != "personeelsgroep_is_een_optie"}
        async with session.post(f"{url}/Leerkrachten", data=missing) as resp:
            assert resp.status == 500
            assert "Missing parameter: personeelsgroep_is_een_optie" in await resp.text()
        async with session.get(f"{url}/Leerkrachten", params=params) as resp:
            assert resp.status == 200
        async with session.post(f"{url}/Leerkrachten",
                                data={**params, "paswoord": "x"}) as resp:
            assert resp.status == 500
            assert "Ongeldige login" in await resp.text()
        async with session.post(f"{url}/AuthenticateUser", data={
                "sUserName": legacy_server.legacy_login,
                "sPassword": legacy_server.legacy_password}) as resp:
            assert "true</boolean>" in await resp.text()
        async with session.post(url, data=b"<a/>", headers={"Content-Type": "text/plain"}
                                ) as resp:
            assert resp.status == 415
        soap_headers = {"Content-Type": "text/xml; charset=utf-8",
                        "SOAPAction": '"http://InformatSoftware.be/wsInfSoft/wsInformat/Lln"'}
        async with session.post(url, data=BILLION_LAUGHS, headers=soap_headers) as resp:
            assert resp.status == 500
            assert "soap:Client" in await resp.text()
    assert legacy_server.legacy.stats.protocols == {"form": 4, "get": 1, "soap": 2}


async def test_no_password_in_logs_reprs_errors_or_urls(
    legacy_server: FakeInformat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = {legacy_server.legacy_password, "Geheim-123"}
    legacy_server.legacy.add_user("x@school.be", "Geheim-123")
    legacy_server.faults = Faults(p_503=0.3, p_reset=0.1, seed=9)
    texts: list[str] = []
    async with make_client(legacy_server, retry=RetryPolicy.no_wait(max_attempts=12)) as legacy:
        texts.append(repr(legacy))
        staff = await legacy.leerkrachten("123456", SCHOOL_YEAR)
        users = await legacy.smartschool_users("123456", SCHOOL_YEAR,
                                               smartschoolplatform=PLATFORM)
        await legacy.authenticate_user("x@school.be", "Geheim-123")
        for record in (*staff, *users):
            texts.append(repr(record))
            secrets.update(v for k in ("wachtwoord", "wachtwoord_ad", "wachtwoord1",
                                       "wachtwoord2", "wachtwoord3")
                           if (v := getattr(record, k, None)))
        legacy_server.faults = Faults()
        try:
            await legacy.leerlingen("999998", SCHOOL_YEAR)
        except ForbiddenError as exc:
            texts.append(str(exc))
        run = legacy.fetch_many("leerkrachten", ["123456", "999998"], SCHOOL_YEAR)
        await run.gather()
        texts.append(run.report.summary())
    async with InformatLegacyClient(legacy_server.legacy_login, "Not-The-Password-1",
                                    url=legacy_server.legacy_url, rate_limit=None) as bad:
        try:
            await bad.leerlingen("123456", SCHOOL_YEAR)
        except AuthenticationError as exc:
            texts.append(str(exc))
            texts.append(repr(exc))
    secrets.add("Not-The-Password-1")
    assert any("retry" in r.getMessage() for r in caplog.records)
    texts.extend(r.getMessage() for r in caplog.records)
    texts.extend(f"{e.path}?{e.query}" for e in legacy_server.request_log)
    assert len(secrets) > 20
    for text in texts:
        for secret in secrets:
            assert secret not in text
    legacy_requests = [e for e in legacy_server.request_log if e.endpoint == "legacy"]
    assert legacy_requests
    assert all(e.method == "POST" and not e.query for e in legacy_requests)


async def test_faults_can_target_the_legacy_service_only() -> None:
    async with FakeInformat(institutes=("123456",), students_per_institute=3, seed=2) as server:
        server.faults = Faults(p_503=1.0, endpoints={"legacy"})
        async with InformatLegacyClient(
            server.legacy_login, server.legacy_password, url=server.legacy_url,
            retry=RetryPolicy.never(),
        ) as legacy:
            with pytest.raises(ServerError):
                await legacy.leerlingen("123456", "2025-26")
        assert server.stats.faults["503"] == 1
