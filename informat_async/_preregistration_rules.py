"""Client-side validation of a pre-registration against Informat's BR rules.

:func:`validate_preregistration` checks a :class:`~informat_async.models.PreRegistration`
before anything is sent and returns *every* problem at once, each one carrying the
Informat code the server would answer with (``BR001A``...), the snake_case path of the
field in the model (``relationships[1].address.city``) and an English message that never
repeats the value (no INSZ or e-mail address ends up in a log or an exception).

What the client checks, mirroring the "Pre-registrations" chapter of the spec:

* required fields and maximum lengths of every text field (lengths are counted in UTF-16
  code units, as .NET does: a character outside the BMP, such as an emoji, counts twice);
  a text that is empty or only whitespace counts as missing;
* exact lengths (country and nationality codes 5, structure 3) and digit formats
  (institute 6 digits, location 3 digits, admgrp 6 digits, school year ``"2025-26"``);
* INSZ check numbers (see :mod:`informat_async.insz`), e-mail format, known code values
  (sex, religion, priority group, reason for refusal, relationship type, registration
  status), at most two relationships, relationship names not required for type 0;
* dates: date of birth not in the future, the pre-registration date required unless
  ``admgrp_id == "000000"`` and not after the start date, the start date inside the
  school year and not on a Saturday or Sunday unless it is 1 September;
* runtime types: a value of the wrong type (an ``int`` for a text, ``None`` for a flag,
  a ``float`` for a code) is reported as ``BR000``, the code Informat uses for a JSON value
  it cannot convert, and the field's other rules are skipped.

What only the server can decide is left to the server: whether the location exists for
the institute and school year (``BR037C``), whether the admgrp exists, and whether country,
nationality and postal codes appear in the official lists.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
from collections.abc import Callable
from typing import Final, Literal

from .errors import PreRegistrationValidationError, Problem
from .insz import is_valid_insz
from .models._enums import (
    PreRegistrationRegistrationStatus,
    PreRegistrationSex,
    PriorityGroup,
    ReasonForRefusal,
    RelationshipType,
    Religion,
)
from .models.preregistrations import (
    PreRegistration,
    PreRegistrationAddress,
    PreRegistrationRelationship,
)
from .validation import school_year_bounds

__all__ = [
    "check_preregistration_or_raise",
    "new_preregistration_id",
    "validate_preregistration",
]

NO_ADMGRP: Final = "000000"
"""The admgrp id of an "update personal details" registration (no pre-registration date)."""

_INT32_MIN: Final = -(2**31)
_INT32_MAX: Final = 2**31 - 1

_EMAIL: Final = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_EMAIL_MAX: Final = 254
_SCHOOL_YEAR: Final = re.compile(r"([0-9]{4})-([0-9]{2})")


class _Bad(enum.Enum):
    """Marks a value of the wrong type (already reported as BR000)."""

    BAD = 0


_BAD: Final = _Bad.BAD


def _codes(members: type[enum.IntEnum]) -> frozenset[int]:
    return frozenset(int(m) for m in members)


_SEXES: Final = _codes(PreRegistrationSex)
_RELIGIONS: Final = _codes(Religion)
_PRIORITY_GROUPS: Final = _codes(PriorityGroup)
_REASONS_FOR_REFUSAL: Final = _codes(ReasonForRefusal)
_RELATIONSHIP_TYPES: Final = _codes(RelationshipType)
_REGISTRATION_STATUSES: Final = _codes(PreRegistrationRegistrationStatus)


def new_preregistration_id() -> uuid.UUID:
    """A fresh random (version 4) id for a new pre-registration.

    Informat does not hand out the id: the caller chooses it, and ``/preregistrations/save``
    creates the pre-registration the first time it sees an id and *updates* it afterwards.
    That makes saving idempotent: when a save times out, the client cannot know whether
    Informat stored it, and retrying with the same id updates the stored copy instead of
    creating a duplicate. So create the id once, store it with your own reservation before
    the first save, and reuse it for every retry, update, status request and delete.
    """
    return uuid.uuid4()


def check_preregistration_or_raise(
    prereg: PreRegistration, *, today: dt.date | None = None
) -> None:
    """Raise :class:`~informat_async.errors.PreRegistrationValidationError` listing every
    problem :func:`validate_preregistration` finds; return ``None`` when there is none."""
    problems = validate_preregistration(prereg, today=today)
    if problems:
        raise PreRegistrationValidationError(problems)


def validate_preregistration(
    prereg: PreRegistration, *, today: dt.date | None = None
) -> list[Problem]:
    """Every problem of ``prereg`` that Informat would reject, in field order.

    ``today`` (default: the local date) is the reference for "date of birth in the future".
    An empty list means the server-independent rules pass; the server may still refuse
    an unknown location (``BR037C``), admgrp or official code. Raises ``TypeError`` only
    when ``prereg`` is not a ``PreRegistration`` at all.
    """
    if not isinstance(prereg, PreRegistration):
        raise TypeError(f"expected a PreRegistration, got {type(prereg).__name__}")
    check = _Checker(today or dt.date.today())
    check.pupil(prereg)
    check.relationships(prereg.relationships)
    check.registration(prereg)
    return check.problems


def _utf16_len(text: str) -> int:
    """Length as .NET counts it: characters outside the BMP take two UTF-16 code units."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _is_blank(text: str) -> bool:
    return text.strip() == ""


