"""Ground truth of the fake older webservices (``wsInformat.asmx``): DataSet rows as dicts.

A row maps Informat's element names (as the seed document spells them: ``p_persoon``,
``Naam``, ``Stamnr_kort``, ``Privé``) to text; ``None`` is a null value (the element is
left out, as a .NET DataSet does for DBNull) and ``""`` an empty element.

* Pupil lists are derived at request time from the REST ground truth (``server.data``),
  so the same pupils of the same institutes appear in both APIs, with the same
  ``pPersoon``, names, registrations and classes (a ``touch_student`` shows up in both).
* Staff are the class teachers of the REST data plus a head, a secretary and a
  caretaker, with assignments, interruptions, replacements, free fields, trainings,
  appointments and diplomas.
* Every served institute has a boarding school with a number of its own
  (:meth:`LegacyData.boarding_school`): a deterministic quarter of its pupils are
  boarders, and the pupil operations called with that number answer for them.
* ``Relaties``, ``ComnummersRelatie`` and ``EmailRelatie`` are grouped per pupil
  (:meth:`LegacyData.answer`); :meth:`LegacyData.rows` flattens them with ``PPersoon``.
* Smartschool users are the pupils with generated initial passwords.

Everything derives from ``(seed, institute number)`` only, like :class:`FakeData`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import re
import string
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import _vocab
from ._data import FakeData
from ._data_numbers import make_iban, make_insz
from ._data_store import InstituteData
from ._util import get_ci, normalize_guid, parse_datetime, parse_school_year, wire_date

Row = dict[str, str | None]

_BASE = ("schooljaar", "instelnr")
_BOARDERS = (*_BASE, "referentiedatum")

#: Every operation with the parameters it takes besides ``login`` and ``paswoord``, in
#: order: the names of ``shared/reference/legacy-wire.md`` section 6 (guesses where it
#: has no evidence). The boarder lists are these operations with a boarding school's
#: institute number (:meth:`LegacyData.boarding_school`).
OPERATION_PARAMS: Mapping[str, tuple[str, ...]] = {
    "Lln": (*_BASE, "referentiedatum", "hoofdstructuur"),
    "LlnExtra": (*_BASE, "referentiedatum", "hoofdstructuur"),
    "Subgroepen": (*_BASE, "hoofdstructuur"),
    "Adressen": (*_BASE, "hoofdstructuur"),
    "Emailadressen": (*_BASE, "hoofdstructuur"),
    "Rekeningnummers": _BASE,
    "ComnummersRelatie": (*_BASE, "hoofdstructuur", "gewijzigdSinds"),
    "LlnComnummers": _BASE,
    "Relaties": (*_BASE, "hoofdstructuur", "gewijzigdSinds"),
    "Inschrijvingen": (*_BASE, "hoofdstructuur", "preRegistrationId"),
    "EmailRelatie": (*_BASE, "referentiedatum", "hoofdstructuur", "gewijzigdSinds"),
    "AdressenEmail": (*_BASE, "hoofdstructuur"),
    "Leerkrachten": (*_BASE, "personeelsgroep_is_een_optie"),
    "LeerkrachtenDienstonderbrekingen": _BASE,
    "LeerkrachtenOpdrachten": (*_BASE, "ReferentiedatumNPRE", "Met_NSU_Uren"),
    "LeerkrachtenVrijevelden": _BASE,
    "LeerkrachtenNascholingen": (*_BASE, "begindatum", "einddatum"),
    "LeerkrachtenBenoemingen": _BASE,
    "LeerkrachtenDiplomas": _BASE,
    "Vervangingen": _BASE,
    "InternaatInschrijvingen": _BOARDERS,
    "SmartschoolUsers": ("smartschoolplatform", "schooljaar", "instelnr",
                         "discimusVestigingsnr", "referentiedatum"),
}

#: The row element of each operation's typed-array answer (the live names where the
#: reference has them, guesses otherwise).
ROW_ELEMENTS: Mapping[str, str] = {
    "Lln": "wsInschrijving",
    "LlnExtra": "wsLeerling",
    "Subgroepen": "wsKlasgroep",
    "Adressen": "wsAdres",
    "Emailadressen": "wsEmailadressen",
    "Rekeningnummers": "wsRekeningnummer",
    "ComnummersRelatie": "WsComnummers",
    "LlnComnummers": "wsLlnComnummer",
    "Relaties": "WsRelaties",
    "Inschrijvingen": "WsInschrijvingen",
    "EmailRelatie": "WsEmailadressen",
    "AdressenEmail": "WsAdressenEmail",
    "Leerkrachten": "wsPersoneelslid",
    "LeerkrachtenDienstonderbrekingen": "wsDienstonderbreking",
    "LeerkrachtenOpdrachten": "wsOpdracht",
    "LeerkrachtenVrijevelden": "wsPersoneelVrijVeld",
    "LeerkrachtenNascholingen": "wsNascholing",
    "LeerkrachtenBenoemingen": "wsBenoeming",
    "LeerkrachtenDiplomas": "wsDiploma",
    "Vervangingen": "wsVervanging",
    "InternaatInschrijvingen": "wsInternaatInschrijving",
    "SmartschoolUsers": "User",
}

#: The answers grouped per pupil: (list wrapper, item element) inside the row element,
#: which holds the pupil's ``PPersoon``.
NESTED: Mapping[str, tuple[str, str]] = {
    "Relaties": ("Relaties", "Relatie"),
    "ComnummersRelatie": ("Comnrs", "Comnr"),
    "EmailRelatie": ("Emails", "Email"),
}

Group = tuple[str, list[Row]]
"""One pupil of a nested answer: its ``PPersoon`` and its items (maybe none)."""

#: Staff groups (``personeelsgroep``).
STAFF_GROUPS = ("Leerkrachten", "Directie", "Secretariaat", "Onderhoud")

_SUBJECTS = (("WIS", "Wiskunde"), ("NED", "Nederlands"), ("FRA", "Frans"), ("ENG", "Engels"),
             ("GES", "Geschiedenis"), ("AAR", "Aardrijkskunde"), ("LO", "Lichamelijke opvoeding"),
             ("FYS", "Fysica"), ("BIO", "Biologie"), ("INF", "Informatica"))
_DMY_RE = re.compile(r"^(\d{1,2})\D(\d{1,2})\D(\d{4})$")


class LegacyFault(Exception):
    """A fault the fake service answers (a SOAP fault, or HTTP 500 text for form calls)."""

    def __init__(self, kind: str, message: str, *, client: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        """``"login"``, ``"institute"``, ``"input"`` or ``"operation"``."""
        self.message = message
        self.client = client
        """SOAP ``faultcode`` Client instead of Server."""


def parse_dmy(value: str, name: str) -> dt.date:
    """A parameter date: day-month-year with any separator (or ISO), as Informat reads it."""
    text = value.strip()
    match = _DMY_RE.match(text)
    try:
        if match is not None:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        parsed = parse_datetime(text) if len(text) > 10 else dt.date.fromisoformat(text)
        if parsed is None:
            raise ValueError(text)
        return parsed if not isinstance(parsed, dt.datetime) else parsed.date()
    except ValueError:
        raise LegacyFault("input", f"Ongeldige datum voor {name}: '{value}'") from None


def _parse_since(value: str) -> dt.datetime:
    text = value.strip()
    parts = text.split(" ", 1)
    if len(parts) == 2 and _DMY_RE.match(parts[0]):
        day = parse_dmy(parts[0], "gewijzigdSinds")
        try:
            clock = dt.time.fromisoformat(parts[1])
        except ValueError:
            raise LegacyFault("input", f"Ongeldige datum voor gewijzigdSinds: '{value}'") from None
        return dt.datetime.combine(day, clock)
    parsed = parse_datetime(text) if len(text) > 10 else None
    if parsed is not None:
        return parsed.replace(tzinfo=None)
    return dt.datetime.combine(parse_dmy(text, "gewijzigdSinds"), dt.time())


def dmy(day: dt.date | None) -> str | None:
    """``dd/mm/yyyy``: how the service writes dates held in string columns."""
    return None if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def _offset(moment: dt.datetime) -> dt.timezone:
    # Belgian time, close enough for a fake: summer time from April to October
    return dt.timezone(dt.timedelta(hours=2 if 4 <= moment.month <= 10 else 1))


def dotnet(moment: dt.datetime | dt.date | None) -> str | None:
    """A ``dateTime`` column as .NET writes it: local time with its offset."""
    if moment is None:
        return None
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
        return moment.replace(tzinfo=_offset(moment)).isoformat()
    utc = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return utc.astimezone(_offset(utc)).isoformat()


def _ja(value: Any) -> str | None:
    return None if value is None else ("Ja" if value else "Nee")


def _bit(value: Any) -> str | None:
    return None if value is None else ("1" if value else "0")


def _truth(value: Any) -> str | None:
    return None if value is None else ("true" if value else "false")


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _of(mapping: Mapping[str, Any] | None, key: str) -> str | None:
    return None if mapping is None else _s(get_ci(mapping, key))


@dataclasses.dataclass
class Pupil:
    """A pupil as the legacy lists see it: the REST student and one registration."""

    student_id: str
    student: dict[str, Any]
    registration: dict[str, Any]

    @property
    def p_persoon(self) -> str:
        return str(get_ci(self.student, "pPersoon"))

    def relation(self, kind: str) -> dict[str, Any] | None:
        for relation in get_ci(self.student, "relaties") or ():
            if get_ci(relation, "type") == kind:
                return dict(relation)
        return None

    def main_class(self) -> dict[str, Any] | None:
        for group in get_ci(self.registration, "inschrKlassen") or ():
            if get_ci(group, "groepType") == 0:
                return dict(group)
        return None


@dataclasses.dataclass
class LegacyInstitute:
    """Generated legacy-only data of one institute (staff, boarders, Smartschool).

    Attributes:
        number: the institute number.
        staff: ``Leerkrachten`` rows.
        staff_groups: the ``personeelsgroep`` of each staff member by ``p_persoon``.
        assignments: ``LeerkrachtenOpdrachten`` rows (without ``InNPRE``, set per request).
        nsu_assignments: the extra rows served with ``Met_NSU_Uren=Ja``.
        interruptions: ``LeerkrachtenDienstonderbrekingen`` rows.
        free_fields, trainings, appointments, diplomas, replacements: the other staff lists.
        boarding_school: name and address of the boarding school.
        rooms: (block, floor, room) per boarder's student id.
        smartschool_passwords: the three initial passwords per student id.
        discimus_numbers: the Discimus location number of each ``vestCode``.
    """

    number: str
    staff: list[Row] = dataclasses.field(default_factory=list)
    staff_groups: dict[str, str] = dataclasses.field(default_factory=dict)
    assignments: list[Row] = dataclasses.field(default_factory=list)
    nsu_assignments: list[Row] = dataclasses.field(default_factory=list)
    interruptions: list[Row] = dataclasses.field(default_factory=list)
    free_fields: list[Row] = dataclasses.field(default_factory=list)
    trainings: list[Row] = dataclasses.field(default_factory=list)
    appointments: list[Row] = dataclasses.field(default_factory=list)
    diplomas: list[Row] = dataclasses.field(default_factory=list)
    replacements: list[Row] = dataclasses.field(default_factory=list)
    boarding_school: dict[str, str] = dataclasses.field(default_factory=dict)
    rooms: dict[str, tuple[str, str, str]] = dataclasses.field(default_factory=dict)
    smartschool_passwords: dict[str, tuple[str, str, str]] = dataclasses.field(
        default_factory=dict
    )
    discimus_numbers: dict[str, str] = dataclasses.field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"LegacyInstitute(number={self.number!r}, staff={len(self.staff)}, "
                f"assignments={len(self.assignments)}, boarders={len(self.rooms)})")


class LegacyData:
    """The fake older webservices' ground truth, on top of the REST :class:`FakeData`.

    :meth:`rows` answers exactly what the service serves for an operation and its
    parameters, so tests can ask for expectations; :meth:`institute` holds the generated
    staff, boarders and Smartschool data.
    """

    def __init__(self, data: FakeData, seed: int = 0) -> None:
        self.data = data
        self.seed = seed
        self._institutes: dict[str, LegacyInstitute] = {}
        self._boarding: dict[str, str] = {}
        taken = set(data.institutes)
        for school in data.institutes:
            candidate = (int(school) + 500_000) % 1_000_000
            while f"{candidate:06d}" in taken:
                candidate = (candidate + 1) % 1_000_000
            self._boarding[f"{candidate:06d}"] = school
            taken.add(f"{candidate:06d}")

    def boarding_school(self, number: str) -> str:
        """The institute number of the boarding school attached to the served institute
        ``number``: the boarder lists answer for it with that school's boarders."""
        for boarding, school in self._boarding.items():
            if school == number:
                return boarding
        raise KeyError(f"unknown institute {number!r}")

    def resolve(self, number: str) -> tuple[str, bool]:
        """(the served institute, whether only its boarders count) of an institute or
        boarding school number; KeyError when neither."""
        if number in self.data.institutes:
            return number, False
        return self._boarding[number], True

    def institute(self, number: str) -> LegacyInstitute:
        """The legacy data of a served institute (generated on first use)."""
        number = self.resolve(number)[0] if number in self._boarding else number
        found = self._institutes.get(number)
        if found is None:
            source = self.data.institutes.get(number)
            if source is None:
                raise KeyError(f"unknown institute {number!r}")
            found = self._institutes[number] = _generate(source, self.seed)
        return found

    # -- pupils

    def pupils(
        self,
        number: str,
        refdate: dt.date | None = None,
        structure: str | None = None,
        *,
        realized_only: bool = True,
    ) -> list[Pupil]:
        """Pupils with a (realized) registration, optionally on ``refdate`` and in
        ``structure``, one per registration, in the order of ``server.data``. For a
        boarding school's number: the boarders of its school."""
        school, boarders_only = self.resolve(number)
        source = self.data.institutes[school]
        by_person: dict[str, list[dict[str, Any]]] = {}
        for registration in source.registrations.values():
            person = normalize_guid(str(get_ci(registration, "persoonId", "")))
            if person is not None:
                by_person.setdefault(person, []).append(registration)
        result = []
        for student_id, student in source.students.items():
            for registration in by_person.get(student_id, ()):
                if realized_only and get_ci(registration, "status") != 0:
                    continue
                if structure and get_ci(registration, "hfdstructuur") != structure:
                    continue
                if refdate is not None and not _covers(registration, refdate):
                    continue
                if boarders_only and not self.is_boarder(student_id):
                    continue
                result.append(Pupil(student_id, student, registration))
        return result

    def is_boarder(self, student_id: str) -> bool:
        """Whether a pupil is a boarder (a deterministic quarter of them)."""
        digest = hashlib.sha256(f"{self.seed}:boarder:{student_id}".encode()).digest()
        return digest[0] % 4 == 0

    # -- the service

    def rows(self, operation: str, params: Mapping[str, str]) -> list[Row]:
        """What ``operation`` answers for ``params`` (wire names, values as sent; the
        login is checked by the server before), one row per record: the items of a
        nested answer carry their pupil's ``PPersoon``. Raises :class:`LegacyFault`."""
        answer = self.answer(operation, params)
        if operation not in NESTED:
            return answer
        return [{**item, "PPersoon": p_persoon}
                for p_persoon, items in answer for item in items]

    def answer(self, operation: str, params: Mapping[str, str]) -> list[Any]:
        """The answer as the service shapes it: rows, or per-pupil groups
        (:data:`Group`) for the operations in :data:`NESTED`. Raises
        :class:`LegacyFault`."""
        builder = _BUILDERS.get(operation)
        if builder is None:
            raise LegacyFault("operation", f"Onbekende methode {operation}", client=True)
        school_year = params.get("schooljaar", "")
        if parse_school_year(school_year) is None:
            raise LegacyFault("input", f"Ongeldig schooljaar '{school_year}'")
        number = params.get("instelnr", "")
        if operation == "SmartschoolUsers":
            if not params.get("smartschoolplatform", "").strip():
                raise LegacyFault("input", "Parameter smartschoolplatform is verplicht")
            numbers = [number] if number else list(self.data.institutes)
        else:
            numbers = [number]
        for each in numbers:
            if each not in self.data.institutes and each not in self._boarding:
                raise LegacyFault(
                    "institute", f"Geen toegang tot instellingsnummer '{each}' voor deze login"
                )
        if school_year != self.data.school_year:
            return []
        rows: list[Any] = []
        for each in numbers:
            rows.extend(builder(self, each, params))
        return rows


