"""Staff lists of the older webservices (``Leerkrachten`` and the ``Leerkrachten...`` lists).

Field names are the snake_case of Informat's element names. Every field is optional (null
columns are left out by the service; empty elements arrive as ``None``). Passwords
(``wachtwoord``, ``wachtwoord_ad``), national register numbers and IBANs are left out of
``repr``; passwords are also marked so that :func:`~informat_async.legacy.without_passwords`
can blank them before records are written anywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ._fields import password, personal_number

__all__ = [
    "Benoeming",
    "Dienstonderbreking",
    "Diploma",
    "Leerkracht",
    "Nascholing",
    "Opdracht",
    "Vervanging",
    "VrijVeld",
]


@attrs.frozen
class Leerkracht:
    """An active staff member (``Leerkrachten``, the wsPersoneelslid list)."""

    p_persoon: int | None = None
    """Integer id of the staff member in Informat's database."""
    perssortname: str | None = None
    """Name used for sorting."""
    stamnummer: str | None = None
    """The staff member's official registration number."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    geboorteplaats: str | None = None
    """Place of birth."""
    geslacht: int | None = None
    """Sex: 1 male, 2 female."""
    rijksregnr: str | None = personal_number()
    """National register number (kept out of ``repr``)."""
    diploma: str | None = None
    """Main diploma."""
    schooljaar: str | None = None
    """School year, e.g. "2025-26"."""
    instelnr: str | None = None
    """Institute number."""
    thuistelefoon: str | None = None
    """Home phone."""
    gsm: str | None = None
    """Mobile phone."""
    prive_email: str | None = None
    """Private e-mail address."""
    school_email: str | None = None
    """School e-mail address."""
    opmerking: str | None = None
    """Remark."""
    actief: bool | None = None
    """Whether the staff member is active."""
    gebruikersnaam: str | None = None
    """User name."""
    wachtwoord: str | None = password()
    """Password (kept out of ``repr``; never logged)."""
    gebruikersnaam_ad: str | None = None
    """Active Directory user name."""
    wachtwoord_ad: str | None = password()
    """Active Directory password (kept out of ``repr``; never logged)."""
    straat: str | None = None
    """Street."""
    nr: str | None = None
    """House number."""
    nralfa: str | None = None
    """Alphabetic suffix of the house number."""
    bus: str | None = None
    """Box number."""
    dlpostnr: str | None = None
    """Postal code."""
    dlgem: str | None = None
    """Municipality."""
    landcode: str | None = None
    """Country code."""
    adres: str | None = None
    """The address on one line."""
    iban: str | None = personal_number()
    """IBAN of the salary account (kept out of ``repr``)."""
    bic: str | None = None
    """BIC of the bank."""


@attrs.frozen
class Dienstonderbreking:
    """A service interruption: leave, illness, strike, ...
    (``LeerkrachtenDienstonderbrekingen``)."""

    p_persoon: int | None = None
    """Integer id of the staff member."""
    instelnr: str | None = None
    """Institute number."""
    hfd: str | None = None
    """Main structure (hoofdstructuur), e.g. "311"."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    begindatum: dt.date | None = None
    """First day of the interruption."""
    einddatum: dt.date | None = None
    """Last day of the interruption."""
    code: int | None = None
    """Code of the kind of interruption."""
    rl: int | None = None
    """RL code."""
    omschrijving: str | None = None
    """Description of the kind of interruption."""
    vermoed_beval: dt.date | None = None
    """Expected date of delivery (maternity leave)."""
    eff_beval: dt.date | None = None
    """Actual date of delivery."""
    dag_miskraam: int | None = None
    """Day of a miscarriage (number of days)."""
    datum_miskraam: dt.date | None = None
    """Date of a miscarriage."""
    datum_arbeidsongeval: dt.date | None = None
    """Date of a work accident."""
    staking: str | None = None
    """Strike indication."""
    opdrachtgever: str | None = None
    """Who ordered the interruption."""
    verstuurd: str | None = None
    """Whether (and how) it was sent to the ministry."""
    opmerking: str | None = None
    """Remark."""
    p_onderbr: int | None = None
    """Integer id of the interruption."""


