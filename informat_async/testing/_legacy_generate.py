"""Generation of the legacy-only data of one institute: staff, boarding school, Smartschool.

:func:`generate_legacy` derives a :class:`LegacyInstitute` from the REST data of the
institute (its class teachers become staff) and ``random.Random(f"{seed}:{number}:legacy")``
only: staff with assignments, interruptions and their replacements, free fields, trainings,
appointments and diplomas; the boarding school and each pupil's room; initial Smartschool
passwords.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import string

from . import _vocab
from ._data_numbers import make_iban, make_insz
from ._data_store import InstituteData
from ._legacy_values import Row, dmy, ja
from ._util import get_ci, normalize_guid, parse_school_year

_SUBJECTS = (("WIS", "Wiskunde"), ("NED", "Nederlands"), ("FRA", "Frans"), ("ENG", "Engels"),
             ("GES", "Geschiedenis"), ("AAR", "Aardrijkskunde"), ("LO", "Lichamelijke opvoeding"),
             ("FYS", "Fysica"), ("BIO", "Biologie"), ("INF", "Informatica"))


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


def _secret(rng: random.Random, length: int = 10) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choice(alphabet) for _ in range(length))


def generate_legacy(source: InstituteData, seed: int) -> LegacyInstitute:
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
        "Ambtvak": str(rng.randrange(100, 999)), "Tadd": ja(status == "TADD"), "Tao": "",
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
