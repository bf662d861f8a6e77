"""The legacy client's wire, pinned against the evidence of ``shared/reference/
legacy-wire.md``: SOAPAction, operation and parameter names per operation, typed-array
answers (nested per pupil, single row, empty, xsi:nil), answers it must not guess at,
HTML pages, faults that merely mention the password, and the fake service's behaviour."""

from __future__ import annotations

import asyncio
import gc
import itertools
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from informat_async import RetryPolicy
from informat_async.errors import (
    AuthenticationError,
    BadRequestError,
    ForbiddenError,
    ResponseValidationError,
    ServerError,
)
from informat_async.legacy import (
    OPERATIONS,
    Comnummer,
    Emailrelatie,
    InformatLegacyClient,
    Leerkracht,
    Leerling,
    Relatie,
    UnsafeXMLError,
)
from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR

NS = "http://InformatSoftware.be/wsInfSoft/wsInformat"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PLATFORM = "school.smartschool.be"

# --- the evidence table (legacy-wire.md section 6), written out independently ---------

_B = ("login", "paswoord", "schooljaar", "instelnr")
#: method -> (operation, every parameter in order), where public evidence names them.
EVIDENCE: dict[str, tuple[str, tuple[str, ...]]] = {
    "leerlingen": ("Lln", (*_B, "referentiedatum", "hoofdstructuur")),
    "leerlingen_extra": ("LlnExtra", (*_B, "referentiedatum", "hoofdstructuur")),
    "subgroepen": ("Subgroepen", (*_B, "hoofdstructuur")),
    "adressen": ("Adressen", (*_B, "hoofdstructuur")),
    "comnummers": ("ComnummersRelatie", (*_B, "hoofdstructuur", "gewijzigdSinds")),
    "relaties": ("Relaties", (*_B, "hoofdstructuur", "gewijzigdSinds")),
    "inschrijvingen": ("Inschrijvingen", (*_B, "hoofdstructuur", "preRegistrationId")),
    "emailrelaties": ("EmailRelatie",
                      (*_B, "referentiedatum", "hoofdstructuur", "gewijzigdSinds")),
    "adressen_email": ("AdressenEmail", (*_B, "hoofdstructuur")),
    "leerkrachten": ("Leerkrachten", (*_B, "personeelsgroep_is_een_optie")),
    "leerkrachten_opdrachten": ("LeerkrachtenOpdrachten",
                                (*_B, "ReferentiedatumNPRE", "Met_NSU_Uren")),
    "leerkrachten_vrijevelden": ("LeerkrachtenVrijevelden", _B),
    "smartschool_users": ("SmartschoolUsers",
                          ("login", "paswoord", "smartschoolplatform", "schooljaar",
                           "instelnr", "discimusVestigingsnr", "referentiedatum")),
    # boarders: the same operations with the boarding school's number (inferred)
    "internen": ("LlnExtra", (*_B, "referentiedatum", "hoofdstructuur")),
    "internen_adressen_email": ("AdressenEmail", (*_B, "hoofdstructuur")),
    "internen_comnummers": ("ComnummersRelatie", (*_B, "hoofdstructuur", "gewijzigdSinds")),
    "internen_relaties": ("Relaties", (*_B, "hoofdstructuur", "gewijzigdSinds")),
    "internen_emailrelaties": ("EmailRelatie",
                               (*_B, "referentiedatum", "hoofdstructuur", "gewijzigdSinds")),
}
INFERRED = {"internen", "internen_adressen_email", "internen_comnummers", "internen_relaties",
            "internen_emailrelaties"}
#: No public evidence: today's best guesses, unconfirmed (kept as they were).
GUESSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "emailadressen": ("Emailadressen", (*_B, "hoofdstructuur")),
    "rekeningnummers": ("Rekeningnummers", _B),
    "leerling_comnummers": ("LlnComnummers", _B),
    "leerkrachten_dienstonderbrekingen": ("LeerkrachtenDienstonderbrekingen", _B),
    "leerkrachten_nascholingen": ("LeerkrachtenNascholingen",
                                  (*_B, "begindatum", "einddatum")),
    "leerkrachten_benoemingen": ("LeerkrachtenBenoemingen", _B),
    "leerkrachten_diplomas": ("LeerkrachtenDiplomas", _B),
    "vervangingen": ("Vervangingen", _B),
    "internaat_inschrijvingen": ("InternaatInschrijvingen", (*_B, "referentiedatum")),
}
UNCONFIRMED = {method: name for method, (name, _) in GUESSES.items()}


