"""Students (``GET /students`` and ``GET /students/{studentId}``) and their parts.

Field names are the snake_case of Informat's wire names, so the spec maps one to one.
National register numbers, bis numbers and IBANs are left out of ``repr`` so they do
not end up in logs by accident.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import attrs

from ._enums import BankAccountType, Sex


@attrs.frozen
class Address:
    """An address: a domicile address, an 'other' address or a relation's address."""

    p_adres: int | None = None
    """Integer id of the address in Informat's database."""
    adres_id: uuid.UUID | None = None
    """Unique identifier of the address."""
    aanspreek_titel: str | None = None
    """Salutation, e.g. "Aan de vader van"."""
    aanspreek_naam: str | None = None
    """Name to address the letter to."""
    straat: str | None = None
    """Street name."""
    nr: str | None = None
    """House number including alpha suffix."""
    bus: str | None = None
    """Box number."""
    postcode: str | None = None
    """Postal code."""
    gemeente: str | None = None
    """Town."""
    landcode: str | None = None
    """Country code (5 characters, e.g. "00150" for Belgium; since API 1.16)."""
    is_facturatie: bool | None = None
    """Whether this is an invoice address."""
    is_aanschrijf: bool | None = None
    """Whether this is a writing (correspondence) address."""
    is_verblijf: bool | None = None
    """Whether this is a residence address."""
    is_overige: bool | None = None
    """Whether this is an address of another type."""
    percentage: Decimal | None = None
    """Cost allocation percentage."""


@attrs.frozen
class CommunicationNumber:
    """A phone, fax or mobile number (``comnrs``)."""

    p_comnr: int | None = None
    """Integer id of the number in Informat's database."""
    nr: str | None = None
    """The number."""
    type: str | None = None
    """Free type label, e.g. "Eigen", "Vader", "Noodnummer"."""
    soort: str | None = None
    """Kind of number: "Telefoon", "Fax" or "Gsm"."""


@attrs.frozen
class Email:
    """An e-mail address (``emails``)."""

    p_email: int | None = None
    """Integer id of the e-mail address in Informat's database."""
    email: str | None = None
    """The e-mail address."""
    type: str | None = None
    """Free type label, e.g. "Eigen", "School", "Ouders"."""
    schoolcom: bool | None = None
    """Whether the school may use it for school communication."""
    factuur_mailen: bool | None = None
    """Whether invoices may be mailed to it."""


@attrs.frozen
class Relation:
    """A relation of a student (parent, guardian, ...), ``relaties``."""

    p_relatie: int | None = None
    """Integer id of the relationship in Informat's database."""
    relatie_id: uuid.UUID | None = None
    """Unique identifier of the relationship."""
    type: str | None = None
    """Relationship label, e.g. "Vader", "Moeder", "Plusvader"."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    insz: str | None = attrs.field(default=None, repr=False)
    """National register or bis number (kept out of ``repr``)."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    geslacht: Sex | None = None
    """Sex, "M" or "V"."""
    nationaliteit_code: str | None = None
    """Official nationality code."""
    beroep: str | None = None
    """Profession."""
    burgerlijke_stand: str | None = None
    """Civil status."""
    lpv: int | None = None
    """School attendance officer marker (1 = first, 2 = second)."""
    ophalen: bool | None = None
    """Whether the relation picks the student up from school."""
    is_overleden: bool | None = None
    """Whether the relation is deceased."""
    adressen: list[Address] = attrs.field(factory=list)
    """Addresses of the relation (usually one domicile address)."""
    comnrs: list[CommunicationNumber] = attrs.field(factory=list)
    """Phone numbers of the relation."""
    emails: list[Email] = attrs.field(factory=list)
    """E-mail addresses of the relation."""


@attrs.frozen
class BankAccount:
    """A bank account linked to the student (``bankrek``, since API 1.15)."""

    type: BankAccountType | None = None
    """Whose account it is (personal, parents, father, ...)."""
    iban: str | None = attrs.field(default=None, repr=False)
    """IBAN (kept out of ``repr``)."""
    bic: str | None = None
    """BIC, 8 to 11 characters."""


@attrs.frozen
class Student:
    """A student with personal data, addresses, relations and contact data."""

    persoon_id: uuid.UUID
    """Unique identifier of the student (the ``studentId`` of other calls)."""
    p_persoon: int | None = None
    """Integer id of the student in Informat's database."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    nickname: str | None = None
    """Nickname."""
    voornaam2: str | None = None
    """Additional first names."""
    initialen: str | None = None
    """Initials."""
    geboorteland: str | None = None
    """Country of birth."""
    geboorteplaats: str | None = None
    """Place of birth."""
    nationaliteit_code: str | None = None
    """Official nationality code."""
    rijksregisternr: str | None = attrs.field(default=None, repr=False)
    """National register number of Belgian residents (kept out of ``repr``)."""
    bisnr: str | None = attrs.field(default=None, repr=False)
    """Bis number of foreign persons (kept out of ``repr``)."""
    geslacht: Sex | None = None
    """Sex, "M" or "V"."""
    huisdokter: str | None = None
    """Name of the family doctor."""
    telefoon_huisdokter: str | None = None
    """Phone number of the family doctor."""
    ll_op_school: int | None = None
    """The student's place in line at school."""
    inschrijvings_id: uuid.UUID | None = None
    """The actual registration for the institute, school year and reference date."""
    leerlingenkaart_nummer: str | None = None
    """Student card number (since API 1.16)."""
    fiets_nummer: str | None = None
    """Bike number (since API 1.16; the wire spells it fietsNummer and fietsnummer)."""
    adressen: list[Address] = attrs.field(factory=list)
    """Domicile addresses (usually one)."""
    overige_adressen: list[Address] = attrs.field(factory=list)
    """Other addresses than the domicile and relation addresses (since API 1.21)."""
    relaties: list[Relation] = attrs.field(factory=list)
    """Relations (parents, guardians, ...)."""
    comnrs: list[CommunicationNumber] = attrs.field(factory=list)
    """Phone numbers not linked to a relation."""
    emails: list[Email] = attrs.field(factory=list)
    """E-mail addresses not linked to a relation."""
    bankrek: list[BankAccount] = attrs.field(factory=list)
    """Bank accounts (since API 1.15; null on the wire becomes an empty list)."""
