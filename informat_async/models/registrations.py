"""Registrations (``GET /registrations``) with class registrations and class teachers."""

from __future__ import annotations

import datetime as dt
import uuid

import attrs

from ._enums import GroupType, RegistrationStatus


@attrs.frozen
class ClassTeacher:
    """A class teacher (klassenleraar) of a class (since API 1.20)."""

    persoon_id: uuid.UUID | None = None
    """Unique identifier of the teacher."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""


@attrs.frozen
class ClassRegistration:
    """A registration of the student in a class, subclass or OLOD group (``inschrKlassen``)."""

    inschr_klas_id: uuid.UUID | None = None
    """Unique identifier of the class registration (since API 1.17)."""
    p_inschr_klas: int | None = None
    """Integer id of the class registration (may change after data migration)."""
    klas_id: uuid.UUID | None = None
    """Unique identifier of the class (since API 1.17)."""
    p_klas: int | None = None
    """Integer id of the class (the wire spells it pklas and pKlas)."""
    klas_code: str | None = None
    """The school's own class code."""
    klas: str | None = None
    """The school's own class name."""
    groep_type: GroupType | None = None
    """Main class, subclass or OLOD group."""
    klasnummer: int | None = None
    """The student's number in the class."""
    begindatum: dt.date | None = None
    """First day of the class registration."""
    einddatum: dt.date | None = None
    """Last day of the class registration, or None when open-ended."""
    klassenleraars: list[ClassTeacher] = attrs.field(factory=list)
    """Class teachers."""


@attrs.frozen
class Registration:
    """A registration (inschrijving) of a student in an institute for a school year."""

    inschrijvings_id: uuid.UUID
    """Unique identifier of the registration."""
    p_inschr: int | None = None
    """Integer id of the registration (may change after data migration)."""
    p_persoon: int | None = None
    """Integer id of the student."""
    persoon_id: uuid.UUID | None = None
    """Unique identifier of the student."""
    instelnr: str | None = None
    """Institute number (6 digits)."""
    hfdstructuur: str | None = None
    """Main structure of the institute (111, 311, ...)."""
    school: str | None = None
    """Name of the school."""
    stamnr: str | None = None
    """The student's stamnummer, or None."""
    vest_code: str | None = None
    """The school's own location code."""
    vestiging: str | None = None
    """The school's own location name."""
    begindatum: dt.date | None = None
    """First day of the registration."""
    einddatum: dt.date | None = None
    """Last day of the registration, or None when open-ended."""
    afd_code: str | None = None
    """The school's own department code."""
    nr_admgrp: str | None = None
    """Official education number (administratieve groep), 6 digits."""
    afdelingsjaar: str | None = None
    """Department year."""
    status: RegistrationStatus | None = None
    """Registration status."""
    graad: str | None = None
    """Degree (graad)."""
    leerjaar: int | None = None
    """Grade (leerjaar)."""
    taalkeuze: str | None = None
    """Choice of language options."""
    fin_code: str | None = None
    """Financing code ("01", "02", ...; meaning differs for primary and secondary)."""
    levensbeschouwing_code: str | None = None
    """Religion code ("0000" blanco, "140" catholic, ...)."""
    is_okan: bool | None = None
    """Whether this registers a foreign-speaking newcomer (OKAN)."""
    pre_registration_id: uuid.UUID | None = None
    """The pre-registration this registration came from, if pushed via the API (since 1.11)."""
    inschr_klassen: list[ClassRegistration] = attrs.field(factory=list)
    """Class registrations (the wire spells it inschrklassen and inschrKlassen)."""
