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
from informat_async.legacy._convert import fold, make_converter, structure_rows
from informat_async.legacy._decode import decode_list
from informat_async.legacy._operations import MODELS
from informat_async.legacy._params import prepare_call

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


def rows_of(body: bytes, method: str = "leerlingen", status: int = 200) -> list[object]:
    """What the client makes of an answer to ``method``."""
    if not 200 <= status < 300:
        raise protocol.error_from_answer(status, {}, body, now=NOW, endpoint=method)
    decoded = decode_list(body, OPERATIONS[method], CONVERTER, endpoint=f"legacy {method}")
    assert not decoded.errors
    return decoded.items


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
    with pytest.raises(InvalidInputError) as info:
        InformatLegacyClient("a", "b", url="ftp://user:Geheim-123@x/wsInformat.asmx")
    assert "Geheim-123" not in str(info.value)
    with pytest.raises(InvalidInputError, match="unknown methods"):
        InformatLegacyClient("a", "b", operation_names={"nope": "X"})
    legacy = InformatLegacyClient("a", "b", operation_names={"internen": "LlnExtra"})
    assert legacy.operation("internen").name == "LlnExtra"
    assert legacy.operation("LeerkrachtenOpdrachten").method == "leerkrachten_opdrachten"
    with pytest.raises(InvalidInputError, match="unknown legacy list"):
        legacy.operation("Leerlingen2")


# --- answers -----------------------------------------------------------------------------


def test_dataset_answers_still_decode() -> None:
    rows = rows_of(dataset(
        '<Table><p_persoon>1</p_persoon><Naam /><Voornaam>  </Voornaam>'
        '<klas xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true" />'
        "<Nested><x>1</x></Nested></Table>"
        "<Table><p_persoon>2</p_persoon></Table>"
    ))
    assert rows == [Leerling(p_persoon=1), Leerling(p_persoon=2)]


def test_dataset_answers_without_rows_and_other_shapes() -> None:
    empty = soap(f'<LlnResponse xmlns="{NS}"><LlnResult><xs:schema '
                 'xmlns:xs="http://www.w3.org/2001/XMLSchema" /><diffgr:diffgram '
                 'xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1" />'
                 "</LlnResult></LlnResponse>")
    assert rows_of(empty) == []
    assert rows_of(soap(f'<LlnResponse xmlns="{NS}" />')) == []
    form = (f'<?xml version="1.0"?><DataSet xmlns="{NS}"><xs:schema '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" /><diffgr:diffgram '
            'xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"><NewDataSet xmlns="">'
            "<Table><Naam>x</Naam></Table></NewDataSet></diffgr:diffgram></DataSet>").encode()
    assert rows_of(form) == [Leerling(naam="x")]
    with pytest.raises(ResponseValidationError, match="LeerkrachtenResponse"):
        rows_of(dataset("<T><a>1</a></T>"), "leerkrachten")
    # a wrapper that is neither a typed array nor a DataSet is not guessed at
    bare = soap(f'<LlnResponse xmlns="{NS}"><LlnResult><NewDataSet><T><Naam>1</Naam></T>'
                "<T><Naam>2</Naam></T></NewDataSet></LlnResult></LlnResponse>")
    with pytest.raises(ResponseValidationError, match="unrecognised Lln answer"):
        rows_of(bare)
    with pytest.raises(ResponseValidationError, match="not an XML answer"):  # a portal's 200
        rows_of(b"<html><head><title>Login</title></head><body><p>x</p></body></html>")
    with pytest.raises(ResponseValidationError, match="neither"):
        rows_of(b"<Envelope><Body/></Envelope>")


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
        rows_of(f'<a xmlns="{NS}">&xxe;</a>'.encode())
    with pytest.raises(ResponseValidationError, match="well-formed"):
        rows_of(f'<a xmlns="{NS}"><b></a>'.encode())
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


# --- input: ASCII digits only, no national number echoed --------------------------------

NATIONAL_NUMBER = "85073100145"  # shaped like a national register number


@pytest.mark.parametrize(
    ("method", "options", "needle"),
    [
        ("leerlingen", {"hoofdstructuur": "\u0663\u0661\u0661"}, "3-digit"),  # Arabic-Indic
        ("leerlingen", {"hoofdstructuur": "\uff13\uff11\uff11"}, "3-digit"),  # fullwidth
        ("leerlingen", {"referentiedatum": "\u0660\u0661/\u0660\u0669/\u0662\u0660\u0662\u0665"},
         "date"),
        ("leerlingen", {"referentiedatum": "\uff10\uff11-\uff10\uff19-2025"}, "date"),
        ("smartschool_users", {"smartschoolplatform": "x.smartschool.be",
                               "discimus_vestigingsnr": "\uff11\uff12\uff13"}, "number"),
    ],
)
def test_input_checks_accept_ascii_digits_only(
    method: str, options: dict[str, object], needle: str
) -> None:
    with pytest.raises(InvalidInputError, match=needle):
        prepare_call(OPERATIONS[method], "012345", "2025-26", options)


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("leerlingen", {"hoofdstructuur": NATIONAL_NUMBER}),
        ("leerlingen", {"referentiedatum": NATIONAL_NUMBER}),
        ("leerlingen", {"referentiedatum": "85.07.31-001.45"}),
        ("relaties", {"gewijzigd_sinds": NATIONAL_NUMBER}),
        ("leerkrachten_opdrachten", {"met_nsu_uren": NATIONAL_NUMBER}),
        ("smartschool_users", {"smartschoolplatform": "x.smartschool.be",
                               "discimus_vestigingsnr": NATIONAL_NUMBER + "999"}),
    ],
)
def test_input_errors_never_echo_a_national_number(method: str,
                                                    options: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError) as info:
        prepare_call(OPERATIONS[method], "012345", "2025-26", options)
    message = str(info.value)
    assert "characters" in message  # shown by its length only
    for value in options.values():
        if isinstance(value, str) and value != "x.smartschool.be":
            assert value not in message
            assert "".join(ch for ch in value if ch.isdigit()) not in message
