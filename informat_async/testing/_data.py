"""Ground-truth data of the fake Informat server: generated, deterministic, plain JSON dicts.

Every record is kept exactly as it goes over the wire (spec key spellings, GUIDs in the case and
brace style the server sends, dates as strings), indexed by the canonical lower-case GUID.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from . import _spec_examples, _vocab
from ._util import (
    current_school_year,
    format_date,
    get_ci,
    normalize_guid,
    parse_school_year,
    school_year_bounds,
    set_ci,
    utcnow,
    wire_date,
)

_T = TypeVar("_T")

SPEC_INSTITUTE = _spec_examples.EXAMPLE_INSTITUTE

_SPEC_JPEG = base64.b64decode(_spec_examples.example_photo()["foto"])
#: The specification's 1x1 JPEG, cut after its End-Of-Image marker.
BASE_JPEG = _SPEC_JPEG[: _SPEC_JPEG.rindex(b"\xff\xd9") + 2]

_MAX_COM = 65533  # payload bytes of one JPEG COM segment (length field is 16 bits, incl. itself)

#: Relationship types of ``GET /students`` (``type`` is a string there) with their sex.
_RELATION_SEX = {
    "Vader": "M",
    "Moeder": "V",
    "Plusvader": "M",
    "Plusmoeder": "V",
    "Voogd": "M",
    "Grootmoeder": "V",
    "Grootvader": "M",
}

#: NIS country codes used for nationalities (``00`` + NIS code).
#: Foreign NIS country codes with their country and a city of birth.
_FOREIGN_COUNTRIES = {
    "00129": ("Nederland", "ROTTERDAM"),
    "00111": ("Frankrijk", "LILLE"),
    "00103": ("Duitsland", "AKEN"),
    "00139": ("Polen", "KRAKAU"),
    "00124": ("Roemenië", "BOEKAREST"),
    "00262": ("Turkije", "ANKARA"),
    "00354": ("Marokko", "TANGER"),
    "00128": ("Italië", "NAPELS"),
}
_FOREIGN = tuple(_FOREIGN_COUNTRIES)
_NATIONALITIES = ("00150",) * 17 + _FOREIGN


# --------------------------------------------------------------------------------------------
# Identification numbers


def insz_check_digits(base9: str, born_from_2000: bool) -> str:
    """The two check digits of a Belgian national number (INSZ) for its first nine digits.

    ``97 - (base % 97)``, where for births from 2000 on a ``2`` is put in front of the base.
    """
    number = int(("2" if born_from_2000 else "") + base9)
    return f"{97 - number % 97:02d}"


def make_insz(birth: dt.date, sequence: int, bis_offset: int = 0) -> str:
    """Build a valid INSZ: ``yymmdd`` + 3-digit sequence (odd: male, even: female) + check.

    ``bis_offset`` is 0 for a rijksregisternummer, 20 or 40 for a bisnummer (added to the month;
    40 when the sex is known).
    """
    if not 1 <= sequence <= 998:
        raise ValueError("sequence must be between 001 and 998")
    base = f"{birth.year % 100:02d}{birth.month + bis_offset:02d}{birth.day:02d}{sequence:03d}"
    return base + insz_check_digits(base, birth.year >= 2000)


def is_valid_insz(value: str) -> bool:
    """Check an INSZ's mod-97 check digits (either century)."""
    if len(value) != 11 or not value.isdigit():
        return False
    base, check = value[:9], value[9:]
    return check in (insz_check_digits(base, False), insz_check_digits(base, True))


def make_iban(bank_code: str, account: int) -> str:
    """Build a valid Belgian IBAN (``BEkk`` + 12 digits) from a 3-digit bank code and account."""
    body = f"{bank_code}{account:07d}"
    national = int(body) % 97 or 97
    bban = f"{body}{national:02d}"
    check = 98 - int(bban + "111400") % 97  # "BE" -> 11 14, followed by "00"
    return f"BE{check:02d}{bban}"


