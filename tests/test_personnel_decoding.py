"""Decoding the personnel API as tolerantly as the pupils' API, and reading its errors.

Each test scripts a loopback server (tests/misbehaving.py) with answers in one precise
shape: key case, unknown fields, nulls and ``"null"``, open code lists, own-field values of
every JSON type, PascalCase and camelCase error bodies, non-200 successes.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from informat_async import (
    BadRequestError,
    Employee,
    InformatClient,
    Interruption,
    MethodNotAllowedError,
    NotFoundError,
    OwnField,
    RetryPolicy,
    ServerError,
)
from informat_async.convert import converter
from informat_async.errors import IncompleteResponseError, ResponseValidationError
from informat_async.models import CivilStatus, PhoneKind, RLType, Sex, SigningStatus
from tests.misbehaving import Scripted

INST = "123456"
YEAR = "2025-26"
A = "11111111-2222-3333-4444-555555555555"
B = "22222222-3333-4444-5555-666666666666"

EMPLOYEE: dict[str, Any] = {
    "pPersoon": 4711, "personId": A, "personaId": None, "naam": "Voorbeeld", "voornaam": "An",
    "bijkomendeVoornamen": None, "stamnr": "12345678901", "sortName": "Voorbeeld An",
    "nickName": "Anneke", "geslacht": "V", "initialen": "AV",
    "geboortedatum": "1980-01-01T00:00:00", "geboorteplaats": "Gent",
    "geboortelandCode": "00150", "nationaliteitCode": "00150",
    "rijksregisternr": "80010112345", "bisnr": None,
    "bank": {"iban": "BE71096123456769", "bic": "GKCCBEBB"},
    "hoofdAmbt": {"code": "00000001", "naam": "Leraar"},
    "eersteDienstSchool": "2005-09-01T00:00:00", "eersteDienstScholengroep": None,
    "eersteDienstScholengemeenschap": None, "isActive": True, "pensioendatum": None,
    "isMindervalide": False, "isOverleden": False, "datumOverleden": None, "burgStand": 2,
    "partner": {"id": B, "naam": "Peeters", "voornaam": "Sam", "geboortedatum": None,
                "nationaliteitCode": "00150", "isOverleden": False, "datumOverleden": None,
                "inkomen": -1},
    "adressen": [{"id": B, "pAdres": 9, "aanspreekTitel": None, "aanspreekNaam": "An",
                  "straat": "Kerkstraat", "nummer": "1A", "bus": None, "postcode": None,
                  "gemeente": "Gent", "landCode": "00150", "isDomicilie": True,
                  "isVerblijf": False}],
    "comnrs": [{"id": B, "type": "Werk", "soort": "Gsm", "nr": "0470 123456"}],
    "emailadressen": [{"id": B, "pEmail": 3, "type": "School", "email": "an@school.be"}],
    "kinderen": [{"id": B, "naam": "Voorbeeld", "voornaam": "Lien", "geslacht": "V",
                  "geboortedatum": "2010-05-01T00:00:00", "isOverleden": False,
                  "datumOverleden": None}],
    "personeelsgroepen": [{"id": "g1", "naam": "Leerkrachten"}],
    "effectiefInDienst": True, "aantalKinderen": 1,
}

INTERRUPTION: dict[str, Any] = {
    "pOnderbreking": 12345, "doId": B, "personId": A, "hfd": "311",
    "begindatum": "2025-11-03T00:00:00", "einddatum": "2025-11-07T00:00:00", "code": "002",
    "omschrijving": "Te laat toegekomen", "soort": "2", "verstuurdAgODi": False,
    "opmSecretariaat": "", "opmPersoneelslid": None, "staking": None, "stakingUren": None,
    "ziekteverlofZonderBezoldiging": False,
}


def answer(body: object, status: int = 200) -> Callable[[web.Request], Any]:
    async def handler(request: web.Request) -> web.StreamResponse:
        if body is None:
            return web.Response(status=status)
        return web.Response(status=status, body=json.dumps(body).encode(),
                            content_type="application/json")

    return handler


def client_of(api: Scripted, **kwargs: Any) -> InformatClient:
    kwargs.setdefault("retry", RetryPolicy.no_wait(3))
    return InformatClient("id", "the-secret", api_url=api.url, identity_url=api.url,
                          personnel_url=api.url, rate_limit=None, **kwargs)


async def employees_from(body: object) -> list[Employee]:
    async with Scripted() as api:
        api.api = answer(body)
        async with client_of(api) as client:
            return await client.personnel.employees(INST, YEAR)


# --- models --------------------------------------------------------------------------------


async def test_a_full_employee_decodes() -> None:
    [employee] = await employees_from([EMPLOYEE])
    assert employee.person_id == uuid.UUID(A)
    assert employee.nick_name == "Anneke"
    assert employee.geslacht is Sex.FEMALE
    assert employee.burg_stand is CivilStatus.MARRIED
    assert employee.partner is not None
    assert employee.partner.inkomen == -1
    assert employee.adressen[0].nummer == "1A"
    assert employee.adressen[0].postcode is None
    assert employee.comnrs[0].soort is PhoneKind.MOBILE
    assert employee.emailadressen[0].email == "an@school.be"
    assert employee.kinderen[0].voornaam == "Lien"
    assert employee.hoofd_ambt is not None
    assert employee.hoofd_ambt.code == "00000001"
    assert employee.personeelsgroepen[0].naam == "Leerkrachten"
    assert employee.aantal_kinderen == 1
    assert employee.effectief_in_dienst is True


async def test_national_numbers_and_ibans_stay_out_of_repr() -> None:
    [employee] = await employees_from([EMPLOYEE])
    text = repr(employee)
    assert "80010112345" not in text
    assert "BE71096123456769" not in text
    assert employee.rijksregisternr == "80010112345"


@pytest.mark.parametrize("key", ["nickName", "nickname", "NICKNAME", "NickName"])
async def test_nick_name_in_any_spelling(key: str) -> None:
    record = {k: v for k, v in EMPLOYEE.items() if k != "nickName"} | {key: "Anneke"}
    [employee] = await employees_from([record])
    assert employee.nick_name == "Anneke"


async def test_unknown_fields_nulls_absent_fields_and_literal_null() -> None:
    sparse = {"PERSONID": A, "naam": "null", "voornaam": None, "adressen": None,
              "kinderen": "null", "burgStand": "null", "bank": "null",
              "nieuwVeld": {"x": 1}, "geboorteplaatsNis": "44021"}
    [employee] = await employees_from([sparse])
    assert employee.person_id == uuid.UUID(A)
    assert employee.naam is None  # the literal string "null" is a null
    assert employee.voornaam is None
    assert employee.adressen == []
    assert employee.kinderen == []
    assert employee.burg_stand is None
    assert employee.bank is None
    assert employee == Employee(person_id=uuid.UUID(A))


async def test_closed_code_lists_are_open() -> None:
    odd = EMPLOYEE | {"burgStand": 9, "geslacht": "X",
                      "comnrs": [{"soort": "Pager", "nr": "1"}],
                      "partner": EMPLOYEE["partner"] | {"inkomen": 7}}
    [employee] = await employees_from([odd])
    assert employee.burg_stand == 9
    assert employee.burg_stand is not None
    assert not employee.burg_stand.is_known
    assert employee.geslacht == "X"
    assert employee.comnrs[0].soort == "Pager"
    assert employee.partner is not None
    assert employee.partner.inkomen == 7


async def test_a_main_function_as_a_plain_string_is_its_code() -> None:
    [employee] = await employees_from([EMPLOYEE | {"hoofdAmbt": "00000001"}])
    assert employee.hoofd_ambt is not None
    assert employee.hoofd_ambt.code == "00000001"


@pytest.mark.parametrize("value", ["Neen", 42, 3.5, True, False, ["a", 1], {"k": "v"}])
async def test_an_own_field_value_keeps_its_json_type(value: object) -> None:
    raw = [{"personId": A, "vvId": B, "naam": "kastnummer", "waarde": value,
            "dataType": "Tekst", "rubriek": 1}]
    async with Scripted() as api:
        api.api = answer(raw)
        async with client_of(api) as client:
            [field] = await client.personnel.own_fields(INST, YEAR)
    assert field.waarde == value
    assert type(field.waarde) is type(value)
    assert field.rubriek == 1


@pytest.mark.parametrize("value", [None, "null"])
async def test_an_own_field_without_value(value: object) -> None:
    raw = [{"personId": A, "vvId": B, "naam": "kastnummer", "waarde": value}]
    async with Scripted() as api:
        api.api = answer(raw)
        async with client_of(api) as client:
            [field] = await client.personnel.own_fields(INST, YEAR)
    assert field.waarde is None


async def test_interruption_codes_keep_their_zeros_and_numbers_become_text() -> None:
    raw = [INTERRUPTION, INTERRUPTION | {"code": 197, "doId": A}]
    async with Scripted() as api:
        api.api = answer(raw)
        async with client_of(api) as client:
            first, second = await client.personnel.interruptions(INST, YEAR)
    assert first.code == "002"
    assert second.code == "197"
    assert first.verstuurd_ag_o_di is False
    assert first.opm_secretariaat == ""


async def test_documents_with_unknown_types_and_statuses() -> None:
    raw = [{"documentId": 7, "personId": A, "rlType": "RL9", "tekenStatus": "Gearchiveerd",
            "aangemaaktOp": "2026-06-01T08:00:00Z", "edisonStatusGewijzigdOp": None},
           {"documentId": "8", "personId": A, "rlType": "rl1", "tekenStatus": "ondertekend",
            "rl1Ingangsdatum": "2025-09-01T00:00:00"}]
    async with Scripted() as api:
        api.api = answer(raw)
        async with client_of(api) as client:
            unknown, known = await client.personnel.documents(INST, YEAR)
    assert unknown.rl_type == "RL9"
    assert unknown.teken_status == "Gearchiveerd"
    assert unknown.rl1_ingangsdatum is None
    assert known.document_id == 8
    assert known.rl_type is RLType.RL1
    assert known.teken_status is SigningStatus.SIGNED


async def test_one_bad_record_costs_only_itself() -> None:
    raw = [EMPLOYEE, EMPLOYEE | {"personId": "not-a-guid"}]
    async with Scripted() as api:
        api.api = answer(raw)
        async with client_of(api) as client:
            with pytest.raises(ResponseValidationError) as caught:
                await client.personnel.employees(INST, YEAR)
    assert len(caught.value.partial) == 1
    assert any("[1]" in e for e in caught.value.errors)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**64))
def test_decoding_under_random_key_case(seed: int) -> None:
    rng = random.Random(seed)

    def shuffle_case(value: Any) -> Any:
        if isinstance(value, dict):
            return {"".join(c.upper() if rng.random() < 0.5 else c.lower() for c in k):
                    shuffle_case(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shuffle_case(v) for v in value]
        return value

    assert converter.structure(shuffle_case(EMPLOYEE), Employee) == converter.structure(
        EMPLOYEE, Employee)
    assert converter.structure(shuffle_case(INTERRUPTION), Interruption) == (
        converter.structure(INTERRUPTION, Interruption))
    field = {"personId": A, "vvId": B, "naam": "x", "waarde": {"Key": 1}}
    decoded = converter.structure(shuffle_case(field), OwnField)
    assert decoded.naam == "x"


# --- answers and errors --------------------------------------------------------------------


async def test_photos_decode_base64_and_blank_ones_are_empty() -> None:
    raw = [{"id": "p1", "personId": A, "photo": base64.b64encode(b"\xff\xd8jpeg").decode()},
           {"id": "p2", "personId": B, "photo": ""}, {"id": "p3", "personId": B}]
    async with Scripted() as api:
        api.api = answer(raw)
        async with client_of(api) as client:
            photos = await client.personnel.photos(INST, YEAR)
    assert [p.photo for p in photos] == [b"\xff\xd8jpeg", b"", b""]


@pytest.mark.parametrize("body", [
    {"errors": [{"Code": "BR001", "Message": "Ongeldige PersonId"}]},
    {"errors": [{"code": "BR001", "message": "Ongeldige PersonId"}]},
    {"Errors": {"CODE": "BR001", "MESSAGE": "Ongeldige PersonId"}},
])
async def test_error_bodies_in_any_key_case_give_typed_errors_with_codes(
    body: dict[str, Any],
) -> None:
    async with Scripted() as api:
        api.api = answer(body, status=400)
        async with client_of(api) as client:
            with pytest.raises(BadRequestError) as caught:
                await client.personnel.employee(INST, A, YEAR)
    error = caught.value
    assert error.codes == ("BR001",)
    assert error.messages == ("Ongeldige PersonId",)
    assert error.family == "personnel"
    # the personnel catalogue, not the Leerlingen one (where BR001 is an invalid school year)
    assert error.details[0].description == "Invalid PersonId"
    assert "BR001" in str(error)


async def test_several_codes_in_one_answer_and_mna_at_405() -> None:
    body = {"errors": [{"Code": "MNA003", "Message": "verstuurd"},
                       {"Code": "MNA004", "Message": "vervanging"}]}
    async with Scripted() as api:
        api.api = answer(body, status=405)
        async with client_of(api) as client:
            with pytest.raises(MethodNotAllowedError) as caught:
                await client.personnel.delete_interruption(INST, B)
    assert caught.value.codes == ("MNA003", "MNA004")
    assert caught.value.details[1].description == (
        "Structure, start and end date can no longer change: a replacement exists")


async def test_a_national_number_quoted_in_an_error_is_masked() -> None:
    body = {"errors": [{"Code": "BR014", "Message": "Geen personeelslid 80010112345"}]}
    async with Scripted() as api:
        api.api = answer(body, status=404)
        async with client_of(api) as client:
            with pytest.raises(NotFoundError) as caught:
                await client.personnel.employee(INST, A, YEAR)
    assert "80010112345" not in str(caught.value)
    assert "80010112345" not in "".join(caught.value.messages)


@pytest.mark.parametrize("status", [200, 201, 202, 204])
async def test_any_2xx_is_success_for_writes(status: int) -> None:
    async with Scripted() as api:
        api.api = answer(None, status=status)
        async with client_of(api) as client:
            await client.personnel.delete_interruption(INST, B)
            await client.personnel.delete_interruption_attachment(INST, B, A)
    assert len(api.requests_to("/employees")) == 2


async def test_an_object_where_a_list_belongs_is_retried_and_never_taken_for_none() -> None:
    async with Scripted() as api:
        api.api = answer({"employees": []})
        async with client_of(api) as client:
            with pytest.raises(IncompleteResponseError):
                await client.personnel.employees(INST, YEAR)
    assert len(api.requests_to("/employees")) == 3


async def test_an_empty_pdf_is_retried() -> None:
    answers = iter([b"", b"%PDF-1.4 ok"])

    async def pdf(request: web.Request) -> web.StreamResponse:
        return web.Response(body=next(answers), content_type="application/pdf")

    async with Scripted() as api:
        api.api = pdf
        async with client_of(api) as client:
            assert await client.personnel.document_pdf(INST, A, 5) == b"%PDF-1.4 ok"
    assert [s.path for s in api.requests_to("/employees")] == [
        f"/employees/{A}/documents/5/pdf"] * 2


async def test_server_errors_are_retried_then_typed() -> None:
    async with Scripted() as api:
        api.api = answer({"errors": []}, status=503)
        async with client_of(api) as client:
            with pytest.raises(ServerError):
                await client.personnel.assignments(INST, YEAR)
    assert len(api.requests_to("/employees/assignments")) == 3


async def test_a_photo_of_someone_else_is_refused() -> None:
    async with Scripted() as api:
        api.api = answer({"id": "p", "personId": B, "photo": ""})
        async with client_of(api) as client:
            with pytest.raises(ResponseValidationError):
                await client.personnel.photo(INST, A)
