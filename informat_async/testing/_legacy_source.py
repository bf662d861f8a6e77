"""The pupils and institutes the fake older webservices answer for.

:class:`LegacySource` resolves an institute or boarding-school number, generates an
institute's legacy-only data on first use (:mod:`._legacy_generate`) and lists the pupils
(:class:`Pupil`: a REST student with one registration) a list operation answers for.
A :data:`Builder` turns it and an operation's parameters into rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._data import FakeData
from ._legacy_generate import LegacyInstitute, generate_legacy
from ._util import get_ci, normalize_guid, wire_date


@dataclasses.dataclass
class Pupil:
    """A pupil as the legacy lists see it: the REST student and one registration."""

    student_id: str
    student: dict[str, Any]
    registration: dict[str, Any]

    @property
    def p_persoon(self) -> str:
        return str(get_ci(self.student, "pPersoon"))

    def relation(self, kind: str) -> dict[str, Any] | None:
        for relation in get_ci(self.student, "relaties") or ():
            if get_ci(relation, "type") == kind:
                return dict(relation)
        return None

    def main_class(self) -> dict[str, Any] | None:
        for group in get_ci(self.registration, "inschrKlassen") or ():
            if get_ci(group, "groepType") == 0:
                return dict(group)
        return None


class LegacySource:
    """What the legacy lists are built from: the REST :class:`FakeData`, the boarding
    schools and the generated legacy-only data of each institute.

    :class:`~._legacy_data.LegacyData` adds the service (``rows``, ``answer``) on top.
    """

    def __init__(self, data: FakeData, seed: int = 0) -> None:
        self.data = data
        self.seed = seed
        self._institutes: dict[str, LegacyInstitute] = {}
        self._boarding: dict[str, str] = {}
        taken = set(data.institutes)
        for school in data.institutes:
            candidate = (int(school) + 500_000) % 1_000_000
            while f"{candidate:06d}" in taken:
                candidate = (candidate + 1) % 1_000_000
            self._boarding[f"{candidate:06d}"] = school
            taken.add(f"{candidate:06d}")

    def boarding_school(self, number: str) -> str:
        """The institute number of the boarding school attached to the served institute
        ``number``: the boarder lists answer for it with that school's boarders."""
        for boarding, school in self._boarding.items():
            if school == number:
                return boarding
        raise KeyError(f"unknown institute {number!r}")

    def resolve(self, number: str) -> tuple[str, bool]:
        """(the served institute, whether only its boarders count) of an institute or
        boarding school number; KeyError when neither."""
        if number in self.data.institutes:
            return number, False
        return self._boarding[number], True

    def institute(self, number: str) -> LegacyInstitute:
        """The legacy data of a served institute (generated on first use)."""
        number = self.resolve(number)[0] if number in self._boarding else number
        found = self._institutes.get(number)
        if found is None:
            source = self.data.institutes.get(number)
            if source is None:
                raise KeyError(f"unknown institute {number!r}")
            found = self._institutes[number] = generate_legacy(source, self.seed)
        return found

    # -- pupils

    def pupils(
        self,
        number: str,
        refdate: dt.date | None = None,
        structure: str | None = None,
        *,
        realized_only: bool = True,
    ) -> list[Pupil]:
        """Pupils with a (realized) registration, optionally on ``refdate`` and in
        ``structure``, one per registration, in the order of ``server.data``. For a
        boarding school's number: the boarders of its school."""
        school, boarders_only = self.resolve(number)
        source = self.data.institutes[school]
        by_person: dict[str, list[dict[str, Any]]] = {}
        for registration in source.registrations.values():
            person = normalize_guid(str(get_ci(registration, "persoonId", "")))
            if person is not None:
                by_person.setdefault(person, []).append(registration)
        result = []
        for student_id, student in source.students.items():
            for registration in by_person.get(student_id, ()):
                if realized_only and get_ci(registration, "status") != 0:
                    continue
                if structure and get_ci(registration, "hfdstructuur") != structure:
                    continue
                if refdate is not None and not _covers(registration, refdate):
                    continue
                if boarders_only and not self.is_boarder(student_id):
                    continue
                result.append(Pupil(student_id, student, registration))
        return result

    def is_boarder(self, student_id: str) -> bool:
        """Whether a pupil is a boarder (a deterministic quarter of them)."""
        digest = hashlib.sha256(f"{self.seed}:boarder:{student_id}".encode()).digest()
        return digest[0] % 4 == 0


def _covers(registration: Mapping[str, Any], day: dt.date) -> bool:
    begin = wire_date(get_ci(registration, "begindatum"))
    end = wire_date(get_ci(registration, "einddatum"))
    return (begin is None or begin <= day) and (end is None or day <= end)


Builder = Callable[[LegacySource, str, Mapping[str, str]], Iterator[Any]]
"""Builds an operation's rows (or per-pupil groups) for an institute number and the
parameters."""