def is_valid_iban(value: str) -> bool:
    """Check an IBAN's ISO 7064 mod-97 check digits."""
    text = value.replace(" ", "").upper()
    if len(text) < 5 or not text.isalnum():
        return False
    moved = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def build_jpeg(student_id: str, size: int | None = None) -> bytes:
    """A small valid JPEG, unique per student: the spec's 1x1 image with COM segments.

    The first COM segment holds the student id; when ``size`` is given, more COM segments pad
    the file to about that many bytes.
    """
    comment = f"informat-async fake photo {student_id}".encode()
    segments = [b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment]
    if size is not None:
        remaining = size - len(BASE_JPEG) - len(segments[0])
        filler = (student_id.encode() + b" ") * (_MAX_COM // (len(student_id) + 1) + 1)
        while remaining > 4:
            chunk = min(remaining - 4, _MAX_COM)
            segments.append(b"\xff\xfe" + (chunk + 2).to_bytes(2, "big") + filler[:chunk])
            remaining -= chunk + 4
    return BASE_JPEG[:2] + b"".join(segments) + BASE_JPEG[2:]


# --------------------------------------------------------------------------------------------
# Containers


@dataclasses.dataclass
class PreRegistration:
    """A pre-registration saved through ``POST /preregistrations/save``.

    Attributes:
        body: the request body as last saved (keys as the client sent them).
        status: ``"open"``, ``"accepted"`` or ``"refused"``.
        changed: naive UTC time of the last save or status change.
    """

    body: dict[str, Any]
    status: str = "open"
    changed: dt.datetime = dataclasses.field(default_factory=utcnow)


class PhotoStore(Mapping[str, bytes]):
    """Photos by canonical student id; JPEG bytes are built on access, never kept in memory.

    Generated photos are :func:`build_jpeg` of the student id (padded to ``photo_size``);
    :meth:`set` stores explicit bytes instead (used for the spec example).
    """

    def __init__(self, photo_size: int | None = None) -> None:
        self.photo_size = photo_size
        self._meta: dict[str, tuple[str, str]] = {}
        self._custom: dict[str, bytes] = {}

    def __getitem__(self, student_id: str | uuid.UUID) -> bytes:
        key = normalize_guid(student_id) or str(student_id)
        if key not in self._meta:
            raise KeyError(student_id)
        custom = self._custom.get(key)
        return custom if custom is not None else build_jpeg(key, self.photo_size)

    def __iter__(self) -> Iterator[str]:
        return iter(self._meta)

    def __len__(self) -> int:
        return len(self._meta)

    def add(self, student_id: str, photo_id: str, persoon_id: str) -> None:
        """Give a student a generated photo with the given wire ids."""
        self._meta[student_id] = (photo_id, persoon_id)

    def set(
        self,
        student_id: str | uuid.UUID,
        data: bytes,
        photo_id: str | None = None,
        persoon_id: str | None = None,
    ) -> None:
        """Store explicit photo bytes for a student (ids default to the existing or the key)."""
        key = normalize_guid(student_id)
        if key is None:
            raise ValueError(f"invalid student id {student_id!r}")
        old_photo, old_person = self._meta.get(key, (None, None))
        self._meta[key] = (photo_id or old_photo or key, persoon_id or old_person or key)
        self._custom[key] = data

    def remove(self, student_id: str | uuid.UUID) -> None:
        """Delete a student's photo (``GET .../photo`` then answers 404)."""
        key = normalize_guid(student_id) or str(student_id)
        self._meta.pop(key, None)
        self._custom.pop(key, None)

    def photo_object(self, student_id: str | uuid.UUID) -> dict[str, Any] | None:
        """The wire object ``{"id", "persoonId", "foto"}`` of ``GET /students/{id}/photo``."""
        key = normalize_guid(student_id) or str(student_id)
        meta = self._meta.get(key)
        if meta is None:
            return None
        return {
            "id": meta[0],
            "persoonId": meta[1],
            "foto": base64.b64encode(self[key]).decode("ascii"),
        }


@dataclasses.dataclass(repr=False)
class InstituteData:
    """Everything one institute serves, as wire payloads.

    Attributes:
        number: the institute number (``InstituteNo``).
        school_year: the school year the data is for; other school years are served empty.
        name: the school's descriptive name (``school`` on the wire).
        students: student payloads of ``GET /students`` by canonical (lower-case) student id.
        registrations: registration payloads of ``GET /registrations`` by canonical id.
        photos: the photos (:class:`PhotoStore`) by canonical student id.
        school_history: school history items of ``GET /schoolHistory`` (all sources).
        school_history_sources: the ``certificateSource`` (0 Informat, 1 Discimus) of each item
            of ``school_history``, same index.
        preregistrations: saved pre-registrations by canonical pre-registration id.
        student_changed: naive UTC change time per student (for ``changedSince``).
        registration_changed: naive UTC change time per registration.
        student_registration: for generated data, the registration of each student; used to
            compute ``inschrijvingsId`` for the requested reference date.
        location_ids: official location numbers (``locationId`` of a pre-registration, 3
            digits) that exist for the institute; ``None``: not checked (``BR037C``).
        examples: ``True`` for the spec-example institute: payloads are served verbatim, without
            the relational filters (reference date, realized registration) the spec examples
            do not satisfy.
    """

    number: str
    school_year: str
    name: str = ""
    students: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    registrations: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    photos: PhotoStore = dataclasses.field(default_factory=PhotoStore)
    school_history: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    school_history_sources: list[int] = dataclasses.field(default_factory=list)
    preregistrations: dict[str, PreRegistration] = dataclasses.field(default_factory=dict)
    student_changed: dict[str, dt.datetime] = dataclasses.field(default_factory=dict)
    registration_changed: dict[str, dt.datetime] = dataclasses.field(default_factory=dict)
    student_registration: dict[str, str] = dataclasses.field(default_factory=dict)
    location_ids: frozenset[str] | None = None
    examples: bool = False

    def __repr__(self) -> str:
        return (
            f"InstituteData(number={self.number!r}, school_year={self.school_year!r}, "
            f"name={self.name!r}, students={len(self.students)}, "
            f"registrations={len(self.registrations)}, photos={len(self.photos)}, "
            f"school_history={len(self.school_history)}, "
            f"preregistrations={len(self.preregistrations)}, examples={self.examples})"
        )

    # -- queries: these implement what the server answers, so tests can ask for expectations

    def default_refdate(self, today: dt.date | None = None) -> dt.date:
        """The reference date used when none is given: today, clamped to the school year."""
        return self.clamp_refdate(today or utcnow().date())

    def clamp_refdate(self, refdate: dt.date) -> dt.date:
        """Clamp a reference date into the school year, as the spec describes."""
        start, end = school_year_bounds(self.school_year)
        return min(max(refdate, start), end)

    def _registrations_by_student(self) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = {}
        for registration in self.registrations.values():
            person = normalize_guid(str(get_ci(registration, "persoonId", "")))
            if person is not None:
                index.setdefault(person, []).append(registration)
        return index

    @staticmethod
    def _covers(registration: Mapping[str, Any], refdate: dt.date) -> bool:
        begin = wire_date(get_ci(registration, "begindatum"))
        end = wire_date(get_ci(registration, "einddatum"))
        return (begin is None or begin <= refdate) and (end is None or refdate <= end)

    def _student_view(self, student_id: str, refdate: dt.date | None) -> dict[str, Any]:
        """The student payload with ``inschrijvingsId`` for ``refdate`` (generated data)."""
        payload = self.students[student_id]
        registration_id = self.student_registration.get(student_id)
        if registration_id is None or self.examples:
            return payload
        registration = self.registrations.get(registration_id)
        actual = None
        if (
            registration is not None
            and refdate is not None
            and get_ci(registration, "status") == 0
            and self._covers(registration, refdate)
        ):
            actual = get_ci(registration, "inschrijvingsId")
        stored = get_ci(payload, "inschrijvingsId")
        if stored == actual or (
            isinstance(stored, str)
            and isinstance(actual, str)
            and normalize_guid(stored) == normalize_guid(actual)
        ):
            return payload
        view = dict(payload)
        set_ci(view, "inschrijvingsId", actual)
        return view

    def list_students(
        self,
        school_year: str,
        refdate: dt.date | None = None,
        changed_since: dt.datetime | None = None,
        today: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        """What ``GET /students`` answers (``refdate=None``: today, clamped)."""
        if school_year != self.school_year:
            return []
        day = self.clamp_refdate(refdate) if refdate else self.default_refdate(today)
        index = None if self.examples else self._registrations_by_student()
        result = []
        for student_id in self.students:
            if changed_since is not None and self.student_changed[student_id] < changed_since:
                continue
            if index is not None and not any(
                self._covers(reg, day) for reg in index.get(student_id, ())
            ):
                continue
            result.append(self._student_view(student_id, day))
        return result

    def get_student(
        self,
        student_id: str | uuid.UUID,
        school_year: str,
        refdate: dt.date | None = None,
        today: dt.date | None = None,
    ) -> dict[str, Any] | None:
        """What ``GET /students/{id}`` answers (``None``: 404)."""
        key = normalize_guid(student_id)
        if key is None or key not in self.students:
            return None
        if school_year != self.school_year:
            return self._student_view(key, None)
        day = self.clamp_refdate(refdate) if refdate else self.default_refdate(today)
        return self._student_view(key, day)

    def list_registrations(
        self, school_year: str, changed_since: dt.datetime | None = None
    ) -> list[dict[str, Any]]:
        """What ``GET /registrations`` answers."""
        if school_year != self.school_year:
            return []
        return [
            registration
            for registration_id, registration in self.registrations.items()
            if changed_since is None or self.registration_changed[registration_id] >= changed_since
        ]

    def list_school_history(
        self,
        school_year: str | None = None,
        certificate_source: int = 0,
        student_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """What ``GET /schoolHistory`` (``school_year`` given) or ``/schoolHistory/{id}`` answer.

        The list holds the items of the source asked for, of students with a realized
        registration (status 0) in the school year; per student, all of their items.
        """
        if school_year is not None and school_year != self.school_year:
            return []
        wanted = normalize_guid(student_id) if student_id is not None else None
        realized: set[str] | None = None
        if school_year is not None and not self.examples:
            realized = {
                person
                for person, regs in self._registrations_by_student().items()
                if any(get_ci(reg, "status") == 0 for reg in regs)
            }
        result = []
        for item, source in zip(self.school_history, self.school_history_sources, strict=True):
            if source != certificate_source:
                continue
            person = normalize_guid(str(get_ci(item, "persoonId", "")))
            if wanted is not None and person != wanted:
                continue
            if realized is not None and person not in realized:
                continue
            result.append(item)
        return result


@dataclasses.dataclass(repr=False)
class FakeData:
    """The fake server's ground truth: one :class:`InstituteData` per institute number.

    Build it with :meth:`generate` (what :class:`FakeInformat` does); the same arguments always
    give the same data.
    """

    school_year: str
    seed: int = 0
    institutes: dict[str, InstituteData] = dataclasses.field(default_factory=dict)

    @classmethod
    def generate(
        cls,
        institutes: Sequence[str] | int = ("123456", "654321"),
        students_per_institute: int = 25,
        school_year: str | None = None,
        seed: int = 0,
        spec_examples: bool = False,
        photo_size: int | None = None,
    ) -> FakeData:
        """Generate deterministic data.

        Args:
            institutes: institute numbers (6 digits), or a count of numbers to generate.
            students_per_institute: students (each with one registration) per institute.
            school_year: e.g. ``"2025-26"``; default: the current one (from 1 September).
            seed: every institute's data derives from ``(seed, institute number)`` only.
            spec_examples: also add institute ``"999999"`` with the spec's example payloads.
            photo_size: approximate size in bytes of each generated photo (default: ~700).
        """
        if school_year is None:
            school_year = current_school_year()
        if parse_school_year(school_year) is None:
            raise ValueError(f"invalid school year {school_year!r}, expected e.g. '2025-26'")
        if students_per_institute < 0:
            raise ValueError("students_per_institute must not be negative")
        numbers = _institute_numbers(institutes, seed)
        data = cls(school_year=school_year, seed=seed)
        for number in numbers:
            generator = _Generator(number, school_year, seed, photo_size)
            data.institutes[number] = generator.institute(students_per_institute)
        if spec_examples:
            data.institutes[SPEC_INSTITUTE] = spec_institute(school_year)
        return data

    def __repr__(self) -> str:
        counts = ", ".join(f"{n!r}: {len(i.students)}" for n, i in self.institutes.items())
        return (
            f"FakeData(school_year={self.school_year!r}, seed={self.seed}, students={{{counts}}})"
        )

    def institute(self, number: str) -> InstituteData:
        """The data of an institute, created empty when the server did not know it yet."""
        found = self.institutes.get(number)
        if found is None:
            found = InstituteData(number=number, school_year=self.school_year)
            self.institutes[number] = found
        return found

    def student_ids(self, institute: str) -> list[str]:
        """Canonical (lower-case, brace-less) ids of an institute's students."""
        found = self.institutes.get(institute)
        return [] if found is None else list(found.students)

    def registration_ids(self, institute: str) -> list[str]:
        """Canonical ids of an institute's registrations."""
        found = self.institutes.get(institute)
        return [] if found is None else list(found.registrations)


def _institute_numbers(institutes: Sequence[str] | int, seed: int) -> list[str]:
    if isinstance(institutes, int):
        if institutes < 0:
            raise ValueError("the number of institutes must not be negative")
        rng = random.Random(f"{seed}:institutes")
        numbers: list[str] = []
        while len(numbers) < institutes:
            number = f"{rng.randrange(10000, 999999):06d}"
            if number not in numbers and number != SPEC_INSTITUTE:
                numbers.append(number)
        return numbers
    if isinstance(institutes, str):
        raise TypeError("institutes must be a sequence of institute numbers or an int")
    result = []
    for number in institutes:
        if len(number) != 6 or not number.isdigit():
            raise ValueError(f"institute number must be 6 digits, got {number!r}")
        if number not in result:
            result.append(number)
    return result


def spec_institute(school_year: str) -> InstituteData:
    """Institute ``999999`` holding the specification's example payloads verbatim."""
    student = _spec_examples.example_student()
    registration = _spec_examples.example_registration()
    history = _spec_examples.example_school_history()
    photo = _spec_examples.example_photo()
    changed = dt.datetime(2023, 1, 9)
    institute = InstituteData(
        number=SPEC_INSTITUTE,
        school_year=school_year,
        name=str(registration["school"]),
        location_ids=frozenset({"001"}),
        examples=True,
    )
    student_id = normalize_guid(student["persoonId"]) or ""
    registration_id = normalize_guid(registration["inschrijvingsId"]) or ""
    institute.students[student_id] = student
    institute.student_changed[student_id] = changed
    institute.registrations[registration_id] = registration
    institute.registration_changed[registration_id] = changed
    institute.school_history.extend(history)
    institute.school_history_sources.extend([0] * len(history))
    institute.photos.set(
        photo["persoonId"],
        base64.b64decode(photo["foto"]),
        photo_id=photo["id"],
        persoon_id=photo["persoonId"],
    )
    return institute


# --------------------------------------------------------------------------------------------
# Generation


class _Generator:
    """Builds one institute's data from ``random.Random(f"{seed}:{number}")``."""

    def __init__(self, number: str, school_year: str, seed: int, photo_size: int | None) -> None:
        self.number = number
        self.school_year = school_year
        self.start, self.end = school_year_bounds(school_year)
        self.rng = random.Random(f"{seed}:{number}")
        self.random = self.rng.random
        self.photo_size = photo_size
        self.next_person = self.randrange(10_000, 90_000)
        self.next_address = self.randrange(50_000, 90_000)
        self.next_relation = self.randrange(20_000, 80_000)
        self.next_comnr = self.randrange(100_000, 200_000)
        self.next_email = self.randrange(20_000, 60_000)
        self.next_registration = self.randrange(100_000, 200_000)
        self.next_class_registration = self.randrange(300_000, 400_000)
        self.secondary = self.random() < 0.6
        self.structure = "311" if self.secondary else "211"
        prefix = self.choice(_vocab.SCHOOL_PREFIXES)
        self.place = self.choice(_vocab.PLACES)
        self.name = f"{prefix} {self.place[1].title()}"
        self.domain = "".join(ch for ch in prefix.lower() if ch.isalpha())[:14] + ".be"
        self.locations = [
            (f"vest{i + 1}", f"{self.choice(_vocab.STREETS)} {self.randrange(1, 120)}")
            for i in range(self.choice((1, 1, 2)))
        ]
        self.classes = self._classes()

    # -- small helpers (faster than ``Random.randrange``/``choice``, which dominate otherwise)

    def randrange(self, start: int, stop: int | None = None) -> int:
        """Like ``Random.randrange(start, stop)`` (step 1), built on ``random()``."""
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, items: Sequence[_T]) -> _T:
        """Like ``Random.choice``, built on ``random()``."""
        return items[int(self.random() * len(items))]

    def guid(self) -> str:
        """A random GUID in canonical form."""
        value = self.rng.getrandbits(128)
        value = (value & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
        value = (value & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def styled(self, canonical: str) -> str:
        """A GUID as Informat sends it: mostly lower case, sometimes upper/mixed/braced."""
        roll = self.rng.random()
        if roll < 0.80:
            return canonical
        if roll < 0.88:
            return canonical.upper()
        if roll < 0.94:
            return "".join(ch.upper() if self.random() < 0.5 else ch for ch in canonical)
        inner = canonical.upper() if roll < 0.97 else canonical
        return "{" + inner + "}"

    def date(self, day: dt.date) -> str:
        """A date, mostly as ``yyyy-MM-ddT00:00:00``, sometimes as ``yyyy-MM-dd``."""
        return format_date(day, 0 if self.rng.random() < 0.85 else 1)

    def birth_date(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.randrange(365))

    def changed(self) -> dt.datetime:
        """A change time before the school year starts (spring and summer)."""
        offset = self.randrange(1, 120 * 86_400)
        return dt.datetime.combine(self.start, dt.time()) - dt.timedelta(seconds=offset)

    def phone(self, mobile: bool) -> str:
        prefix = f"04{self.randrange(70, 100)}" if mobile else f"0{self.randrange(10, 90)}"
        digits = f"{self.randrange(1_000_000):06d}"
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]}"

    def insz(self, birth: dt.date, male: bool, bis_offset: int = 0) -> str:
        sequence = self.randrange(1, 499) * 2 - (1 if male else 0)
        return make_insz(birth, sequence, bis_offset)

    def address(
        self, title: str, addressee: str, place: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        postcode, town = place or self.choice(_vocab.PLACES)
        self.next_address += self.randrange(1, 40)
        return {
            "pAdres": self.next_address,
            "adresId": self.styled(self.guid()),
            "aanspreekTitel": title,
            "aanspreekNaam": addressee,
            "straat": self.choice(_vocab.STREETS),
            "nr": str(self.randrange(1, 250)) + ("" if self.random() < 0.9 else self.choice("ABC")),
            "bus": "" if self.random() < 0.8 else str(self.randrange(1, 20)),
            "postcode": postcode,
            "gemeente": town,
            "landcode": "00150",
            "isFacturatie": True,
            "isAanschrijf": True,
            "isVerblijf": True,
            "isOverige": False,
            "percentage": 100,
        }

    def comnr(self, number: str, kind: str, sort: str) -> dict[str, Any]:
        self.next_comnr += self.randrange(1, 50)
        return {"pComnr": self.next_comnr, "nr": number, "type": kind, "soort": sort}

    def email(self, address: str, kind: str, schoolcom: bool, invoices: bool) -> dict[str, Any]:
        self.next_email += self.randrange(1, 50)
        return {
            "pEmail": self.next_email,
            "email": address,
            "type": kind,
            "schoolcom": schoolcom,
            "factuurMailen": invoices,
        }

    @staticmethod
    def mail_name(first: str, last: str) -> str:
        text = f"{first}.{last}".replace(" ", "").replace("'", "")
        return text.translate(str.maketrans("ëéèêïöüç", "eeeeiouc")).translate(
            str.maketrans("ËÉ", "EE")
        )

    # -- classes

    def _classes(self) -> dict[int, list[dict[str, Any]]]:
        """Main classes per grade, with their teachers; plus sub classes and OLOD groups."""
        result: dict[int, list[dict[str, Any]]] = {}
        next_class = self.randrange(20_000, 30_000)
        for grade in range(1, 7):
            groups = []
            for letter in "ABC"[: self.choice((1, 2, 2, 3))]:
                next_class += self.randrange(1, 30)
                code = f"{grade}{letter}"
                groups.append(self._group(code, f"{code} {self.number[-2:]}", 0, next_class))
            for index, label in enumerate(("Latijn", "Remediëring") if self.secondary else ()):
                next_class += self.randrange(1, 30)
                code = f"{grade}{label[:3].upper()}"
                groups.append(self._group(code, f"{grade} {label}", 1, next_class + index))
            if self.secondary and grade >= 3:
                next_class += self.randrange(1, 30)
                name = f"OLOD Wiskunde {grade}"
                groups.append(self._group(f"OLOD{grade}", name, 3, next_class))
            result[grade] = groups
        return result

    def _group(self, code: str, name: str, group_type: int, p_klas: int) -> dict[str, Any]:
        teachers = []
        for _ in range(1 if self.random() < 0.7 else 2):
            male = self.random() < 0.4
            teachers.append(
                {
                    "persoonId": self.styled(self.guid()),
                    "naam": self.choice(_vocab.LAST_NAMES),
                    "voornaam": self.choice(_vocab.BOYS if male else _vocab.GIRLS),
                }
            )
        return {
            "klasId": self.styled(self.guid()),
            "pKlas": p_klas,
            "klasCode": code,
            "klas": name,
            "groepType": group_type,
            "klassenleraars": teachers,
            "count": 0,
        }

    # -- the institute

    def institute(self, count: int) -> InstituteData:
        institute = InstituteData(
            number=self.number,
            school_year=self.school_year,
            name=self.name,
            photos=PhotoStore(self.photo_size),
            location_ids=frozenset(f"{i + 1:03d}" for i in range(len(self.locations))),
        )
        for _ in range(count):
            self._student(institute)
        return institute

    def _student(self, institute: InstituteData) -> None:
        male = self.random() < 0.5
        given_names = _vocab.BOYS if male else _vocab.GIRLS
        first = self.choice(given_names)
        last = self.choice(_vocab.LAST_NAMES)
        grade = self.randrange(1, 7)
        offset = (11 if self.secondary else 5) + grade + (1 if self.random() < 0.12 else 0)
        birth = self.birth_date(self.start.year - offset)
        foreign = self.random() < 0.06
        if foreign:
            national, bis = None, self.insz(birth, male, 40 if self.random() < 0.7 else 20)
            nationality = self.choice(_FOREIGN)
        else:
            national, bis = self.insz(birth, male), None
            nationality = self.choice(_NATIONALITIES)
        home = self.choice(_vocab.PLACES) if self.random() < 0.5 else self.place
        student_id = self.guid()
        registration_id = self.guid()
        self.next_person += self.randrange(1, 25)
        p_persoon = self.next_person
        addressee = f"{last} {first}"
        domicile = self.address("Aan de ouders van", addressee, home)
        relations = self._relations(last, addressee, domicile, birth)
        number = len(institute.students) + 1
        status = 0 if self.random() < 0.92 else self.choice((1, 2, 3, 4))
        student: dict[str, Any] = {
            "pPersoon": p_persoon,
            "persoonId": self.styled(student_id),
            "naam": last,
            "voornaam": first,
            "geboortedatum": self.date(birth),
            "nickname": "" if self.random() < 0.9 else first[:3],
            "voornaam2": "" if self.random() < 0.7 else self.choice(given_names),
            "initialen": "" if self.random() < 0.6 else f"{first[0]}.{last[0]}.",
            "geboorteland": _FOREIGN_COUNTRIES[nationality][0] if foreign else "België",
            "geboorteplaats": _FOREIGN_COUNTRIES[nationality][1] if foreign else home[1],
            "nationaliteitCode": nationality,
            "rijksregisternr": national,
            "bisnr": bis,
            "geslacht": "M" if male else "V",
            "huisdokter": f"Dr. {self.choice(_vocab.LAST_NAMES)}" if self.random() < 0.8 else "",
            "telefoonHuisdokter": self.phone(False) if self.random() < 0.5 else "",
            "llOpSchool": 0,
            "inschrijvingsId": self.styled(registration_id) if status == 0 else None,
            "leerlingenkaartNummer": f"LK:{number:03d}",
            "fietsnummer": f"B{number:03d}" if self.random() < 0.7 else "",
            "adressen": [domicile],
            "overigeadressen": (
                [
                    {
                        **self.address("Aan de grootouders van", addressee),
                        "isFacturatie": False,
                        "isVerblijf": False,
                        "percentage": 0,
                    }
                ]
                if self.random() < 0.15
                else []
            ),
            "relaties": relations,
            "comnrs": self._student_phones(relations),
            "emails": [
                self.email(
                    f"{self.mail_name(first, last).lower()}@leerling.{self.domain}",
                    "School",
                    True,
                    False,
                )
            ],
            "bankrek": self._bank_accounts(),
        }
        institute.students[student_id] = student
        institute.student_changed[student_id] = self.changed()
        institute.student_registration[student_id] = registration_id
        registration = self._registration(registration_id, student_id, student, grade, status)
        institute.registrations[registration_id] = registration
        institute.registration_changed[registration_id] = self.changed()
        if self.random() < 0.93:
            institute.photos.add(student_id, self.styled(self.guid()), self.styled(student_id))
        self._history(institute, student_id, student["pPersoon"])
        pre_registration = registration["preRegistrationId"]
        if pre_registration is not None:
            key = normalize_guid(pre_registration) or ""
            institute.preregistrations[key] = PreRegistration(
                body={
                    "preRegistrationId": pre_registration,
                    "lastName": last,
                    "firstName": first,
                    "schoolyear": self.school_year,
                    "institute": self.number,
                    "admgrpId": registration["nrAdmgrp"],
                },
                status="accepted",
                changed=self.changed(),
            )

    def _relations(
        self, last: str, addressee: str, domicile: dict[str, Any], birth: dt.date
    ) -> list[dict[str, Any]]:
        roll = self.random()
        if roll < 0.70:
            kinds = ["Vader", "Moeder"]
        elif roll < 0.85:
            kinds = ["Moeder"]
        elif roll < 0.90:
            kinds = ["Vader"]
        elif roll < 0.96:
            kinds = ["Moeder", "Plusvader"]
        else:
            kinds = [self.choice(("Voogd", "Grootmoeder"))]
        separated = len(kinds) == 2 and self.random() < 0.2
        result = []
        for lpv, kind in enumerate(kinds, start=1):
            male = _RELATION_SEX[kind] == "M"
            first = self.choice(_vocab.BOYS if male else _vocab.GIRLS)
            name = last if kind in ("Vader", "Voogd") else self.choice(_vocab.LAST_NAMES)
            age = 60 if kind.startswith("Groot") else self.randrange(24, 45)
            born = self.birth_date(birth.year - age)
            title = f"Aan de {kind.lower()} van"
            if separated and lpv == 2:
                address = self.address(title, addressee)
            else:
                address = {**domicile, "aanspreekTitel": title}
            self.next_relation += self.randrange(1, 10)
            mail = self.mail_name(first, name)
            result.append(
                {
                    "pRelatie": self.next_relation,
                    "relatieId": self.styled(self.guid()),
                    "type": kind,
                    "naam": name,
                    "voornaam": first,
                    "insz": self.insz(born, male) if self.random() < 0.6 else None,
                    "geboortedatum": self.date(born) if self.random() < 0.95 else None,
                    "geslacht": _RELATION_SEX[kind],
                    "nationaliteitCode": self.choice(_NATIONALITIES),
                    "beroep": self.choice(_vocab.PROFESSIONS),
                    "burgerlijkeStand": (
                        "Gescheiden" if separated else self.choice(_vocab.CIVIL_STATES)
                    ),
                    "lpv": lpv if lpv <= 2 else 0,
                    "ophalen": self.random() < 0.3,
                    "isOverleden": self.random() < 0.01,
                    "adressen": [address],
                    "comnrs": [self.comnr(self.phone(True), kind, "Gsm")],
                    "emails": [
                        self.email(
                            f"{mail}@{self.choice(('telenet.be', 'gmail.com', 'skynet.be'))}",
                            kind,
                            True,
                            self.random() < 0.5,
                        )
                    ],
                }
            )
        return result

    def _student_phones(self, relations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        phones = []
        if relations:
            phones.append(self.comnr(relations[0]["comnrs"][0]["nr"], "Noodnummer", "Gsm"))
        if self.random() < 0.4:
            phones.append(self.comnr(self.phone(False), "Domicilie", "Telefoon"))
        if self.random() < 0.5:
            phones.append(self.comnr(self.phone(True), "Eigen", "Gsm"))
        return phones

    def _bank_accounts(self) -> list[dict[str, Any]] | None:
        roll = self.random()
        if roll < 0.1:
            return None
        if roll < 0.35:
            return []
        bank, bic = self.choice(_vocab.BIC_BY_BANK)
        return [
            {
                "type": self.choice((2, 2, 2, 3, 4, 1)),
                "iban": make_iban(bank, self.randrange(10_000_000)),
                "bic": bic,
            }
        ]

    def _registration(
        self,
        registration_id: str,
        student_id: str,
        student: dict[str, Any],
        grade: int,
        status: int,
    ) -> dict[str, Any]:
        programmes = _vocab.SECONDARY_PROGRAMMES if self.secondary else _vocab.PRIMARY_PROGRAMMES
        code, year_name, admgrp_base = self.choice(programmes)
        begin = self.start
        end = None if self.random() < 0.85 else self.end
        self.next_registration += self.randrange(1, 40)
        main = self.choice([g for g in self.classes[grade] if g["groepType"] == 0])
        groups = [main]
        extra = [g for g in self.classes[grade] if g["groepType"] != 0]
        if extra and self.random() < 0.3:
            groups.append(self.choice(extra))
        class_registrations = []
        for group in groups:
            group["count"] += 1
            self.next_class_registration += self.randrange(1, 20)
            class_registrations.append(
                {
                    "inschrKlasId": self.styled(self.guid()),
                    "pInschrKlas": self.next_class_registration,
                    "klasId": group["klasId"],
                    "pKlas": group["pKlas"],
                    "klasCode": group["klasCode"],
                    "klas": group["klas"],
                    "groepType": group["groepType"],
                    "klasnummer": group["count"] if group["groepType"] == 0 else 0,
                    "begindatum": self.date(begin),
                    "einddatum": self.date(end) if end else None,
                    "klassenleraars": [dict(t) for t in group["klassenleraars"]],
                }
            )
        return {
            "inschrijvingsId": self.styled(registration_id),
            "pInschr": self.next_registration,
            "pPersoon": student["pPersoon"],
            "persoonId": self.styled(student_id),
            "instelnr": self.number,
            "hfdstructuur": self.structure,
            "school": self.name,
            "stamnr": self._stamnr(),
            "vestCode": (location := self.choice(self.locations))[0],
            "vestiging": location[1],
            "begindatum": self.date(begin),
            "einddatum": self.date(end) if end else None,
            "afdCode": code,
            "nrAdmgrp": f"{admgrp_base}{grade:02d}",
            "afdelingsjaar": year_name.format(n=grade),
            "status": status,
            "graad": str((grade + 1) // 2),
            "leerjaar": grade,
            "taalkeuze": self.choice(_vocab.LANGUAGE_CHOICES) if self.secondary else "",
            "finCode": "02" if self.secondary else "01",
            "levensbeschouwingCode": self.choice(("140", "140", "187", "135", "0000", "225")),
            "isOkan": self.random() < 0.02,
            "preRegistrationId": self.styled(self.guid()) if self.random() < 0.1 else None,
            "inschrKlassen": class_registrations,
        }

    def _stamnr(self) -> str | None:
        """The student's stamnummer: 9 digits, sometimes 8 (as the spec's example), or null."""
        roll = self.random()
        if roll < 0.05:
            return None
        if roll < 0.2:
            return str(self.randrange(10_000_000, 100_000_000))
        return str(self.randrange(100_000_000, 1_000_000_000))

    def _history(self, institute: InstituteData, student_id: str, p_persoon: int) -> None:
        if self.random() > (0.5 if self.secondary else 0.2):
            return
        for back in range(1, self.choice((1, 1, 2)) + 1):
            year = self.start.year - back
            other_school = self.random() < 0.4
            certificates = []
            for _ in range(self.choice((0, 1, 1, 2))):
                name, clause = self.choice(_vocab.CERTIFICATES)
                certificates.append(
                    {
                        "studiebewijs": name,
                        "uitreiking": self.date(dt.date(year + 1, 6, 30)),
                        "clausulering": clause,
                    }
                )
            item = {
                "pPersoon": p_persoon,
                "persoonId": self.styled(student_id),
                "schooljaar": f"{year}-{(year + 1) % 100:02d}",
                "instelnr": f"{self.randrange(10000, 999999):06d}" if other_school else self.number,
                "school": self._school_name() if other_school else self.name,
                "vanDatum": self.date(dt.date(year, 9, 1)),
                "totDatum": self.date(dt.date(year + 1, 6, 30)) if self.random() < 0.9 else None,
                "nrAdmgrp": f"0{self.randrange(30000, 41000):05d}",
                "admgrp": self.choice(_vocab.ADMGRP_NAMES),
                "studiebewijzen": certificates,
            }
            institute.school_history.append(item)
            institute.school_history_sources.append(0 if self.random() < 0.75 else 1)

    def _school_name(self) -> str:
        place = self.choice(_vocab.PLACES)[1].title()
        return f"{self.choice(_vocab.SCHOOL_PREFIXES)} {place}"
