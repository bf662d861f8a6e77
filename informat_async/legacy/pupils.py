"""Pupil lists of the older webservices (``Lln``, ``LlnExtra``, ``Subgroepen``, ...).

Field names are the snake_case of Informat's element names (``p_persoon``, ``naam_ma``,
``stamnr_kort``), so Informat's documentation maps one to one. Every field is optional:
the service leaves out null columns and sends empty elements for empty values; both
arrive as ``None``. National register and bis numbers and IBANs are left out of ``repr``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import attrs

from ._fields import personal_number
from .pupil_links import (
    AdresEmail,
    Comnummer,
    Emailrelatie,
    Inschrijving,
    LeerlingComnummer,
    Rekeningnummer,
    Relatie,
)

__all__ = [
    "AdresEmail",
    "Comnummer",
    "Emailrelatie",
    "Inschrijving",
    "Leerling",
    "LeerlingAdres",
    "LeerlingComnummer",
    "LeerlingEmailadressen",
    "LeerlingExtra",
    "Rekeningnummer",
    "Relatie",
    "Subgroep",
]


@attrs.frozen
class Leerling:
    """A pupil with one registration and its main class (``Lln``)."""

    p_persoon: int | None = None
    """Integer id of the pupil in Informat's database."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    geslacht: str | None = None
    """Sex: "M" or "V"."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    geboorteplaats: str | None = None
    """Place of birth."""
    rijksregnr: str | None = personal_number()
    """National register number (kept out of ``repr``)."""
    stamnr: str | None = None
    """Registration number in the school's register (stamnummer)."""
    stamnr_kort: str | None = None
    """Short form of the stamnummer."""
    naam_ma: str | None = None
    """Mother's last name."""
    voornaam_ma: str | None = None
    """Mother's first name."""
    overleden_ma: bool | None = None
    """Whether the mother died."""
    naam_pa: str | None = None
    """Father's last name."""
    voornaam_pa: str | None = None
    """Father's first name."""
    overleden_pa: bool | None = None
    """Whether the father died."""
    instelnr: str | None = None
    """Institute number (6 digits)."""
    school: str | None = None
    """Name of the school."""
    vestcode: str | None = None
    """Code of the school's location (vestiging)."""
    vestiging: str | None = None
    """Location description."""
    begindatum: dt.date | None = None
    """First day of the registration."""
    einddatum: dt.date | None = None
    """Last day of the registration (None: open-ended)."""
    afdeling: str | None = None
    """Department (afdeling) name."""
    afdcode: str | None = None
    """Department code."""
    afdelingsjaar: str | None = None
    """Year of the department, e.g. "1ste leerjaar A"."""
    klas: str | None = None
    """Main class name."""
    klasnr: int | None = None
    """The pupil's number in the class."""
    nr_admgr: str | None = None
    """Administrative group number (6 digits)."""
    graad: str | None = None
    """Grade (graad)."""
    leerjaar: str | None = None
    """Year within the level (leerjaar)."""
    voorlopig: bool | None = None
    """Whether the registration is provisional."""
    fietsnummer: str | None = None
    """Bicycle number."""
    klascode: str | None = None
    """Main class code, e.g. "1A"."""
    klasnaam: str | None = None
    """Main class name."""
    financierbaarheid: str | None = None
    """Fundability code."""
    levensbeschouwing: str | None = None
    """Religion or ethics course."""
    p_inschrijving: int | None = None
    """Integer id of the registration."""


