"""Ground-truth data of the fake Informat server: generated, deterministic, plain JSON dicts.

Every record is kept exactly as it goes over the wire (spec key spellings, GUIDs in the case and
brace style the server sends, dates as strings), indexed by the canonical lower-case GUID.

This module holds :class:`FakeData` (all institutes, :meth:`FakeData.generate`) and the spec
example institute; the rest is split by job: :mod:`._data_store` (one institute's payloads and
the queries the server answers), :mod:`._data_generate` (one institute's generation, on top of
the people of :mod:`._data_people`) and :mod:`._data_numbers` (INSZ and IBAN).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import random
from collections.abc import Sequence

from . import _spec_examples
from ._data_generate import InstituteGenerator
from ._data_store import InstituteData
from ._util import current_school_year, normalize_guid, parse_school_year

SPEC_INSTITUTE = _spec_examples.EXAMPLE_INSTITUTE


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
            generator = InstituteGenerator(number, school_year, seed, photo_size)
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