def _covers(registration: Mapping[str, Any], day: dt.date) -> bool:
    begin = wire_date(get_ci(registration, "begindatum"))
    end = wire_date(get_ci(registration, "einddatum"))
    return (begin is None or begin <= day) and (end is None or day <= end)


def _opt_date(params: Mapping[str, str], name: str) -> dt.date | None:
    value = params.get(name, "")
    return parse_dmy(value, name) if value.strip() else None


def _structure(params: Mapping[str, str]) -> str | None:
    value = params.get("hoofdstructuur", "").strip()
    if value and not re.fullmatch(r"\d{3}", value):
        raise LegacyFault("input", f"Ongeldige hoofdstructuur '{value}'")
    return value or None


def _changed(data: LegacyData, number: str, student_id: str) -> dt.datetime:
    return data.data.institutes[data.resolve(number)[0]].student_changed[student_id]


def _since(params: Mapping[str, str]) -> dt.datetime | None:
    """``gewijzigdSinds`` as naive UTC (change times are kept so; a parameter is Belgian
    time), or None when empty."""
    text = params.get("gewijzigdSinds", "").strip()
    if not text:
        return None
    since = _parse_since(text)
    return since - (_offset(since).utcoffset(None) or dt.timedelta())


def _changed_pupils(data: LegacyData, number: str, params: Mapping[str, str],
                    refdate: bool = False) -> list[Pupil]:
    since = _since(params)
    day = _opt_date(params, "referentiedatum") if refdate else None
    return [p for p in data.pupils(number, day, _structure(params))
            if since is None or _changed(data, number, p.student_id) >= since]


