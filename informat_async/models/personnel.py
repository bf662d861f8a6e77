"""The personnel API's objects: employees and their parts, assignments, interruptions,
diplomas, own fields, photos and RL documents.

Field names are the snake_case of the wire names, split before every capital
(``verstuurdAgODi`` -> ``verstuurd_ag_o_di``, ``urenTbsOB`` -> ``uren_tbs_o_b``). Every field
may be null or absent (its default then applies). National register and bis numbers,
bank accounts and photo bytes are kept out of ``repr``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import attrs

from ._enums import OpenIntEnum, OpenStrEnum, Sex

__all__ = [
    "Assignment",
    "Child",
    "CivilStatus",
    "Diploma",
    "Employee",
    "EmployeeAddress",
    "EmployeeBank",
    "EmployeeComnr",
    "EmployeeEmail",
    "EmployeePhoto",
    "Interruption",
    "InterruptionWrite",
    "MainOffice",
    "OwnField",
    "OwnFieldSection",
    "Partner",
    "PartnerIncome",
    "PersonnelDocument",
    "PhoneKind",
    "RLType",
    "Reaffectation",
    "Replacement",
    "SigningStatus",
    "StaffGroup",
]


# --- open code lists --------------------------------------------------------------------


class CivilStatus(OpenIntEnum):
    """``burgStand``."""

    UNMARRIED = 1
    MARRIED = 2
    """Married or legal cohabitation."""
    WIDOWED = 3
    DIVORCED = 4
    SEPARATED = 5
    UNKNOWN = 6


class PartnerIncome(OpenIntEnum):
    """A partner's ``inkomen`` class."""

    UNKNOWN = -1
    NONE = 0
    NORMAL = 1
    PENSION = 2
    LIMITED = 3


class PhoneKind(OpenStrEnum):
    """``comnrs[].soort``."""

    PHONE = "Telefoon"
    FAX = "Fax"
    MOBILE = "Gsm"


class OwnFieldSection(OpenIntEnum):
    """An own field's ``rubriek``."""

    PERSONALIA = 1
    TEWERKSTELLING = 2


class Reaffectation(OpenStrEnum):
    """An assignment's ``reaffWedertew``."""

    NONE = ""
    REAFFECTATION = "R"
    WEDERTEWERKSTELLING = "W"
    VT = "VT"


class RLType(OpenStrEnum):
    """An RL document's ``rlType``."""

    RL1 = "RL1"
    """Opdrachtenpakket (work package)."""
    RL2 = "RL2"
    """Notification, supplement or cancellation of a service interruption."""
    RL4 = "RL4"


class SigningStatus(OpenStrEnum):
    """``tekenStatus`` of a document, and the ``status`` a signed document reports."""

    RETRIEVED = "Opgehaald"
    VIEWED = "Bekeken"
    SIGNED = "Ondertekend"
    REFUSED = "Geweigerd"
    FAILED = "Mislukt"


# --- employee -----------------------------------------------------------------------------


@attrs.frozen
class EmployeeAddress:
    """A domicile or residence address of an employee (``adressen``)."""

    id: uuid.UUID | None = None
    p_adres: int | None = None
    aanspreek_titel: str | None = None
    aanspreek_naam: str | None = None
    straat: str | None = None
    nummer: str | None = None
    """House number and letter (``nummer``; student addresses say ``nr``)."""
    bus: str | None = None
    postcode: str | None = None
    gemeente: str | None = None
    land_code: str | None = None
    """Official country code, 5 characters (``00150`` = Belgium)."""
    is_domicilie: bool | None = None
    is_verblijf: bool | None = None


@attrs.frozen
class EmployeeComnr:
    """A phone, fax or mobile number (``comnrs``)."""

    id: str | None = None
    type: str | None = None
    """Free text: Domicilie, Werk, Noodnummer..."""
    soort: PhoneKind | None = None
    nr: str | None = None