@attrs.frozen
class Opdracht:
    """A teaching or other assignment of a staff member (``LeerkrachtenOpdrachten``)."""

    instelnr: str | None = None
    """Institute number."""
    hfd: str | None = None
    """Main structure (hoofdstructuur)."""
    p_persoon: int | None = None
    """Integer id of the staff member."""
    personeelslid: str | None = None
    """Name of the staff member."""
    stamnummer: str | None = None
    """Registration number of the staff member."""
    prestatieuren: Decimal | None = None
    """Hours performed."""
    breuk: int | None = None
    """Denominator of the assignment fraction."""
    tbsob: Decimal | None = None
    """TBSOB hours."""
    afstand_wachtgeld: Decimal | None = None
    """Hours of standby pay given up."""
    begindatum: dt.date | None = None
    """First day of the assignment."""
    einddatum: dt.date | None = None
    """Last day of the assignment."""
    ato: str | None = None
    """ATO code."""
    rw: str | None = None
    """Legal position (rechtstoestand), e.g. "TADD", "VB"."""
    bekw: str | None = None
    """Qualification (bekwaamheid)."""
    graad: str | None = None
    """Grade."""
    leerjaar: str | None = None
    """Year."""
    vorm: str | None = None
    """Form of education."""
    ambtcode: str | None = None
    """Code of the office (ambt)."""
    ambtomschrijving: str | None = None
    """Description of the office."""
    vakcode: str | None = None
    """Subject code."""
    vakomschrijving: str | None = None
    """Subject description."""
    vakrubriek: str | None = None
    """Subject heading."""
    gelijkvakcode: str | None = None
    """Code of the equivalent subject."""
    gelijkvakomschrijving: str | None = None
    """Description of the equivalent subject."""
    gelijkvakrubriek: str | None = None
    """Heading of the equivalent subject."""
    ambtvak: int | None = None
    """Integer id of the office-subject combination."""
    tadd: str | None = None
    """TADD indication (temporary appointment of continuous duration)."""
    tao: str | None = None
    """TAO indication."""
    omkadering: str | None = None
    """Staffing source (omkadering)."""
    code_omkadering: str | None = None
    """Code of the staffing source."""
    opleidingsvorm: int | None = None
    """Form of training."""
    titularisnaam: str | None = None
    """Last name of the titular (for a replacement)."""
    titularisvoornaam: str | None = None
    """First name of the titular."""
    code_barema: str | None = None
    """Salary scale code."""
    omschrijving_barema: str | None = None
    """Salary scale description."""
    punten_barema: str | None = None
    """Salary scale points."""
    wedde_anc_jaren: int | None = None
    """Salary seniority: years."""
    wedde_anc_maanden: int | None = None
    """Salary seniority: months."""
    wedde_anc_dagen: int | None = None
    """Salary seniority: days (``WeddeAncdagen``)."""
    wedde_anc_datum: dt.date | None = None
    """Date the salary seniority was computed for."""
    lesgroep: str | None = None
    """Teaching group."""
    opmerking: str | None = None
    """Remark."""
    code_vwo_studiegebied: str | None = None
    """Adult education: study area code."""
    omschr_vwo_studiegebied: str | None = None
    """Adult education: study area description."""
    code_vwo_module: str | None = None
    """Adult education: module code."""
    omschr_vwo_modle: str | None = None
    """Adult education: module description (spelled ``OmschrVwoModle`` by Informat)."""
    in_npre: bool | None = None
    """Not performed on the ``referentiedatum_npre`` asked for (1) or performed (0);
    None when no such date was asked."""
    vacature: int | None = None
    """Vacancy indication."""
    stagevak: int | None = None
    """Internship subject indication."""
    uren_van_sg: int | None = None
    """Hours from the school group."""
    uren_van_school: int | None = None
    """Hours from the school."""
    opdrachttype: str | None = None
    """Kind of assignment (non-subsidised hours come as their own type)."""
    p_opdr: int | None = None
    """Integer id of the assignment."""


@attrs.frozen
class VrijVeld:
    """A free field (custom property) of a staff member (``LeerkrachtenVrijevelden``)."""

    p_persoon: int | None = None
    """Integer id of the staff member."""
    personeelslid: str | None = None
    """Name of the staff member."""
    stamnummer: str | None = None
    """Registration number of the staff member."""
    omschrijving_vrij_veld: str | None = None
    """Name of the free field."""
    waarde_vrij_veld: str | None = None
    """Its value, as text."""
    datatype: str | None = None
    """Data type of the value."""
    rubriek: str | None = None
    """Heading the field belongs to."""


