"""What the Student API (Public) takes and answers: an enrollment to create, an absence to
save, and the outcomes of linking a class and saving an absence.

The input models hold what the caller gave, unchecked: ``validate_enrollment`` and
``validate_absence`` (and every sending method, before it sends) report every problem at once
with the code the server would answer, so a model never raises half-way through a batch.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import attrs

__all__ = ["Absence", "AbsenceSaved", "ClassLinked", "NewEnrollment", "PartOfDay"]

PartOfDay = Literal["VM", "NM"]
"""``VM`` (voormiddag, the morning) or ``NM`` (namiddag, the afternoon)."""

#: The absence ID the API answers when an existing absence was updated instead of created.
EMPTY_GUID = uuid.UUID(int=0)


@attrs.frozen
class NewEnrollment:
    """An enrollment to create in a secondary-education admin group (``POST
    /enrollments/create``)."""

    school_year: str
    """``"2025-26"``: four digits, a dash, the last two digits of the next year."""
    person_id: uuid.UUID | str
    """The student's person ID (the Leerlingen API's ``persoonId``)."""
    admgrp_no: str
    """The admin group number: exactly 6 characters, not ``043905``, ``006246`` or ``006247``."""
    start_date: dt.date | str
    """Within 1 September - 30 June of the school year; not on a weekend unless 1 September."""
    name_external_provider: str
    """Who registers the enrollment (your product's name), at most 50 characters."""
    main_structure: str = attrs.field(default="311", kw_only=True)
    """Only ``"311"`` (secondary education)."""
    location_id_discimus: int | None = attrs.field(default=None, kw_only=True)
    """The Discimus location id; narrows the department-year lookup."""
    class_code: str | None = attrs.field(default=None, kw_only=True)
    """A class to link at once; it must resolve to exactly one class."""
    religion_code: int | None = attrs.field(default=None, kw_only=True)
    """One of 52, 63, 135, 136, 140, 187, 194, 225, 418, 9999; None lets Informat pick."""
    is_returning_student: bool | None = attrs.field(default=None, kw_only=True)
    """None means true for Informat: the religion code of the previous enrollment carries
    over."""


@attrs.frozen
class Absence:
    """The absence of one student for one date and part of day (``PUT
    /students/{studentId}/absences``)."""

    school_year: str
    """``"2025-26"``."""
    absence_code: str
    """An absence code allowed through the API (``"B"``...); the server knows the list."""
    date: dt.date | str
    """Within 1 September - 30 June of the school year, on a school day."""
    part_of_day: PartOfDay | str
    """``"VM"`` or ``"NM"``."""
    location_id_discimus: int
    """The Discimus location id of the school location (required here)."""
    timestamp: dt.datetime | str
    """When the absence was registered, for optimistic concurrency; not in the future. A
    naive value is Belgian local time (Europe/Brussels), as the API compares; an aware one is
    converted to it."""


@attrs.frozen
class ClassLinked:
    """The answer of ``link_class``."""

    outcome: Literal["linked", "unchanged"]
    """``"linked"`` (200), or ``"unchanged"`` (204: the class was already linked, or the start
    date is older than the latest class registration)."""
    class_enrollment_id: uuid.UUID | None = None
    """The class-enrollment ID when linked; None when unchanged."""


@attrs.frozen
class AbsenceSaved:
    """The answer of ``save_absence``."""

    outcome: Literal["created", "updated", "unchanged"]
    """``"created"`` (200 with an ID), ``"updated"`` (200 with the empty GUID: an existing
    absence got the new code) or ``"unchanged"`` (204: the same code was already stored)."""
    absence_id: uuid.UUID | None = None
    """The new absence's ID when created; None otherwise (the API does not say it)."""
