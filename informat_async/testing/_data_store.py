"""The per-institute stores of the fake Leerlingen data and the queries the server answers.

:class:`InstituteData` holds one institute's wire payloads (students, registrations,
school history, pre-registrations) indexed by canonical GUID, and implements what the list
and detail endpoints answer (reference date, changed-since, realized registrations), so
tests can ask it for expectations. :class:`PhotoStore` builds each photo's JPEG bytes on
access (:func:`build_jpeg`).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from . import _spec_examples
from ._util import get_ci, normalize_guid, school_year_bounds, set_ci, utcnow, wire_date

_SPEC_JPEG = base64.b64decode(_spec_examples.example_photo()["foto"])
#: The specification's 1x1 JPEG, cut after its End-Of-Image marker.
BASE_JPEG = _SPEC_JPEG[: _SPEC_JPEG.rindex(b"\xff\xd9") + 2]

_MAX_COM = 65533  # payload bytes of one JPEG COM segment (length field is 16 bits, incl. itself)


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
