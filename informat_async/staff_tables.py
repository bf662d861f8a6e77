"""Staff records as flat tables, with the columns and keys of the SQLite store.

The personnel API's counterpart of :mod:`informat_async.tables`: an employee is a tree
(addresses, phone numbers, e-mail addresses, children, a partner, staff groups), an
assignment holds its replacements. Every table is keyed on the institute, the school year
the list was fetched for (the service filters staff by school year and derives fields such
as ``is_active`` from it) and the personnel GUIDs (``person_id``, ``assignment_id``,
``do_id``), or a position where Informat gives no id. Values follow :mod:`.tables`: text,
integers (booleans 0/1), dates as ``yyyy-mm-dd``, GUIDs lower-case, codes as their value;
an own field's ``waarde`` is its JSON text, so its type survives. National register and
bis numbers and IBANs are blank unless ``include_sensitive=True``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from . import models
from .tables import Column, Kind, Row, Table, _b, _d, _e, _u

__all__ = ["STAFF_RESOURCE_TABLES", "STAFF_TABLES", "staff_tables"]


def _t(name: str, spec: str, key: str, **kinds: Kind) -> Table:
    columns = tuple(Column(w.rstrip("!"), kinds.get(w.rstrip("!"), "text"),
                           sensitive=w.endswith("!")) for w in spec.split())
    return Table(name, columns, tuple(key.split()))


_BASE = "institute school_year "
_PERSON = _BASE + "person_id "

#: Every staff table, by name.
STAFF_TABLES: Mapping[str, Table] = {t.name: t for t in (
    _t("employees",
       _PERSON + "p_persoon persona_id naam voornaam bijkomende_voornamen stamnr sort_name "
       "nick_name geslacht initialen geboortedatum geboorteplaats geboorteland_code "
       "nationaliteit_code rijksregisternr! bisnr! iban! bic hoofd_ambt_code hoofd_ambt_naam "
       "eerste_dienst_school eerste_dienst_scholengroep eerste_dienst_scholengemeenschap "
       "is_active effectief_in_dienst pensioendatum is_mindervalide is_overleden "
       "datum_overleden burg_stand aantal_kinderen",
       _PERSON, p_persoon="int", geboortedatum="date", eerste_dienst_school="date",
       eerste_dienst_scholengroep="date", eerste_dienst_scholengemeenschap="date",
       is_active="bool", pensioendatum="date", is_mindervalide="bool", is_overleden="bool",
       datum_overleden="date", burg_stand="int", aantal_kinderen="int"),
    _t("employee_addresses",
       _PERSON + "position id p_adres aanspreek_titel aanspreek_naam straat nummer bus "
       "postcode gemeente land_code is_domicilie is_verblijf",
       _PERSON + "position", position="int", p_adres="int", is_domicilie="bool",
       is_verblijf="bool"),
    _t("employee_comnrs", _PERSON + "position id type soort nr", _PERSON + "position",
       position="int"),
    _t("employee_emails", _PERSON + "position id p_email type email", _PERSON + "position",
       position="int", p_email="int"),
    _t("employee_children",
       _PERSON + "position id naam voornaam geslacht geboortedatum is_overleden "
       "datum_overleden",
       _PERSON + "position", position="int", geboortedatum="date", is_overleden="bool",
       datum_overleden="date"),
    _t("employee_partners",
       _PERSON + "id naam voornaam geboortedatum nationaliteit_code is_overleden "
       "datum_overleden inkomen",
       _PERSON, geboortedatum="date", is_overleden="bool", datum_overleden="date",
       inkomen="int"),
    _t("employee_groups", _PERSON + "position id naam", _PERSON + "position",
       position="int"),
    _t("assignments",
       _BASE + "assignment_id p_opdracht person_id ambt ambt_code begindatum einddatum "
       "uren_tbs_o_b reaff_wedertew afstand_wachtgeld is_tao aanstellingscode ato vak_rubriek",
       _BASE + "assignment_id", p_opdracht="int", begindatum="date", einddatum="date",
       is_tao="bool"),
    _t("assignment_replacements", _BASE + "assignment_id position opdracht_id do_id",
       _BASE + "assignment_id position", position="int"),
    _t("interruptions",
       _BASE + "do_id p_onderbreking person_id hfd begindatum einddatum code omschrijving "
       "soort verstuurd_ag_o_di opm_secretariaat opm_personeelslid staking staking_uren "
       "ziekteverlof_zonder_bezoldiging",
       _BASE + "do_id", p_onderbreking="int", begindatum="date", einddatum="date",
       verstuurd_ag_o_di="bool", ziekteverlof_zonder_bezoldiging="bool"),
    _t("diplomas",
       _BASE + "position id person_id omschrijving uitgereikt_door uitgereikt_op "
       "is_hoofddiploma is_bekwaamheidsbewijs",
       _BASE + "position", position="int", uitgereikt_op="date", is_hoofddiploma="bool",
       is_bekwaamheidsbewijs="bool"),
    _t("own_fields", _BASE + "position person_id vv_id naam waarde data_type rubriek",
       _BASE + "position", position="int", rubriek="int"),
)}

#: The tables each bulk resource fills (``employee_photos`` are files, see the store).
STAFF_RESOURCE_TABLES: Mapping[str, tuple[str, ...]] = {
    "employees": ("employees", "employee_addresses", "employee_comnrs", "employee_emails",
                  "employee_children", "employee_partners", "employee_groups"),
    "assignments": ("assignments", "assignment_replacements"),
    "interruptions": ("interruptions",),
    "diplomas": ("diplomas",),
    "own_fields": ("own_fields",),
}


def _n(value: object) -> str | None:
    """A number or a value of unknown type as text (Decimals exact, others as JSON)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return str(value) if not isinstance(value, (bool, list, dict)) else json.dumps(value)


