"""School history (``GET /schoolHistory`` and ``GET /schoolHistory/{studentId}``)."""

from __future__ import annotations

import datetime as dt
import uuid

import attrs


@attrs.frozen
class Certificate:
    """A certificate (studiebewijs) obtained in a registration."""

    studiebewijs: str | None = None
    """Name of the certificate."""
    uitreiking: dt.date | None = None
    """Issue date."""
    clausulering: str | None = None
    """Clauses of a B certificate, or None."""


@attrs.frozen
class SchoolHistory:
    """One registration in a student's school history, with its certificates."""

    persoon_id: uuid.UUID
    """Unique identifier of the student."""
    p_persoon: int | None = None
    """Integer id of the student."""
    schooljaar: str | None = None
    """School year, e.g. "2022-23"."""
    instelnr: str | None = None
    """Institute number."""
    school: str | None = None
    """Name of the school."""
    van_datum: dt.date | None = None
    """First day of the registration."""
    tot_datum: dt.date | None = None
    """Last day of the registration, or None."""
    nr_admgrp: str | None = None
    """Official education number."""
    admgrp: str | None = None
    """Official education name."""
    studiebewijzen: list[Certificate] = attrs.field(factory=list)
    """Certificates obtained."""
