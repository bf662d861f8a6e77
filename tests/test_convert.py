"""Conversion of the spec's example payloads and of every quirk the spec shows."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import typing
import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from informat_async import (
    Address,
    BankAccountType,
    GroupType,
    Photo,
    PreRegistration,
    PreRegistrationState,
    PreRegistrationStatus,
    Registration,
    RegistrationStatus,
    ResponseValidationError,
    SchoolHistory,
    Sex,
    Student,
)
from informat_async.convert import (
    _READ_MODELS,
    fast_function,
    make_converter,
    structure,
    structure_many,
    unstructure_preregistration,
    wire_name,
)
from tests.spec_data import spec_example

STRICT = make_converter(forbid_extra_keys=True)
SLOW = make_converter(fast=False)


def test_spec_student_decodes_with_every_field_known() -> None:
    raw = spec_example("students")["students"][0]
    student = structure(raw, Student, conv=STRICT)
    assert student.persoon_id == uuid.UUID("5b8f64c5-3968-4b13-b962-e4acda9601bc")
    assert student.geboortedatum == dt.date(2001, 12, 20)
    assert student.geslacht is Sex.MALE
    assert student.fiets_nummer == "B012"
    assert student.leerlingenkaart_nummer == "LK:012"
    assert student.rijksregisternr == "12345678910"
    assert student.adressen[0].percentage == Decimal(100)
    assert student.overige_adressen[0].gemeente == "MENEN"
    assert [r.type for r in student.relaties] == ["Vader", "Moeder"]
    assert student.relaties[1].geslacht is Sex.FEMALE
    assert student.relaties[0].comnrs[0].nr == "0404 95 22 52"
    assert student.relaties[1].emails[0].factuur_mailen is True
    assert len(student.comnrs) == 4
    assert student.bankrek[0].type is BankAccountType.PARENTS
    assert student.bankrek[0].bic == "BNAGBEBB"


def test_spec_registration_decodes() -> None:
    raw = spec_example("registrations")["registrations"][0]
    reg = structure(raw, Registration, conv=STRICT)
    assert reg.status is RegistrationStatus.NOT_REALIZED
    assert reg.begindatum == dt.date(2021, 9, 1)
    assert reg.einddatum is None
    assert reg.pre_registration_id == uuid.UUID("53a3bb93-d269-46b5-86fa-08193bd4ba30")
    klas = reg.inschr_klassen[0]
    assert klas.p_klas == 26888
    assert klas.groep_type is GroupType.MAIN
    assert klas.einddatum == dt.date(2022, 1, 18)
    # mixed-case GUID of the spec
    assert klas.klassenleraars[0].persoon_id == uuid.UUID("96cbbe89-f442-48b1-845c-b18e4aceeae9")


def test_spec_photo_decodes_to_jpeg_bytes() -> None:
    photo = structure(spec_example("photo")["photo"], Photo, conv=STRICT)
    assert photo.foto.startswith(b"\xff\xd8")
    assert b"\xff\xd9" in photo.foto[-4:]  # the spec's example ends in EOI plus one pad byte
    assert "bytes>" in repr(photo)
    assert "/9j/" not in repr(photo)


def test_spec_school_history_decodes() -> None:
    items, errors = structure_many(spec_example("school_history"), SchoolHistory, conv=STRICT)
    assert errors == []
    assert [h.instelnr for h in items] == ["023456", "032145"]
    assert items[1].tot_datum is None
    assert items[1].studiebewijzen[0].clausulering == "finaliteiten: Doorstroom, Dubbel"


def test_spec_preregistration_round_trips_to_wire_names() -> None:
    raw = spec_example("preregistration_request")
    prereg = structure(raw, PreRegistration, conv=STRICT)
    body = unstructure_preregistration(prereg)
    assert set(body) == set(raw)
    assert body["Relationships"][0]["Address"]["streetName"] == "Nijverheidslaan"
    assert body["preRegistrationId"].lower() == raw["preRegistrationId"].lower()
    assert body["startDate"] == "2020-09-01"
    assert body["preRegistrationDate"] == "2020-06-05T10:15:00"
    assert body["assignedViaRegistrationSystem"] is True


@pytest.mark.parametrize(
    ("key", "value"),
    [("fietsNummer", "F1"), ("fietsnummer", "F1"), ("FIETSNUMMER", "F1")],
)
def test_key_spellings_of_the_spec_decode(key: str, value: str) -> None:
    raw = {"persoonId": str(uuid.uuid4()), key: value}
    assert structure(raw, Student).fiets_nummer == value


def test_registration_key_spellings() -> None:
    klas = {"pklas": 1, "klasId": "{42CD5A20-E22F-45D7-973C-FAB8734DEC50}"}
    for key in ("inschrklassen", "inschrKlassen"):
        reg = structure({"inschrijvingsId": str(uuid.uuid4()), key: [klas]}, Registration)
        assert reg.inschr_klassen[0].p_klas == 1
        assert reg.inschr_klassen[0].klas_id == uuid.UUID("42cd5a20-e22f-45d7-973c-fab8734dec50")
    klas2 = structure(
        {"inschrijvingsId": str(uuid.uuid4()), "inschrKlassen": [{"pKlas": 2}]}, Registration
    )
    assert klas2.inschr_klassen[0].p_klas == 2


def test_overige_adressen_spellings() -> None:
    for key in ("overigeAdressen", "overigeadressen"):
        s = structure({"persoonId": str(uuid.uuid4()), key: [{"straat": "X"}]}, Student)
        assert s.overige_adressen[0].straat == "X"


def test_nulls_lists_and_unknowns_are_tolerated() -> None:
    raw = {
        "persoonId": "{5B8F64C5-3968-4B13-B962-E4ACDA9601BC}",
        "bankrek": None,
        "adressen": None,
        "geboortedatum": "2010-02-03",
        "aFieldFromApi2030": {"nested": [1, 2]},
    }
    student = structure(raw, Student)
    assert student.bankrek == []
    assert student.adressen == []
    assert student.geboortedatum == dt.date(2010, 2, 3)
    with pytest.raises(ResponseValidationError):
        structure(raw, Student, conv=STRICT)


def test_unknown_codes_keep_their_value() -> None:
    reg = structure(
        {"inschrijvingsId": str(uuid.uuid4()), "status": 7, "inschrKlassen": [{"groepType": 9}]},
        Registration,
    )
    assert reg.status == 7
    assert not reg.status.is_known
    assert reg.inschr_klassen[0].groep_type == 9
    status = structure({"preRegistrationId": str(uuid.uuid4()), "status": "Archived"},
                       PreRegistrationStatus)
    assert status.status.value == "Archived"
    assert not status.status.is_known
    accepted = structure({"preRegistrationId": str(uuid.uuid4()), "status": "ACCEPTED"},
                         PreRegistrationStatus)
    assert accepted.status is PreRegistrationState.ACCEPTED


def test_a_bad_record_does_not_cost_the_others() -> None:
    good = {"persoonId": str(uuid.uuid4())}
    bad = {"persoonId": "not-a-guid"}
    items, errors = structure_many([good, bad, good], Student)
    assert len(items) == 2
    assert len(errors) == 1
    assert "[1]" in errors[0]


def test_sensitive_fields_are_not_in_repr() -> None:
    raw = spec_example("students")["students"][0]
    student = structure(raw, Student)
    assert "12345678910" not in repr(student)
    assert "BE12378901230178" not in repr(student)
    prereg = structure(spec_example("preregistration_request"), PreRegistration)
    assert "10040115670" not in repr(prereg)
    assert "80031516717" not in repr(prereg)


def _recase(value: Any, data: st.DataObject) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            flips = data.draw(st.lists(st.booleans(), min_size=len(k), max_size=len(k)))
            key = "".join(c.upper() if f else c.lower() for c, f in zip(k, flips, strict=True))
            out[key] = _recase(v, data)
        return out
    if isinstance(value, list):
        return [_recase(v, data) for v in value]
    return value


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_key_casing_decodes_the_same(data: st.DataObject) -> None:
    raw = spec_example("students")["students"][0]
    assert structure(_recase(raw, data), Student) == structure(raw, Student)
    reg = spec_example("registrations")["registrations"][0]
    assert structure(_recase(reg, data), Registration) == structure(reg, Registration)


@settings(max_examples=60, deadline=None)
@given(u=st.uuids(), upper=st.booleans(), braces=st.booleans())
def test_guid_forms(u: uuid.UUID, upper: bool, braces: bool) -> None:
    text = str(u).upper() if upper else str(u)
    if braces:
        text = "{" + text + "}"
    assert structure({"persoonId": text}, Student).persoon_id == u


@settings(max_examples=60, deadline=None)
@given(d=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
       with_time=st.booleans())
def test_date_forms(d: dt.date, with_time: bool) -> None:
    text = d.isoformat() + ("T00:00:00" if with_time else "")
    assert structure({"persoonId": str(uuid.uuid4()), "geboortedatum": text},
                     Student).geboortedatum == d


def test_fast_path_equals_the_cattrs_hooks_on_generated_data() -> None:
    from informat_async.testing import FakeData

    data = FakeData.generate(institutes=("123456",), students_per_institute=60, seed=3)
    inst = data.institutes["123456"]
    cases: list[tuple[Any, type[Any]]] = [(raw, Student) for raw in inst.students.values()]
    cases += [(raw, Registration) for raw in inst.registrations.values()]
    cases += [(raw, SchoolHistory) for raw in inst.school_history]
    for raw, cls in cases:
        fast = fast_function(cls)
        assert fast is not None
        assert fast(raw) == STRICT.structure(raw, cls) == SLOW.structure(raw, cls)


def test_every_read_model_has_a_fast_function() -> None:
    assert [cls.__name__ for cls in _READ_MODELS if fast_function(cls) is None] == []


# --- the fast path against the cattrs hooks, for every model --------------------------

_ODD_TEXT = st.sampled_from(["\ud800", "a\udfffb", "", " ", "\x00", "ÉÇ", "\u00df"])
_GUID_STRINGS = st.builds(
    lambda u, upper, braces: ("{%s}" if braces else "%s") % (str(u).upper() if upper else u),
    st.uuids(), st.booleans(), st.booleans(),
)


def _wire_value(tp: Any, odd: bool) -> st.SearchStrategy[Any]:
    """JSON values of a field type, as Informat sends them (``odd``: also values the fast
    path must hand over to cattrs: wrong types, bad GUIDs, blanks, surrogates)."""
    args = [a for a in getattr(tp, "__args__", ()) if a is not type(None)]
    if typing.get_origin(tp) is list:
        return st.none() | st.lists(_wire_value(args[0], odd), max_size=3)
    if len(args) == 1 and type(None) in tp.__args__:
        return st.none() | _wire_value(args[0], odd)
    junk = st.none() | st.integers() | st.floats() | st.booleans() | st.text(max_size=8)
    junk |= _ODD_TEXT | st.lists(st.integers(), max_size=2) | st.dictionaries(
        st.text(max_size=3), st.integers(), max_size=2
    )
    good: st.SearchStrategy[Any]
    if tp is str:
        good = st.text(max_size=12) | _ODD_TEXT
    elif tp is int:
        good = st.integers(-(2**40), 2**40)
    elif tp is bool:
        good = st.booleans()
        junk |= st.sampled_from(["true", "False", " 1 ", "0", 0, 1, 2])
    elif tp is uuid.UUID:
        good = _GUID_STRINGS
        junk |= _GUID_STRINGS.map(lambda t: f" {t} ") | _GUID_STRINGS.map(lambda t: t[:-1] + "g")
        junk |= st.uuids().map(lambda u: "+" + u.hex[1:]) | st.uuids().map(lambda u: u.urn)
        junk |= st.uuids().map(lambda u: " " + u.hex[1:])
    elif tp is dt.date:
        good = st.builds(
            lambda d, t: d.isoformat() + ("T00:00:00" if t else ""), st.dates(), st.booleans()
        )
        junk |= st.dates().map(lambda d: f" {d.isoformat()} ") | st.sampled_from(
            ["2020-02-30", "20200203", "2020-W05-3", "2020-01-01 ", "2020-1-1"]
        )
    elif tp is dt.datetime:
        good = st.datetimes().map(lambda d: d.isoformat())
    elif tp is Decimal:
        good = st.integers(-(10**6), 10**6)
        junk |= st.sampled_from(["50,5", " 12 ", "1e3", "x", 1.5])
    elif tp is bytes:
        good = st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode())
        junk |= good.map(lambda t: f" {t[:3]}\n{t[3:]} ") | good.map(lambda t: t.rstrip("="))
        junk |= good.map(lambda t: t + "=") | good.map(lambda t: "=" + t) | st.sampled_from(
            ["ab==cd", "abc==", "é", "QUJD\r\n", "QQ"]
        )
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = [m.value for m in tp]
        good = st.sampled_from(values)
        if issubclass(tp, int):
            good |= st.integers(-5, 50)
        else:
            good |= st.sampled_from([str(v).lower() for v in values]) | st.text(max_size=4)
    elif attrs.has(tp):
        good = _wire_object(tp, odd)
    else:
        raise AssertionError(f"no strategy for {tp!r}")
    return (good | junk) if odd else good


def _wire_object(cls: type[Any], odd: bool) -> st.SearchStrategy[dict[str, Any]]:
    fields = attrs.fields(attrs.resolve_types(cls))
    required = {
        wire_name(cls, f.name): _wire_value(f.type, odd)
        for f in fields if f.default is attrs.NOTHING
    }
    optional = {
        wire_name(cls, f.name): _wire_value(f.type, odd)
        for f in fields if f.default is not attrs.NOTHING and (
            odd or f.default is None or isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
        )
    }
    extra = st.dictionaries(st.sampled_from(["nieuwVeld", "x", "Extra2030"]), st.integers())
    if odd:
        return st.fixed_dictionaries(required, optional=optional)  # type: ignore[arg-type]
    return st.builds(
        lambda a, b: {**a, **b},
        st.fixed_dictionaries(required, optional=optional),  # type: ignore[arg-type]
        extra,
    )


@pytest.mark.parametrize("cls", _READ_MODELS, ids=lambda c: c.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_fast_function_equals_cattrs_for_every_model_and_key_case(
    cls: type[Any], data: st.DataObject
) -> None:
    raw = data.draw(_wire_object(cls, odd=False))
    recased = _recase(raw, data)
    fast = fast_function(cls)
    assert fast is not None
    expected = SLOW.structure(raw, cls)
    assert fast(raw) == expected  # valid input: the generated function alone decodes it
    assert fast(recased) == expected == SLOW.structure(recased, cls)
    assert structure(recased, cls) == expected


def _outcome(raw: Any, cls: type[Any], conv: Any) -> Any:
    try:
        return structure(raw, cls, conv=conv)
    except ResponseValidationError as exc:
        return ("error", tuple(exc.errors))


@pytest.mark.parametrize("cls", _READ_MODELS, ids=lambda c: c.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_complete_object_and_its_near_misses_decode_as_with_cattrs_alone(
    cls: type[Any], data: st.DataObject
) -> None:
    # Every key in its usual spelling and nothing else: the generated function's exact-shape
    # body (all values fetched at once). The near misses have as many keys but are not
    # that shape: one key spelled otherwise, or one missing and an unknown one instead.
    odd = data.draw(st.booleans())
    fields = attrs.fields(attrs.resolve_types(cls))
    raw = data.draw(st.fixed_dictionaries(
        {wire_name(cls, f.name): _wire_value(f.type, odd) for f in fields}))
    key = data.draw(st.sampled_from(sorted(raw)))
    near_misses = [{"nieuwVeld": 1, **{k: v for k, v in raw.items() if k != key}}]
    if key.swapcase() != key:
        near_misses.append({(k.swapcase() if k == key else k): v for k, v in raw.items()})
    for case in (raw, *near_misses):
        assert _outcome(case, cls, None) == _outcome(case, cls, SLOW)
    fast = fast_function(cls)
    assert fast is not None
    if not odd:
        assert fast(raw) == SLOW.structure(raw, cls)


@pytest.mark.parametrize("cls", _READ_MODELS, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_odd_values_decode_or_fail_as_with_cattrs_alone(
    cls: type[Any], data: st.DataObject
) -> None:
    raw = _recase(data.draw(_wire_object(cls, odd=True)), data)
    assert _outcome(raw, cls, None) == _outcome(raw, cls, SLOW)


@pytest.mark.parametrize("conv", [STRICT, SLOW, None], ids=["strict", "cattrs", "fast-path"])
def test_a_null_gives_the_default_even_where_the_type_has_no_none(conv: Any) -> None:
    raw = spec_example("preregistration_request")
    raw.update(isHomeless=None, migrating=None, Relationships=None, additionalNames=None)
    prereg = structure(raw, PreRegistration, conv=conv)
    assert prereg.is_homeless is False
    assert prereg.migrating is False
    assert prereg.relationships == []
    assert prereg.additional_names is None


def test_two_spellings_of_one_key_the_last_wins_as_with_cattrs() -> None:
    guid = str(uuid.uuid4())
    for raw in (
        {"persoonId": guid, "fietsNummer": "A", "fietsnummer": "B"},
        {"persoonId": guid, "fietsnummer": "B", "FIETSNUMMER": "A", "nieuw": 1},
        {"PERSOONID": guid, "persoonId": guid, "naam": None, "NAAM": "X"},
    ):
        assert structure(raw, Student) == SLOW.structure(raw, Student)
    assert structure({"persoonId": guid, "naam": None, "NAAM": "X"}, Student).naam == "X"


def test_a_bad_nested_value_is_reported_with_its_path() -> None:
    raw = spec_example("students")["students"][0]
    raw["relaties"][1]["adressen"][0]["adresId"] = "not-a-guid"
    with pytest.raises(ResponseValidationError) as info:
        structure(raw, Student, path="$.students[0]")
    assert any("relaties[1].adressen[0].adres_id" in e for e in info.value.errors), (
        info.value.errors
    )


@pytest.mark.parametrize("conv", [STRICT, None], ids=["cattrs-hooks", "fast-path"])
def test_text_booleans_and_numbers(conv: Any) -> None:
    raw = {"isFacturatie": "false", "isVerblijf": "True", "pAdres": "12", "percentage": "50,5"}
    address = structure(raw, Address, conv=conv)
    assert address.is_facturatie is False
    assert address.is_verblijf is True
    assert address.p_adres == 12
    assert address.percentage == Decimal("50.5")


def test_lone_surrogates_do_not_break_the_fast_path() -> None:
    # valid JSON ("\ud800"); replacing or refusing them is the parser's business
    raw = {"persoonId": str(uuid.uuid4()), "naam": "a\ud800", "\udfffveld": 1,
           "adressen": [{"straat": "\udc00", "adresId": "\ud800" * 36}]}
    student = structure({**raw, "adressen": []}, Student)
    assert student.naam == "a\ud800"
    assert student == SLOW.structure({**raw, "adressen": []}, Student)
    fast = fast_function(Student)
    assert fast is not None
    assert fast({**raw, "adressen": []}) == student  # no fallback needed
    with pytest.raises(ResponseValidationError):
        structure(raw, Student)  # the GUID of surrogates is an error, reported, not a crash