def _employee_rows(out: dict[str, list[Row]], base: Row, e: models.Employee,
                   keep: bool) -> None:
    person = {**base, "person_id": str(e.person_id)}
    bank, office = e.bank, e.hoofd_ambt
    out["employees"].append({
        **person, "p_persoon": e.p_persoon, "persona_id": _u(e.persona_id), "naam": e.naam,
        "voornaam": e.voornaam, "bijkomende_voornamen": e.bijkomende_voornamen,
        "stamnr": e.stamnr, "sort_name": e.sort_name, "nick_name": e.nick_name,
        "geslacht": _e(e.geslacht), "initialen": e.initialen,
        "geboortedatum": _d(e.geboortedatum), "geboorteplaats": e.geboorteplaats,
        "geboorteland_code": e.geboorteland_code, "nationaliteit_code": e.nationaliteit_code,
        "rijksregisternr": e.rijksregisternr if keep else None,
        "bisnr": e.bisnr if keep else None,
        "iban": bank.iban if keep and bank else None, "bic": bank.bic if bank else None,
        "hoofd_ambt_code": office.code if office else None,
        "hoofd_ambt_naam": office.naam if office else None,
        "eerste_dienst_school": _d(e.eerste_dienst_school),
        "eerste_dienst_scholengroep": _d(e.eerste_dienst_scholengroep),
        "eerste_dienst_scholengemeenschap": _d(e.eerste_dienst_scholengemeenschap),
        "is_active": _b(e.is_active), "effectief_in_dienst": _n(e.effectief_in_dienst),
        "pensioendatum": _d(e.pensioendatum), "is_mindervalide": _b(e.is_mindervalide),
        "is_overleden": _b(e.is_overleden), "datum_overleden": _d(e.datum_overleden),
        "burg_stand": _e(e.burg_stand), "aantal_kinderen": e.aantal_kinderen,
    })
    out["employee_addresses"].extend(
        {**person, "position": pos, "id": _u(a.id), "p_adres": a.p_adres,
         "aanspreek_titel": a.aanspreek_titel, "aanspreek_naam": a.aanspreek_naam,
         "straat": a.straat, "nummer": a.nummer, "bus": a.bus, "postcode": a.postcode,
         "gemeente": a.gemeente, "land_code": a.land_code,
         "is_domicilie": _b(a.is_domicilie), "is_verblijf": _b(a.is_verblijf)}
        for pos, a in enumerate(e.adressen))
    out["employee_comnrs"].extend(
        {**person, "position": pos, "id": c.id, "type": c.type, "soort": _e(c.soort),
         "nr": c.nr} for pos, c in enumerate(e.comnrs))
    out["employee_emails"].extend(
        {**person, "position": pos, "id": _u(m.id), "p_email": m.p_email, "type": m.type,
         "email": m.email} for pos, m in enumerate(e.emailadressen))
    out["employee_children"].extend(
        {**person, "position": pos, "id": _u(k.id), "naam": k.naam, "voornaam": k.voornaam,
         "geslacht": _e(k.geslacht), "geboortedatum": _d(k.geboortedatum),
         "is_overleden": _b(k.is_overleden), "datum_overleden": _d(k.datum_overleden)}
        for pos, k in enumerate(e.kinderen))
    if e.partner is not None:
        p = e.partner
        out["employee_partners"].append({
            **person, "id": _u(p.id), "naam": p.naam, "voornaam": p.voornaam,
            "geboortedatum": _d(p.geboortedatum), "nationaliteit_code": p.nationaliteit_code,
            "is_overleden": _b(p.is_overleden), "datum_overleden": _d(p.datum_overleden),
            "inkomen": _e(p.inkomen)})
    out["employee_groups"].extend(
        {**person, "position": pos, "id": g.id, "naam": g.naam}
        for pos, g in enumerate(e.personeelsgroepen))