def _is_valid_school_year(text: str) -> bool:
    match = _SCHOOL_YEAR.fullmatch(text)
    if match is None:
        return False
    start = int(match.group(1))
    return 1900 <= start <= 2999 and (start + 1) % 100 == int(match.group(2))


def _is_valid_email(text: str) -> bool:
    return len(text) <= _EMAIL_MAX and _EMAIL.fullmatch(text) is not None


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


class _Checker:
    """Collects problems; one method per group of fields."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.problems: list[Problem] = []

    def add(self, code: str, path: str, message: str) -> None:
        self.problems.append(Problem(code=code, path=path, message=message))

    # -- typed accessors: report BR000 and return _BAD for a value of the wrong type --

    def wrong_type(self, path: str, expected: str, value: object) -> Literal[_Bad.BAD]:
        self.add("BR000", path, f"expected {expected}, got {_type_name(value)}")
        return _BAD

    def text(self, value: object, path: str) -> str | Literal[_Bad.BAD] | None:
        if value is None or isinstance(value, str):
            return value
        return self.wrong_type(path, "a str", value)

    def integer(self, value: object, path: str) -> int | Literal[_Bad.BAD] | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if _INT32_MIN <= value <= _INT32_MAX:
                return int(value)
            self.add("BR000", path, "the number does not fit a 32-bit integer")
            return _BAD
        return self.wrong_type(path, "an int code", value)

    def date(self, value: object, path: str) -> dt.date | Literal[_Bad.BAD] | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return self.wrong_type(path, "a date", value)

    def flag(self, value: object, path: str, *, required: bool) -> None:
        if isinstance(value, bool) or (value is None and not required):
            return
        self.wrong_type(path, "True or False", value)

    # -- rules shared by many fields --

    def required_text(
        self, value: object, path: str, code_required: str, code_length: str, max_len: int
    ) -> None:
        text = self.text(value, path)
        if text is _BAD:
            return
        if text is None or _is_blank(text):
            self.add(code_required, path, "is required")
        elif (length := _utf16_len(text)) > max_len:
            self.add(code_length, path, f"is {length} characters long, at most {max_len}")

    def optional_text(self, value: object, path: str, code: str | None, max_len: int) -> None:
        text = self.text(value, path)
        if text is _BAD or text is None or code is None:
            return
        if (length := _utf16_len(text)) > max_len:
            self.add(code, path, f"is {length} characters long, at most {max_len}")

    def fixed_text(
        self,
        value: object,
        path: str,
        code_required: str,
        code_format: str,
        is_valid: Callable[[str], bool],
        expected: str,
    ) -> str | None:
        """A required code with a fixed format; returns the text when it is valid."""
        text = self.text(value, path)
        if text is _BAD:
            return None
        if text is None or _is_blank(text):
            self.add(code_required, path, "is required")
            return None
        if not is_valid(text):
            self.add(code_format, path, f"must be {expected}")
            return None
        return text

    def exact_length(
        self, value: object, path: str, code_required: str, code_length: str, length: int
    ) -> None:
        self.fixed_text(
            value,
            path,
            code_required,
            code_length,
            lambda text: _utf16_len(text) == length,
            f"exactly {length} characters",
        )

    def digits(
        self, value: object, path: str, code_required: str, code_format: str, count: int
    ) -> str | None:
        pattern = re.compile(f"[0-9]{{{count}}}")
        return self.fixed_text(
            value,
            path,
            code_required,
            code_format,
            lambda text: pattern.fullmatch(text) is not None,
            f"exactly {count} digits",
        )

    def insz(self, value: object, path: str, code: str) -> None:
        text = self.text(value, path)
        if text is _BAD or text is None or _is_blank(text):
            return
        if not is_valid_insz(text):
            # Never echo the number itself.
            self.add(code, path, "is not a valid national register or bis number")

    def email(self, value: object, path: str, code: str) -> None:
        text = self.text(value, path)
        if text is _BAD or text is None or _is_blank(text):
            return
        if not _is_valid_email(text):
            # Never echo the address itself.
            self.add(code, path, "is not a valid e-mail address")

    def code(
        self,
        value: object,
        path: str,
        code: str,
        allowed: frozenset[int],
        *,
        required: bool,
    ) -> int | None:
        """A code list value; returns it when it is known."""
        number = self.integer(value, path)
        if number is _BAD:
            return None
        if number is None:
            if required:
                self.add(code, path, "is required")
            return None
        if number not in allowed:
            self.add(code, path, f"{number} is not one of {sorted(allowed)}")
            return None
        return number

    # -- the groups of fields --

    def pupil(self, p: PreRegistration) -> None:
        self.required_text(p.last_name, "last_name", "BR001A", "BR001B", 50)
        self.required_text(p.first_name, "first_name", "BR002A", "BR002B", 50)
        self.optional_text(p.additional_names, "additional_names", "BR003", 160)
        birth = self.date(p.date_of_birth, "date_of_birth")
        if birth is None:
            self.add("BR004A", "date_of_birth", "is required")
        elif birth is not _BAD and birth > self.today:
            self.add("BR004A", "date_of_birth", "is in the future")
        self.exact_length(p.country_of_birth_code, "country_of_birth_code", "BR005A", "BR005B", 5)
        self.optional_text(p.place_of_birth_code, "place_of_birth_code", "BR006A", 10)
        self.optional_text(p.place_of_birth, "place_of_birth", "BR007A", 50)
        self.exact_length(p.nationality_code, "nationality_code", "BR008A", "BR008B", 5)
        self.code(p.sex, "sex", "BR009", _SEXES, required=True)
        self.insz(p.insz, "insz", "BR010A")
        self.optional_text(p.e_id_no, "e_id_no", "BR011", 12)
        self.optional_text(p.e_id_photo, "e_id_photo", None, 0)
        self.optional_text(p.mobile_phone, "mobile_phone", "BR012", 20)
        self.email(p.email, "email", "BR013")
        self.optional_text(p.name_of_doctor, "name_of_doctor", "BR014", 100)
        self.optional_text(p.phone_of_doctor, "phone_of_doctor", "BR015", 20)
        self.optional_text(p.first_language, "first_language", "BR016", 100)
        self.flag(p.is_homeless, "is_homeless", required=True)
        self.flag(p.migrating, "migrating", required=True)
        self.flag(p.is_indicator_pupil, "is_indicator_pupil", required=True)
        self.code(p.religion, "religion", "BR017", _RELIGIONS, required=False)
        self.code(p.priority_group, "priority_group", "BR018", _PRIORITY_GROUPS, required=False)
        self.code(
            p.reason_for_refusal,
            "reason_for_refusal",
            "BR019",
            _REASONS_FOR_REFUSAL,
            required=False,
        )

    def relationships(self, relationships: object) -> None:
        if relationships is None:
            return
        if not isinstance(relationships, list | tuple):
            self.wrong_type("relationships", "a list", relationships)
            return
        if len(relationships) > 2:
            self.add("BR020A", "relationships", f"has {len(relationships)} entries, at most 2")
        for index, relationship in enumerate(relationships):
            path = f"relationships[{index}]"
            if isinstance(relationship, PreRegistrationRelationship):
                self.relationship(relationship, path)
            else:
                self.wrong_type(path, "a PreRegistrationRelationship", relationship)

    def relationship(self, r: PreRegistrationRelationship, path: str) -> None:
        kind = self.code(r.type, f"{path}.type", "BR021", _RELATIONSHIP_TYPES, required=True)
        if kind == RelationshipType.PUPIL:
            # Type 0 only carries an adult pupil's address: names are optional.
            self.optional_text(r.last_name, f"{path}.last_name", "BR022B", 50)
            self.optional_text(r.first_name, f"{path}.first_name", "BR023B", 30)
        else:
            self.required_text(r.last_name, f"{path}.last_name", "BR022A", "BR022B", 50)
            self.required_text(r.first_name, f"{path}.first_name", "BR023A", "BR023B", 30)
        self.optional_text(r.phone, f"{path}.phone", "BR030", 20)
        self.optional_text(r.mobile_phone, f"{path}.mobile_phone", "BR031", 20)
        self.email(r.email, f"{path}.email", "BR032")
        self.insz(r.insz, f"{path}.insz", "BR043A")
        if r.address is None:
            return
        if isinstance(r.address, PreRegistrationAddress):
            self.address(r.address, f"{path}.address")
        else:
            self.wrong_type(f"{path}.address", "a PreRegistrationAddress", r.address)

    def address(self, a: PreRegistrationAddress, path: str) -> None:
        self.required_text(a.street_name, f"{path}.street_name", "BR024A", "BR024B", 50)
        self.required_text(a.house_no, f"{path}.house_no", "BR025A", "BR025B", 10)
        self.optional_text(a.house_bus_no, f"{path}.house_bus_no", "BR026", 6)
        self.required_text(a.postal_code, f"{path}.postal_code", "BR027A", "BR027B", 8)
        self.required_text(a.city, f"{path}.city", "BR028A", "BR028B", 30)
        self.exact_length(a.country_code, f"{path}.country_code", "BR029A", "BR029B", 5)
        self.flag(a.is_domicile_address, f"{path}.is_domicile_address", required=True)
        self.flag(a.is_writing_address, f"{path}.is_writing_address", required=True)
        self.flag(a.is_residence_address, f"{path}.is_residence_address", required=True)

    def registration(self, p: PreRegistration) -> None:
        prereg_id = p.pre_registration_id
        if prereg_id is None:
            self.add("BR033", "pre_registration_id", "is required")
        elif not isinstance(prereg_id, uuid.UUID):
            self.wrong_type("pre_registration_id", "a uuid.UUID", prereg_id)
        elif prereg_id.int == 0:
            self.add("BR033", "pre_registration_id", "must not be the nil UUID")
        school_year = self.fixed_text(
            p.schoolyear,
            "schoolyear",
            "BR034A",
            "BR034B",
            _is_valid_school_year,
            'a school year like "2025-26"',
        )
        self.digits(p.institute, "institute", "BR035A", "BR035B", 6)
        self.exact_length(p.structure, "structure", "BR036A", "BR036B", 3)
        self.digits(p.location_id, "location_id", "BR037A", "BR037B", 3)
        admgrp = self.digits(p.admgrp_id, "admgrp_id", "BR038A", "BR038B", 6)
        self.optional_text(p.admgrp_detail, "admgrp_detail", "BR039", 200)

        registered = self.date(p.pre_registration_date, "pre_registration_date")
        start = self.date(p.start_date, "start_date")
        if registered is None and admgrp != NO_ADMGRP:
            self.add(
                "BR040A",
                "pre_registration_date",
                f'is required unless admgrp_id is "{NO_ADMGRP}"',
            )
        if isinstance(registered, dt.date) and isinstance(start, dt.date) and registered > start:
            self.add("BR040B", "pre_registration_date", "is after the start date")
        if start is None:
            self.add("BR041A", "start_date", "is required")
        elif start is not _BAD:
            self.start_date(start, school_year)

        self.code(
            p.registration_status,
            "registration_status",
            "BR042",
            _REGISTRATION_STATUSES,
            required=True,
        )
        self.optional_text(p.remark, "remark", None, 0)
        self.flag(
            p.assigned_via_registration_system,
            "assigned_via_registration_system",
            required=False,
        )

    def start_date(self, start: dt.date, school_year: str | None) -> None:
        if school_year is not None:
            first, last = school_year_bounds(school_year)
            if not first <= start <= last:
                self.add("BR041B", "start_date", f"is outside school year {school_year}")
                return
        if start.weekday() >= 5 and (start.month, start.day) != (9, 1):
            self.add(
                "BR041B",
                "start_date",
                "is on a Saturday or Sunday (only 1 September may be)",
            )