@attrs.frozen
class LeerlingExtra:
    """A pupil's personal details, address, parents and contact data (``LlnExtra``)."""

    pointer: int | None = None
    """Integer id of the pupil (the ``p_persoon`` of the other lists)."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    tweedevoornaam: str | None = None
    """Second first name(s)."""
    sorteernaam: str | None = None
    """Name used for sorting."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    geboorteplaats: str | None = None
    """Place of birth."""
    geboorteland: str | None = None
    """Country of birth."""
    geslacht: str | None = None
    """Sex: "M" or "V"."""
    initialen: str | None = None
    """Initials."""
    nationaliteit: str | None = None
    """Nationality."""
    aanspreektitel: str | None = None
    """Salutation for letters."""
    aanspreeknaam: str | None = None
    """Name letters are addressed to."""
    straat: str | None = None
    """Street of the domicile address."""
    nr: str | None = None
    """House number."""
    bus: str | None = None
    """Box number."""
    hfdpostnr: str | None = None
    """Postal code of the main municipality."""
    hfdgem: str | None = None
    """Main municipality."""
    land: str | None = None
    """Country."""
    domicilietelefoon: str | None = None
    """Phone at the domicile."""
    gsm_eigen: str | None = None
    """The pupil's own mobile number."""
    gsm_vader: str | None = None
    """Father's mobile number."""
    gsm_moeder: str | None = None
    """Mother's mobile number."""
    noodtelefoon: str | None = None
    """Emergency phone number."""
    telefoon_vader: str | None = None
    """Father's phone."""
    telefoon_moeder: str | None = None
    """Mother's phone."""
    telefoon_werk_vader: str | None = None
    """Father's work phone."""
    telefoon_werk_moeder: str | None = None
    """Mother's work phone."""
    rijksregisternummer: str | None = personal_number()
    """National register number (kept out of ``repr``)."""
    bis_nummer: str | None = personal_number()
    """Bis number for people without a national register number (kept out of ``repr``)."""
    voornaam_vader: str | None = None
    """Father's first name."""
    naam_vader: str | None = None
    """Father's last name."""
    beroep_vader: str | None = None
    """Father's profession."""
    diploma_vader: str | None = None
    """Father's diploma."""
    opmerking_vader: str | None = None
    """Remark about the father."""
    burgerlijke_staat_vader: str | None = None
    """Father's civil status."""
    nationaliteit_vader: str | None = None
    """Father's nationality."""
    vader_overleden: bool | None = None
    """Whether the father died."""
    geboortedatum_vader: dt.date | None = None
    """Father's date of birth."""
    voornaam_moeder: str | None = None
    """Mother's first name."""
    naam_moeder: str | None = None
    """Mother's last name."""
    beroep_moeder: str | None = None
    """Mother's profession."""
    diploma_moeder: str | None = None
    """Mother's diploma."""
    opmerking_moeder: str | None = None
    """Remark about the mother."""
    burgerlijke_staat_moeder: str | None = None
    """Mother's civil status."""
    nationaliteit_moeder: str | None = None
    """Mother's nationality."""
    moeder_overleden: bool | None = None
    """Whether the mother died."""
    geboortedatum_moeder: dt.date | None = None
    """Mother's date of birth."""
    email_school: str | None = None
    """E-mail address given by the school."""
    email_eigen: str | None = None
    """The pupil's own e-mail address."""
    email_ouders: str | None = None
    """Parents' e-mail address."""
    email_moeder: str | None = None
    """Mother's e-mail address."""
    email_vader: str | None = None
    """Father's e-mail address."""
    email_prive: str | None = None
    """Private e-mail address."""
    stamnummer: str | None = None
    """Registration number in the school's register."""
    levensbeschouwing: str | None = None
    """Religion or ethics course."""
    huisdokter: str | None = None
    """Family doctor."""
    telefoon_huisdokter: str | None = None
    """Family doctor's phone."""
    verblijfstype: str | None = None
    """Kind of stay (day pupil, boarder, ...)."""
    internaat: str | None = None
    """Boarding school, if any."""
    llnkaartnr: str | None = None
    """Pupil card number."""
    fietsnummer: str | None = None
    """Bicycle number."""
    telefoon_instelling: str | None = None
    """Phone of the institution the pupil stays in."""
    p_school_vest: int | None = None
    """Integer id of the school location."""


