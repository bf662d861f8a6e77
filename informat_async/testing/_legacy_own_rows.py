"""Lists of the legacy-only data: boarders (``InternaatInschrijvingen``), Smartschool users
and the staff lists (``Leerkrachten...``, ``Vervangingen``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping

from ._legacy_source import Builder, LegacySource, Pupil
from ._legacy_values import Row, bit, dmy, dotnet, opt_date, parse_dmy
from ._util import get_ci, wire_date

# --------------------------------------------------------------------------------------
# boarders


def _boarders(data: LegacySource, number: str, params: Mapping[str, str]) -> list[Pupil]:
    pupils = data.pupils(number, opt_date(params, "referentiedatum"))
    return [p for p in pupils if data.is_boarder(p.student_id)]


def _internaat_inschrijvingen(
    data: LegacySource, number: str, params: Mapping[str, str]
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


def _smartschool(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    legacy = data.institute(number)
    discimus = params.get("discimusVestigingsnr", "").strip()
    for pupil in data.pupils(number, opt_date(params, "referentiedatum")):
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


def _leerkrachten(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    legacy = data.institute(number)
    group = params.get("personeelsgroep_is_een_optie", "").strip().lower()
    for row in legacy.staff:
        if group and legacy.staff_groups[str(row["p_persoon"])].lower() != group:
            continue
        yield dict(row)


def _opdrachten(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    legacy = data.institute(number)
    day = opt_date(params, "ReferentiedatumNPRE")
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
            out["InNPRE"] = bit(any(b <= day <= e for b, e in periods))
        yield out


def _nascholingen(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    first = opt_date(params, "begindatum")
    last = opt_date(params, "einddatum")
    for row in data.institute(number).trainings:
        begin = parse_dmy(str(row["Begindatum"]), "Begindatum")
        if (first and begin < first) or (last and begin > last):
            continue
        yield dict(row)


def _copy(attribute: str) -> Callable[[LegacySource, str, Mapping[str, str]], Iterator[Row]]:
    def build(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
        for row in getattr(data.institute(number), attribute):
            yield dict(row)

    return build


BUILDERS: Mapping[str, Builder] = {
    "InternaatInschrijvingen": _internaat_inschrijvingen,
    "SmartschoolUsers": _smartschool,
    "Leerkrachten": _leerkrachten,
    "LeerkrachtenDienstonderbrekingen": _copy("interruptions"),
    "LeerkrachtenOpdrachten": _opdrachten,
    "LeerkrachtenVrijevelden": _copy("free_fields"),
    "LeerkrachtenNascholingen": _nascholingen,
    "LeerkrachtenBenoemingen": _copy("appointments"),
    "LeerkrachtenDiplomas": _copy("diplomas"),
    "Vervangingen": _copy("replacements"),
}
