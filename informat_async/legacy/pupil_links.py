"""Lists about a pupil's ties, of the older webservices: bank accounts (``Rekeningnummers``),
communication numbers (``Comnummers``, ``LlnComnummers``), registrations
(``Inschrijvingen``), relations (``Relaties``) and their e-mail (``EmailRelatie``,
``AdressenEmail``). Re-exported by :mod:`informat_async.legacy.pupils`; the conventions are
that module's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import attrs

from ._fields import personal_number

__all__ = [
    "AdresEmail",
    "Comnummer",
    "Emailrelatie",
    "Inschrijving",
    "LeerlingComnummer",
    "Rekeningnummer",
    "Relatie",
]


@attrs.frozen
class Rekeningnummer:
    """A bank account of a pupil (``Rekeningnummers``)."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    iban: str | None = personal_number()
    """IBAN (kept out of ``repr``)."""
    bic_code: str | None = None
    """BIC of the bank."""
    type: str | None = None
    """Kind of account (whose it is)."""
    opmerking: str | None = None
    """Remark."""


@attrs.frozen
class Comnummer:
    """A phone number of a pupil or of a pupil's relation (``ComnummersRelatie``, one
    record per number of the per-pupil answer; ``p_relatie`` is None for the pupil's own)."""

    soort: str | None = None
    """Kind of number: "Telefoon", "Gsm", "Fax"."""
    type: str | None = None
    """Whose number, e.g. "Vader"."""
    nummer: str | None = None
    """The number."""
    opmerking: str | None = None
    """Remark."""
    schoolcommunicatie: bool | None = None
    """Whether the school may use it for school communication."""
    toegevoegd: dt.datetime | None = None
    """When it was added (aware when the service sends an offset)."""
    gewijzigd: dt.datetime | None = None
    """When it was last changed."""
    p_relatie: int | None = None
    """Integer id of the relation."""
    naam_relatie: str | None = None
    """Relation's last name."""
    voornaam_relatie: str | None = None
    """Relation's first name."""
    p_persoon: int | None = None
    """Integer id of the pupil: the ``PPersoon`` of the per-pupil element it came in."""


@attrs.frozen
class LeerlingComnummer:
    """A phone number of a pupil (``LlnComnummers``)."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    p_comnummer: int | None = None
    """Integer id of the number."""
    soort: str | None = None
    """Kind of number: "Telefoon", "Gsm", "Fax"."""
    type: str | None = None
    """Whose number, e.g. "Eigen", "Noodnummer"."""
    comnummer: str | None = None
    """The number."""
    opmerking: str | None = None
    """Remark."""
    schoolcommunicatie: bool | None = None
    """Whether the school may use it for school communication (0/1 on the wire)."""
    toegevoegd: dt.datetime | None = None
    """When it was added."""
    gewijzigd: dt.datetime | None = None
    """When it was last changed."""


@attrs.frozen
class Inschrijving:
    """A registration of a pupil (``Inschrijvingen``)."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    status: int | None = None
    """Registration status: 0 realised, 1 not realised, 2 postponed, 3 parallel, 4 application."""
    begindatum: dt.date | None = None
    """First day."""
    einddatum: dt.date | None = None
    """Last day (None: open-ended)."""
    instelnr: str | None = None
    """Institute number."""
    school: str | None = None
    """Name of the school."""
    vest_code: str | None = None
    """Location code."""
    vestiging: str | None = None
    """Location description."""
    afd_code: str | None = None
    """Department code."""
    afdeling: str | None = None
    """Department name."""
    afdelingsjaar: str | None = None
    """Year of the department."""
    nr_admgr: str | None = None
    """Administrative group number."""
    graad: int | None = None
    """Grade."""
    leerjaar: int | None = None
    """Year within the level."""
    financierbaarheid: str | None = None
    """Fundability code."""
    levensbeschouwing: str | None = None
    """Religion or ethics course."""
    capaciteit_naam: str | None = None
    """Name of the capacity (places) group."""
    pre_registration_id: uuid.UUID | None = None
    """The pre-registration this registration came from, if any."""


@attrs.frozen
class Emailrelatie:
    """An e-mail address of a pupil or of a pupil's relation (``EmailRelatie``, one record
    per address of the per-pupil answer; ``p_relatie`` is None for the pupil's own)."""

    adres: str | None = None
    """The e-mail address."""
    type: str | None = None
    """Whose address, e.g. "Moeder"."""
    p_relatie: int | None = None
    """Integer id of the relation."""
    naam_relatie: str | None = None
    """Relation's last name."""
    voornaam_relatie: str | None = None
    """Relation's first name."""
    opmerking: str | None = None
    """Remark."""
    schoolcommunicatie: bool | None = None
    """Whether the school may use it for school communication."""
    p_persoon: int | None = None
    """Integer id of the pupil: the ``PPersoon`` of the per-pupil element it came in."""


@attrs.frozen
class Relatie:
    """A relation (parent, guardian, ...) of a pupil (``Relaties``)."""

    p_relatie: int | None = None
    """Integer id of the relation."""
    type: str | None = None
    """Kind of relation, e.g. "Vader", "Moeder", "Voogd"."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    geslacht: str | None = None
    """Sex: "M" or "V"."""
    insz: str | None = personal_number()
    """National register or bis number (kept out of ``repr``)."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    overleden: bool | None = None
    """Whether the relation died."""
    beroep: str | None = None
    """Profession."""
    burgerlijke_staat: str | None = None
    """Civil status."""
    nationaliteit: str | None = None
    """Nationality."""
    lpv: int | None = None
    """Legal guardian order (1 or 2; 0 when not a legal guardian)."""
    opmerking: str | None = None
    """Remark."""
    toegevoegd: dt.datetime | None = None
    """When it was added."""
    gewijzigd: dt.datetime | None = None
    """When it was last changed (what ``gewijzigd_sinds`` filters on)."""
    relatie_uuid: uuid.UUID | None = None
    """Unique id of the relation."""
    p_persoon: int | None = None
    """Integer id of the pupil: the ``PPersoon`` of the per-pupil element it came in."""


@attrs.frozen
class AdresEmail:
    """An e-mail address linked to an address, e.g. for invoices (``AdressenEmail``)."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    p_adres: int | None = None
    """Integer id of the address (``Padres``)."""
    adressen_uuid: uuid.UUID | None = None
    """Unique id of the address."""
    facturatie: bool | None = None
    """Whether invoices go to this address (0/1)."""
    percentage: Decimal | None = None
    """Share of the costs invoiced to this address."""
    email: str | None = None
    """The e-mail address."""
    schoolcom: bool | None = None
    """Whether the school may use it for school communication (0/1)."""
    adres_toegevoegd: dt.datetime | None = None
    """When the address was added."""
    adres_gewijzigd: dt.datetime | None = None
    """When the address was last changed."""
    email_toegevoegd: dt.datetime | None = None
    """When the e-mail address was added."""
    email_gewijzigd: dt.datetime | None = None
    """When the e-mail address was last changed."""
    email_type: str | None = None
    """Whose e-mail address, e.g. "Moeder"."""