@attrs.frozen
class EmployeeEmail:
    """An e-mail address (``emailadressen``)."""

    id: uuid.UUID | None = None
    p_email: int | None = None
    type: str | None = None
    """Free text such as School or Privé."""
    email: str | None = None


@attrs.frozen
class StaffGroup:
    """A staff group (``personeelsgroepen``)."""

    id: str | None = None
    naam: str | None = None


@attrs.frozen
class Child:
    """A child of an employee (``kinderen``)."""

    id: uuid.UUID | None = None
    naam: str | None = None
    voornaam: str | None = None
    geslacht: Sex | None = None
    geboortedatum: dt.date | None = None
    is_overleden: bool | None = None
    datum_overleden: dt.date | None = None


@attrs.frozen
class Partner:
    """An employee's partner."""

    id: uuid.UUID | None = None
    naam: str | None = None
    voornaam: str | None = None
    geboortedatum: dt.date | None = None
    nationaliteit_code: str | None = None
    is_overleden: bool | None = None
    datum_overleden: dt.date | None = None
    inkomen: PartnerIncome | None = None


@attrs.frozen
class EmployeeBank:
    """An employee's private bank account; the IBAN stays out of ``repr``."""

    iban: str | None = attrs.field(default=None, repr=False)
    bic: str | None = None


@attrs.frozen
class MainOffice:
    """The main function (``hoofdAmbt``) within the institute; a plain string on the wire
    fills ``code``."""

    code: str | None = None
    naam: str | None = None


@attrs.frozen
class Employee:
    """A staff member (``GET employees``, ``GET employees/{personId}``)."""

    person_id: uuid.UUID | None = None
    """The stable id of the employee: use this."""
    p_persoon: int | None = None
    """Database key of the person (the legacy webservices' ``p_persoon``)."""
    persona_id: uuid.UUID | None = None
    naam: str | None = None
    voornaam: str | None = None
    bijkomende_voornamen: str | None = None
    stamnr: str | None = None
    sort_name: str | None = None
    nick_name: str | None = None
    """``nickName`` or ``nickname`` (integrations disagree)."""
    geslacht: Sex | None = None
    initialen: str | None = None
    geboortedatum: dt.date | None = None
    geboorteplaats: str | None = None
    geboorteland_code: str | None = None
    nationaliteit_code: str | None = None
    rijksregisternr: str | None = attrs.field(default=None, repr=False)
    """National register number: never in ``repr``."""
    bisnr: str | None = attrs.field(default=None, repr=False)
    bank: EmployeeBank | None = attrs.field(default=None, repr=False)
    hoofd_ambt: MainOffice | None = None
    eerste_dienst_school: dt.date | None = None
    eerste_dienst_scholengroep: dt.date | None = None
    eerste_dienst_scholengemeenschap: dt.date | None = None
    is_active: bool | None = None
    effectief_in_dienst: Any = None
    """Added in guide 2.10; its type is not documented, so it keeps its JSON type."""
    pensioendatum: dt.date | None = None
    is_mindervalide: bool | None = None
    is_overleden: bool | None = None
    datum_overleden: dt.date | None = None
    burg_stand: CivilStatus | None = None
    aantal_kinderen: int | None = None
    partner: Partner | None = None
    adressen: list[EmployeeAddress] = attrs.field(factory=list)
    comnrs: list[EmployeeComnr] = attrs.field(factory=list)
    emailadressen: list[EmployeeEmail] = attrs.field(factory=list)
    kinderen: list[Child] = attrs.field(factory=list)
    personeelsgroepen: list[StaffGroup] = attrs.field(factory=list)


# --- assignments, interruptions -------------------------------------------------------------


@attrs.frozen
class Replacement:
    """A replacement of an assignment (``vervangingen``): ``do_id`` is the interruption."""

    opdracht_id: str | None = None
    do_id: uuid.UUID | None = None