# --------------------------------------------------------------------------------------
# pupil rows


def _lln(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, _opt_date(params, "referentiedatum"), _structure(params)):
        student, reg = pupil.student, pupil.registration
        mother, father = pupil.relation("Moeder"), pupil.relation("Vader")
        main = pupil.main_class() or {}
        stamnr = get_ci(reg, "stamnr")
        yield {
            "p_persoon": pupil.p_persoon,
            "Naam": get_ci(student, "naam"),
            "Voornaam": get_ci(student, "voornaam"),
            "geslacht": get_ci(student, "geslacht"),
            "geboortedatum": dmy(wire_date(get_ci(student, "geboortedatum"))),
            "geboorteplaats": get_ci(student, "geboorteplaats"),
            "rijksregnr": get_ci(student, "rijksregisternr"),
            "stamnr": stamnr,
            "Stamnr_kort": stamnr[-5:] if stamnr else None,
            "naamMa": _of(mother, "naam"),
            "voornaamMa": _of(mother, "voornaam"),
            "OverledenMa": _ja(get_ci(mother, "isOverleden")) if mother else None,
            "naamPa": _of(father, "naam"),
            "voornaamPa": _of(father, "voornaam"),
            "overledenPa": _ja(get_ci(father, "isOverleden")) if father else None,
            "instelnr": get_ci(reg, "instelnr"),
            "school": get_ci(reg, "school"),
            "vestcode": get_ci(reg, "vestCode"),
            "vestiging": get_ci(reg, "vestiging"),
            "begindatum": dmy(wire_date(get_ci(reg, "begindatum"))),
            "einddatum": dmy(wire_date(get_ci(reg, "einddatum"))),
            "afdeling": get_ci(reg, "afdCode"),
            "afdcode": get_ci(reg, "afdCode"),
            "afdelingsjaar": get_ci(reg, "afdelingsjaar"),
            "klas": get_ci(main, "klas"),
            "klasnr": _s(get_ci(main, "klasnummer")),
            "nr_admgr": get_ci(reg, "nrAdmgrp"),
            "graad": _s(get_ci(reg, "graad")),
            "leerjaar": _s(get_ci(reg, "leerjaar")),
            "voorlopig": "Nee",
            "fietsnummer": get_ci(student, "fietsnummer"),
            "klascode": get_ci(main, "klasCode"),
            "klasnaam": get_ci(main, "klas"),
            "Financierbaarheid": get_ci(reg, "finCode"),
            "Levensbeschouwing": get_ci(reg, "levensbeschouwingCode"),
            "PInschrijving": _s(get_ci(reg, "pInschr")),
        }


def _phone(items: Any, kind: str) -> str | None:
    for item in items or ():
        if get_ci(item, "type") == kind:
            return _s(get_ci(item, "nr"))
    return None


def _mail(items: Any, kind: str | None = None) -> str | None:
    for item in items or ():
        if kind is None or get_ci(item, "type") == kind:
            return _s(get_ci(item, "email"))
    return None


