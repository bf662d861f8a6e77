"""Server-side pre-registration rules of the fake server (``POST /preregistrations/save``).

This is the fake server's ground truth and an implementation *independent* of the
client's :mod:`informat_async._preregistration_rules`: it works on the raw JSON body with
Informat's wire names and imports nothing from ``informat_async`` (the INSZ check is
duplicated on purpose), so the client's rules can be tested against it.

How the body is read, following an ASP.NET Core service with its default JSON options:

* property names match case-insensitively (``Lastname``, ``relationships``,
  ``address``...); for names that differ only in case the last one wins; unknown
  properties are ignored;
* a value that cannot be converted to the property's type gives ``BR000`` ("The JSON
  value for {field} could not be converted to applicable type", ``{field}`` being the
  JSON path such as ``$.Relationships[0].Address.isWritingAddress``): a number or a flag
  where a string is expected, ``"abc"`` or ``1.5`` or ``true`` for an integer, a number
  outside the 32-bit range, ``"yes"`` or ``null`` for a required flag, an unparseable or
  impossible date, a GUID that is not in the 36-character form. Integers sent as JSON
  strings (``"1"``) are accepted, as ASP.NET Core's web defaults do;
* dates are ``yyyy-MM-dd`` or ``yyyy-MM-ddTHH:mm[:ss[.fffffff]]`` with an optional ``Z``
  or ``+hh:mm``/``-hh:mm``; only the date as written is used (no time zone conversion);
* a missing property and ``null`` are the same, except for the required flags
  (``isHomeless``, ``migrating``, ``isIndicatorPupil``, the three ``is...Address`` flags):
  missing means ``false``, ``null`` is ``BR000``. Texts that are empty or whitespace
  only count as missing for the "is required" rules, and an empty ``insz`` or ``email``
  counts as absent. Lengths are counted in UTF-16 code units, like .NET's
  ``string.Length``.

Unlike the real service, which stops at the first value it cannot convert, every problem
is reported (the field with a ``BR000`` skips its other rules); pass
``stop_at_conversion_error=True`` to return only the first ``BR000`` when there is one.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any, Final

__all__ = ["MESSAGES", "check_preregistration"]

MESSAGES: Final[Mapping[str, str]] = {
    "BR000": "The JSON value for {field} could not be converted to applicable type",
    "BR001A": "Last Name is required",
    "BR001B": "Last Name doesn't comply with the validationrule: max. length 50",
    "BR002A": "First Name is required",
    "BR002B": "First Name doesn't comply with the validationrule: max. length 50",
    "BR003": "Additional Names doesn't comply with the validationrule: max. length 160",
    "BR004A": "Invalid Date Of Birth",
    "BR005A": "Country Of Birth Code is required",
    "BR005B": "Country Of Birth Code must have a lenght of 5 characters",
    "BR006A": "Place Of Birth Code doesn't comply with the validationrule: max. length 10",
    "BR007A": "Place Of Birth doesn't comply with the validationrule: max. length 50",
    "BR008A": "Nationality Code is required",
    "BR008B": "Nationality Code must have a length of 5 characters",
    "BR009": "Sex must have a valid value (1 or 2)",
    "BR010A": "Invalid Insz",
    "BR011": "Eid No doesn't comply with the validationrule: max. length 12",
    "BR012": "Mobile Phone doesn't comply with the validationrule: max. length 20",
    "BR013": "Invalid Email",
    "BR014": "Name Of Doctor doesn't comply with the validationrule: max. length 100",
    "BR015": "Phone Of Doctor doesn't comply with the validationrule: max. length 20",
    "BR016": "First Language doesn't comply with the validationrule: max. length 100",
    "BR017": "Invalid Religion",
    "BR018": "Invalid Priority Group",
    "BR019": "Invalid Reason For Refusal",
    "BR020A": "Max 2 Relationships are allowed",
    "BR021": "Relationship: Invalid Type",
    "BR022A": "Relationship: Last Name is required",
    "BR022B": "Relationship: Last Name doesn't comply with the validationrule: max. length 50",
    "BR023A": "Relationship: First Name is required",
    "BR023B": "Relationship: First Name doesn't comply with the validationrule: max. length 30",
    "BR024A": "Relationship: Street Name is required",
    "BR024B": "Relationship: Street Name doesn't comply with the validationrule: max. length 50",
    "BR025A": "Relationship: House No is required",
    "BR025B": "Relationship: House No doesn't comply with the validationrule: max. length 10",
    "BR026": "Relationship: House Bus No doesn't comply with the validationrule: max. length 6",
    "BR027A": "Relationship: Postal Code is required",
    "BR027B": "Relationship: Postal Code doesn't comply with the validationrule: max. length 8",
    "BR028A": "Relationship: City is required",
    "BR028B": "Relationship: City doesn't comply with the validationrule: max. length 30",
    "BR029A": "Relationship: Country Code is required",
    "BR029B": "Relationship: Country Code must have a lenght of 5 characters",
    "BR030": "Relationship: Phone doesn't comply with the validationrule: max. length 20",
    "BR031": "Relationship: Mobile Phone doesn't comply with the validationrule: max. length 20",
    "BR032": "Relationship: Invalid Email",
    "BR043A": "Relationship: Invalid Insz",
    "BR033": "Invalid Pre Registration Id",
    "BR034A": "Schoolyear is required",
    "BR034B": "Invalid Schoolyear",
    "BR035A": "Institute is required",
    "BR035B": "Institute must have a lenght of 6 characters",
    "BR036A": "Structure is required",
    "BR036B": "Structure must have a lenght of 3 characters",
    "BR037A": "Location Id is required",
    "BR037B": "Location Id must have a lenght of 3 characters",
    "BR037C": "Invalid LocationId {locationId} for this institute",
    "BR038A": "Admgrp Id is required",
    "BR038B": "Admgrp Id must have a lenght of 6 characters",
    "BR039": "Admgrp Detail doesn't comply with the validationrule: max. length 200",
    "BR040A": "Pre Registration Date is required",
    "BR040B": "Pre Registration Date must be on or before the Start date",
    "BR041A": "Start Date is required",
    "BR041B": "Start Date must be between beginning and end of defined school year",
    "BR042": "Invalid Registration Status",
}
"""The messages of the spec's error appendix, spelling mistakes included."""

