"""Pupil lists of the fake older webservices: ``Lln``, ``LlnExtra``, ``Subgroepen``,
``Adressen``, ``Emailadressen``, ``Rekeningnummers`` and ``Inschrijvingen``.

Each is derived at request time from the REST ground truth of the pupils
(:meth:`~._legacy_source.LegacySource.pupils`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._legacy_source import Builder, LegacySource, Pupil
from ._legacy_values import (
    LegacyFault,
    Row,
    dmy,
    dotnet,
    ja,
    opt_date,
    opt_str,
    opt_str_of,
    structure_param,
)
from ._util import get_ci, normalize_guid, wire_date


def _lln(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, opt_date(params, "referentiedatum"), structure_param(params)):
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
            "naamMa": opt_str_of(mother, "naam"),
            "voornaamMa": opt_str_of(mother, "voornaam"),
            "OverledenMa": ja(get_ci(mother, "isOverleden")) if mother else None,
            "naamPa": opt_str_of(father, "naam"),
            "voornaamPa": opt_str_of(father, "voornaam"),
            "overledenPa": ja(get_ci(father, "isOverleden")) if father else None,
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
            "klasnr": opt_str(get_ci(main, "klasnummer")),
            "nr_admgr": get_ci(reg, "nrAdmgrp"),
            "graad": opt_str(get_ci(reg, "graad")),
            "leerjaar": opt_str(get_ci(reg, "leerjaar")),
            "voorlopig": "Nee",
            "fietsnummer": get_ci(student, "fietsnummer"),
            "klascode": get_ci(main, "klasCode"),
            "klasnaam": get_ci(main, "klas"),
            "Financierbaarheid": get_ci(reg, "finCode"),
            "Levensbeschouwing": get_ci(reg, "levensbeschouwingCode"),
            "PInschrijving": opt_str(get_ci(reg, "pInschr")),
        }


def _phone(items: Any, kind: str) -> str | None:
    for item in items or ():
        if get_ci(item, "type") == kind:
            return opt_str(get_ci(item, "nr"))
    return None


def _mail(items: Any, kind: str | None = None) -> str | None:
    for item in items or ():
        if kind is None or get_ci(item, "type") == kind:
            return opt_str(get_ci(item, "email"))
    return None


def _extra_row(data: LegacySource, number: str, pupil: Pupil) -> Row:
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
        row[f"Voornaam{title}"] = opt_str_of(relation, "voornaam")
        row[f"Naam{title}"] = opt_str_of(relation, "naam")
        row[f"Beroep{title}"] = opt_str_of(relation, "beroep")
        row[f"Diploma{title}"] = "" if relation else None
        row[f"Opmerking{title}"] = "" if relation else None
        row[f"BurgerlijkeStaat{title}"] = opt_str_of(relation, "burgerlijkeStand")
        row[f"Nationaliteit{title}"] = opt_str_of(relation, "nationaliteitCode")
        row[f"{title}Overleden"] = ja(get_ci(relation, "isOverleden")) if relation else None
        row[f"Geboortedatum{title}"] = (
            dmy(wire_date(get_ci(relation, "geboortedatum"))) if relation else None
        )
        row[f"Email{title}"] = _mail(get_ci(relation, "emails")) if relation else None
    return row


def _lln_extra(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, opt_date(params, "referentiedatum"), structure_param(params)):
        yield _extra_row(data, number, pupil)


def _subgroepen(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, None, structure_param(params)):
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
                "groeptype": opt_str(get_ci(group, "groepType")),
                "klasnr": opt_str(get_ci(group, "klasnummer")),
                "klastitularis": titular,
                "Klascode": get_ci(group, "klasCode"),
                "status": opt_str(get_ci(reg, "status")),
                "PKlas": opt_str(get_ci(group, "pKlas")),
                "PInschrijving": str(p_inschr),
                "PAfdjaar": str(1000 + int(get_ci(reg, "leerjaar") or 0)),
                "PAfdeling": str(500 + len(str(get_ci(reg, "afdCode") or ""))),
                "PInschrKlas": opt_str(get_ci(group, "pInschrKlas")),
                "PIinschrklas": opt_str(get_ci(group, "pInschrKlas")),  # both spellings of the seed
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
            "Percentage": opt_str(get_ci(address, "percentage")),
            "Domicilie": ja(domicile),
            "Facturatie": ja(get_ci(address, "isFacturatie")),
            "verblijf": ja(get_ci(address, "isVerblijf")),
            "aanschrijf": ja(get_ci(address, "isAanschrijf")),
            "overige": ja(get_ci(address, "isOverige")),
            "p_adres": opt_str(get_ci(address, "pAdres")),
            "AdressenUuid": normalize_guid(str(get_ci(address, "adresId") or "")),
        }


def _adressen(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, None, structure_param(params)):
        yield from _address_rows(pupil)


_EMAIL_COLUMNS = {"School": "school", "Vader": "Vader", "Moeder": "Moeder",
                  "Plusvader": "Stiefvader", "Plusmoeder": "Stiefmoeder",
                  "Grootmoeder": "Grootmoeder", "Grootvader": "Grootvader", "Voogd": "Begeleider"}
_ALL_EMAIL_COLUMNS = ("Privé", "school", "andere", "Instelling", "Domicilie", "Werk_vader",
                      "Werk_moeder", "Vader", "Moeder", "Eigen", "Ouders", "Grootmoeder",
                      "Grootvader", "Zus", "Broer", "Werk", "Stiefvader", "Stiefmoeder",
                      "Grootouders", "Begeleiding", "Begeleider", "Tante", "Oom", "Pleegvader",
                      "Pleegmoeder", "meemoeder", "Opmerking")


def _emailadressen(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number, None, structure_param(params)):
        row: Row = {"p_persoon": pupil.p_persoon}
        row.update(dict.fromkeys(_ALL_EMAIL_COLUMNS, ""))
        for item in get_ci(pupil.student, "emails") or ():
            column = _EMAIL_COLUMNS.get(str(get_ci(item, "type")), "andere")
            row[column] = opt_str(get_ci(item, "email"))
        for relation in get_ci(pupil.student, "relaties") or ():
            column = _EMAIL_COLUMNS.get(str(get_ci(relation, "type")), "andere")
            mail = _mail(get_ci(relation, "emails"))
            if mail:
                row[column] = mail
        yield row


_ACCOUNT_TYPES = {1: "Eigen", 2: "Ouders", 3: "Vader", 4: "Moeder", 6: "Voogd", 8: "Andere"}


def _rekeningnummers(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number):
        for account in get_ci(pupil.student, "bankrek") or ():
            yield {
                "PPersoon": pupil.p_persoon,
                "Iban": get_ci(account, "iban"),
                "BicCode": get_ci(account, "bic"),
                "Type": _ACCOUNT_TYPES.get(get_ci(account, "type"), "Andere"),
                "Opmerking": "",
            }


def _inschrijvingen(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    wanted = params.get("preRegistrationId", "").strip()
    key = None
    if wanted:
        key = normalize_guid(wanted)
        if key is None:
            raise LegacyFault("input", f"Ongeldige preRegistrationId '{wanted}'")
    for pupil in data.pupils(number, None, structure_param(params), realized_only=False):
        reg = pupil.registration
        pre = get_ci(reg, "preRegistrationId")
        pre_key = normalize_guid(pre) if isinstance(pre, str) else None
        if key is not None and pre_key != key:
            continue
        yield {
            "PPersoon": pupil.p_persoon,
            "Status": opt_str(get_ci(reg, "status")),
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
            "Graad": opt_str(get_ci(reg, "graad")),
            "Leerjaar": opt_str(get_ci(reg, "leerjaar")),
            "Financierbaarheid": get_ci(reg, "finCode"),
            "Levensbeschouwing": get_ci(reg, "levensbeschouwingCode"),
            "CapaciteitNaam": "",
            "PreRegistrationId": pre_key,
        }


BUILDERS: Mapping[str, Builder] = {
    "Lln": _lln,
    "LlnExtra": _lln_extra,
    "Subgroepen": _subgroepen,
    "Adressen": _adressen,
    "Emailadressen": _emailadressen,
    "Rekeningnummers": _rekeningnummers,
    "Inschrijvingen": _inschrijvingen,
}