def _extra_row(data: LegacyData, number: str, pupil: Pupil) -> Row:
    student, reg = pupil.student, pupil.registration
    home = (get_ci(student, "adressen") or [{}])[0]
    father, mother = pupil.relation("Vader"), pupil.relation("Moeder")
    boarder = data.is_boarder(pupil.student_id)
    row: Row = {
        "pointer": pupil.p_persoon,
        "naam": get_ci(student, "naam"),
        "voornaam": get_ci(student, "voornaam"),
        "Tweedevoornaam": get_ci(student, "voornaam2"),
        "Sorteernaam": f"{get_ci(student, 'naam')} {get_ci(student, 'voornaam')}",
        "geboortedatum": dmy(wire_date(get_ci(student, "geboortedatum"))),
        "geboorteplaats": get_ci(student, "geboorteplaats"),
        "geboorteland": get_ci(student, "geboorteland"),
        "geslacht": get_ci(student, "geslacht"),
        "initialen": get_ci(student, "initialen"),
        "nationaliteit": get_ci(student, "nationaliteitCode"),
        "aanspreektitel": get_ci(home, "aanspreekTitel"),
        "aanspreeknaam": get_ci(home, "aanspreekNaam"),
        "straat": get_ci(home, "straat"),
        "nr": get_ci(home, "nr"),
        "bus": get_ci(home, "bus"),
        "hfdpostnr": get_ci(home, "postcode"),
        "hfdgem": get_ci(home, "gemeente"),
        "land": "België",
        "domicilietelefoon": _phone(get_ci(student, "comnrs"), "Domicilie"),
        "GSMeigen": _phone(get_ci(student, "comnrs"), "Eigen"),
        "GSMvader": _phone(get_ci(father, "comnrs"), "Vader") if father else None,
        "GSMmoeder": _phone(get_ci(mother, "comnrs"), "Moeder") if mother else None,
        "Noodtelefoon": _phone(get_ci(student, "comnrs"), "Noodnummer"),
        "telefoonVader": None,
        "telefoonMoeder": None,
        "telefoonWerkVader": None,
        "telefoonWerkMoeder": None,
        "Rijksregisternummer": get_ci(student, "rijksregisternr"),
        "BISnummer": get_ci(student, "bisnr"),
        "EmailSchool": _mail(get_ci(student, "emails"), "School"),
        "EmailEigen": None,
        "EmailOuders": None,
        "EmailPrive": None,
        "Stamnummer": get_ci(reg, "stamnr"),
        "Levensbeschouwing": get_ci(reg, "levensbeschouwingCode"),
        "Huisdokter": get_ci(student, "huisdokter"),
        "TelefoonHuisdokter": get_ci(student, "telefoonHuisdokter"),
        "Verblijfstype": "Intern" if boarder else "Extern",
        "Internaat": data.institute(number).boarding_school["naam"] if boarder else None,
        "llnkaartnr": get_ci(student, "leerlingenkaartNummer"),
        "fietsnummer": get_ci(student, "fietsnummer"),
        "telefoonInstelling": None,
        "pschoolvest": "1" if get_ci(reg, "vestCode") in (None, "vest1") else "2",
    }
    for title, relation in (("Vader", father), ("Moeder", mother)):
        row[f"Voornaam{title}"] = _of(relation, "voornaam")
        row[f"Naam{title}"] = _of(relation, "naam")
        row[f"Beroep{title}"] = _of(relation, "beroep")
        row[f"Diploma{title}"] = "" if relation else None
        row[f"Opmerking{title}"] = "" if relation else None
        row[f"BurgerlijkeStaat{title}"] = _of(relation, "burgerlijkeStand")
        row[f"Nationaliteit{title}"] = _of(relation, "nationaliteitCode")
        row[f"{title}Overleden"] = _ja(get_ci(relation, "isOverleden")) if relation else None
        row[f"Geboortedatum{title}"] = (
            dmy(wire_date(get_ci(relation, "geboortedatum"))) if relation else None
        )
        row[f"Email{title}"] = _mail(get_ci(relation, "emails")) if relation else None
    return row


def _lln_extra(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, _opt_date(params, "referentiedatum"), _structure(params)):
        yield _extra_row(data, number, pupil)


def _subgroepen(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, None, _structure(params)):
        student, reg = pupil.student, pupil.registration
        p_inschr = int(get_ci(reg, "pInschr") or 0)
        for group in get_ci(reg, "inschrKlassen") or ():
            teachers = get_ci(group, "klassenleraars") or []
            titular = (f"{get_ci(teachers[0], 'naam')} {get_ci(teachers[0], 'voornaam')}"
                       if teachers else None)
            yield {
                "p_persoon": pupil.p_persoon,
                "Naam": get_ci(student, "naam"),
                "Voornaam": get_ci(student, "voornaam"),
                "school": get_ci(reg, "school"),
                "instelnr": get_ci(reg, "instelnr"),
                "vestcode": get_ci(reg, "vestCode"),
                "vestiging": get_ci(reg, "vestiging"),
                "klas": get_ci(group, "klas"),
                "begindatumKlas": dmy(wire_date(get_ci(group, "begindatum"))),
                "einddatumKlas": dmy(wire_date(get_ci(group, "einddatum"))),
                "groeptype": _s(get_ci(group, "groepType")),
                "klasnr": _s(get_ci(group, "klasnummer")),
                "klastitularis": titular,
                "Klascode": get_ci(group, "klasCode"),
                "status": _s(get_ci(reg, "status")),
                "PKlas": _s(get_ci(group, "pKlas")),
                "PInschrijving": str(p_inschr),
                "PAfdjaar": str(1000 + int(get_ci(reg, "leerjaar") or 0)),
                "PAfdeling": str(500 + len(str(get_ci(reg, "afdCode") or ""))),
                "PInschrKlas": _s(get_ci(group, "pInschrKlas")),
                "PIinschrklas": _s(get_ci(group, "pInschrKlas")),  # both spellings of the seed
            }


def _address_rows(pupil: Pupil) -> Iterator[Row]:
    student = pupil.student
    homes = [(a, True) for a in get_ci(student, "adressen") or ()]
    others = [(a, False) for a in get_ci(student, "overigeadressen") or ()]
    for address, domicile in homes + others:
        yield {
            "p_persoon": pupil.p_persoon,
            "Naam": get_ci(student, "naam"),
            "Voornaam": get_ci(student, "voornaam"),
            "nickname": get_ci(student, "nickname"),
            "straat": get_ci(address, "straat"),
            "nr": get_ci(address, "nr"),
            "dombus": get_ci(address, "bus"),
            "hfdpostnr": get_ci(address, "postcode"),
            "dlpostnr": "",
            "hfdgem": get_ci(address, "gemeente"),
            "dlgem": "",
            "land": "België",
            "aanspreeknaam": get_ci(address, "aanspreekNaam"),
            "aanspreektitel": get_ci(address, "aanspreekTitel"),
            "Percentage": _s(get_ci(address, "percentage")),
            "Domicilie": _ja(domicile),
            "Facturatie": _ja(get_ci(address, "isFacturatie")),
            "verblijf": _ja(get_ci(address, "isVerblijf")),
            "aanschrijf": _ja(get_ci(address, "isAanschrijf")),
            "overige": _ja(get_ci(address, "isOverige")),
            "p_adres": _s(get_ci(address, "pAdres")),
            "AdressenUuid": normalize_guid(str(get_ci(address, "adresId") or "")),
        }


def _adressen(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, None, _structure(params)):
        yield from _address_rows(pupil)


_EMAIL_COLUMNS = {"School": "school", "Vader": "Vader", "Moeder": "Moeder",
                  "Plusvader": "Stiefvader", "Plusmoeder": "Stiefmoeder",
                  "Grootmoeder": "Grootmoeder", "Grootvader": "Grootvader", "Voogd": "Begeleider"}
