"""What a bulk run hands out: its events (records, photos, failures) and its report.

Re-exported by :mod:`informat_async.bulk`, where the run itself lives.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Literal, TypeAlias

import attrs

from . import models

__all__ = [
    "ALL_RESOURCES",
    "BulkEvent",
    "BulkReport",
    "BulkResult",
    "Failure",
    "InstituteReport",
    "ListResource",
    "PhotoFetched",
    "RecordsFetched",
    "Resource",
]

Resource = Literal[
    "students", "registrations", "school_history", "photos",
    "employees", "assignments", "interruptions", "diplomas", "own_fields", "employee_photos",
]
ListResource = Literal[
    "students", "registrations", "school_history",
    "employees", "assignments", "interruptions", "diplomas", "own_fields", "employee_photos",
]
ALL_RESOURCES: tuple[Resource, ...] = ("students", "registrations", "school_history", "photos")
"""The pupils' resources: what a run fetches by default."""


@attrs.frozen
class RecordsFetched:
    """A list resource of one institute arrived (all of it, or all that decoded)."""

    institute: str
    resource: ListResource
    records: Sequence[Any]
    """Student, Registration, SchoolHistory, or the personnel models (Employee...)."""
    changed_since: dt.datetime | None
    """The ``changedSince`` sent, or None for a full fetch."""


@attrs.frozen
class PhotoFetched:
    """A student's photo arrived (and was handed to the sink), or the student has none."""

    institute: str
    student_id: uuid.UUID
    photo: models.Photo | None
    """None when Informat has no photo for the student (404)."""


@attrs.frozen
class Failure:
    """Something that failed after retries; the rest of the run went on."""

    institute: str
    resource: str
    """A :data:`Resource`, or the operation name of a legacy list."""
    error: Exception
    """The typed error (an :class:`~informat_async.errors.InformatError` for API trouble)."""
    student_id: uuid.UUID | None = None
    """For photos: the student whose photo failed."""

    def __str__(self) -> str:
        who = f" student {self.student_id}" if self.student_id else ""
        return f"{self.institute} {self.resource}{who}: {type(self.error).__name__}: {self.error}"


BulkEvent: TypeAlias = RecordsFetched | PhotoFetched | Failure


@attrs.define
class InstituteReport:
    """What one institute delivered."""

    institute: str
    counts: dict[str, int] = attrs.field(factory=dict)
    """Records fetched per resource, plus ``photos_missing`` (students without a photo)."""
    failures: list[Failure] = attrs.field(factory=list)
    completed: set[str] = attrs.field(factory=set)
    """Resources fetched completely."""
    checkpoints_advanced: set[str] = attrs.field(factory=set)
    """Resources whose ``changedSince`` checkpoint moved forward in this run."""

    @property
    def ok(self) -> bool:
        """Whether nothing failed for this institute."""
        return not self.failures


@attrs.define
class BulkReport:
    """The outcome of a bulk run."""

    school_year: str
    resources: tuple[Resource, ...]
    institutes: dict[str, InstituteReport]
    requests: int = 0
    """API requests sent during the run (every attempt)."""
    retries: int = 0
    token_requests: int = 0
    elapsed: float = 0.0
    """Seconds from start to end."""
    cancelled: bool = False

    @property
    def failures(self) -> list[Failure]:
        """Every failure of the run."""
        return [f for r in self.institutes.values() for f in r.failures]

    @property
    def ok(self) -> bool:
        """Whether everything was fetched."""
        return not self.cancelled and all(r.ok for r in self.institutes.values())

    def total(self, key: str) -> int:
        """A count summed over institutes (``"students"``, ``"photos"``, ...)."""
        return sum(r.counts.get(key, 0) for r in self.institutes.values())

    def summary(self) -> str:
        """A few lines for people: totals, requests, retries, failures."""
        parts = [f"{k} {self.total(k)}" for k in (*self.resources, "photos_missing")
                 if k != "photos_missing" or "photos" in self.resources]
        lines = [
            f"{len(self.institutes)} institutes, school year {self.school_year}: "
            + ", ".join(parts),
            f"{self.requests} requests, {self.retries} retries, {self.token_requests} token "
            f"requests in {self.elapsed:.1f}s",
        ]
        failures = self.failures
        if failures:
            lines.append(f"{len(failures)} failed:")
            lines.extend(f"  {f}" for f in failures[:50])
            if len(failures) > 50:
                lines.append(f"  ... and {len(failures) - 50} more")
        if self.cancelled:
            lines.append("the run was cancelled before it finished")
        return "\n".join(lines)


@attrs.define
class BulkResult:
    """A whole run gathered: the records per institute, and the report."""

    report: BulkReport
    students: dict[str, list[models.Student]] = attrs.field(factory=dict)
    registrations: dict[str, list[models.Registration]] = attrs.field(factory=dict)
    school_history: dict[str, list[models.SchoolHistory]] = attrs.field(factory=dict)
    photos: dict[str, dict[uuid.UUID, models.Photo]] = attrs.field(factory=dict)
    """Only filled when ``keep_photos=True``."""
    employees: dict[str, list[models.Employee]] = attrs.field(factory=dict)
    assignments: dict[str, list[models.Assignment]] = attrs.field(factory=dict)
    interruptions: dict[str, list[models.Interruption]] = attrs.field(factory=dict)
    diplomas: dict[str, list[models.Diploma]] = attrs.field(factory=dict)
    own_fields: dict[str, list[models.OwnField]] = attrs.field(factory=dict)
    employee_photos: dict[str, list[models.EmployeePhoto]] = attrs.field(factory=dict)