def kwargs_for(method: str) -> dict[str, object]:
    return {"smartschoolplatform": PLATFORM} if method == "smartschool_users" else {}


# --- a loopback server that records requests and answers what the test sets ------------


@dataclass
class Seen:
    action: str
    content_type: str
    operation: str
    params: list[str]
    values: dict[str, str]


@dataclass
class Canned:
    """What the loopback service answers, and what it received."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/xml"
    seen: list[Seen] = field(default_factory=list)
    url: str = ""


def soap(content: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}" '
            f'xmlns:xsi="{XSI}" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
            f"{content}</soap:Body></soap:Envelope>").encode()


def typed(op: str, rows: str) -> bytes:
    return soap(f'<{op}Response xmlns="{NS}"><{op}Result>{rows}</{op}Result></{op}Response>')


@pytest.fixture
async def canned() -> AsyncIterator[Canned]:
    state = Canned()

    async def handler(request: web.Request) -> web.Response:
        body = await request.read()
        envelope = ET.fromstring(body)  # noqa: S314 - the test's own client wrote it
        method = envelope.find(f"{{{SOAP}}}Body")[0]  # type: ignore[index]
        assert method.tag.startswith(f"{{{NS}}}")
        state.seen.append(Seen(
            request.headers.get("SOAPAction", ""), request.headers.get("Content-Type", ""),
            method.tag.split("}")[1],
            [child.tag for child in method],
            {child.tag: child.text or "" for child in method},
        ))
        return web.Response(status=state.status, body=state.body,
                            headers={"Content-Type": state.content_type})

    app = web.Application()
    app.router.add_post("/wsInfSoft/wsInformat.asmx", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}/wsInfSoft/wsInformat.asmx"
    try:
        yield state
    finally:
        await runner.cleanup()


def client(url: str, **kwargs: Any) -> InformatLegacyClient:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("retry", RetryPolicy.no_wait(max_attempts=1))
    return InformatLegacyClient("webservices@school.be", "S3cret-pass", url=url, **kwargs)


# --- names on the wire ------------------------------------------------------------------


def test_every_operation_is_in_the_evidence_table_or_marked_unconfirmed() -> None:
    assert set(EVIDENCE) | set(UNCONFIRMED) == set(OPERATIONS)
    assert {m for m, op in OPERATIONS.items() if not op.confirmed} == (
        set(UNCONFIRMED) | INFERRED)
    for method in (*UNCONFIRMED, *INFERRED):
        doc = getattr(InformatLegacyClient, method).__doc__
        assert "nconfirmed" in doc, method
    for method, name in UNCONFIRMED.items():
        assert OPERATIONS[method].name == name


@pytest.mark.parametrize("method", sorted({**EVIDENCE, **GUESSES}))
async def test_soap_action_and_element_names_follow_the_evidence(
    canned: Canned, method: str
) -> None:
    operation, params = {**EVIDENCE, **GUESSES}[method]
    canned.body = typed(operation, "")
    async with client(canned.url) as legacy:
        assert await legacy.call(method, "012345", SCHOOL_YEAR, **kwargs_for(method)) == []
    [seen] = canned.seen
    assert seen.action == f'"{NS}/{operation}"'  # with the quotes, as .NET sends it
    assert seen.content_type.startswith("text/xml")
    assert seen.operation == operation
    assert seen.params == [f"{{{NS}}}{name}" for name in params]


async def test_the_staff_group_filter_is_sent_under_its_real_name(canned: Canned) -> None:
    canned.body = typed("Leerkrachten", "")
    async with client(canned.url) as legacy:
        await legacy.leerkrachten("012345", SCHOOL_YEAR, personeelsgroep="Directie")
    values = canned.seen[0].values
    assert values[f"{{{NS}}}personeelsgroep_is_een_optie"] == "Directie"
    assert f"{{{NS}}}personeelsgroep" not in values


async def test_the_client_sends_only_parameters_the_fake_knows() -> None:
    async with FakeInformat(institutes=("123456",), students_per_institute=4,
                            school_year=SCHOOL_YEAR, seed=5) as server:
        async with InformatLegacyClient(server.legacy_login, server.legacy_password,
                                        url=server.legacy_url, rate_limit=None) as legacy:
            for method in OPERATIONS:
                await legacy.call(method, "123456", SCHOOL_YEAR, **kwargs_for(method))
        stats = server.legacy.stats
        assert stats.unknown_parameters == {}
        assert stats.faults == {}
        for method, (operation, params) in EVIDENCE.items():
            assert stats.parameter_names[operation] == params, method


# --- typed arrays -----------------------------------------------------------------------


@dataclass(frozen=True)
class Nested:
    method: str
    operation: str
    row: str
    wrapper: str
    item: str
    field: str  # an item element
    attribute: str  # its model field
    model: type


NESTED = [
    Nested("relaties", "Relaties", "WsRelaties", "Relaties", "Relatie", "Naam", "naam",
           Relatie),
    Nested("comnummers", "ComnummersRelatie", "WsComnummers", "Comnrs", "Comnr", "Nummer",
           "nummer", Comnummer),
    Nested("emailrelaties", "EmailRelatie", "WsEmailadressen", "Emails", "Email", "Adres",
           "adres", Emailrelatie),
    # the boarder lists call the same operations
    Nested("internen_relaties", "Relaties", "WsRelaties", "Relaties", "Relatie", "Naam",
           "naam", Relatie),
    Nested("internen_comnummers", "ComnummersRelatie", "WsComnummers", "Comnrs", "Comnr",
           "Nummer", "nummer", Comnummer),
    Nested("internen_emailrelaties", "EmailRelatie", "WsEmailadressen", "Emails", "Email",
           "Adres", "adres", Emailrelatie),
]


def _item(n: Nested, value: str | None, p_relatie: str | None = None) -> str:
    field_xml = (f'<{n.field} xsi:nil="true" />' if value is None
                 else f"<{n.field}>{value}</{n.field}>")
    relation = f"<PRelatie>{p_relatie}</PRelatie>" if p_relatie else ""
    return f"<{n.item}><Type>Eigen</Type>{field_xml}{relation}</{n.item}>"


@pytest.mark.parametrize("n", NESTED, ids=[n.method for n in NESTED])
async def test_nested_answers_give_one_record_per_item(canned: Canned, n: Nested) -> None:
    canned.body = typed(n.operation, (
        f"<{n.row}><PPersoon>1001</PPersoon><{n.wrapper}>{_item(n, 'a', '7')}"
        f"{_item(n, None)}</{n.wrapper}></{n.row}>"
        f"<{n.row}><PPersoon>1002</PPersoon><{n.wrapper} /></{n.row}>"
        f'<{n.row}><PPersoon>1003</PPersoon><{n.wrapper} xsi:nil="true" /></{n.row}>'
        f"<{n.row}><PPersoon>1004</PPersoon></{n.row}>"
        f'<{n.row}><PPersoon>1005</PPersoon><{n.wrapper}><{n.item} xsi:nil="true" />'
        f"{_item(n, 'c', '9')}</{n.wrapper}></{n.row}>"
        f'<{n.row} xsi:nil="true" />'
    ))
    async with client(canned.url) as legacy:
        records = await getattr(legacy, n.method)("012345", SCHOOL_YEAR)
    assert [(type(r), r.p_persoon, getattr(r, n.attribute), r.p_relatie, r.type)
            for r in records] == [
        (n.model, 1001, "a", 7, "Eigen"),
        (n.model, 1001, None, None, "Eigen"),
        (n.model, 1005, "c", 9, "Eigen"),
    ]


@pytest.mark.parametrize("n", NESTED, ids=[n.method for n in NESTED])
async def test_a_single_nested_row_is_one_record(canned: Canned, n: Nested) -> None:
    canned.body = typed(n.operation, f"<{n.row}><PPersoon>1001</PPersoon><{n.wrapper}>"
                                     f"{_item(n, 'x', '5')}</{n.wrapper}></{n.row}>")
    async with client(canned.url) as legacy:
        records = await getattr(legacy, n.method)("012345", SCHOOL_YEAR)
    assert len(records) == 1
    assert (records[0].p_persoon, getattr(records[0], n.attribute)) == (1001, "x")


@pytest.mark.parametrize("n", NESTED, ids=[n.method for n in NESTED])
async def test_empty_nested_answers(canned: Canned, n: Nested) -> None:
    async with client(canned.url) as legacy:
        for body in (typed(n.operation, ""),
                     soap(f'<{n.operation}Response xmlns="{NS}" />'),
                     soap(f'<{n.operation}Response xmlns="{NS}"><{n.operation}Result '
                          f'xsi:nil="true" /></{n.operation}Response>')):
            canned.body = body
            assert await getattr(legacy, n.method)("012345", SCHOOL_YEAR) == []


async def test_a_single_flat_row_holding_a_nested_element_is_one_record(canned: Canned) -> None:
    canned.body = typed("Lln", "<wsInschrijving><p_persoon>1</p_persoon><Naam>Peeters</Naam>"
                               "<Extra><a>1</a><b>2</b></Extra><Klas>1A</Klas>"
                               '<Klasnr xsi:nil="true" /></wsInschrijving>')
    async with client(canned.url) as legacy:
        assert await legacy.leerlingen("012345", SCHOOL_YEAR) == [
            Leerling(p_persoon=1, naam="Peeters", klas="1A")]


async def test_record_count_equals_row_count_over_many_chunks(canned: Canned) -> None:
    rows = 5_000  # several of the decoder's 64 KiB slices
    canned.body = typed("Leerkrachten", "".join(
        f"<wsPersoneelslid><p_persoon>{i}</p_persoon><Naam>Naam {i}</Naam>"
        f"<Voornaam>Voornaam</Voornaam><Actief>J</Actief></wsPersoneelslid>"
        for i in range(rows)))
    assert len(canned.body) > 4 * 64 * 1024
    async with client(canned.url) as legacy:
        staff = await legacy.leerkrachten("012345", SCHOOL_YEAR)
    assert [s.p_persoon for s in staff] == list(range(rows))
    assert all(type(s) is Leerkracht and s.naam == f"Naam {s.p_persoon}" for s in staff)


async def test_big_answers_hand_the_loop_back_between_slices(
    canned: Canned, monkeypatch: pytest.MonkeyPatch
) -> None:
    from informat_async.legacy import _decode

    turns = 0
    seen: list[int] = []  # the other task's turns at each slice
    feed = _decode.ListDecoder.feed

    def spy(self: _decode.ListDecoder, data: bytes) -> None:
        seen.append(turns)
        feed(self, data)

    monkeypatch.setattr(_decode.ListDecoder, "feed", spy)
    row = "<wsPersoneelslid><p_persoon>1</p_persoon><Naam>N</Naam></wsPersoneelslid>"
    stop = False

    async def other() -> None:
        nonlocal turns
        while not stop:
            turns += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(other())
    async with client(canned.url) as legacy:
        canned.body = typed("Leerkrachten", row * (8 * _decode.SLICE // len(row)))
        seen.clear()
        staff = await legacy.leerkrachten("012345", SCHOOL_YEAR)
        big = list(seen)
        canned.body = typed("Leerkrachten", row * 10)  # one slice: decoded at once
        seen.clear()
        assert len(await legacy.leerkrachten("012345", SCHOOL_YEAR)) == 10
        small = list(seen)
    stop = True
    await task
    assert len(staff) == 8 * _decode.SLICE // len(row)
    assert len(big) >= 8
    # the other task ran between every two slices
    assert all(later > earlier for earlier, later in itertools.pairwise(big))
    assert len(small) == 1


# --- answers the decoder must not guess at ----------------------------------------------


@pytest.mark.parametrize(
    ("method", "operation", "rows", "why"),
    [
        ("leerlingen", "Lln", "<wsLeerling><pointer>1</pointer></wsLeerling>", "expected"),
        ("leerlingen", "Lln", "<wsInschrijving><Naam>a</Naam></wsInschrijving>"
                              "<wsAdres><Naam>b</Naam></wsAdres>", "several kinds"),
        ("leerlingen", "Lln", "<string>a</string><string>b</string>", "text"),
        ("leerkrachten_benoemingen", "LeerkrachtenBenoemingen",
         "<string>a</string>", "text"),
        ("leerlingen", "Lln", "<wsInschrijving><Foo>1</Foo><Bar>2</Bar></wsInschrijving>",
         "none of whose elements"),
        ("vervangingen", "Vervangingen", "<ArrayOfX><wsVervanging><POnderbr>1</POnderbr>"
                                         "</wsVervanging></ArrayOfX>", "nested elements only"),
        ("relaties", "Relaties", "<WsRelaties><PPersoon>1</PPersoon><Relaties><Comnr>"
                                 "<Nummer>1</Nummer></Comnr></Relaties></WsRelaties>",
         "expected Relatie"),
        ("relaties", "Relaties", "<WsComnummers><PPersoon>1</PPersoon></WsComnummers>",
         "expected WsRelaties"),
    ],
)
async def test_unrecognised_answers_are_typed_errors_naming_the_operation(
    canned: Canned, method: str, operation: str, rows: str, why: str
) -> None:
    canned.body = typed(operation, rows)
    async with client(canned.url) as legacy:
        with pytest.raises(ResponseValidationError) as info:
            await legacy.call(method, "012345", SCHOOL_YEAR)
    assert type(info.value) is ResponseValidationError
    assert f"unrecognised {operation} answer" in str(info.value)
    assert why in str(info.value)
    assert info.value.endpoint == f"legacy {operation}"


async def test_a_renamed_operation_takes_any_one_row_name(canned: Canned) -> None:
    canned.body = typed("Vervangingen2", "<Vervanging><POnderbr>3</POnderbr></Vervanging>")
    async with client(canned.url, operation_names={"vervangingen": "Vervangingen2"}) as legacy:
        [record] = await legacy.vervangingen("012345", SCHOOL_YEAR)
    assert record.p_onderbr == 3


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/xml"])
@pytest.mark.parametrize("page", [
    b"<!DOCTYPE html>\n<html><head><title>Aanmelden</title></head><body><br></body></html>",
    b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html><body/></html>',
])
async def test_an_html_page_is_not_an_xml_answer(canned: Canned, content_type: str,
                                                 page: bytes) -> None:
    canned.body, canned.content_type = page, content_type
    async with client(canned.url) as legacy:
        with pytest.raises(ResponseValidationError) as info:
            await legacy.leerlingen("012345", SCHOOL_YEAR)
        assert not isinstance(info.value, UnsafeXMLError)
        assert "not an XML answer" in str(info.value)
        assert "DTD" not in str(info.value)
        with pytest.raises(ResponseValidationError, match="not an XML answer"):
            await legacy.authenticate_user("x", "y")


# --- faults -----------------------------------------------------------------------------


def _fault(text: str) -> bytes:
    return soap("<soap:Fault><faultcode>soap:Server</faultcode><faultstring>"
                "System.Web.Services.Protocols.SoapException: Server was unable to process "
                f"request. ---&gt; {text}</faultstring><detail /></soap:Fault>")


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("System.Exception: Ongeldige login of paswoord.", AuthenticationError),
        ("System.Exception: Login of paswoord is ongeldig", AuthenticationError),
        ("System.Exception: Invalid username or password", AuthenticationError),
        ("System.Exception: Login failed for user 'x'", AuthenticationError),
        ("System.ArgumentNullException: Value cannot be null. Parameter name: paswoord",
         BadRequestError),
        ("System.InvalidOperationException: Missing parameter: paswoord.", BadRequestError),
        ("System.NullReferenceException: Object reference not set in "
         "wsInformat.CheckLogin(String login, String paswoord)", ServerError),
        ("System.Exception: Het paswoord wordt bewaard in de kluis", ServerError),
        ("System.Exception: Geen toegang tot instellingsnummer '1' voor deze login",
         ForbiddenError),
    ],
)
async def test_only_a_refused_login_is_an_authentication_error(
    canned: Canned, text: str, cls: type[Exception]
) -> None:
    canned.body, canned.status = _fault(text), 500
    async with client(canned.url) as legacy:
        with pytest.raises(cls) as info:
            await legacy.leerlingen("012345", SCHOOL_YEAR)
    assert type(info.value) is cls
    assert "S3cret-pass" not in str(info.value)


# --- the fake service -------------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeInformat]:
    async with FakeInformat(institutes=("123456", "654321"), students_per_institute=8,
                            school_year=SCHOOL_YEAR, seed=21) as server:
        yield server


def fake_client(server: FakeInformat, **kwargs: Any) -> InformatLegacyClient:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("retry", RetryPolicy.no_wait())
    return InformatLegacyClient(server.legacy_login, server.legacy_password,
                                url=server.legacy_url, **kwargs)


async def _post(server: FakeInformat, operation: str, params: dict[str, str]) -> tuple[int, str]:
    import aiohttp

    inner = "".join(f"<{k}>{v}</{k}>" for k, v in params.items())
    body = soap(f'<{operation} xmlns="{NS}">{inner}</{operation}>')
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}/{operation}"'}
    async with aiohttp.ClientSession() as session, session.post(
        server.legacy_url, data=body, headers=headers
    ) as resp:
        return resp.status, await resp.text()


async def test_the_fake_answers_typed_arrays_nested_per_pupil(fake: FakeInformat) -> None:
    login = {"login": fake.legacy_login, "paswoord": fake.legacy_password,
             "schooljaar": SCHOOL_YEAR, "instelnr": "123456"}
    status, text = await _post(fake, "Relaties", login)
    assert status == 200
    root = ET.fromstring(text)  # noqa: S314 - the package's own fake wrote it
    result = root.find(f".//{{{NS}}}RelatiesResult")
    assert result is not None
    pupils = list(result)
    assert pupils
    assert {p.tag for p in pupils} == {f"{{{NS}}}WsRelaties"}
    items = result.findall(f"./{{{NS}}}WsRelaties/{{{NS}}}Relaties/{{{NS}}}Relatie")
    assert len(items) == len(fake.legacy.data.rows("Relaties", {**login, "hoofdstructuur": "",
                                                                "gewijzigdSinds": ""}))
    assert "xsi:nil=\"true\"" in text or all(i.find(f"{{{NS}}}Lpv") is not None for i in items)
    status, text = await _post(fake, "ComnummersRelatie", login)
    answer = ET.fromstring(text)  # noqa: S314 - the package's own fake wrote it
    own = [c for c in answer.iter(f"{{{NS}}}Comnr")
           if c.find(f"{{{NS}}}PRelatie") is None]
    assert own  # the pupil's own numbers carry no PRelatie element


async def test_the_fake_rejects_unknown_operations_and_records_unknown_parameters(
    fake: FakeInformat,
) -> None:
    login = {"login": fake.legacy_login, "paswoord": fake.legacy_password,
             "schooljaar": SCHOOL_YEAR, "instelnr": "123456"}
    everyone = fake.legacy.data.rows("Leerkrachten", {**login,
                                                      "personeelsgroep_is_een_optie": ""})
    status, text = await _post(fake, "Leerkrachten", {**login, "personeelsgroep": "Directie"})
    assert status == 200  # ignored, as ASMX does: every staff member comes back
    assert text.count("<wsPersoneelslid>") == len(everyone) > 1
    assert fake.legacy.stats.unknown_parameters == {("Leerkrachten", "personeelsgroep"): 1}
    async with fake_client(
        fake, operation_names={"leerkrachten_vrijevelden": "LeerkrachtenVrijeVelden"}
    ) as legacy:
        with pytest.raises(BadRequestError, match="did not recognize"):
            await legacy.leerkrachten_vrijevelden("123456", SCHOOL_YEAR)
    assert fake.legacy.stats.faults == {"operation": 1}


@pytest.mark.parametrize("method", sorted(OPERATIONS))
async def test_the_dataset_shape_decodes_to_the_same_records(fake: FakeInformat,
                                                            method: str) -> None:
    async with fake_client(fake) as legacy:
        call: Callable[[], Any] = lambda: legacy.call(  # noqa: E731
            method, "123456", SCHOOL_YEAR, **kwargs_for(method))
        typed_records = await call()
        fake.legacy.shape = "dataset"
        dataset_records = await call()
    assert typed_records
    assert dataset_records == typed_records


async def test_boarder_lists_answer_for_the_boarding_school(fake: FakeInformat) -> None:
    data = fake.legacy.data
    boarding = data.boarding_school("123456")
    assert boarding not in fake.data.institutes
    async with fake_client(fake) as legacy:
        boarders = await legacy.internen(boarding, SCHOOL_YEAR)
        pupils = await legacy.leerlingen_extra("123456", SCHOOL_YEAR)
        relations = await legacy.internen_relaties(boarding, SCHOOL_YEAR)
        rooms = await legacy.internaat_inschrijvingen(boarding, SCHOOL_YEAR)
    assert 0 < len(boarders) < len(pupils)
    assert sorted(r.p_persoon for r in rooms) == sorted(b.pointer for b in boarders)
    assert {b.pointer for b in boarders} == {
        int(p.p_persoon) for p in data.pupils("123456") if data.is_boarder(p.student_id)}
    assert {r.p_persoon for r in relations} <= {b.pointer for b in boarders}


async def test_the_collector_is_paused_while_a_big_answer_decodes(
    canned: Canned, monkeypatch: pytest.MonkeyPatch
) -> None:
    from informat_async.legacy import _decode

    enabled: list[bool] = []
    structure = _decode.structure_one

    def spy(*args: Any, **kwargs: Any) -> Any:
        enabled.append(gc.isenabled())
        return structure(*args, **kwargs)

    monkeypatch.setattr(_decode, "structure_one", spy)
    row = "<wsPersoneelslid><p_persoon>1</p_persoon><Naam>N</Naam></wsPersoneelslid>"
    canned.body = typed("Leerkrachten", row * 20)
    assert gc.isenabled()
    async with client(canned.url) as legacy:
        await legacy.leerkrachten("012345", SCHOOL_YEAR)
        assert enabled == [True] * 20  # a small answer: nothing paused
        monkeypatch.setattr(_decode, "PAUSE_GC_FROM", len(canned.body))
        enabled.clear()
        await legacy.leerkrachten("012345", SCHOOL_YEAR)
    assert enabled == [False] * 20
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_pretty_printed_answers_decode_the_same(canned: Canned) -> None:
    canned.body = typed("Relaties", (
        "\n  <WsRelaties>\n    <PPersoon>1001</PPersoon>\n    <Relaties>\n"
        "      <Relatie>\n        <Naam>Peeters</Naam>\n        <Lpv>1</Lpv>\n"
        "      </Relatie>\n    </Relaties>\n  </WsRelaties>\n"))
    async with client(canned.url) as legacy:
        assert await legacy.relaties("012345", SCHOOL_YEAR) == [
            Relatie(p_persoon=1001, naam="Peeters", lpv=1)]


async def test_a_cancelled_call_stops_decoding_and_resumes_the_collector(
    canned: Canned, monkeypatch: pytest.MonkeyPatch
) -> None:
    from informat_async.legacy import _decode

    feeds = 0
    feed = _decode.ListDecoder.feed

    def spy(self: _decode.ListDecoder, data: bytes) -> None:
        nonlocal feeds
        feeds += 1
        if feeds == 2:
            task = asyncio.current_task()
            assert task is not None
            task.cancel()  # takes effect when the decoder hands the loop back
        feed(self, data)

    monkeypatch.setattr(_decode.ListDecoder, "feed", spy)
    monkeypatch.setattr(_decode, "PAUSE_GC_FROM", 0)
    row = "<wsPersoneelslid><p_persoon>1</p_persoon><Naam>N</Naam></wsPersoneelslid>"
    canned.body = typed("Leerkrachten", row * (8 * _decode.SLICE // len(row)))
    async with client(canned.url) as legacy:
        with pytest.raises(asyncio.CancelledError):
            await legacy.leerkrachten("012345", SCHOOL_YEAR)
    assert feeds == 2
    assert gc.isenabled()