_ALL_EMAIL_COLUMNS = ("Privé", "school", "andere", "Instelling", "Domicilie", "Werk_vader",
                      "Werk_moeder", "Vader", "Moeder", "Eigen", "Ouders", "Grootmoeder",
                      "Grootvader", "Zus", "Broer", "Werk", "Stiefvader", "Stiefmoeder",
                      "Grootouders", "Begeleiding", "Begeleider", "Tante", "Oom", "Pleegvader",
                      "Pleegmoeder", "meemoeder", "Opmerking")


def _emailadressen(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, None, _structure(params)):
        row: Row = {"p_persoon": pupil.p_persoon}
        row.update(dict.fromkeys(_ALL_EMAIL_COLUMNS, ""))
        for item in get_ci(pupil.student, "emails") or ():
            column = _EMAIL_COLUMNS.get(str(get_ci(item, "type")), "andere")
            row[column] = _s(get_ci(item, "email"))
        for relation in get_ci(pupil.student, "relaties") or ():
            column = _EMAIL_COLUMNS.get(str(get_ci(relation, "type")), "andere")
            mail = _mail(get_ci(relation, "emails"))
            if mail:
                row[column] = mail
        yield row


_ACCOUNT_TYPES = {1: "Eigen", 2: "Ouders", 3: "Vader", 4: "Moeder", 6: "Voogd", 8: "Andere"}


def _rekeningnummers(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number):
        for account in get_ci(pupil.student, "bankrek") or ():
            yield {
                "PPersoon": pupil.p_persoon,
                "Iban": get_ci(account, "iban"),
                "BicCode": get_ci(account, "bic"),
                "Type": _ACCOUNT_TYPES.get(get_ci(account, "type"), "Andere"),
                "Opmerking": "",
            }


def _relation_times(data: LegacyData, number: str, pupil: Pupil) -> tuple[str | None, str | None]:
    changed = _changed(data, number, pupil.student_id)
    return dotnet(changed - dt.timedelta(days=400)), dotnet(changed)


def _comnummer_groups(data: LegacyData, number: str, pupils: list[Pupil]) -> Iterator[Group]:
    for pupil in pupils:
        added, changed = _relation_times(data, number, pupil)
        items: list[Row] = []
        for item in get_ci(pupil.student, "comnrs") or ():  # the pupil's own: no PRelatie
            items.append({
                "Soort": get_ci(item, "soort"),
                "Type": get_ci(item, "type"),
                "Nummer": get_ci(item, "nr"),
                "Opmerking": "",
                "Schoolcommunicatie": _truth(get_ci(item, "type") != "Noodnummer"),
                "Toegevoegd": added,
                "Gewijzigd": changed,
                "PRelatie": None,
                "NaamRelatie": None,
                "VoornaamRelatie": None,
            })
        for relation in get_ci(pupil.student, "relaties") or ():
            for item in get_ci(relation, "comnrs") or ():
                items.append({
                    "Soort": get_ci(item, "soort"),
                    "Type": get_ci(item, "type"),
                    "Nummer": get_ci(item, "nr"),
                    "Opmerking": "",
                    "Schoolcommunicatie": "true",
                    "Toegevoegd": added,
                    "Gewijzigd": changed,
                    "PRelatie": _s(get_ci(relation, "pRelatie")),
                    "NaamRelatie": get_ci(relation, "naam"),
                    "VoornaamRelatie": get_ci(relation, "voornaam"),
                })
        yield pupil.p_persoon, items


def _comnummers(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Group]:
    return _comnummer_groups(data, number, _changed_pupils(data, number, params))


def _lln_comnummers(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number):
        added, changed = _relation_times(data, number, pupil)
        for item in get_ci(pupil.student, "comnrs") or ():
            yield {
                "PPersoon": pupil.p_persoon,
                "PComnummer": _s(get_ci(item, "pComnr")),
                "Soort": get_ci(item, "soort"),
                "Type": get_ci(item, "type"),
                "Comnummer": get_ci(item, "nr"),
                "Opmerking": "",
                "Schoolcommunicatie": _bit(get_ci(item, "type") != "Noodnummer"),
                "Toegevoegd": added,
                "Gewijzigd": changed,
            }


def _relation_groups(data: LegacyData, number: str, pupils: list[Pupil]) -> Iterator[Group]:
    for pupil in pupils:
        added, changed = _relation_times(data, number, pupil)
        items: list[Row] = []
        for relation in get_ci(pupil.student, "relaties") or ():
            items.append({
                "PRelatie": _s(get_ci(relation, "pRelatie")),
                "Type": get_ci(relation, "type"),
                "Naam": get_ci(relation, "naam"),
                "Voornaam": get_ci(relation, "voornaam"),
                "Geslacht": get_ci(relation, "geslacht"),
                "Insz": get_ci(relation, "insz"),
                "Geboortedatum": dotnet(wire_date(get_ci(relation, "geboortedatum"))),
                "Overleden": _truth(get_ci(relation, "isOverleden")),
                "Beroep": get_ci(relation, "beroep"),
                "BurgerlijkeStaat": get_ci(relation, "burgerlijkeStand"),
                "Nationaliteit": get_ci(relation, "nationaliteitCode"),
                "Lpv": _s(get_ci(relation, "lpv") or None),
                "Opmerking": "",
                "Toegevoegd": added,
                "Gewijzigd": changed,
                "RelatieUuid": normalize_guid(str(get_ci(relation, "relatieId") or "")),
            })
        yield pupil.p_persoon, items


def _relaties(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Group]:
    return _relation_groups(data, number, _changed_pupils(data, number, params))