def staff_tables(
    resource: str,
    records: Iterable[Any],
    *,
    institute: str | None = None,
    school_year: str | None = None,
    include_sensitive: bool = False,
) -> dict[str, list[Row]]:
    """The records of one bulk resource (``"employees"``, ``"assignments"``,
    ``"interruptions"``, ``"diplomas"``, ``"own_fields"``) as its tables of
    :data:`STAFF_RESOURCE_TABLES` (every key present, maybe empty). An employee or
    assignment without an id cannot be keyed and is left out; a record twice in one answer
    is kept once (the last)."""
    out: dict[str, list[Row]] = {name: [] for name in STAFF_RESOURCE_TABLES[resource]}
    base: Row = {"institute": institute, "school_year": school_year}
    items = list(records)
    if resource == "employees":
        people = {e.person_id: e for e in items if e.person_id is not None}
        for employee in people.values():
            _employee_rows(out, base, employee, include_sensitive)
    elif resource == "assignments":
        by_id = {a.id: a for a in items if a.id}
        for a in by_id.values():
            out["assignments"].append({
                **base, "assignment_id": a.id, "p_opdracht": a.p_opdracht,
                "person_id": _u(a.person_id), "ambt": a.ambt, "ambt_code": a.ambt_code,
                "begindatum": _d(a.begindatum), "einddatum": _d(a.einddatum),
                "uren_tbs_o_b": _n(a.uren_tbs_o_b), "reaff_wedertew": _e(a.reaff_wedertew),
                "afstand_wachtgeld": _n(a.afstand_wachtgeld), "is_tao": _b(a.is_tao),
                "aanstellingscode": _n(a.aanstellingscode), "ato": a.ato,
                "vak_rubriek": _n(a.vak_rubriek)})
            out["assignment_replacements"].extend(
                {**base, "assignment_id": a.id, "position": pos, "opdracht_id": r.opdracht_id,
                 "do_id": _u(r.do_id)} for pos, r in enumerate(a.vervangingen))
    elif resource == "interruptions":
        by_do = {i.do_id: i for i in items if i.do_id is not None}
        out["interruptions"].extend(
            {**base, "do_id": str(i.do_id), "p_onderbreking": i.p_onderbreking,
             "person_id": _u(i.person_id), "hfd": i.hfd, "begindatum": _d(i.begindatum),
             "einddatum": _d(i.einddatum), "code": i.code, "omschrijving": i.omschrijving,
             "soort": i.soort, "verstuurd_ag_o_di": _b(i.verstuurd_ag_o_di),
             "opm_secretariaat": i.opm_secretariaat, "opm_personeelslid": i.opm_personeelslid,
             "staking": _n(i.staking), "staking_uren": _n(i.staking_uren),
             "ziekteverlof_zonder_bezoldiging": _b(i.ziekteverlof_zonder_bezoldiging)}
            for i in by_do.values())
    elif resource == "diplomas":
        out["diplomas"].extend(
            {**base, "position": pos, "id": d.id, "person_id": _u(d.person_id),
             "omschrijving": d.omschrijving, "uitgereikt_door": d.uitgereikt_door,
             "uitgereikt_op": _d(d.uitgereikt_op), "is_hoofddiploma": _b(d.is_hoofddiploma),
             "is_bekwaamheidsbewijs": _b(d.is_bekwaamheidsbewijs)}
            for pos, d in enumerate(items))
    elif resource == "own_fields":
        out["own_fields"].extend(
            {**base, "position": pos, "person_id": _u(f.person_id), "vv_id": _u(f.vv_id),
             "naam": f.naam, "waarde": None if f.waarde is None else json.dumps(f.waarde),
             "data_type": f.data_type, "rubriek": _e(f.rubriek)}
            for pos, f in enumerate(items))
    return out

