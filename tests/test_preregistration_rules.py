"""Tests of the pre-registration rules: the client's and the fake server's, and that they agree."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from informat_async._preregistration_rules import (
    check_preregistration_or_raise,
    new_preregistration_id,
    validate_preregistration,
)
from informat_async.errors import CODE_CATALOGUE, PreRegistrationValidationError
from informat_async.insz import generate_insz, insz_checksum
from informat_async.models import (
    PreRegistration,
    PreRegistrationAddress,
    PreRegistrationRegistrationStatus,
    PreRegistrationRelationship,
    PreRegistrationSex,
    PriorityGroup,
    ReasonForRefusal,
    RelationshipType,
    Religion,
)
from informat_async.testing._prereg_rules import MESSAGES, check_preregistration

TODAY = dt.date(2025, 10, 1)
PUPIL_INSZ = "10040115681"  # the spec's "10040115670" has a wrong check number
FATHER_INSZ = "80031516717"
FATHER_EMAIL = "TisTeZot@telenet.be"


def base() -> PreRegistration:
    """The spec's example request, made valid (the pupil's INSZ check number is fixed)."""
    return PreRegistration(
        last_name="Eastwood",
        first_name="Scott",
        additional_names=None,
        date_of_birth=dt.date(2010, 4, 1),
        country_of_birth_code="00150",
        place_of_birth_code="8600",
        place_of_birth=None,
        nationality_code="00150",
        sex=PreRegistrationSex.MALE,
        insz=PUPIL_INSZ,
        e_id_no="1234",
        e_id_photo="",
        mobile_phone="",
        email="Scott.Eastwood@telenet.be",
        name_of_doctor="Ever young",
        phone_of_doctor=None,
        first_language="Vlaams",
        is_homeless=False,
        migrating=False,
        is_indicator_pupil=True,
        religion=None,
        priority_group=None,
        reason_for_refusal=None,
        relationships=[
            PreRegistrationRelationship(
                type=RelationshipType.FATHER,
                last_name="Eastwood",
                first_name="Clint",
                email=FATHER_EMAIL,
                insz=FATHER_INSZ,
                address=PreRegistrationAddress(
                    street_name="Nijverheidslaan",
                    house_no="120A",
                    house_bus_no=None,
                    postal_code="8600",
                    city="Diksmuide",
                    country_code="00150",
                    is_domicile_address=True,
                    is_writing_address=False,
                    is_residence_address=True,
                ),
            )
        ],
        pre_registration_id=uuid.UUID("EA840317-856F-4280-BE8F-DE0A46E2935F"),
        schoolyear="2020-21",
        institute="123456",
        structure="211",
        location_id="001",
        admgrp_id="040102",
        admgrp_detail="Test jaar",
        pre_registration_date=dt.datetime(2020, 6, 5, 10, 15),
        start_date=dt.date(2020, 9, 1),
        registration_status=PreRegistrationRegistrationStatus.NOT_REALIZED,
        remark="Mijn eerste test registratie",
        assigned_via_registration_system=True,
    )


# -- wire form -----------------------------------------------------------------------

_ADDRESS_WIRE = {
    "street_name": "streetName",
    "house_no": "houseNo",
    "house_bus_no": "houseBusNo",
    "postal_code": "postalCode",
    "city": "city",
    "country_code": "countryCode",
    "is_domicile_address": "isDomicileAddress",
    "is_writing_address": "isWritingAddress",
    "is_residence_address": "isResidenceAddress",
}
_RELATIONSHIP_WIRE = {
    "type": "type",
    "last_name": "lastName",
    "first_name": "firstName",
    "phone": "phone",
    "mobile_phone": "mobilePhone",
    "email": "email",
    "insz": "insz",
    "address": "Address",
}
_PREREGISTRATION_WIRE = {
    "last_name": "lastName",
    "first_name": "firstName",
    "additional_names": "additionalNames",
    "date_of_birth": "dateOfBirth",
    "country_of_birth_code": "countryOfBirthCode",
    "place_of_birth_code": "placeOfBirthCode",
    "place_of_birth": "placeOfBirth",
    "nationality_code": "nationalityCode",
    "sex": "sex",
    "insz": "insz",
    "e_id_no": "eIdNo",
    "e_id_photo": "eIdPhoto",
    "mobile_phone": "mobilePhone",
    "email": "email",
    "name_of_doctor": "nameOfDoctor",
    "phone_of_doctor": "phoneOfDoctor",
    "first_language": "firstLanguage",
    "is_homeless": "isHomeless",
    "migrating": "migrating",
    "is_indicator_pupil": "isIndicatorPupil",
    "religion": "religion",
    "priority_group": "priorityGroup",
    "reason_for_refusal": "reasonForRefusal",
    "relationships": "Relationships",
    "pre_registration_id": "preRegistrationId",
    "schoolyear": "schoolyear",
    "institute": "institute",
    "structure": "structure",
    "location_id": "locationId",
    "admgrp_id": "admgrpId",
    "admgrp_detail": "admgrpDetail",
    "pre_registration_date": "preRegistrationDate",
    "start_date": "startDate",
    "registration_status": "registrationStatus",
    "remark": "remark",
    "assigned_via_registration_system": "assignedViaRegistrationSystem",
}


def _wire_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):  # enums, including unknown pseudo-members
        return int(value)
    if isinstance(value, dt.datetime):
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
            f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        )
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, PreRegistrationAddress):
        return _wire_object(value, _ADDRESS_WIRE)
    if isinstance(value, PreRegistrationRelationship):
        return _wire_object(value, _RELATIONSHIP_WIRE)
    if isinstance(value, list | tuple):
        return [_wire_value(item) for item in value]
    return value


def _wire_object(obj: Any, names: dict[str, str]) -> dict[str, Any]:
    return {wire: _wire_value(getattr(obj, field)) for field, wire in names.items()}


def to_wire(prereg: PreRegistration) -> dict[str, Any]:
    """The JSON body of ``/preregistrations/save`` for ``prereg`` (through a JSON round trip)."""
    body = _wire_object(prereg, _PREREGISTRATION_WIRE)
    result: dict[str, Any] = json.loads(json.dumps(body))
    return result


def client_codes(prereg: PreRegistration) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in validate_preregistration(prereg, today=TODAY)]


def server_codes(body: dict[str, Any], **kwargs: Any) -> list[str]:
    return [code for code, _ in check_preregistration(body, today=TODAY, **kwargs)]


# -- mutations of the base ---------------------------------------------------------------

Mutation = Callable[[PreRegistration], PreRegistration]


def top(**changes: Any) -> Mutation:
    return lambda p: attrs.evolve(p, **changes)


def rel(**changes: Any) -> Mutation:
    def mutate(p: PreRegistration) -> PreRegistration:
        first = attrs.evolve(p.relationships[0], **changes)
        return attrs.evolve(p, relationships=[first, *p.relationships[1:]])

    return mutate


def addr(**changes: Any) -> Mutation:
    def mutate(p: PreRegistration) -> PreRegistration:
        address = p.relationships[0].address
        assert address is not None
        return rel(address=attrs.evolve(address, **changes))(p)

    return mutate


R = "relationships[0]"
A = "relationships[0].address"
EMOJI = "\N{GRINNING FACE}"

CASES: list[Any] = [
    pytest.param(top(last_name=None), "BR001A", "last_name", id="last_name-none"),
    pytest.param(top(last_name=""), "BR001A", "last_name", id="last_name-empty"),
    pytest.param(top(last_name="  \t"), "BR001A", "last_name", id="last_name-blank"),
    pytest.param(top(last_name="x" * 51), "BR001B", "last_name", id="last_name-51"),
    pytest.param(top(last_name=EMOJI * 26), "BR001B", "last_name", id="last_name-utf16"),
    pytest.param(top(first_name=None), "BR002A", "first_name", id="first_name-none"),
    pytest.param(top(first_name="x" * 51), "BR002B", "first_name", id="first_name-51"),
    pytest.param(top(additional_names="x" * 161), "BR003", "additional_names", id="BR003"),
    pytest.param(top(date_of_birth=None), "BR004A", "date_of_birth", id="dob-none"),
    pytest.param(
        top(date_of_birth=TODAY + dt.timedelta(days=1)), "BR004A", "date_of_birth", id="dob-future"
    ),
    pytest.param(top(country_of_birth_code=None), "BR005A", "country_of_birth_code", id="cob-none"),
    pytest.param(top(country_of_birth_code="0015"), "BR005B", "country_of_birth_code", id="cob-4"),
    pytest.param(
        top(country_of_birth_code="001500"), "BR005B", "country_of_birth_code", id="cob-6"
    ),
    pytest.param(top(place_of_birth_code="x" * 11), "BR006A", "place_of_birth_code", id="BR006A"),
    pytest.param(top(place_of_birth="x" * 51), "BR007A", "place_of_birth", id="BR007A"),
    pytest.param(top(nationality_code=None), "BR008A", "nationality_code", id="nat-none"),
    pytest.param(top(nationality_code="150"), "BR008B", "nationality_code", id="nat-3"),
    pytest.param(top(sex=PreRegistrationSex(3)), "BR009", "sex", id="sex-3"),
    pytest.param(top(sex=0), "BR009", "sex", id="sex-0"),
    pytest.param(top(sex=None), "BR009", "sex", id="sex-none"),
    pytest.param(top(insz="85073115025"), "BR010A", "insz", id="insz-spec-example"),
    pytest.param(top(insz="85.07.31-150.75"), "BR010A", "insz", id="insz-printed"),
    pytest.param(top(e_id_no="x" * 13), "BR011", "e_id_no", id="BR011"),
    pytest.param(top(mobile_phone="1" * 21), "BR012", "mobile_phone", id="BR012"),
    pytest.param(top(email="scott"), "BR013", "email", id="email-no-at"),
    pytest.param(top(email="scott@telenet"), "BR013", "email", id="email-no-dot"),
    pytest.param(top(email="scott eastwood@telenet.be"), "BR013", "email", id="email-space"),
    pytest.param(top(name_of_doctor="x" * 101), "BR014", "name_of_doctor", id="BR014"),
    pytest.param(top(phone_of_doctor="1" * 21), "BR015", "phone_of_doctor", id="BR015"),
    pytest.param(top(first_language="x" * 101), "BR016", "first_language", id="BR016"),
    pytest.param(top(religion=Religion(1)), "BR017", "religion", id="BR017"),
    pytest.param(top(priority_group=PriorityGroup(7)), "BR018", "priority_group", id="BR018"),
    pytest.param(
        top(reason_for_refusal=ReasonForRefusal(20)), "BR019", "reason_for_refusal", id="BR019"
    ),
    pytest.param(
        lambda p: attrs.evolve(p, relationships=p.relationships * 3),
        "BR020A",
        "relationships",
        id="BR020A",
    ),
    pytest.param(rel(type=RelationshipType(3)), "BR021", f"{R}.type", id="rel-type-3"),
    pytest.param(rel(type=None), "BR021", f"{R}.type", id="rel-type-none"),
    pytest.param(rel(last_name=None), "BR022A", f"{R}.last_name", id="BR022A"),
    pytest.param(rel(last_name="x" * 51), "BR022B", f"{R}.last_name", id="BR022B"),
    pytest.param(rel(first_name=""), "BR023A", f"{R}.first_name", id="BR023A"),
    pytest.param(rel(first_name="x" * 31), "BR023B", f"{R}.first_name", id="BR023B"),
    pytest.param(
        rel(type=RelationshipType.PUPIL, first_name="x" * 31),
        "BR023B",
        f"{R}.first_name",
        id="BR023B-pupil",
    ),
    pytest.param(addr(street_name=None), "BR024A", f"{A}.street_name", id="BR024A"),
    pytest.param(addr(street_name="x" * 51), "BR024B", f"{A}.street_name", id="BR024B"),
    pytest.param(addr(house_no=""), "BR025A", f"{A}.house_no", id="BR025A"),
    pytest.param(addr(house_no="x" * 11), "BR025B", f"{A}.house_no", id="BR025B"),
    pytest.param(addr(house_bus_no="x" * 7), "BR026", f"{A}.house_bus_no", id="BR026"),
    pytest.param(addr(postal_code=None), "BR027A", f"{A}.postal_code", id="BR027A"),
    pytest.param(addr(postal_code="x" * 9), "BR027B", f"{A}.postal_code", id="BR027B"),
    pytest.param(addr(city=" "), "BR028A", f"{A}.city", id="BR028A"),
    pytest.param(addr(city="x" * 31), "BR028B", f"{A}.city", id="BR028B"),
    pytest.param(addr(country_code=None), "BR029A", f"{A}.country_code", id="BR029A"),
    pytest.param(addr(country_code="150"), "BR029B", f"{A}.country_code", id="BR029B"),
    pytest.param(rel(phone="1" * 21), "BR030", f"{R}.phone", id="BR030"),
    pytest.param(rel(mobile_phone="1" * 21), "BR031", f"{R}.mobile_phone", id="BR031"),
    pytest.param(rel(email="clint@"), "BR032", f"{R}.email", id="BR032"),
    pytest.param(rel(insz="80031516716"), "BR043A", f"{R}.insz", id="BR043A"),
    pytest.param(
        top(pre_registration_id=uuid.UUID(int=0)), "BR033", "pre_registration_id", id="BR033-nil"
    ),
    pytest.param(top(pre_registration_id=None), "BR033", "pre_registration_id", id="BR033-none"),
    pytest.param(top(schoolyear=None), "BR034A", "schoolyear", id="BR034A"),
    pytest.param(top(schoolyear="2020-2021"), "BR034B", "schoolyear", id="BR034B-long"),
    pytest.param(top(schoolyear="2020-22"), "BR034B", "schoolyear", id="BR034B-gap"),
    pytest.param(top(schoolyear="2020/21"), "BR034B", "schoolyear", id="BR034B-slash"),
    pytest.param(top(institute=None), "BR035A", "institute", id="BR035A"),
    pytest.param(top(institute="12345"), "BR035B", "institute", id="BR035B-5"),
    pytest.param(top(institute="12345a"), "BR035B", "institute", id="BR035B-letter"),
    pytest.param(top(structure=""), "BR036A", "structure", id="BR036A"),
    pytest.param(top(structure="21"), "BR036B", "structure", id="BR036B"),
    pytest.param(top(location_id=None), "BR037A", "location_id", id="BR037A"),
    pytest.param(top(location_id="1"), "BR037B", "location_id", id="BR037B-1"),
    pytest.param(top(location_id="00a"), "BR037B", "location_id", id="BR037B-letter"),
    pytest.param(top(admgrp_id=None), "BR038A", "admgrp_id", id="BR038A"),
    pytest.param(top(admgrp_id="4010"), "BR038B", "admgrp_id", id="BR038B"),
    pytest.param(top(admgrp_detail="x" * 201), "BR039", "admgrp_detail", id="BR039"),
    pytest.param(top(pre_registration_date=None), "BR040A", "pre_registration_date", id="BR040A"),
    pytest.param(
        top(pre_registration_date=dt.datetime(2020, 9, 2, 8, 0)),
        "BR040B",
        "pre_registration_date",
        id="BR040B",
    ),
    pytest.param(top(start_date=None), "BR041A", "start_date", id="BR041A"),
    pytest.param(
        top(start_date=dt.date(2021, 9, 1)), "BR041B", "start_date", id="BR041B-next-year"
    ),
    pytest.param(top(start_date=dt.date(2020, 8, 31)), "BR041B", "start_date", id="BR041B-before"),
    pytest.param(top(start_date=dt.date(2020, 9, 5)), "BR041B", "start_date", id="BR041B-sat"),
    pytest.param(top(start_date=dt.date(2021, 3, 7)), "BR041B", "start_date", id="BR041B-sun"),
    pytest.param(
        top(registration_status=PreRegistrationRegistrationStatus(2)),
        "BR042",
        "registration_status",
        id="BR042",
    ),
    pytest.param(top(registration_status=None), "BR042", "registration_status", id="BR042-none"),
    # Values of the wrong type: BR000, the code of an unconvertible JSON value.
    pytest.param(top(last_name=42), "BR000", "last_name", id="type-last_name-int"),
    pytest.param(top(sex=True), "BR000", "sex", id="type-sex-bool"),
    pytest.param(top(sex=1.0), "BR000", "sex", id="type-sex-float"),
    pytest.param(top(sex="abc"), "BR000", "sex", id="type-sex-text"),
    pytest.param(top(religion=2**31), "BR000", "religion", id="type-religion-int64"),
    pytest.param(top(is_homeless=None), "BR000", "is_homeless", id="type-homeless-none"),
    pytest.param(top(is_homeless="yes"), "BR000", "is_homeless", id="type-homeless-text"),
    pytest.param(top(date_of_birth=20100401), "BR000", "date_of_birth", id="type-dob-int"),
    pytest.param(top(insz=10040115681), "BR000", "insz", id="type-insz-int"),
    pytest.param(top(relationships=5), "BR000", "relationships", id="type-relationships"),
    pytest.param(top(relationships=["x"]), "BR000", R, id="type-relationship"),
    pytest.param(rel(address=5), "BR000", f"{A}", id="type-address"),
    pytest.param(
        addr(is_writing_address=0), "BR000", f"{A}.is_writing_address", id="type-address-flag"
    ),
    pytest.param(top(pre_registration_id=7), "BR000", "pre_registration_id", id="type-id-int"),
]


def test_base_is_valid() -> None:
    assert validate_preregistration(base(), today=TODAY) == []
    check_preregistration_or_raise(base(), today=TODAY)
    assert check_preregistration(to_wire(base()), today=TODAY) == []


@pytest.mark.parametrize(("mutation", "code", "path"), CASES)
def test_client_rule(mutation: Mutation, code: str, path: str) -> None:
    assert client_codes(mutation(base())) == [(code, path)]


@pytest.mark.parametrize(("mutation", "code", "path"), CASES)
def test_server_rule(mutation: Mutation, code: str, path: str) -> None:
    del path
    errors = check_preregistration(to_wire(mutation(base())), today=TODAY)
    assert [c for c, _ in errors] == [code]
    expected = MESSAGES[code]
    if code == "BR000":
        assert re.fullmatch(
            r"The JSON value for \$\.\S+ could not be converted to applicable type", errors[0][1]
        )
    else:
        assert errors[0][1] == expected


def test_every_code_is_in_the_catalogue() -> None:
    codes = {case.values[1] for case in CASES}
    assert codes <= set(CODE_CATALOGUE)
    for code, message in MESSAGES.items():
        assert CODE_CATALOGUE[code] == message
    # Every BR code of the save call is covered by a case (BR037C needs known locations).
    save_codes = {code for code in CODE_CATALOGUE if code.startswith("BR")}
    assert save_codes - codes == {"BR001", "BR002", "BR037C"}  # BR001/BR002: other calls


def test_client_only_type_cases() -> None:
    # Texts that the server would parse are still the wrong type for the model.
    prereg = attrs.evolve(
        base(),
        date_of_birth="2010-04-01",  # type: ignore[arg-type]
        pre_registration_id="EA840317-856F-4280-BE8F-DE0A46E2935F",  # type: ignore[arg-type]
        sex="1",  # type: ignore[arg-type]
    )
    assert client_codes(prereg) == [
        ("BR000", "date_of_birth"),
        ("BR000", "sex"),
        ("BR000", "pre_registration_id"),
    ]
    with pytest.raises(TypeError, match="PreRegistration"):
        validate_preregistration(to_wire(base()))  # type: ignore[arg-type]


def test_many_problems_at_once() -> None:
    prereg = attrs.evolve(
        base(),
        last_name="",
        sex=PreRegistrationSex(9),
        insz="12345678901",
        institute="12",
        start_date=dt.date(2020, 9, 5),
        pre_registration_date=None,
        relationships=[
            PreRegistrationRelationship(type=RelationshipType.MOTHER, email="nope"),
            PreRegistrationRelationship(type=RelationshipType(99), last_name="x" * 60),
            PreRegistrationRelationship(type=RelationshipType.PUPIL),
        ],
    )
    expected = [
        ("BR001A", "last_name"),
        ("BR009", "sex"),
        ("BR010A", "insz"),
        ("BR020A", "relationships"),
        ("BR022A", "relationships[0].last_name"),
        ("BR023A", "relationships[0].first_name"),
        ("BR032", "relationships[0].email"),
        ("BR021", "relationships[1].type"),
        ("BR022B", "relationships[1].last_name"),
        ("BR023A", "relationships[1].first_name"),
        ("BR035B", "institute"),
        ("BR040A", "pre_registration_date"),
        ("BR041B", "start_date"),
    ]
    assert client_codes(prereg) == expected
    assert server_codes(to_wire(prereg)) == [code for code, _ in expected]
    with pytest.raises(PreRegistrationValidationError) as info:
        check_preregistration_or_raise(prereg, today=TODAY)
    assert [(p.code, p.path) for p in info.value.problems] == expected
    assert info.value.codes == tuple(code for code, _ in expected)


def test_messages_never_echo_insz_or_email() -> None:
    bad_insz, bad_email = "85073115025", "scott@@telenet.be"
    prereg = attrs.evolve(
        base(),
        insz=bad_insz,
        email=bad_email,
        relationships=[attrs.evolve(base().relationships[0], insz=bad_insz, email=bad_email)],
    )
    problems = validate_preregistration(prereg, today=TODAY)
    assert {p.code for p in problems} == {"BR010A", "BR013", "BR032", "BR043A"}
    with pytest.raises(PreRegistrationValidationError) as info:
        check_preregistration_or_raise(prereg, today=TODAY)
    text = str(info.value) + "".join(p.message for p in problems)
    assert bad_insz not in text
    assert "telenet" not in text
    assert "telenet" not in repr(problems)


def test_pupil_relationship_needs_no_names() -> None:
    address = base().relationships[0].address
    prereg = attrs.evolve(
        base(),
        relationships=[PreRegistrationRelationship(type=RelationshipType(0), address=address)],
    )
    assert client_codes(prereg) == []
    assert server_codes(to_wire(prereg)) == []


def test_no_admgrp_needs_no_preregistration_date() -> None:
    prereg = attrs.evolve(base(), admgrp_id="000000", pre_registration_date=None)
    assert client_codes(prereg) == []
    assert server_codes(to_wire(prereg)) == []
    # ... but a date that is given must still be on or before the start date.
    late = attrs.evolve(prereg, pre_registration_date=dt.datetime(2020, 9, 2))
    assert client_codes(late) == [("BR040B", "pre_registration_date")]


def test_preregistration_date_on_the_start_date_is_fine() -> None:
    prereg = attrs.evolve(base(), pre_registration_date=dt.datetime(2020, 9, 1, 23, 59, 59))
    assert client_codes(prereg) == []
    assert server_codes(to_wire(prereg)) == []


@pytest.mark.parametrize(
    ("start", "valid"),
    [
        (dt.date(2024, 9, 1), True),  # Sunday, but 1 September
        (dt.date(2024, 9, 2), True),  # Monday
        (dt.date(2024, 9, 7), False),  # Saturday
        (dt.date(2024, 9, 8), False),  # Sunday
        (dt.date(2025, 8, 29), True),  # Friday, last week of the school year
        (dt.date(2025, 8, 30), False),  # Saturday
        (dt.date(2025, 9, 1), False),  # Monday, but the next school year
    ],
)
def test_start_date_weekends(start: dt.date, valid: bool) -> None:
    assert start.weekday() in (0, 4, 5, 6)
    prereg = attrs.evolve(
        base(),
        schoolyear="2024-25",
        start_date=start,
        pre_registration_date=dt.datetime(2024, 3, 1, 9, 0),
    )
    expected = [] if valid else [("BR041B", "start_date")]
    assert client_codes(prereg) == expected
    assert server_codes(to_wire(prereg)) == [code for code, _ in expected]


def test_new_preregistration_id() -> None:
    first, second = new_preregistration_id(), new_preregistration_id()
    assert first.version == 4
    assert first != second


# -- server-only behaviour ---------------------------------------------------------------


def test_spec_example_request_as_sent() -> None:
    body = to_wire(base())
    body["insz"] = "10040115670"
    body["preRegistrationDate"] = "2020-06-05T10:15"
    assert check_preregistration(body, today=TODAY) == [("BR010A", "Invalid Insz")]


def test_server_matches_keys_case_insensitively() -> None:
    def fold(obj: Any, case: Callable[[str], str]) -> Any:
        if isinstance(obj, dict):
            return {case(k): fold(v, case) for k, v in obj.items()}
        if isinstance(obj, list):
            return [fold(v, case) for v in obj]
        return obj

    for case in (str.lower, str.upper):
        assert server_codes(fold(to_wire(base()), case)) == []
        broken = fold(to_wire(top(last_name="")(base())), case)
        assert server_codes(broken) == ["BR001A"]


@pytest.mark.parametrize(
    ("field", "value", "codes"),
    [
        ("sex", "abc", ["BR000"]),
        ("sex", "1", []),  # ASP.NET Core web defaults read numbers from strings
        ("sex", "3", ["BR009"]),
        ("sex", 1.5, ["BR000"]),
        ("isHomeless", "yes", ["BR000"]),
        ("isHomeless", None, ["BR000"]),
        ("assignedViaRegistrationSystem", None, []),
        ("lastName", 12, ["BR000"]),
        ("dateOfBirth", "2010-04-01T00:00:00Z", []),
        ("dateOfBirth", "2010-04-01T00:00:00.1234567+02:00", []),
        ("dateOfBirth", "2010-04-01T10:15", []),
        ("dateOfBirth", "2010-02-30", ["BR000"]),
        ("dateOfBirth", "01/04/2010", ["BR000"]),
        ("dateOfBirth", "2010-04-01T25:00", ["BR000"]),
        ("dateOfBirth", "", ["BR000"]),
        ("preRegistrationDate", "2020-06-05", []),
        ("preRegistrationDate", "2020-09-01T23:59:59.999Z", []),
        ("preRegistrationDate", "2020-09-02T00:00", ["BR040B"]),
        ("preRegistrationId", "ea840317-856f-4280-be8f-de0a46e2935f", []),
        ("preRegistrationId", "{EA840317-856F-4280-BE8F-DE0A46E2935F}", ["BR000"]),
        ("preRegistrationId", "00000000-0000-0000-0000-000000000000", ["BR033"]),
        ("Relationships", None, []),
        ("Relationships", {"type": 13}, ["BR000"]),
        ("religion", 140, []),
        ("religion", "9999", []),
        ("insz", "", []),
        ("email", "", []),
    ],
)
def test_server_wire_values(field: str, value: Any, codes: list[str]) -> None:
    body = to_wire(base())
    body[field] = value
    assert server_codes(body) == codes


def test_server_missing_flags_default_to_false() -> None:
    body = to_wire(base())
    for name in ("isHomeless", "migrating", "isIndicatorPupil", "assignedViaRegistrationSystem"):
        del body[name]
    for name in ("isDomicileAddress", "isWritingAddress", "isResidenceAddress"):
        del body["Relationships"][0]["Address"][name]
    assert server_codes(body) == []


def test_server_missing_required_fields() -> None:
    assert server_codes({}) == [
        "BR001A",
        "BR002A",
        "BR004A",
        "BR005A",
        "BR008A",
        "BR009",
        "BR033",
        "BR034A",
        "BR035A",
        "BR036A",
        "BR037A",
        "BR038A",
        "BR040A",
        "BR041A",
        "BR042",
    ]
    assert check_preregistration([], today=TODAY) == [  # type: ignore[arg-type]
        ("BR000", "The JSON value for $ could not be converted to applicable type")
    ]


def test_server_known_locations() -> None:
    body = to_wire(base())
    assert server_codes(body, known_location_ids={"001", "002"}) == []
    assert check_preregistration(body, today=TODAY, known_location_ids=["002"]) == [
        ("BR037C", "Invalid LocationId 001 for this institute")
    ]
    body["locationId"] = "1"  # badly formatted: no existence check
    assert server_codes(body, known_location_ids=["002"]) == ["BR037B"]


def test_server_stop_at_conversion_error() -> None:
    body = to_wire(base())
    body["lastName"] = ""
    body["sex"] = "abc"
    body["isHomeless"] = "yes"
    assert server_codes(body) == ["BR001A", "BR000", "BR000"]
    assert check_preregistration(body, today=TODAY, stop_at_conversion_error=True) == [
        ("BR000", "The JSON value for $.sex could not be converted to applicable type")
    ]


def test_server_br000_paths() -> None:
    body = to_wire(base())
    body["Relationships"][0]["Address"]["isWritingAddress"] = "no"
    body["Relationships"][0]["type"] = "father"
    assert check_preregistration(body, today=TODAY) == [
        (
            "BR000",
            "The JSON value for $.Relationships[0].type could not be converted to applicable type",
        ),
        (
            "BR000",
            "The JSON value for $.Relationships[0].Address.isWritingAddress could not be "
            "converted to applicable type",
        ),
    ]


# -- agreement between the client and the server -----------------------------------------

_NUMERIC_TEXT = re.compile(r"[+-]?[0-9]+")
letters = st.characters(categories=["L"], max_codepoint=0xFFFF)


def names(max_size: int) -> st.SearchStrategy[str]:
    return st.text(letters, min_size=1, max_size=max_size)


def digits(count: int) -> st.SearchStrategy[str]:
    return st.from_regex(f"[0-9]{{{count}}}", fullmatch=True)


valid_insz = st.builds(
    generate_insz,
    st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    st.integers(1, 998),
    bis=st.booleans(),
    gender_known=st.booleans(),
)
valid_email = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z0-9_+-]{1,10}(\.[a-z0-9]{1,5})?", fullmatch=True),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
    st.sampled_from(["be", "com", "vlaanderen"]),
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def enum_members(enum: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(enum))


valid_addresses = st.builds(
    PreRegistrationAddress,
    street_name=names(50),
    house_no=st.from_regex(r"[0-9]{1,4}[A-Z]?", fullmatch=True),
    house_bus_no=optional(st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
    postal_code=digits(4),
    city=names(30),
    country_code=digits(5),
    is_domicile_address=st.booleans(),
    is_writing_address=st.booleans(),
    is_residence_address=st.booleans(),
)


@st.composite
def valid_relationships(draw: st.DrawFn) -> PreRegistrationRelationship:
    kind = draw(enum_members(RelationshipType))
    name = optional if kind == RelationshipType.PUPIL else (lambda s: s)
    return PreRegistrationRelationship(
        type=kind,
        last_name=draw(name(names(50))),
        first_name=draw(name(names(30))),
        phone=draw(optional(st.from_regex(r"[0-9 +/]{0,20}", fullmatch=True))),
        mobile_phone=draw(optional(st.from_regex(r"[0-9 +/]{0,20}", fullmatch=True))),
        email=draw(optional(valid_email | st.just(""))),
        insz=draw(optional(valid_insz | st.just(""))),
        address=draw(optional(valid_addresses)),
    )


@st.composite
def valid_preregistrations(draw: st.DrawFn) -> PreRegistration:
    year = draw(st.integers(2015, 2030))
    first_day = dt.date(year, 9, 1)
    start = draw(
        st.integers(0, 364)
        .map(lambda days: first_day + dt.timedelta(days=days))
        .filter(lambda day: day.weekday() < 5 or (day.month, day.day) == (9, 1))
    )
    admgrp = draw(st.just("000000") | digits(6))
    registered: dt.datetime | None = draw(
        st.datetimes(
            dt.datetime.combine(start - dt.timedelta(days=400), dt.time()),
            dt.datetime.combine(start, dt.time(23, 59, 59)),
        )
    )
    if admgrp == "000000":
        registered = draw(st.none() | st.just(registered))
    return PreRegistration(
        pre_registration_id=draw(st.uuids()),
        schoolyear=f"{year}-{(year + 1) % 100:02d}",
        institute=draw(digits(6)),
        structure=draw(digits(3)),
        location_id=draw(digits(3)),
        admgrp_id=admgrp,
        admgrp_detail=draw(optional(st.text(letters, max_size=200))),
        pre_registration_date=registered,
        start_date=start,
        registration_status=draw(enum_members(PreRegistrationRegistrationStatus)),
        last_name=draw(names(50)),
        first_name=draw(names(50)),
        additional_names=draw(optional(st.text(letters, max_size=160))),
        date_of_birth=draw(st.dates(dt.date(1960, 1, 1), TODAY)),
        country_of_birth_code=draw(digits(5)),
        place_of_birth_code=draw(optional(st.text(letters, max_size=10))),
        place_of_birth=draw(optional(st.text(letters, max_size=50))),
        nationality_code=draw(digits(5)),
        sex=draw(enum_members(PreRegistrationSex)),
        insz=draw(optional(valid_insz | st.just(""))),
        e_id_no=draw(optional(st.text(letters, max_size=12))),
        e_id_photo=draw(optional(st.text())),
        mobile_phone=draw(optional(st.text(letters, max_size=20))),
        email=draw(optional(valid_email | st.just(""))),
        name_of_doctor=draw(optional(st.text(letters, max_size=100))),
        phone_of_doctor=draw(optional(st.text(letters, max_size=20))),
        first_language=draw(optional(st.text(letters, max_size=100))),
        is_homeless=draw(st.booleans()),
        migrating=draw(st.booleans()),
        is_indicator_pupil=draw(st.booleans()),
        religion=draw(optional(enum_members(Religion))),
        priority_group=draw(optional(enum_members(PriorityGroup))),
        reason_for_refusal=draw(optional(enum_members(ReasonForRefusal))),
        relationships=draw(st.lists(valid_relationships(), max_size=2)),
        remark=draw(optional(st.text())),
        assigned_via_registration_system=draw(st.booleans()),
    )


# Values that break (or may break) a field, including values of the wrong type.
wrong_for_text = st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans()
non_numeric_text = st.text(max_size=5).filter(lambda s: not _NUMERIC_TEXT.fullmatch(s))
wrong_for_int = (
    st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | non_numeric_text
    | st.integers(min_value=2**31)
    | st.integers(max_value=-(2**31) - 1)
)
wrong_for_date = st.integers() | st.booleans() | st.sampled_from(["", "abc", "01/09/2020"])
wrong_for_flag = st.none() | st.integers(0, 1) | st.sampled_from(["true", "yes", ""])


def any_text(max_len: int) -> st.SearchStrategy[Any]:
    return (
        st.none()
        | st.sampled_from(["", " ", "\t\n"])
        | st.text(max_size=max_len + 3)
        | st.integers(max_len - 1, max_len + 1).map(lambda n: "a" * n)
        | st.integers(max_len // 2 - 1, max_len // 2 + 1).map(lambda n: EMOJI * n)
        | wrong_for_text
    )


def any_code(length: int) -> st.SearchStrategy[Any]:
    return any_text(length) | st.from_regex(f"[0-9a]{{{length - 1},{length + 1}}}", fullmatch=True)


def any_int(enum: Any) -> st.SearchStrategy[Any]:
    return (
        st.none()
        | enum_members(enum)
        | st.integers(-3, 20_000).map(enum)
        | st.integers(-3, 20_000)
        | wrong_for_int
    )


any_insz = (
    any_text(11)
    | valid_insz
    | st.from_regex(r"[0-9]{11}", fullmatch=True)
    | valid_insz.flatmap(
        lambda n: st.integers(0, 10).map(lambda i: n[:i] + str((int(n[i]) + 3) % 10) + n[i + 1 :])
    )
)


def _with_check_number(base9: str, born_in_2000s: bool) -> str:
    return f"{base9}{insz_checksum(base9, born_in_2000s=born_in_2000s):02d}"


checked_insz = st.builds(
    _with_check_number, st.from_regex(r"[0-9]{9}", fullmatch=True), st.booleans()
)
any_insz = any_insz | checked_insz
any_email = (
    any_text(20)
    | valid_email
    | st.sampled_from(["a@b", "@x.be", "a@b.c", "ä@x.be", "a..b@x.be", "a@-x.be", "a@x.be "])
)
any_date = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)) | wrong_for_date
near_today = st.dates(TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=3))
any_start = st.none() | st.dates(dt.date(2014, 1, 1), dt.date(2032, 1, 1)) | wrong_for_date
any_registered = any_start | st.datetimes(dt.datetime(2014, 1, 1), dt.datetime(2032, 1, 1))
any_flag = st.booleans() | wrong_for_flag

ADDRESS_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "street_name": any_text(50),
    "house_no": any_text(10),
    "house_bus_no": any_text(6),
    "postal_code": any_text(8),
    "city": any_text(30),
    "country_code": any_code(5),
    "is_domicile_address": any_flag,
    "is_writing_address": any_flag,
    "is_residence_address": any_flag,
}


@st.composite
def addresses(draw: st.DrawFn) -> Any:
    address = draw(valid_addresses)
    for field in draw(st.lists(st.sampled_from(sorted(ADDRESS_FIELDS)), max_size=3)):
        address = attrs.evolve(address, **{field: draw(ADDRESS_FIELDS[field])})
    return address


RELATIONSHIP_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "type": any_int(RelationshipType),
    "last_name": any_text(50),
    "first_name": any_text(30),
    "phone": any_text(20),
    "mobile_phone": any_text(20),
    "email": any_email,
    "insz": any_insz,
    "address": st.none() | addresses() | st.integers() | st.text(max_size=3),
}


@st.composite
def relationships(draw: st.DrawFn) -> Any:
    relationship = draw(valid_relationships())
    if draw(st.booleans()):
        relationship = attrs.evolve(relationship, address=draw(addresses()))
    for field in draw(st.lists(st.sampled_from(sorted(RELATIONSHIP_FIELDS)), max_size=3)):
        relationship = attrs.evolve(relationship, **{field: draw(RELATIONSHIP_FIELDS[field])})
    return relationship


PREREGISTRATION_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "last_name": any_text(50),
    "first_name": any_text(50),
    "additional_names": any_text(160),
    "date_of_birth": any_date | near_today,
    "country_of_birth_code": any_code(5),
    "place_of_birth_code": any_text(10),
    "place_of_birth": any_text(50),
    "nationality_code": any_code(5),
    "sex": any_int(PreRegistrationSex),
    "insz": any_insz,
    "e_id_no": any_text(12),
    "e_id_photo": any_text(5),
    "mobile_phone": any_text(20),
    "email": any_email,
    "name_of_doctor": any_text(100),
    "phone_of_doctor": any_text(20),
    "first_language": any_text(100),
    "is_homeless": any_flag,
    "migrating": any_flag,
    "is_indicator_pupil": any_flag,
    "religion": any_int(Religion),
    "priority_group": any_int(PriorityGroup),
    "reason_for_refusal": any_int(ReasonForRefusal),
    "relationships": (
        st.none()
        | st.lists(relationships() | st.integers() | st.none() | st.text(max_size=3), max_size=4)
        | st.integers()
        | st.text(max_size=3)
    ),
    "pre_registration_id": (
        st.none()
        | st.uuids()
        | st.just(uuid.UUID(int=0))
        | st.integers()
        | st.sampled_from(["", "not-a-guid"])
    ),
    "schoolyear": any_text(7)
    | st.integers(1890, 3010).map(lambda y: f"{y}-{(y + 1) % 100:02d}")
    | st.from_regex(r"20[0-9]{2}-[0-9]{2}", fullmatch=True),
    "institute": any_code(6),
    "structure": any_code(3),
    "location_id": any_code(3),
    "admgrp_id": any_code(6) | st.just("000000"),
    "admgrp_detail": any_text(200),
    "pre_registration_date": any_registered,
    "start_date": any_start,
    "registration_status": any_int(PreRegistrationRegistrationStatus),
    "remark": any_text(5),
    "assigned_via_registration_system": any_flag,
}


@st.composite
def preregistrations(draw: st.DrawFn) -> PreRegistration:
    prereg = draw(valid_preregistrations())
    if draw(st.booleans()):
        prereg = attrs.evolve(prereg, relationships=draw(st.lists(relationships(), max_size=3)))
    for field in draw(st.lists(st.sampled_from(sorted(PREREGISTRATION_FIELDS)), max_size=5)):
        prereg = attrs.evolve(prereg, **{field: draw(PREREGISTRATION_FIELDS[field])})
    # Move the dates around their boundaries: the school year's ends, weekends, each other.
    if draw(st.booleans()) and isinstance(prereg.start_date, dt.date):
        school_start = dt.date(prereg.start_date.year - (prereg.start_date.month < 9), 9, 1)
        anchor = draw(
            st.sampled_from(
                [prereg.start_date, school_start, school_start.replace(year=school_start.year + 1)]
            )
        )
        start = anchor + dt.timedelta(days=draw(st.integers(-9, 9)))
        prereg = attrs.evolve(prereg, start_date=start)
        if draw(st.booleans()):
            registered = dt.datetime.combine(start, dt.time()) + dt.timedelta(
                minutes=draw(st.integers(-3000, 3000))
            )
            prereg = attrs.evolve(prereg, pre_registration_date=registered)
    return prereg


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_preregistrations())
def test_generated_valid_preregistrations_pass(prereg: PreRegistration) -> None:
    assert client_codes(prereg) == []
    assert server_codes(to_wire(prereg)) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(preregistrations())
def test_client_and_server_agree(prereg: PreRegistration) -> None:
    client = Counter(code for code, _ in client_codes(prereg))
    server = Counter(server_codes(to_wire(prereg)))
    assert client == server


def _texts(limit: int) -> list[Any]:
    return [
        None, "", " ", "\t\n", "a", "a" * (limit - 1), "a" * limit, "a" * (limit + 1),
        EMOJI * (limit // 2), EMOJI * (limit // 2 + 1), "é" * limit, " " * (limit + 1),
        0, 1.5, True, False, [],
    ]  # fmt: skip


def _codes(length: int) -> list[Any]:
    return [
        *_texts(length), "0" * length, "0" * (length - 1) + "a", "0" * (length + 1),
        "\uff10" * length, "\u0661" * length, "0" * (length - 1) + EMOJI,
    ]  # fmt: skip


_INTS: list[Any] = [
    None, -1, 0, 1, 2, 3, 5, 7, 8, 13, 14, 19, 20, 52, 63, 140, 418, 9999, 10000,
    2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 1.0, 0.5, True, False, "abc", "", "1a", [],
]  # fmt: skip
_FLAGS: list[Any] = [True, False, None, 0, 1, "true", "", 1.0]
_INSZ: list[Any] = [
    *_texts(11),
    PUPIL_INSZ, "10040115670", "85073115025", "85.07.31-150.75", "8507311507",
    "850731150755", "850731150075",
    *(_with_check_number(f"85{month:02d}15150", False) for month in range(100)),
    *(_with_check_number(f"07{month:02d}15150", True) for month in range(0, 100, 7)),
    *(_with_check_number(f"850{day}150", False) for day in ("700", "731", "732", "799")),
]  # fmt: skip
_EMAILS: list[Any] = [
    *_texts(20), "a@b.c", "a@b", "@b.be", "a@.be", "a@b.be.", "a..b@x.be", ".a@x.be",
    "a.@x.be", "a@-x.be", "a@x-.be", "a@x.be ", " a@x.be", "ä@x.be", "a@ä.be", "a@b@c.be",
    "a+tag@sub.example.com", "x" * 64 + "@" + "y" * 186 + ".be", "x" * 64 + "@" + "y" * 187 + ".be",
]  # fmt: skip
_DATES: list[Any] = [
    None, TODAY, TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1),
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(2010, 4, 1, 23, 59), 0, True, "", "x",
]  # fmt: skip
_STARTS: list[Any] = [
    *(dt.date(2020, 8, 20) + dt.timedelta(days=n) for n in range(30)),
    *(dt.date(2021, 8, 20) + dt.timedelta(days=n) for n in range(30)),
    None, 0, "x", dt.datetime(2020, 9, 5, 12, 0),
]  # fmt: skip
_REGISTERED: list[Any] = [
    *(dt.datetime(2020, 8, 31, 23, 0) + dt.timedelta(minutes=30 * n) for n in range(6)),
    dt.date(2020, 9, 1), dt.date(2020, 9, 2), None, 0, "x",
]  # fmt: skip
_RELATIONSHIPS: list[Any] = [
    None, [], 1, "x", [None], [1], ["x"],
    *(base().relationships * n for n in range(1, 5)),
    [PreRegistrationRelationship(type=RelationshipType(0))],
    [PreRegistrationRelationship(type=RelationshipType(3))],
    [PreRegistrationRelationship(type=None)],  # type: ignore[arg-type]
    [PreRegistrationRelationship(type=RelationshipType.MOTHER)],
]  # fmt: skip

TOP_VALUES: dict[str, list[Any]] = {
    "last_name": _texts(50),
    "first_name": _texts(50),
    "additional_names": _texts(160),
    "date_of_birth": _DATES,
    "country_of_birth_code": _codes(5),
    "place_of_birth_code": _texts(10),
    "place_of_birth": _texts(50),
    "nationality_code": _codes(5),
    "sex": _INTS,
    "insz": _INSZ,
    "e_id_no": _texts(12),
    "e_id_photo": _texts(3),
    "mobile_phone": _texts(20),
    "email": _EMAILS,
    "name_of_doctor": _texts(100),
    "phone_of_doctor": _texts(20),
    "first_language": _texts(100),
    "is_homeless": _FLAGS,
    "migrating": _FLAGS,
    "is_indicator_pupil": _FLAGS,
    "religion": _INTS,
    "priority_group": _INTS,
    "reason_for_refusal": _INTS,
    "relationships": _RELATIONSHIPS,
    "pre_registration_id": [None, uuid.UUID(int=0), uuid.UUID(int=1), uuid.uuid4(), 0, "", "x"],
    "schoolyear": [
        *_texts(7), "2020-21", "2019-20", "2021-22", "2020-2021", "2020-20", "2020-22",
        "1899-00", "1900-01", "2999-00", "3000-01", "2099-00", "20-21", "\u0662020-21",
    ],
    "institute": _codes(6),
    "structure": _codes(3),
    "location_id": _codes(3),
    "admgrp_id": [*_codes(6), "000000", "000000 ", "0000000"],
    "admgrp_detail": _texts(200),
    "pre_registration_date": _REGISTERED,
    "start_date": _STARTS,
    "registration_status": _INTS,
    "remark": _texts(3),
    "assigned_via_registration_system": _FLAGS,
}  # fmt: skip
RELATIONSHIP_VALUES: dict[str, list[Any]] = {
    "type": _INTS,
    "last_name": _texts(50),
    "first_name": _texts(30),
    "phone": _texts(20),
    "mobile_phone": _texts(20),
    "email": _EMAILS,
    "insz": _INSZ,
    "address": [None, 0, "x", True],
}
ADDRESS_VALUES: dict[str, list[Any]] = {
    "street_name": _texts(50),
    "house_no": _texts(10),
    "house_bus_no": _texts(6),
    "postal_code": _texts(8),
    "city": _texts(30),
    "country_code": _codes(5),
    "is_domicile_address": _FLAGS,
    "is_writing_address": _FLAGS,
    "is_residence_address": _FLAGS,
}


def _assert_agree(prereg: PreRegistration) -> None:
    client = [code for code, _ in client_codes(prereg)]
    assert client == server_codes(to_wire(prereg))


@pytest.mark.parametrize("field", sorted(TOP_VALUES))
def test_single_field_values_agree(field: str) -> None:
    for value in TOP_VALUES[field]:
        _assert_agree(attrs.evolve(base(), **{field: value}))


@pytest.mark.parametrize("field", sorted(RELATIONSHIP_VALUES))
@pytest.mark.parametrize("kind", [RelationshipType.PUPIL, RelationshipType.FOSTER_MOTHER])
def test_single_relationship_field_values_agree(field: str, kind: RelationshipType) -> None:
    for value in RELATIONSHIP_VALUES[field]:
        _assert_agree(rel(**{"type": kind, field: value})(base()))


@pytest.mark.parametrize("field", sorted(ADDRESS_VALUES))
def test_single_address_field_values_agree(field: str) -> None:
    for value in ADDRESS_VALUES[field]:
        _assert_agree(addr(**{field: value})(base()))