def _inschrijvingen(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    wanted = params.get("preRegistrationId", "").strip()
    key = None
    if wanted:
        key = normalize_guid(wanted)
        if key is None:
            raise LegacyFault("input", f"Ongeldige preRegistrationId '{wanted}'")
    for pupil in data.pupils(number, None, _structure(params), realized_only=False):
        reg = pupil.registration
        pre = get_ci(reg, "preRegistrationId")
        pre_key = normalize_guid(pre) if isinstance(pre, str) else None
        if key is not None and pre_key != key:
            continue
        yield {
            "PPersoon": pupil.p_persoon,
            "Status": _s(get_ci(reg, "status")),
            "Begindatum": dotnet(wire_date(get_ci(reg, "begindatum"))),
            "Einddatum": dotnet(wire_date(get_ci(reg, "einddatum"))),
            "Instelnr": get_ci(reg, "instelnr"),
            "School": get_ci(reg, "school"),
            "VestCode": get_ci(reg, "vestCode"),
            "Vestiging": get_ci(reg, "vestiging"),
            "AfdCode": get_ci(reg, "afdCode"),
            "Afdeling": get_ci(reg, "afdCode"),
            "Afdelingsjaar": get_ci(reg, "afdelingsjaar"),
            "NrAdmgr": get_ci(reg, "nrAdmgrp"),
            "Graad": _s(get_ci(reg, "graad")),
            "Leerjaar": _s(get_ci(reg, "leerjaar")),
            "Financierbaarheid": get_ci(reg, "finCode"),
            "Levensbeschouwing": get_ci(reg, "levensbeschouwingCode"),
            "CapaciteitNaam": "",
            "PreRegistrationId": pre_key,
        }


def _emailrelatie_groups(pupils: list[Pupil]) -> Iterator[Group]:
    for pupil in pupils:
        items: list[Row] = []
        for item in get_ci(pupil.student, "emails") or ():  # the pupil's own: no PRelatie
            items.append({
                "Adres": get_ci(item, "email"),
                "Type": get_ci(item, "type"),
                "PRelatie": None,
                "NaamRelatie": None,
                "VoornaamRelatie": None,
                "Opmerking": "",
                "Schoolcommunicatie": _truth(get_ci(item, "schoolcom")),
            })
        for relation in get_ci(pupil.student, "relaties") or ():
            for item in get_ci(relation, "emails") or ():
                items.append({
                    "Adres": get_ci(item, "email"),
                    "Type": get_ci(item, "type"),
                    "PRelatie": _s(get_ci(relation, "pRelatie")),
                    "NaamRelatie": get_ci(relation, "naam"),
                    "VoornaamRelatie": get_ci(relation, "voornaam"),
                    "Opmerking": "",
                    "Schoolcommunicatie": _truth(get_ci(item, "schoolcom")),
                })
        yield pupil.p_persoon, items


def _emailrelatie(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Group]:
    return _emailrelatie_groups(_changed_pupils(data, number, params, refdate=True))


def _adressenemail_rows(data: LegacyData, number: str, pupils: list[Pupil]) -> Iterator[Row]:
    for pupil in pupils:
        added, changed = _relation_times(data, number, pupil)
        for relation in get_ci(pupil.student, "relaties") or ():
            addresses = get_ci(relation, "adressen") or [{}]
            address = addresses[0]
            for item in get_ci(relation, "emails") or ():
                yield {  # the casing of Informat's help page (seed 001: Padres, Email...)
                    "PPersoon": pupil.p_persoon,
                    "PAdres": _s(get_ci(address, "pAdres")),
                    "AdressenUUID": normalize_guid(str(get_ci(address, "adresId") or "")),
                    "Facturatie": _bit(get_ci(address, "isFacturatie")),
                    "Percentage": _s(get_ci(address, "percentage")),
                    "EMail": get_ci(item, "email"),
                    "Schoolcom": _bit(get_ci(item, "schoolcom")),
                    "AdresToegevoegd": added,
                    "AdresGewijzigd": changed,
                    "EMailToegevoegd": added,
                    "EMailGewijzigd": changed,
                    "EmailType": get_ci(item, "type"),
                }


def _adressenemail(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    return _adressenemail_rows(data, number, data.pupils(number, None, _structure(params)))


# --------------------------------------------------------------------------------------
# boarders


def _boarders(data: LegacyData, number: str, params: Mapping[str, str]) -> list[Pupil]:
    pupils = data.pupils(number, _opt_date(params, "referentiedatum"))
    return [p for p in pupils if data.is_boarder(p.student_id)]


def _internaat_inschrijvingen(
    data: LegacyData, number: str, params: Mapping[str, str]
) -> Iterator[Row]:
    legacy = data.institute(number)
    school = legacy.boarding_school
    for pupil in _boarders(data, number, params):
        block, floor, room = legacy.rooms[pupil.student_id]
        yield {
            "PPersoon": pupil.p_persoon,
            "Begindatum": dmy(wire_date(get_ci(pupil.registration, "begindatum"))),
            "Einddatum": dmy(wire_date(get_ci(pupil.registration, "einddatum"))),
            "Internaat": school["naam"],
            "Straat": school["straat"],
            "Nr": school["nr"],
            "Bus": "",
            "HoofdPostnr": school["postnr"],
            "HoofdGemeente": school["gemeente"],
            "DeelPostnr": "",
            "DeelGemeente": "",
            "Financierbaarheid": "01",
            "Blok": block,
            "Verdiep": floor,
            "Kamer": room,
        }


# --------------------------------------------------------------------------------------
# Smartschool


def _smartschool(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    legacy = data.institute(number)
    discimus = params.get("discimusVestigingsnr", "").strip()
    for pupil in data.pupils(number, _opt_date(params, "referentiedatum")):
        location = str(get_ci(pupil.registration, "vestCode") or "")
        if discimus and legacy.discimus_numbers.get(location) != discimus:
            continue
        student = pupil.student
        first, second, third = legacy.smartschool_passwords[pupil.student_id]
        user = f"{get_ci(student, 'voornaam')}.{get_ci(student, 'naam')}".lower()
        yield {
            "PPersoon": pupil.p_persoon,
            "Naam": get_ci(student, "naam"),
            "Voornaam": get_ci(student, "voornaam"),
            "Geboortedatum": dotnet(wire_date(get_ci(student, "geboortedatum"))),
            "Insz": get_ci(student, "rijksregisternr") or get_ci(student, "bisnr"),
            "Gebruikersnaam": re.sub(r"[^a-z0-9.]", "", user),
            "Status": "1",
            "Wachtwoord1": first,
            "Wachtwoord2": second,
            "Wachtwoord3": third,
        }


# --------------------------------------------------------------------------------------
# staff


def _leerkrachten(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    legacy = data.institute(number)
    group = params.get("personeelsgroep_is_een_optie", "").strip().lower()
    for row in legacy.staff:
        if group and legacy.staff_groups[str(row["p_persoon"])].lower() != group:
            continue
        yield dict(row)


def _opdrachten(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    legacy = data.institute(number)
    day = _opt_date(params, "ReferentiedatumNPRE")
    nsu = params.get("Met_NSU_Uren", "").strip().lower() == "ja"
    absent: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for row in legacy.interruptions:
        begin = parse_dmy(str(row["Begindatum"])[:10], "Begindatum") if row["Begindatum"] else None
        end = parse_dmy(str(row["Einddatum"])[:10], "Einddatum") if row["Einddatum"] else None
        if begin and end:
            absent.setdefault(str(row["p_persoon"]), []).append((begin, end))
    for row in legacy.assignments + (legacy.nsu_assignments if nsu else []):
        out = dict(row)
        if day is not None:
            periods = absent.get(str(row["p_persoon"]), [])
            out["InNPRE"] = _bit(any(b <= day <= e for b, e in periods))
        yield out


def _nascholingen(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    first = _opt_date(params, "begindatum")
    last = _opt_date(params, "einddatum")
    for row in data.institute(number).trainings:
        begin = parse_dmy(str(row["Begindatum"]), "Begindatum")
        if (first and begin < first) or (last and begin > last):
            continue
        yield dict(row)


def _copy(attribute: str) -> Callable[[LegacyData, str, Mapping[str, str]], Iterator[Row]]:
    def build(data: LegacyData, number: str, params: Mapping[str, str]) -> Iterator[Row]:
        for row in getattr(data.institute(number), attribute):
            yield dict(row)

    return build


_BUILDERS: Mapping[str, Callable[[LegacyData, str, Mapping[str, str]], Iterator[Any]]] = {
    "Lln": _lln,
    "LlnExtra": _lln_extra,
    "Subgroepen": _subgroepen,
    "Adressen": _adressen,
    "Emailadressen": _emailadressen,
    "Rekeningnummers": _rekeningnummers,
    "ComnummersRelatie": _comnummers,
    "LlnComnummers": _lln_comnummers,
    "Relaties": _relaties,
    "Inschrijvingen": _inschrijvingen,
    "EmailRelatie": _emailrelatie,
    "AdressenEmail": _adressenemail,
    "Leerkrachten": _leerkrachten,
    "LeerkrachtenDienstonderbrekingen": _copy("interruptions"),
    "LeerkrachtenOpdrachten": _opdrachten,
    "LeerkrachtenVrijevelden": _copy("free_fields"),
    "LeerkrachtenNascholingen": _nascholingen,
    "LeerkrachtenBenoemingen": _copy("appointments"),
    "LeerkrachtenDiplomas": _copy("diplomas"),
    "Vervangingen": _copy("replacements"),
    "InternaatInschrijvingen": _internaat_inschrijvingen,
    "SmartschoolUsers": _smartschool,
}


# --------------------------------------------------------------------------------------
# generation of the legacy-only data


def _secret(rng: random.Random, length: int = 10) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choice(alphabet) for _ in range(length))


def _generate(source: InstituteData, seed: int) -> LegacyInstitute:
    rng = random.Random(f"{seed}:{source.number}:legacy")
    start, _ = _school_year_start(source.school_year)
    legacy = LegacyInstitute(number=source.number)
    structure = "311"
    teachers: dict[str, tuple[str, str]] = {}
    locations: list[str] = []
    for registration in source.registrations.values():
        structure = str(get_ci(registration, "hfdstructuur") or structure)
        location = str(get_ci(registration, "vestCode") or "")
        if location and location not in locations:
            locations.append(location)
        for group in get_ci(registration, "inschrKlassen") or ():
            for teacher in get_ci(group, "klassenleraars") or ():
                key = normalize_guid(str(get_ci(teacher, "persoonId") or "")) or ""
                teachers.setdefault(key, (str(get_ci(teacher, "naam")),
                                          str(get_ci(teacher, "voornaam"))))
    people = [(last, first, "Leerkrachten") for last, first in teachers.values()]
    for group in ("Directie", "Secretariaat", "Onderhoud"):
        male = rng.random() < 0.5
        people.append((rng.choice(_vocab.LAST_NAMES),
                       rng.choice(_vocab.BOYS if male else _vocab.GIRLS), group))
    legacy.discimus_numbers = {loc: f"{rng.randrange(10000, 99999)}" for loc in locations}
    domain = re.sub(r"[^a-z]", "", (source.name or "school").lower())[:14] + ".be"
    next_person = rng.randrange(600_000, 700_000)
    next_assignment = rng.randrange(800_000, 900_000)
    next_interruption = rng.randrange(40_000, 50_000)
    next_training = rng.randrange(10_000, 20_000)
    stamnummers: dict[str, tuple[str, str]] = {}
    for last, first, group in people:
        next_person += rng.randrange(1, 40)
        person = str(next_person)
        male = first in _vocab.BOYS
        born = dt.date(rng.randrange(1960, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
        stamnummer = f"{rng.randrange(10**10, 10**11)}"
        place = rng.choice(_vocab.PLACES)
        mail = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
        legacy.staff_groups[person] = group
        stamnummers[person] = (stamnummer, f"{last} {first}")
        legacy.staff.append({
            "p_persoon": person,
            "Perssortname": f"{last.upper()} {first}",
            "Stamnummer": stamnummer,
            "Naam": last,
            "Voornaam": first,
            "Geboortedatum": dmy(born),
            "Geboorteplaats": place[1].title(),
            "Geslacht": "1" if male else "2",
            "Rijksregnr": make_insz(born, rng.randrange(1, 499) * 2 - (1 if male else 0)),
            "Diploma": "Master" if group == "Leerkrachten" else rng.choice(("Bachelor", "")),
            "Schooljaar": source.school_year,
            "Instelnr": source.number,
            "Thuistelefoon": None if rng.random() < 0.6 else f"0{rng.randrange(10, 90)} "
                                                               f"{rng.randrange(100000, 999999)}",
            "Gsm": f"04{rng.randrange(70, 100)} {rng.randrange(100000, 999999)}",
            "Prive_email": f"{mail}@telenet.be" if rng.random() < 0.7 else "",
            "School_email": f"{mail}@{domain}",
            "Opmerking": "",
            "Actief": "Ja",
            "Gebruikersnaam": mail,
            "Wachtwoord": _secret(rng),
            "GebruikersnaamAd": mail[:20],
            "WachtwoordAd": _secret(rng, 14),
            "Straat": rng.choice(_vocab.STREETS),
            "Nr": str(rng.randrange(1, 200)),
            "Nralfa": "",
            "Bus": "",
            "Dlpostnr": place[0],
            "Dlgem": place[1],
            "Landcode": "B",
            "Adres": None,
            "Iban": make_iban(rng.choice(_vocab.BIC_BY_BANK)[0], rng.randrange(10_000_000)),
            "Bic": rng.choice(_vocab.BIC_BY_BANK)[1],
        })
        legacy.staff[-1]["Adres"] = (
            f"{legacy.staff[-1]['Straat']} {legacy.staff[-1]['Nr']}, {place[0]} {place[1]}"
        )
        for label, value, kind in (("Kluisnummer", f"K{rng.randrange(1, 300)}", "Tekst"),
                                   ("Fietsvergoeding", rng.choice(("Ja", "Nee")), "Ja/Nee")):
            legacy.free_fields.append({
                "pPersoon": person, "Personeelslid": f"{last} {first}",
                "Stamnummer": stamnummer, "OmschrijvingVrijVeld": label,
                "WaardeVrijVeld": value, "Datatype": kind, "Rubriek": "Algemeen",
            })
        legacy.diplomas.append({
            "PPersoon": person, "Personeelslid": f"{last} {first}", "Stamnummer": stamnummer,
            "PDiploma": str(rng.randrange(1000, 9999)),
            "UitgereiktDoor": rng.choice(("KU Leuven", "UGent", "Hogeschool Gent", "Vives")),
            "Taal": "Nederlands", "OpDatum": dmy(dt.date(born.year + 22, 6, 30)),
            "OmschrijvingDiploma": rng.choice(("Master in de wiskunde", "Bachelor onderwijs",
                                               "Master in de taal- en letterkunde")),
            "IsHoofddiploma": "Ja", "IsBekwaamheidsbewijs": rng.choice(("Ja", "Nee")),
        })
        if group != "Leerkrachten":
            continue
        code, subject = rng.choice(_SUBJECTS)
        hours = rng.choice(("22", "11", "20", "6"))
        status = rng.choice(("VB", "TADD", "TIJD"))
        next_assignment += rng.randrange(1, 30)
        legacy.assignments.append(_assignment(
            source, structure, person, f"{last} {first}", stamnummer, next_assignment, code,
            subject, hours, status, start, rng,
        ))
        if rng.random() < 0.35:
            next_assignment += rng.randrange(1, 30)
            nsu = _assignment(source, structure, person, f"{last} {first}", stamnummer,
                              next_assignment, code, subject, "2", status, start, rng)
            nsu["Opdrachttype"] = "NSU"
            legacy.nsu_assignments.append(nsu)
        if status == "VB":
            legacy.appointments.append({
                "PPersoon": person, "Personeelslid": f"{last} {first}",
                "Stamnummer": stamnummer, "Instelnr": source.number,
                "Hoofdstructuur": structure, "PBenoeming": str(rng.randrange(1000, 9999)),
                "Ambtcode": "00502", "Ambtomschrijving": "Leraar SO", "Vakcode": code,
                "Vakomschrijving": subject, "Gelijkvakcode": code,
                "Gelijkvakomschrijving": subject,
                "Ingangsdatum": dmy(dt.date(start - rng.randrange(1, 15), 9, 1)),
                "Einddatum": None, "Teller": hours, "Noemer": "22",
                "Bekwaamheidsbewijs": "VB", "Graad": str(rng.randrange(1, 4)),
                "Onderwijsvorm": "ASO", "Opleidingsvorm": "",
            })
        for _ in range(rng.choice((0, 1, 1, 2))):
            next_training += rng.randrange(1, 20)
            begin = dt.date(start, 9, 1) + dt.timedelta(days=rng.randrange(0, 280))
            legacy.trainings.append({
                "Instelnr": source.number, "pPersoon": person,
                "Personeelslid": f"{last} {first}", "Stamnummer": stamnummer,
                "pNascholing": str(next_training), "Vak": subject,
                "Onderwerp": rng.choice(("Differentiëren", "ICT in de klas", "EHBO",
                                         "Evalueren", "Taalbeleid")),
                "Va": "", "Iu": "", "Type": rng.choice(("Intern", "Extern")), "Opmerking": "",
                "Plaats": rng.choice(_vocab.PLACES)[1].title(),
                "Organisatie": rng.choice(("Pedagogische begeleidingsdienst", "CVO", "VIVES")),
                "Aantalhalvedagen": str(rng.randrange(1, 5)),
                "Kostprijs": f"{rng.randrange(0, 400)}.{rng.randrange(0, 100):02d}",
                "Vervoerskosten": f"{rng.randrange(0, 60)}.50",
                "Prioriteit": rng.choice(("Hoog", "Normaal")),
                "Begindatum": dmy(begin), "Einddatum": dmy(begin + dt.timedelta(days=1)),
                "BeginuurVm": "09:00", "EinduurVm": "12:00", "BeginuurNm": "13:00",
                "EinduurNm": "16:00", "Sessienaam": "", "Categorie": "Nascholing",
                "Functie": "Leraar", "Opleidingscheques": "Nee",
                "BedragOpleidingscheques": "0", "Attest": rng.choice(("Ja", "Nee")),
                "Evaluatie": "", "BesprekingVakgroep": "", "Verworven": "", "Praktijk": "",
                "KorteVervanging": "Nee", "Vervanging": "",
            })
    teachers_rows = list(legacy.assignments)
    for assignment in teachers_rows:
        if rng.random() > 0.3:
            continue
        person = str(assignment["p_persoon"])
        staff_row = next(r for r in legacy.staff if r["p_persoon"] == person)
        begin = dt.date(start, 10, 1) + dt.timedelta(days=rng.randrange(0, 150))
        end = begin + dt.timedelta(days=rng.randrange(3, 40))
        next_interruption += rng.randrange(1, 20)
        legacy.interruptions.append({
            "p_persoon": person, "Instelnr": source.number, "Hfd": structure,
            "Naam": staff_row["Naam"], "Voornaam": staff_row["Voornaam"],
            "Begindatum": dmy(begin), "Einddatum": dmy(end), "Code": "101", "RL": "2",
            "Omschrijving": "Ziekte", "VermoedBeval": None, "EffBeval": None,
            "DagMiskraam": None, "DatumMiskraam": None, "DatumArbeidsongeval": None,
            "Staking": "Nee", "Opdrachtgever": "", "Verstuurd": "Ja", "Opmerking": "",
            "POnderbr": str(next_interruption),
        })
        others = [a for a in teachers_rows if a["p_persoon"] != person]
        if not others:
            continue
        substitute = rng.choice(others)
        next_assignment += rng.randrange(1, 30)
        cover = dict(substitute)
        cover.update({
            "POpdr": str(next_assignment), "Begindatum": dmy(begin), "Einddatum": dmy(end),
            "Titularisnaam": staff_row["Naam"], "Titularisvoornaam": staff_row["Voornaam"],
            "Opdrachttype": "Vervanging", "Vakcode": assignment["Vakcode"],
            "Vakomschrijving": assignment["Vakomschrijving"],
            "Prestatieuren": assignment["Prestatieuren"],
        })
        legacy.assignments.append(cover)
        legacy.replacements.append({
            "POpdrachtTitularis": assignment["POpdr"], "POpdrachtVervanger": cover["POpdr"],
            "POnderbr": str(next_interruption),
        })
    postcode, town = rng.choice(_vocab.PLACES)
    legacy.boarding_school = {
        "naam": f"Internaat {source.name or source.number}",
        "straat": rng.choice(_vocab.STREETS), "nr": str(rng.randrange(1, 150)),
        "postnr": postcode, "gemeente": town,
    }
    for student_id in source.students:
        legacy.rooms[student_id] = (rng.choice("ABC"), str(rng.randrange(0, 4)),
                                    str(rng.randrange(1, 40)))
        legacy.smartschool_passwords[student_id] = (_secret(rng), _secret(rng), _secret(rng))
    return legacy


def _school_year_start(school_year: str) -> tuple[int, int]:
    parsed = parse_school_year(school_year)
    if parsed is None:  # pragma: no cover - FakeData checked it
        raise ValueError(school_year)
    return parsed


def _assignment(
    source: InstituteData, structure: str, person: str, name: str, stamnummer: str,
    p_opdr: int, code: str, subject: str, hours: str, status: str, start: int,
    rng: random.Random,
) -> Row:
    return {
        "Instelnr": source.number, "Hfd": structure, "p_persoon": person,
        "Personeelslid": name, "Stamnummer": stamnummer, "Prestatieuren": hours,
        "Breuk": "22", "Tbsob": "0", "AfstandWachtgeld": "0",
        "Begindatum": dmy(dt.date(start, 9, 1)),
        "Einddatum": None if status == "VB" else dmy(dt.date(start + 1, 6, 30)),
        "ATO": "", "RW": status, "Bekw": rng.choice(("VB", "AB", "OB")),
        "Graad": str(rng.randrange(1, 4)), "Leerjaar": str(rng.randrange(1, 3)),
        "Vorm": "ASO", "Ambtcode": "00502", "Ambtomschrijving": "Leraar SO",
        "Vakcode": code, "Vakomschrijving": subject, "Vakrubriek": "AV",
        "Gelijkvakcode": code, "Gelijkvakomschrijving": subject, "Gelijkvakrubriek": "AV",
        "Ambtvak": str(rng.randrange(100, 999)), "Tadd": _ja(status == "TADD"), "Tao": "",
        "Omkadering": "Lestijden", "CodeOmkadering": "LT", "Opleidingsvorm": "1",
        "Titularisnaam": None, "Titularisvoornaam": None, "CodeBarema": "501",
        "OmschrijvingBarema": "Master", "PuntenBarema": "",
        "WeddeAncJaren": str(rng.randrange(0, 30)), "WeddeAncMaanden": str(rng.randrange(12)),
        "WeddeAncdagen": str(rng.randrange(30)), "WeddeAncdatum": dmy(dt.date(start, 9, 1)),
        "Lesgroep": "", "Opmerking": "", "CodeVwoStudiegebied": None,
        "OmschrVwoStudiegebied": None, "CodeVwoModule": None, "OmschrVwoModle": None,
        "InNPRE": None, "Vacature": "0", "Stagevak": "0", "UrenVanSg": "0",
        "UrenVanSchool": hours, "Opdrachttype": "Gewoon", "POpdr": str(p_opdr),
    }
