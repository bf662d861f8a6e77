"""The older webservices' protocol without a server: envelopes, DataSets, faults, XML
safety, conversion and input checks."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from informat_async.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ForbiddenError,
    InvalidInputError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from informat_async.legacy import (
    OPERATIONS,
    InformatLegacyClient,
    Leerkracht,
    Leerling,
    LeerlingEmailadressen,
    Relatie,
    SmartschoolUser,
    UnsafeXMLError,
    password_fields,
    without_passwords,
)
from informat_async.legacy import _protocol as protocol
from informat_async.legacy._client import prepare_call
from informat_async.legacy._convert import fold, make_converter, structure_rows
from informat_async.legacy._operations import MODELS

NOW = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
CONVERTER = make_converter(MODELS)
NS = protocol.NAMESPACE


def soap(content: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{protocol.SOAP_ENV}">'
        f"<soap:Body>{content}</soap:Body></soap:Envelope>"
    ).encode()


def dataset(rows: str, op: str = "Lln") -> bytes:
    return soap(
        f'<{op}Response xmlns="{NS}"><{op}Result>'
        '<xs:schema id="NewDataSet" xmlns="" xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="NewDataSet" /></xs:schema>'
        '<diffgr:diffgram xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1">'
        f'<NewDataSet xmlns="">{rows}</NewDataSet></diffgr:diffgram>'
        f"</{op}Result></{op}Response>"
    )


def rows_of(body: bytes, op: str = "Lln", status: int = 200) -> list[protocol.Row]:
    result = protocol.read_answer(status, {}, body, operation=op, now=NOW)
    return protocol.dataset_rows(result)


def fault(code: str, text: str) -> bytes:
    return soap(f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring>"
                "<detail /></soap:Fault>")


# --- requests ----------------------------------------------------------------------------


def test_envelope_carries_every_parameter_escaped_and_empty_ones() -> None:
    headers, body = protocol.soap_request(
        "Lln", [("login", "a&b"), ("paswoord", "<x>"), ("referentiedatum", "")]
    )
    assert headers["SOAPAction"] == f'"{NS}/Lln"'
    assert headers["Content-Type"].startswith("text/xml")
    text = body.decode()
    assert "<login>a&amp;b</login>" in text
    assert "<paswoord>&lt;x&gt;</paswoord>" in text
    assert "<referentiedatum />" in text
    assert f'<Lln xmlns="{NS}">' in text


def test_prepare_call_sends_all_options_in_wire_names_and_formats() -> None:
    op = OPERATIONS["leerkrachten_opdrachten"]
    call = prepare_call(op, "012345", "2025-26",
                        {"referentiedatum_npre": dt.date(2025, 10, 3), "met_nsu_uren": True})
    assert call.params == (("schooljaar", "2025-26"), ("instelnr", "012345"),
                           ("ReferentiedatumNPRE", "03/10/2025"), ("Met_NSU_Uren", "Ja"))
    call = prepare_call(OPERATIONS["leerlingen"], "012345", "2025-26", {})
    assert dict(call.params) == {"schooljaar": "2025-26", "instelnr": "012345",
                                 "referentiedatum": "", "hoofdstructuur": ""}
    call = prepare_call(OPERATIONS["relaties"], "012345", "2025-26",
                        {"gewijzigd_sinds": dt.datetime(2025, 9, 1, 6, 30, tzinfo=dt.UTC)})
    assert dict(call.params)["gewijzigdSinds"] == "01/09/2025 08:30:00"  # Belgian time
    call = prepare_call(OPERATIONS["leerlingen"], "012345", "2025-26",
                        {"referentiedatum": "1-9-2025"})
    assert dict(call.params)["referentiedatum"] == "01/09/2025"


@pytest.mark.parametrize(
    ("method", "institute", "year", "options", "needle"),
    [
        ("leerlingen", "1234567", "2025-26", {}, "6 digits"),
        ("leerlingen", 12345.0, "2025-26", {}, "string of 6 digits"),
        ("leerlingen", "012345", "2025/26", {}, "2025-26"),
        ("leerlingen", "012345", "2025-27", {}, "consecutive"),
        ("leerlingen", "012345", "2025-26", {"referentiedatum": "31/02/2025"}, "date"),
        ("leerlingen", "012345", "2025-26", {"referentiedatum": 20250901}, "date"),
        ("leerlingen", "012345", "2025-26", {"hoofdstructuur": "31"}, "3-digit"),
        ("leerlingen", "012345", "2025-26", {"personeelsgroep": "x"}, "takes no option"),
        ("inschrijvingen", "012345", "2025-26", {"pre_registration_id": "nope"}, "GUID"),
        ("leerkrachten", "012345", "2025-26", {"personeelsgroep": " "}, "non-empty"),
        ("leerkrachten_opdrachten", "012345", "2025-26", {"met_nsu_uren": "misschien"}, "True"),
        ("leerkrachten_nascholingen", "012345", "2025-26",
         {"begindatum": "2025-12-01", "einddatum": "2025-09-01"}, "after"),
        ("smartschool_users", "012345", "2025-26", {}, "smartschoolplatform"),
        ("smartschool_users", None, "2025-26", {"smartschoolplatform": "a b"}, "platform"),
        ("smartschool_users", None, "2025-26",
         {"smartschoolplatform": "x.smartschool.be", "discimus_vestigingsnr": "12a"}, "number"),
    ],
)
def test_bad_input_raises_before_sending(
    method: str, institute: object, year: str, options: dict[str, object], needle: str
) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        prepare_call(OPERATIONS[method], institute, year, options)


def test_client_constructor_checks() -> None:
    with pytest.raises(InvalidInputError):
        InformatLegacyClient("", "x")
    with pytest.raises(InvalidInputError):
        InformatLegacyClient("a", "")
    with pytest.raises(InvalidInputError, match="query"):
        InformatLegacyClient("a", "b", url="https://x/wsInformat.asmx?op=Lln")
    with pytest.raises(InvalidInputError, match="unknown methods"):
        InformatLegacyClient("a", "b", operation_names={"nope": "X"})
    legacy = InformatLegacyClient("a", "b", operation_names={"internen": "LlnExtra"})
    assert legacy.operation("internen").name == "LlnExtra"
    assert legacy.operation("LeerkrachtenOpdrachten").method == "leerkrachten_opdrachten"
    with pytest.raises(InvalidInputError, match="unknown legacy list"):
        legacy.operation("Leerlingen2")


# --- answers -----------------------------------------------------------------------------


def test_dataset_rows_empty_and_nil_values() -> None:
    rows = rows_of(dataset(
        '<Table><p_persoon>1</p_persoon><Naam /><Voornaam>  </Voornaam>'
        '<klas xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true" />'
        "<Nested><x>1</x></Nested></Table>"
        "<Table><p_persoon>2</p_persoon></Table>"
    ))
    assert rows == [{"p_persoon": "1", "Naam": None, "Voornaam": None, "klas": None},
                    {"p_persoon": "2"}]


def test_dataset_rows_without_rows_and_other_shapes() -> None:
    empty = soap(f'<LlnResponse xmlns="{NS}"><LlnResult><xs:schema '
                 'xmlns:xs="http://www.w3.org/2001/XMLSchema" /><diffgr:diffgram '
                 'xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1" />'
                 "</LlnResult></LlnResponse>")
    assert rows_of(empty) == []
    assert rows_of(soap(f'<LlnResponse xmlns="{NS}" />')) == []
    bare = soap(f'<LlnResponse xmlns="{NS}"><LlnResult><NewDataSet><T><a>1</a></T>'
                "<T><a>2</a></T></NewDataSet></LlnResult></LlnResponse>")
    assert rows_of(bare) == [{"a": "1"}, {"a": "2"}]
    form = (f'<?xml version="1.0"?><DataSet xmlns="{NS}"><xs:schema '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" /><diffgr:diffgram '
            'xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"><NewDataSet xmlns="">'
            "<Table><a>x</a></Table></NewDataSet></diffgr:diffgram></DataSet>").encode()
    assert rows_of(form) == [{"a": "x"}]
    with pytest.raises(ResponseValidationError, match="LeerkrachtenResponse"):
        rows_of(dataset("<T><a>1</a></T>"), op="Leerkrachten")
    with pytest.raises(ResponseValidationError, match="neither"):  # a captive portal's 200
        rows_of(b"<html><head><title>Login</title></head><body><p>x</p></body></html>")


def test_boolean_result() -> None:
    body = soap(f'<AuthenticateUserResponse xmlns="{NS}"><AuthenticateUserResult>true'
                "</AuthenticateUserResult></AuthenticateUserResponse>")
    result = protocol.read_answer(200, {}, body, operation="AuthenticateUser", now=NOW)
    assert protocol.boolean_result(result) is True
    form = f'<boolean xmlns="{NS}">false</boolean>'.encode()
    assert protocol.boolean_result(
        protocol.read_answer(200, {}, form, operation="AuthenticateUser", now=NOW)) is False
    with pytest.raises(ResponseValidationError):
        protocol.boolean_result(protocol.read_answer(
            200, {}, f'<boolean xmlns="{NS}">maybe</boolean>'.encode(),
            operation="AuthenticateUser", now=NOW))


@pytest.mark.parametrize(
    ("code", "text", "cls"),
    [
        ("soap:Server", "System.Web.Services.Protocols.SoapException: Server was unable to "
         "process request. ---&gt; System.Exception: Ongeldige login of paswoord.\n at x",
         AuthenticationError),
        ("soap:Server", "---&gt; System.Exception: Geen toegang tot instellingsnummer '999998'",
         ForbiddenError),
        ("soap:Server", "---&gt; Ongeldig schooljaar '2025'", BadRequestError),
        ("soap:Client", "Server did not recognize the value of HTTP Header SOAPAction: x.",
         BadRequestError),
        ("soap:Server", "---&gt; System.NullReferenceException: Object reference not set",
         ServerError),
    ],
)
def test_faults_map_onto_the_error_tree(code: str, text: str, cls: type[Exception]) -> None:
    with pytest.raises(cls) as info:
        rows_of(fault(code, text), status=500)
    error = info.value
    if isinstance(error, APIStatusError):
        assert error.status == 500
        assert error.details[0].code in ("Server", "Client")
    assert "at x" not in str(error)


def test_fault_messages_never_carry_the_password() -> None:
    body = fault("soap:Server", "Ongeldige login of paswoord 'hunter2hunter2'")
    error = protocol.error_from_answer(500, {}, body, now=NOW, secrets=["hunter2hunter2"])
    assert isinstance(error, AuthenticationError)
    assert "hunter2hunter2" not in str(error)
    text_error = protocol.error_from_answer(
        502, {}, b"bad gateway for hunter2hunter2", now=NOW, secrets=["hunter2hunter2"])
    assert "hunter2hunter2" not in str(text_error)


def test_status_errors_without_a_fault() -> None:
    html = b"<html><head><title>503 Service Unavailable</title></head></html>"
    error = protocol.error_from_answer(503, {}, html, now=NOW, endpoint="legacy Lln")
    assert isinstance(error, ServerError)
    assert "HTML" in str(error)
    limited = protocol.error_from_answer(429, {"Retry-After": "3"}, b"", now=NOW)
    assert isinstance(limited, RateLimitError)
    assert limited.retry_after == 3.0


# --- XML safety --------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<LlnResponse xmlns="http://InformatSoftware.be/wsInfSoft/wsInformat"><LlnResult>
<NewDataSet><T><Naam>&lol9;</Naam></T></NewDataSet></LlnResult></LlnResponse>
</soap:Body></soap:Envelope>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<LlnResponse xmlns="http://InformatSoftware.be/wsInfSoft/wsInformat"><LlnResult>
<NewDataSet><T><Naam>&xxe;</Naam></T></NewDataSet></LlnResult></LlnResponse>
</soap:Body></soap:Envelope>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<a>1</a>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><a>1</a>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY,
                                      EXTERNAL_DTD])
def test_xml_attacks_are_refused_before_expansion(document: bytes) -> None:
    with pytest.raises(UnsafeXMLError) as info:
        rows_of(document)
    assert isinstance(info.value, ResponseValidationError)
    assert "passwd" not in str(info.value)


def test_undeclared_entities_and_garbage_are_typed_errors() -> None:
    with pytest.raises(ResponseValidationError, match="undefined entity"):
        rows_of(b"<a>&xxe;</a>")
    with pytest.raises(ResponseValidationError, match="well-formed"):
        rows_of(b"<a><b></a>")
    with pytest.raises(ResponseValidationError):
        rows_of(b"")
    # an attack in an error answer is summarised, never expanded
    error = protocol.error_from_answer(500, {}, BILLION_LAUGHS, now=NOW)
    assert isinstance(error, ServerError)


# --- conversion --------------------------------------------------------------------------


def test_values_convert_to_types() -> None:
    rows: list[protocol.Row] = [{
        "p_persoon": "12", "Naam": "Peeters", "geboortedatum": "1-9-2012",
        "begindatum": "2025-09-01T00:00:00+02:00", "einddatum": "30.06.2026",
        "OverledenMa": "Nee", "overledenPa": "JA", "voorlopig": "0", "klasnr": "3",
        "Unknown": "ignored", "Graad": None, "graad": "2",
    }]
    [pupil], errors = structure_rows(rows, Leerling, CONVERTER)
    assert errors == []
    assert pupil.p_persoon == 12
    assert pupil.geboortedatum == dt.date(2012, 9, 1)
    assert pupil.begindatum == dt.date(2025, 9, 1)
    assert pupil.einddatum == dt.date(2026, 6, 30)
    assert (pupil.overleden_ma, pupil.overleden_pa, pupil.voorlopig) == (False, True, False)
    assert pupil.graad == "2"
    assert pupil.klasnr == 3
    [relation], errors = structure_rows([{
        "PRelatie": "7", "Overleden": "false", "Gewijzigd": "2025-06-01T10:15:00.1234567+02:00",
        "Toegevoegd": "01/02/2024 13:05:00",
        "RelatieUuid": "{9A0E0B5C-8D1B-4C3F-9E2A-1B2C3D4E5F60}",
        "Lpv": "1",
    }], Relatie, CONVERTER)
    assert errors == []
    assert relation.gewijzigd == dt.datetime(2025, 6, 1, 10, 15, 0, 123456,
                                             tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert relation.toegevoegd == dt.datetime(2024, 2, 1, 13, 5)
    assert relation.relatie_uuid == uuid.UUID("9a0e0b5c-8d1b-4c3f-9e2a-1b2c3d4e5f60")
    [emails], _ = structure_rows([{"p_persoon": "1", "Privé": "a@b.be", "Werk_vader": "c@d.be"}],
                                 LeerlingEmailadressen, CONVERTER)
    assert (emails.prive, emails.werk_vader) == ("a@b.be", "c@d.be")


def test_bad_values_report_paths_without_values() -> None:
    items, errors = structure_rows(
        [{"p_persoon": "1"}, {"p_persoon": "secret-ish", "geboortedatum": "31/02/2020"}],
        Leerling, CONVERTER, path="$.Lln",
    )
    assert len(items) == 1
    assert any("$.Lln[1]" in e and "p_persoon" in e for e in errors)
    assert not any("secret-ish" in e for e in errors)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(MODELS, key=lambda m: m.__name__)), st.data())
def test_any_element_case_decodes_the_same(model: type, data: st.DataObject) -> None:
    import attrs

    names = [f.name for f in attrs.fields(model)]
    row = {}
    for name in names:
        wire = name.replace("_", "") if data.draw(st.booleans()) else name
        row["".join(c.upper() if data.draw(st.booleans()) else c for c in wire)] = None
    [item], errors = structure_rows([row], model, CONVERTER)
    assert errors == []
    assert all(getattr(item, n) is None for n in names)
    assert fold("Privé") == "prive"


def test_password_fields_stay_out_of_repr() -> None:
    teacher = Leerkracht(naam="Peeters", wachtwoord="pw-one", wachtwoord_ad="pw-two",
                         rijksregnr="85073003328", iban="BE68539007547034")
    user = SmartschoolUser(naam="X", wachtwoord1="pw-3", wachtwoord2="pw-4", wachtwoord3="pw-5",
                           insz="85073003328")
    for text in (repr(teacher), str(teacher), repr(user)):
        for secret in ("pw-one", "pw-two", "pw-3", "pw-4", "pw-5", "85073003328",
                       "BE68539007547034"):
            assert secret not in text
    assert password_fields(Leerkracht) == ("wachtwoord", "wachtwoord_ad")
    assert password_fields(SmartschoolUser) == ("wachtwoord1", "wachtwoord2", "wachtwoord3")
    assert without_passwords(teacher).wachtwoord is None
    assert without_passwords(teacher).naam == "Peeters"
    assert without_passwords(Decimal("1")) == Decimal("1")