@attrs.frozen
class Subgroep:
    """A pupil's membership of a class or group (``Subgroepen``): ALL classes, with
    ``groeptype`` telling main classes from subgroups."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    naam: str | None = None
    """Pupil's last name."""
    voornaam: str | None = None
    """Pupil's first name."""
    school: str | None = None
    """Name of the school."""
    instelnr: str | None = None
    """Institute number."""
    vestcode: str | None = None
    """Location code."""
    vestiging: str | None = None
    """Location description."""
    klas: str | None = None
    """Class name."""
    begindatum_klas: dt.date | None = None
    """First day in the class."""
    einddatum_klas: dt.date | None = None
    """Last day in the class."""
    groeptype: str | None = None
    """Group type: "0" main class, "1" subgroup, "3" OLOD group."""
    klasnr: int | None = None
    """The pupil's number in the class."""
    klastitularis: str | None = None
    """Class teacher."""
    klascode: str | None = None
    """Class code."""
    status: int | None = None
    """Registration status (0 realised)."""
    p_klas: int | None = None
    """Integer id of the class."""
    p_iinschrklas: int | None = None
    """Integer id of the class registration (spelled ``PIinschrklas`` in Informat's list)."""
    p_inschrijving: int | None = None
    """Integer id of the registration."""
    p_afdjaar: int | None = None
    """Integer id of the department year."""
    p_afdeling: int | None = None
    """Integer id of the department."""
    p_inschr_klas: int | None = None
    """Integer id of the class registration."""


@attrs.frozen
class LeerlingAdres:
    """An address of a pupil (``Adressen``)."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    naam: str | None = None
    """Pupil's last name."""
    voornaam: str | None = None
    """Pupil's first name."""
    nickname: str | None = None
    """Pupil's nickname."""
    straat: str | None = None
    """Street."""
    nr: str | None = None
    """House number."""
    dombus: str | None = None
    """Box number."""
    hfdpostnr: str | None = None
    """Postal code of the main municipality."""
    dlpostnr: str | None = None
    """Postal code of the sub-municipality."""
    hfdgem: str | None = None
    """Main municipality."""
    dlgem: str | None = None
    """Sub-municipality."""
    land: str | None = None
    """Country."""
    aanspreeknaam: str | None = None
    """Name letters are addressed to."""
    aanspreektitel: str | None = None
    """Salutation."""
    percentage: Decimal | None = None
    """Share of the costs invoiced to this address."""
    domicilie: bool | None = None
    """Whether this is the domicile address."""
    facturatie: bool | None = None
    """Whether invoices go to this address."""
    verblijf: bool | None = None
    """Whether the pupil stays at this address."""
    aanschrijf: bool | None = None
    """Whether letters go to this address."""
    overige: bool | None = None
    """Whether this is an address of another kind."""
    p_adres: int | None = None
    """Integer id of the address."""
    adressen_uuid: uuid.UUID | None = None
    """Unique id of the address."""


@attrs.frozen
class LeerlingEmailadressen:
    """A pupil's e-mail addresses, one column per kind (``Emailadressen``)."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    prive: str | None = None
    """Private address (``Privé``)."""
    school: str | None = None
    """School address."""
    andere: str | None = None
    """Other address."""
    instelling: str | None = None
    """Address at the institution."""
    domicilie: str | None = None
    """Address of the domicile."""
    werk_vader: str | None = None
    """Father's work address."""
    werk_moeder: str | None = None
    """Mother's work address."""
    vader: str | None = None
    """Father's address."""
    moeder: str | None = None
    """Mother's address."""
    eigen: str | None = None
    """The pupil's own address."""
    ouders: str | None = None
    """Parents' address."""
    grootmoeder: str | None = None
    """Grandmother's address."""
    grootvader: str | None = None
    """Grandfather's address."""
    zus: str | None = None
    """Sister's address."""
    broer: str | None = None
    """Brother's address."""
    werk: str | None = None
    """Work address."""
    stiefvader: str | None = None
    """Stepfather's address."""
    stiefmoeder: str | None = None
    """Stepmother's address."""
    grootouders: str | None = None
    """Grandparents' address."""
    begeleiding: str | None = None
    """Address of the guidance service."""
    begeleider: str | None = None
    """Address of the counsellor."""
    tante: str | None = None
    """Aunt's address."""
    oom: str | None = None
    """Uncle's address."""
    pleegvader: str | None = None
    """Foster father's address."""
    pleegmoeder: str | None = None
    """Foster mother's address."""
    meemoeder: str | None = None
    """Co-mother's address."""
    opmerking: str | None = None
    """Remark."""