@attrs.frozen
class Assignment:
    """An assignment (``GET employees/assignments``)."""

    id: str | None = None
    p_opdracht: int | None = None
    person_id: uuid.UUID | None = None
    ambt: str | None = None
    ambt_code: str | None = None
    begindatum: dt.date | None = None
    einddatum: dt.date | None = None
    vervangingen: list[Replacement] = attrs.field(factory=list)
    uren_tbs_o_b: Decimal | None = None
    reaff_wedertew: Reaffectation | None = None
    afstand_wachtgeld: Decimal | None = None
    is_tao: bool | None = None
    aanstellingscode: Decimal | None = None
    ato: str | None = None
    vak_rubriek: Any = None
    """Type not documented: kept as the JSON value."""


@attrs.frozen
class Interruption:
    """A service interruption (dienstonderbreking)."""

    p_onderbreking: int | None = None
    do_id: uuid.UUID | None = None
    """The interruption id (the ``interruption_id`` of the write calls)."""
    person_id: uuid.UUID | None = None
    hfd: str | None = None
    begindatum: dt.date | None = None
    einddatum: dt.date | None = None
    code: str | None = None
    """Interruption type, a string as sent (``"1"``, ``"197"``, ``"002"``: zeros kept)."""
    omschrijving: str | None = None
    soort: str | None = None
    verstuurd_ag_o_di: bool | None = None
    opm_secretariaat: str | None = None
    opm_personeelslid: str | None = None
    staking: Any = None
    staking_uren: Any = None
    ziekteverlof_zonder_bezoldiging: bool | None = None


@attrs.frozen(kw_only=True)
class InterruptionWrite:
    """The body of ``save_interruption``. Fields left ``None`` are omitted from the body
    (``mag_woonst_verlaten`` then defaults to true on the server); ``instelnr`` defaults
    to the institute the call is for."""

    schooljaar: str
    hfd: str
    code: str
    begindatum: dt.date
    einddatum: dt.date
    afzender: str
    """Sender: the name of an application or user, at most 50 characters."""
    opmerking: str | None = None
    naam_geneesheer: str | None = None
    telefoon_geneesheer: str | None = None
    mag_woonst_verlaten: bool | None = None
    instelnr: str | None = None


# --- diplomas, own fields, photos, documents ----------------------------------------------


@attrs.frozen
class Diploma:
    """A diploma of an employee."""

    id: str | None = None
    person_id: uuid.UUID | None = None
    omschrijving: str | None = None
    uitgereikt_door: str | None = None
    uitgereikt_op: dt.date | None = None
    is_hoofddiploma: bool | None = None
    is_bekwaamheidsbewijs: bool | None = None


@attrs.frozen
class OwnField:
    """An own ("eigen") field value of one employee."""

    person_id: uuid.UUID | None = None
    vv_id: uuid.UUID | None = None
    naam: str | None = None
    waarde: Any = None
    """The value with its JSON type (a string, number, boolean...)."""
    data_type: str | None = None
    rubriek: OwnFieldSection | None = None


def _photo_repr(value: bytes) -> str:
    return f"<{len(value)} bytes>"


@attrs.frozen
class EmployeePhoto:
    """An employee's photo, with the base64 of the wire decoded (empty when blank)."""

    id: str | None = None
    person_id: uuid.UUID | None = None
    photo: bytes = attrs.field(default=b"", repr=_photo_repr)


@attrs.frozen
class PersonnelDocument:
    """An RL document (``GET employees/documents``)."""

    document_id: int | None = None
    person_id: uuid.UUID | None = None
    rl_type: RLType | None = None
    teken_status: SigningStatus | None = None
    zendingnr: int | None = None
    referentie: str | None = None
    aangemaakt_op: dt.datetime | None = None
    verstuurd_naar_edison_op: dt.datetime | None = None
    edison_status_gewijzigd_op: dt.datetime | None = None
    rl1_ingangsdatum: dt.date | None = None
    rl4_ingangsdatum: dt.date | None = None
