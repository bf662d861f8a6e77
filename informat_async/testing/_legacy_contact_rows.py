"""Contact lists of the fake older webservices: ``Relaties``, ``ComnummersRelatie``,
``EmailRelatie`` (grouped per pupil), ``LlnComnummers`` and ``AdressenEmail``.

The change times are the pupil's (``gewijzigdSinds`` filters on them); a relation was
added 400 days before its pupil last changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from ._legacy_source import Builder, LegacySource, Pupil
from ._legacy_values import (
    Group,
    Row,
    bit,
    dotnet,
    opt_date,
    opt_str,
    since_param,
    structure_param,
    truth,
)
from ._util import get_ci, normalize_guid, wire_date


def _changed(data: LegacySource, number: str, student_id: str) -> dt.datetime:
    return data.data.institutes[data.resolve(number)[0]].student_changed[student_id]


def _changed_pupils(data: LegacySource, number: str, params: Mapping[str, str],
                    refdate: bool = False) -> list[Pupil]:
    since = since_param(params)
    day = opt_date(params, "referentiedatum") if refdate else None
    return [p for p in data.pupils(number, day, structure_param(params))
            if since is None or _changed(data, number, p.student_id) >= since]


def _relation_times(data: LegacySource, number: str, pupil: Pupil) -> tuple[str | None, str | None]:
    changed = _changed(data, number, pupil.student_id)
    return dotnet(changed - dt.timedelta(days=400)), dotnet(changed)


def _comnummer_groups(data: LegacySource, number: str, pupils: list[Pupil]) -> Iterator[Group]:
    for pupil in pupils:
        added, changed = _relation_times(data, number, pupil)
        items: list[Row] = []
        for item in get_ci(pupil.student, "comnrs") or ():  # the pupil's own: no PRelatie
            items.append({
                "Soort": get_ci(item, "soort"),
                "Type": get_ci(item, "type"),
                "Nummer": get_ci(item, "nr"),
                "Opmerking": "",
                "Schoolcommunicatie": truth(get_ci(item, "type") != "Noodnummer"),
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
                    "PRelatie": opt_str(get_ci(relation, "pRelatie")),
                    "NaamRelatie": get_ci(relation, "naam"),
                    "VoornaamRelatie": get_ci(relation, "voornaam"),
                })
        yield pupil.p_persoon, items


def _comnummers(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Group]:
    return _comnummer_groups(data, number, _changed_pupils(data, number, params))


def _lln_comnummers(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    for pupil in data.pupils(number):
        added, changed = _relation_times(data, number, pupil)
        for item in get_ci(pupil.student, "comnrs") or ():
            yield {
                "PPersoon": pupil.p_persoon,
                "PComnummer": opt_str(get_ci(item, "pComnr")),
                "Soort": get_ci(item, "soort"),
                "Type": get_ci(item, "type"),
                "Comnummer": get_ci(item, "nr"),
                "Opmerking": "",
                "Schoolcommunicatie": bit(get_ci(item, "type") != "Noodnummer"),
                "Toegevoegd": added,
                "Gewijzigd": changed,
            }


def _relation_groups(data: LegacySource, number: str, pupils: list[Pupil]) -> Iterator[Group]:
    for pupil in pupils:
        added, changed = _relation_times(data, number, pupil)
        items: list[Row] = []
        for relation in get_ci(pupil.student, "relaties") or ():
            items.append({
                "PRelatie": opt_str(get_ci(relation, "pRelatie")),
                "Type": get_ci(relation, "type"),
                "Naam": get_ci(relation, "naam"),
                "Voornaam": get_ci(relation, "voornaam"),
                "Geslacht": get_ci(relation, "geslacht"),
                "Insz": get_ci(relation, "insz"),
                "Geboortedatum": dotnet(wire_date(get_ci(relation, "geboortedatum"))),
                "Overleden": truth(get_ci(relation, "isOverleden")),
                "Beroep": get_ci(relation, "beroep"),
                "BurgerlijkeStaat": get_ci(relation, "burgerlijkeStand"),
                "Nationaliteit": get_ci(relation, "nationaliteitCode"),
                "Lpv": opt_str(get_ci(relation, "lpv") or None),
                "Opmerking": "",
                "Toegevoegd": added,
                "Gewijzigd": changed,
                "RelatieUuid": normalize_guid(str(get_ci(relation, "relatieId") or "")),
            })
        yield pupil.p_persoon, items


def _relaties(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Group]:
    return _relation_groups(data, number, _changed_pupils(data, number, params))


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
                "Schoolcommunicatie": truth(get_ci(item, "schoolcom")),
            })
        for relation in get_ci(pupil.student, "relaties") or ():
            for item in get_ci(relation, "emails") or ():
                items.append({
                    "Adres": get_ci(item, "email"),
                    "Type": get_ci(item, "type"),
                    "PRelatie": opt_str(get_ci(relation, "pRelatie")),
                    "NaamRelatie": get_ci(relation, "naam"),
                    "VoornaamRelatie": get_ci(relation, "voornaam"),
                    "Opmerking": "",
                    "Schoolcommunicatie": truth(get_ci(item, "schoolcom")),
                })
        yield pupil.p_persoon, items


def _emailrelatie(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Group]:
    return _emailrelatie_groups(_changed_pupils(data, number, params, refdate=True))


def _adressenemail_rows(data: LegacySource, number: str, pupils: list[Pupil]) -> Iterator[Row]:
    for pupil in pupils:
        added, changed = _relation_times(data, number, pupil)
        for relation in get_ci(pupil.student, "relaties") or ():
            addresses = get_ci(relation, "adressen") or [{}]
            address = addresses[0]
            for item in get_ci(relation, "emails") or ():
                yield {  # the casing of Informat's help page (seed 001: Padres, Email...)
                    "PPersoon": pupil.p_persoon,
                    "PAdres": opt_str(get_ci(address, "pAdres")),
                    "AdressenUUID": normalize_guid(str(get_ci(address, "adresId") or "")),
                    "Facturatie": bit(get_ci(address, "isFacturatie")),
                    "Percentage": opt_str(get_ci(address, "percentage")),
                    "EMail": get_ci(item, "email"),
                    "Schoolcom": bit(get_ci(item, "schoolcom")),
                    "AdresToegevoegd": added,
                    "AdresGewijzigd": changed,
                    "EMailToegevoegd": added,
                    "EMailGewijzigd": changed,
                    "EmailType": get_ci(item, "type"),
                }


def _adressenemail(data: LegacySource, number: str, params: Mapping[str, str]) -> Iterator[Row]:
    return _adressenemail_rows(data, number, data.pupils(number, None, structure_param(params)))


BUILDERS: Mapping[str, Builder] = {
    "Relaties": _relaties,
    "ComnummersRelatie": _comnummers,
    "EmailRelatie": _emailrelatie,
    "LlnComnummers": _lln_comnummers,
    "AdressenEmail": _adressenemail,
}