@attrs.frozen
class Nascholing:
    """An in-service training of a staff member (``LeerkrachtenNascholingen``)."""

    instelnr: str | None = None
    """Institute number."""
    p_persoon: int | None = None
    """Integer id of the staff member."""
    personeelslid: str | None = None
    """Name of the staff member."""
    stamnummer: str | None = None
    """Registration number of the staff member."""
    p_nascholing: int | None = None
    """Integer id of the training."""
    vak: str | None = None
    """Subject."""
    onderwerp: str | None = None
    """Topic."""
    va: str | None = None
    """VA code."""
    iu: str | None = None
    """IU code."""
    type: str | None = None
    """Kind of training."""
    opmerking: str | None = None
    """Remark."""
    plaats: str | None = None
    """Place."""
    organisatie: str | None = None
    """Organiser."""
    aantalhalvedagen: int | None = None
    """Number of half days."""
    kostprijs: Decimal | None = None
    """Cost."""
    vervoerskosten: Decimal | None = None
    """Travel costs."""
    prioriteit: str | None = None
    """Priority."""
    begindatum: dt.date | None = None
    """First day."""
    einddatum: dt.date | None = None
    """Last day."""
    beginuur_vm: str | None = None
    """Morning start time."""
    einduur_vm: str | None = None
    """Morning end time."""
    beginuur_nm: str | None = None
    """Afternoon start time."""
    einduur_nm: str | None = None
    """Afternoon end time."""
    sessienaam: str | None = None
    """Session name."""
    categorie: str | None = None
    """Category."""
    functie: str | None = None
    """Function the training is for."""
    opleidingscheques: str | None = None
    """Training vouchers used."""
    bedrag_opleidingscheques: Decimal | None = None
    """Amount of training vouchers."""
    attest: str | None = None
    """Certificate received."""
    evaluatie: str | None = None
    """Evaluation."""
    bespreking_vakgroep: str | None = None
    """Discussed in the subject group."""
    verworven: str | None = None
    """What was acquired."""
    praktijk: str | None = None
    """Put into practice."""
    korte_vervanging: str | None = None
    """Short replacement needed."""
    vervanging: str | None = None
    """Replacement."""


@attrs.frozen
class Benoeming:
    """A permanent appointment of a staff member (``LeerkrachtenBenoemingen``)."""

    p_persoon: int | None = None
    """Integer id of the staff member."""
    personeelslid: str | None = None
    """Name of the staff member."""
    stamnummer: str | None = None
    """Registration number of the staff member."""
    instelnr: str | None = None
    """Institute number."""
    hoofdstructuur: str | None = None
    """Main structure."""
    p_benoeming: int | None = None
    """Integer id of the appointment."""
    ambtcode: str | None = None
    """Code of the office."""
    ambtomschrijving: str | None = None
    """Description of the office."""
    vakcode: str | None = None
    """Subject code."""
    vakomschrijving: str | None = None
    """Subject description."""
    gelijkvakcode: str | None = None
    """Code of the equivalent subject."""
    gelijkvakomschrijving: str | None = None
    """Description of the equivalent subject."""
    ingangsdatum: dt.date | None = None
    """Start date."""
    einddatum: dt.date | None = None
    """End date."""
    teller: Decimal | None = None
    """Numerator of the appointment fraction."""
    noemer: int | None = None
    """Denominator of the appointment fraction."""
    bekwaamheidsbewijs: str | None = None
    """Qualification certificate."""
    graad: str | None = None
    """Grade."""
    onderwijsvorm: str | None = None
    """Form of education."""
    opleidingsvorm: str | None = None
    """Form of training."""


@attrs.frozen
class Diploma:
    """A diploma of a staff member (``LeerkrachtenDiplomas``)."""

    p_persoon: int | None = None
    """Integer id of the staff member."""
    personeelslid: str | None = None
    """Name of the staff member."""
    stamnummer: str | None = None
    """Registration number of the staff member."""
    p_diploma: int | None = None
    """Integer id of the diploma."""
    uitgereikt_door: str | None = None
    """Issued by."""
    taal: str | None = None
    """Language."""
    op_datum: dt.date | None = None
    """Date of issue."""
    omschrijving_diploma: str | None = None
    """Description of the diploma."""
    is_hoofddiploma: bool | None = None
    """Whether it is the main diploma."""
    is_bekwaamheidsbewijs: bool | None = None
    """Whether it counts as a qualification certificate."""


@attrs.frozen
class Vervanging:
    """A replacement: whose assignment is taken over by whom, for which interruption
    (``Vervangingen``)."""

    p_opdracht_titularis: int | None = None
    """Integer id of the titular's assignment."""
    p_opdracht_vervanger: int | None = None
    """Integer id of the replacement's assignment."""
    p_onderbr: int | None = None
    """Integer id of the service interruption."""