_MISSING: Final = object()
_BAD: Final = object()
_INT32 = range(-(2**31), 2**31)
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_DATE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:T(?P<hh>[0-9]{2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2})(?:\.[0-9]{1,7})?)?"
    r"(?:Z|[+-](?P<oh>[0-9]{2}):(?P<om>[0-9]{2}))?)?"
)
_SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_EMAIL_MAX = 254

_SEX = frozenset({1, 2})
_RELIGION = frozenset({52, 63, 135, 136, 140, 187, 194, 225, 418, 9999})
_PRIORITY_GROUP = frozenset({1, 2, 3, 4, 5, 6})
_REASON_FOR_REFUSAL = frozenset({19})
_RELATIONSHIP_TYPE = frozenset({0, 2, 5, 6, 7, 8, 9, 10, 13, 14})
_PUPIL = 0
_REGISTRATION_STATUS = frozenset({0, 1})
_NO_ADMGRP = "000000"


def check_preregistration(
    payload: dict[str, Any],
    *,
    known_location_ids: Collection[str] | None = None,
    today: dt.date | None = None,
    stop_at_conversion_error: bool = False,
) -> list[tuple[str, str]]:
    """Return Informat's ``(code, message)`` pairs for a ``/preregistrations/save`` body.

    An empty list means the body is accepted. ``known_location_ids``, when given, are the
    location ids that exist for the institute and school year: a well-formed location id
    not among them gives ``BR037C``. ``today`` (default: the local date) decides whether a
    date of birth lies in the future. ``stop_at_conversion_error`` mimics the real
    service, which answers with only the first ``BR000`` when a value cannot be converted.
    """
    rules = _Rules(today or dt.date.today(), known_location_ids)
    if isinstance(payload, dict):
        rules.body(payload)
    else:
        rules.bad("$")
    if stop_at_conversion_error:
        for error in rules.errors:
            if error[0] == "BR000":
                return [error]
    return rules.errors


def _fold(obj: Mapping[Any, Any]) -> dict[str, Any]:
    """The object's properties by lower-cased name (case-insensitive binding)."""
    return {str(key).lower(): value for key, value in obj.items()}


def _utf16_len(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _blank(text: str) -> bool:
    return all(char.isspace() for char in text)


def _insz_ok(text: str) -> bool:
    if len(text) != 11 or any(char not in "0123456789" for char in text):
        return False
    month, day = int(text[2:4]) % 20, int(text[4:6])
    if int(text[2:4]) >= 60 or month > 12 or day > 31:
        return False
    base = int(text[:9])
    check = int(text[9:])
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    if match["hh"] is not None and (int(match["hh"]) > 23 or int(match["mm"]) > 59):
        return None
    if match["ss"] is not None and int(match["ss"]) > 59:
        return None
    if match["oh"] is not None and (int(match["oh"]) > 14 or int(match["om"]) > 59):
        return None
    return day


class _Rules:
    def __init__(self, today: dt.date, known_location_ids: Collection[str] | None) -> None:
        self.today = today
        self.known_location_ids = known_location_ids
        self.errors: list[tuple[str, str]] = []

    def error(self, code: str, **fields: str) -> None:
        self.errors.append((code, MESSAGES[code].format(**fields) if fields else MESSAGES[code]))

    def bad(self, path: str) -> object:
        self.error("BR000", field=path)
        return _BAD

    # -- conversions: each returns None (missing/null), a value, or _BAD after BR000 --

    def string(self, obj: dict[str, Any], name: str, path: str) -> Any:
        value = obj.get(name.lower())
        if value is None or isinstance(value, str):
            return value
        return self.bad(f"{path}.{name}")

    def integer(self, obj: dict[str, Any], name: str, path: str) -> Any:
        value = obj.get(name.lower())
        if value is None:
            return None
        if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value in _INT32:
            return value
        return self.bad(f"{path}.{name}")

    def date(self, obj: dict[str, Any], name: str, path: str) -> Any:
        value = obj.get(name.lower())
        if value is None:
            return None
        parsed = _parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            return self.bad(f"{path}.{name}")
        return parsed

    def boolean(self, obj: dict[str, Any], name: str, path: str, *, nullable: bool) -> None:
        value = obj.get(name.lower(), _MISSING)
        if value is _MISSING or isinstance(value, bool) or (value is None and nullable):
            return
        self.bad(f"{path}.{name}")

    # -- rules --

    def required(
        self, obj: dict[str, Any], name: str, path: str, missing: str, too_long: str, limit: int
    ) -> None:
        value = self.string(obj, name, path)
        if value is _BAD:
            return
        if value is None or _blank(value):
            self.error(missing)
        elif _utf16_len(value) > limit:
            self.error(too_long)

    def optional(self, obj: dict[str, Any], name: str, path: str, code: str, limit: int) -> None:
        value = self.string(obj, name, path)
        if isinstance(value, str) and _utf16_len(value) > limit:
            self.error(code)

    def unchecked(self, obj: dict[str, Any], name: str, path: str) -> None:
        self.string(obj, name, path)

    def formatted(
        self, obj: dict[str, Any], name: str, path: str, missing: str, wrong: str, pattern: str
    ) -> str | None:
        """A required text matching ``pattern`` (``.`` = any character); returns it if valid."""
        value = self.string(obj, name, path)
        if value is _BAD:
            return None
        if value is None or _blank(value):
            self.error(missing)
            return None
        # Count UTF-16 units for "any character" patterns: a surrogate pair is two.
        units = "".join(char if ord(char) <= 0xFFFF else "\0\0" for char in value)
        if re.fullmatch(pattern, units, flags=re.DOTALL) is None:
            self.error(wrong)
            return None
        return str(value)

    def insz(self, obj: dict[str, Any], name: str, path: str, code: str) -> None:
        value = self.string(obj, name, path)
        if isinstance(value, str) and not _blank(value) and not _insz_ok(value):
            self.error(code)

    def email(self, obj: dict[str, Any], name: str, path: str, code: str) -> None:
        value = self.string(obj, name, path)
        if (
            isinstance(value, str)
            and not _blank(value)
            and (len(value) > _EMAIL_MAX or _EMAIL.fullmatch(value) is None)
        ):
            self.error(code)

    def code_list(
        self,
        obj: dict[str, Any],
        name: str,
        path: str,
        code: str,
        allowed: frozenset[int],
        *,
        required: bool,
    ) -> Any:
        value = self.integer(obj, name, path)
        if value is _BAD:
            return _BAD
        if (value is None and required) or (value is not None and value not in allowed):
            self.error(code)
        return value

    # -- the body --

    def body(self, raw: dict[str, Any]) -> None:
        body = _fold(raw)
        p = "$"
        self.required(body, "lastName", p, "BR001A", "BR001B", 50)
        self.required(body, "firstName", p, "BR002A", "BR002B", 50)
        self.optional(body, "additionalNames", p, "BR003", 160)
        birth = self.date(body, "dateOfBirth", p)
        if birth is None or (birth is not _BAD and birth > self.today):
            self.error("BR004A")
        self.formatted(body, "countryOfBirthCode", p, "BR005A", "BR005B", ".{5}")
        self.optional(body, "placeOfBirthCode", p, "BR006A", 10)
        self.optional(body, "placeOfBirth", p, "BR007A", 50)
        self.formatted(body, "nationalityCode", p, "BR008A", "BR008B", ".{5}")
        self.code_list(body, "sex", p, "BR009", _SEX, required=True)
        self.insz(body, "insz", p, "BR010A")
        self.optional(body, "eIdNo", p, "BR011", 12)
        self.unchecked(body, "eIdPhoto", p)
        self.optional(body, "mobilePhone", p, "BR012", 20)
        self.email(body, "email", p, "BR013")
        self.optional(body, "nameOfDoctor", p, "BR014", 100)
        self.optional(body, "phoneOfDoctor", p, "BR015", 20)
        self.optional(body, "firstLanguage", p, "BR016", 100)
        for flag in ("isHomeless", "migrating", "isIndicatorPupil"):
            self.boolean(body, flag, p, nullable=False)
        self.code_list(body, "religion", p, "BR017", _RELIGION, required=False)
        self.code_list(body, "priorityGroup", p, "BR018", _PRIORITY_GROUP, required=False)
        self.code_list(body, "reasonForRefusal", p, "BR019", _REASON_FOR_REFUSAL, required=False)

        relationships = body.get("relationships")
        if isinstance(relationships, list):
            if len(relationships) > 2:
                self.error("BR020A")
            for index, relationship in enumerate(relationships):
                where = f"$.Relationships[{index}]"
                if isinstance(relationship, dict):
                    self.relationship(_fold(relationship), where)
                else:
                    self.bad(where)
        elif relationships is not None:
            self.bad("$.Relationships")

        self.registration(body)

    def relationship(self, rel: dict[str, Any], p: str) -> None:
        kind = self.code_list(rel, "type", p, "BR021", _RELATIONSHIP_TYPE, required=True)
        if kind == _PUPIL:
            self.optional(rel, "lastName", p, "BR022B", 50)
            self.optional(rel, "firstName", p, "BR023B", 30)
        else:
            self.required(rel, "lastName", p, "BR022A", "BR022B", 50)
            self.required(rel, "firstName", p, "BR023A", "BR023B", 30)
        self.optional(rel, "phone", p, "BR030", 20)
        self.optional(rel, "mobilePhone", p, "BR031", 20)
        self.email(rel, "email", p, "BR032")
        self.insz(rel, "insz", p, "BR043A")
        address = rel.get("address")
        if isinstance(address, dict):
            self.address(_fold(address), f"{p}.Address")
        elif address is not None:
            self.bad(f"{p}.Address")

    def address(self, adr: dict[str, Any], p: str) -> None:
        self.required(adr, "streetName", p, "BR024A", "BR024B", 50)
        self.required(adr, "houseNo", p, "BR025A", "BR025B", 10)
        self.optional(adr, "houseBusNo", p, "BR026", 6)
        self.required(adr, "postalCode", p, "BR027A", "BR027B", 8)
        self.required(adr, "city", p, "BR028A", "BR028B", 30)
        self.formatted(adr, "countryCode", p, "BR029A", "BR029B", ".{5}")
        for flag in ("isDomicileAddress", "isWritingAddress", "isResidenceAddress"):
            self.boolean(adr, flag, p, nullable=False)

    def registration(self, body: dict[str, Any]) -> None:
        p = "$"
        raw_id = body.get("preregistrationid")
        if raw_id is None:
            self.error("BR033")
        elif not isinstance(raw_id, str) or _GUID.fullmatch(raw_id) is None:
            self.bad("$.preRegistrationId")
        elif uuid.UUID(raw_id).int == 0:
            self.error("BR033")

        school_year = self.formatted(body, "schoolyear", p, "BR034A", "BR034B", r".*")
        if school_year is not None and not self.school_year_ok(school_year):
            self.error("BR034B")
            school_year = None
        self.formatted(body, "institute", p, "BR035A", "BR035B", "[0-9]{6}")
        self.formatted(body, "structure", p, "BR036A", "BR036B", ".{3}")
        location = self.formatted(body, "locationId", p, "BR037A", "BR037B", "[0-9]{3}")
        if (
            location is not None
            and self.known_location_ids is not None
            and location not in self.known_location_ids
        ):
            self.error("BR037C", locationId=location)
        admgrp = self.formatted(body, "admgrpId", p, "BR038A", "BR038B", "[0-9]{6}")
        self.optional(body, "admgrpDetail", p, "BR039", 200)

        registered = self.date(body, "preRegistrationDate", p)
        start = self.date(body, "startDate", p)
        if registered is None and admgrp != _NO_ADMGRP:
            self.error("BR040A")
        if isinstance(registered, dt.date) and isinstance(start, dt.date) and registered > start:
            self.error("BR040B")
        if start is None:
            self.error("BR041A")
        elif isinstance(start, dt.date) and not self.start_ok(start, school_year):
            self.error("BR041B")

        self.code_list(body, "registrationStatus", p, "BR042", _REGISTRATION_STATUS, required=True)
        self.unchecked(body, "remark", p)
        self.boolean(body, "assignedViaRegistrationSystem", p, nullable=True)

    @staticmethod
    def school_year_ok(text: str) -> bool:
        match = _SCHOOL_YEAR.fullmatch(text)
        if match is None:
            return False
        first = int(match[1])
        return 1900 <= first <= 2999 and int(match[2]) == (first + 1) % 100

    @staticmethod
    def start_ok(start: dt.date, school_year: str | None) -> bool:
        if school_year is not None:
            first = int(school_year[:4])
            if not dt.date(first, 9, 1) <= start <= dt.date(first + 1, 8, 31):
                return False
        return start.weekday() < 5 or (start.month, start.day) == (9, 1)
