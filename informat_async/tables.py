"""Records as flat tables, with the columns and keys of the SQLite store, for pandas and CSV.

A student is a tree (addresses, relations with their own addresses, phone numbers,
e-mails, bank accounts); a registration holds class registrations, which hold teachers;
a school history row holds certificates. These helpers flatten each tree into the tables
the ``sync`` command writes to SQLite, with the same columns, so a CSV, a DataFrame and the
database line up::

    from informat_async import tables

    students = await client.students("123456", "2025-26")
    rows = tables.student_tables(students, institute="123456")
    rows["addresses"][0]["gemeente"]
    frames = tables.to_dataframes(rows)       # needs pandas: pip install 'informat-async[pandas]'

Values are what the SQLite column holds: text, integers (booleans as 0/1), dates as
``yyyy-mm-dd`` text, GUIDs as lower-case text, codes as their value, ``None`` when absent.
National register and bis numbers (``rijksregisternr``, ``bisnr``, a relation's ``insz``)
and IBANs are left blank unless ``include_sensitive=True``; the columns are always there.
This module is the one definition of those tables: :mod:`informat_async.store` builds its
schema and its rows from :data:`TABLES`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypeVar

import attrs

from . import models
from .errors import InformatError

__all__ = [
    "REGISTRATION_TABLES",
    "SCHOOL_HISTORY_TABLES",
    "STUDENT_TABLES",
    "TABLES",
    "Column",
    "MissingDependencyError",
    "Row",
    "Table",
    "registration_tables",
    "school_history_tables",
    "student_tables",
    "to_dataframes",
    "without_sensitive",
]

Kind = Literal["text", "int", "bool", "date"]
Value: TypeAlias = str | int | None
Row: TypeAlias = dict[str, Value]
"""One row: column name to value, in the table's column order."""


class MissingDependencyError(InformatError, ImportError):
    """An optional dependency (pandas) is not installed."""


@attrs.frozen
class Column:
    """One column of a table."""

    name: str
    kind: Kind = "text"
    sensitive: bool = False
    """A national register or bis number or an IBAN: blank unless asked for."""

    @property
    def sql_type(self) -> str:
        """The SQLite type of the column."""
        return "INTEGER" if self.kind in ("int", "bool") else "TEXT"


@attrs.frozen
class Table:
    """A flat table: its name, its columns in order, and the columns of its primary key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names in order."""
        return tuple(c.name for c in self.columns)


def _cols(spec: str, **kinds: Kind) -> tuple[Column, ...]:
    """Columns from a space-separated list; ``name!`` marks a sensitive column."""
    out = []
    for word in spec.split():
        name = word.rstrip("!")
        out.append(Column(name, kinds.get(name, "text"), sensitive=word.endswith("!")))
    return tuple(out)


def _t(name: str, spec: str, key: str, **kinds: Kind) -> Table:
    return Table(name, _cols(spec, **kinds), tuple(key.split()))


_ADDRESS_KINDS: dict[str, Kind] = {
    "position": "int", "p_adres": "int", "is_facturatie": "bool", "is_aanschrijf": "bool",
    "is_verblijf": "bool", "is_overige": "bool",
}
_CLASS_KINDS: dict[str, Kind] = {
    "position": "int", "p_inschr_klas": "int", "p_klas": "int", "groep_type": "int",
    "klasnummer": "int", "begindatum": "date", "einddatum": "date",
}

#: Every table, by name, in the order a sync fills them.
TABLES: Mapping[str, Table] = {
    t.name: t for t in (
        _t("students",
           "institute persoon_id p_persoon naam voornaam geboortedatum nickname voornaam2 "
           "initialen geboorteland geboorteplaats nationaliteit_code rijksregisternr! bisnr! "
           "geslacht huisdokter telefoon_huisdokter ll_op_school inschrijvings_id "
           "leerlingenkaart_nummer fiets_nummer",
           "institute persoon_id",
           p_persoon="int", geboortedatum="date", ll_op_school="int"),
        _t("relations",
           "institute persoon_id relatie_id p_relatie type naam voornaam insz! geboortedatum "
           "geslacht nationaliteit_code beroep burgerlijke_stand lpv ophalen is_overleden "
           "position",
           "institute persoon_id relatie_id",
           p_relatie="int", geboortedatum="date", lpv="int", ophalen="bool",
           is_overleden="bool", position="int"),
        _t("addresses",
           "institute persoon_id relatie_id kind position adres_id p_adres aanspreek_titel "
           "aanspreek_naam straat nr bus postcode gemeente landcode is_facturatie "
           "is_aanschrijf is_verblijf is_overige percentage",
           "institute persoon_id relatie_id kind position", **_ADDRESS_KINDS),
        _t("comnrs", "institute persoon_id relatie_id position p_comnr nr type soort",
           "institute persoon_id relatie_id position", position="int", p_comnr="int"),
        _t("emails",
           "institute persoon_id relatie_id position p_email email type schoolcom "
           "factuur_mailen",
           "institute persoon_id relatie_id position",
           position="int", p_email="int", schoolcom="bool", factuur_mailen="bool"),
        _t("bank_accounts", "institute persoon_id position type iban! bic",
           "institute persoon_id position", position="int", type="int"),
        _t("registrations",
           "institute school_year inschrijvings_id p_inschr p_persoon persoon_id instelnr "
           "hfdstructuur school stamnr vest_code vestiging begindatum einddatum afd_code "
           "nr_admgrp afdelingsjaar status graad leerjaar taalkeuze fin_code "
           "levensbeschouwing_code is_okan pre_registration_id",
           "institute school_year inschrijvings_id",
           p_inschr="int", p_persoon="int", begindatum="date", einddatum="date", status="int",
           leerjaar="int", is_okan="bool"),
        _t("class_registrations",
           "institute school_year inschrijvings_id position inschr_klas_id p_inschr_klas "
           "klas_id p_klas klas_code klas groep_type klasnummer begindatum einddatum",
           "institute school_year inschrijvings_id position", **_CLASS_KINDS),
        _t("class_teachers",
           "institute school_year inschrijvings_id class_position position persoon_id naam "
           "voornaam",
           "institute school_year inschrijvings_id class_position position",
           class_position="int", position="int"),
        _t("school_history",
           "institute school_year position persoon_id p_persoon schooljaar instelnr school "
           "van_datum tot_datum nr_admgrp admgrp",
           "institute school_year position",
           position="int", p_persoon="int", van_datum="date", tot_datum="date"),
        _t("certificates",
           "institute school_year history_position position studiebewijs uitreiking "
           "clausulering",
           "institute school_year history_position position",
           history_position="int", position="int", uitreiking="date"),
    )
}

STUDENT_TABLES = ("students", "relations", "addresses", "comnrs", "emails", "bank_accounts")
"""The tables :func:`student_tables` fills."""
REGISTRATION_TABLES = ("registrations", "class_registrations", "class_teachers")
"""The tables :func:`registration_tables` fills."""
SCHOOL_HISTORY_TABLES = ("school_history", "certificates")
"""The tables :func:`school_history_tables` fills."""

# (model, field) pairs that hold national register or bis numbers or IBANs
_SENSITIVE_FIELDS: dict[type[Any], tuple[str, ...]] = {
    models.Student: ("rijksregisternr", "bisnr"),
    models.Relation: ("insz",),
    models.BankAccount: ("iban",),
    models.Employee: ("rijksregisternr", "bisnr"),
    models.EmployeeBank: ("iban",),
}


# --- values -------------------------------------------------------------------------------


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _u(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _b(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _e(value: object) -> Any:
    """A code's value (open enums keep unknown values as they came)."""
    return getattr(value, "value", value)


def _s(value: str | None, keep: bool) -> str | None:
    return value if keep else None


# --- builders -----------------------------------------------------------------------------


def _empty(names: Sequence[str]) -> dict[str, list[Row]]:
    return {name: [] for name in names}


def _addresses(
    out: list[Row], inst: str | None, sid: str, rid: str, kind: str,
    items: Sequence[models.Address],
) -> None:
    out.extend(
        {"institute": inst, "persoon_id": sid, "relatie_id": rid, "kind": kind,
         "position": pos, "adres_id": _u(a.adres_id), "p_adres": a.p_adres,
         "aanspreek_titel": a.aanspreek_titel, "aanspreek_naam": a.aanspreek_naam,
         "straat": a.straat, "nr": a.nr, "bus": a.bus, "postcode": a.postcode,
         "gemeente": a.gemeente, "landcode": a.landcode, "is_facturatie": _b(a.is_facturatie),
         "is_aanschrijf": _b(a.is_aanschrijf), "is_verblijf": _b(a.is_verblijf),
         "is_overige": _b(a.is_overige),
         "percentage": str(a.percentage) if a.percentage is not None else None}
        for pos, a in enumerate(items)
    )


def _contacts(
    out: dict[str, list[Row]], inst: str | None, sid: str, rid: str,
    comnrs: Sequence[models.CommunicationNumber], emails: Sequence[models.Email],
) -> None:
    out["comnrs"].extend(
        {"institute": inst, "persoon_id": sid, "relatie_id": rid, "position": pos,
         "p_comnr": c.p_comnr, "nr": c.nr, "type": c.type, "soort": c.soort}
        for pos, c in enumerate(comnrs)
    )
    out["emails"].extend(
        {"institute": inst, "persoon_id": sid, "relatie_id": rid, "position": pos,
         "p_email": e.p_email, "email": e.email, "type": e.type,
         "schoolcom": _b(e.schoolcom), "factuur_mailen": _b(e.factuur_mailen)}
        for pos, e in enumerate(emails)
    )


def student_tables(
    students: Iterable[models.Student],
    *,
    institute: str | None = None,
    include_sensitive: bool = False,
) -> dict[str, list[Row]]:
    """Students as the tables of :data:`STUDENT_TABLES` (every key present, maybe empty).

    The student's own addresses, phone numbers and e-mails have ``relatie_id`` ``""``;
    ``kind`` tells domicile (``"domicile"``), other (``"other"``) and a relation's
    (``"relation"``) addresses apart. A relation without a GUID gets ``position-<n>``.
    """
    keep = include_sensitive
    out = _empty(STUDENT_TABLES)
    for s in students:
        sid = str(s.persoon_id)
        out["students"].append({
            "institute": institute, "persoon_id": sid, "p_persoon": s.p_persoon,
            "naam": s.naam, "voornaam": s.voornaam, "geboortedatum": _d(s.geboortedatum),
            "nickname": s.nickname, "voornaam2": s.voornaam2, "initialen": s.initialen,
            "geboorteland": s.geboorteland, "geboorteplaats": s.geboorteplaats,
            "nationaliteit_code": s.nationaliteit_code,
            "rijksregisternr": _s(s.rijksregisternr, keep), "bisnr": _s(s.bisnr, keep),
            "geslacht": _e(s.geslacht), "huisdokter": s.huisdokter,
            "telefoon_huisdokter": s.telefoon_huisdokter, "ll_op_school": s.ll_op_school,
            "inschrijvings_id": _u(s.inschrijvings_id),
            "leerlingenkaart_nummer": s.leerlingenkaart_nummer,
            "fiets_nummer": s.fiets_nummer,
        })
        _addresses(out["addresses"], institute, sid, "", "domicile", s.adressen)
        _addresses(out["addresses"], institute, sid, "", "other", s.overige_adressen)
        _contacts(out, institute, sid, "", s.comnrs, s.emails)
        for pos, r in enumerate(s.relaties):
            rid = _u(r.relatie_id) or f"position-{pos}"
            out["relations"].append({
                "institute": institute, "persoon_id": sid, "relatie_id": rid,
                "p_relatie": r.p_relatie, "type": r.type, "naam": r.naam,
                "voornaam": r.voornaam, "insz": _s(r.insz, keep),
                "geboortedatum": _d(r.geboortedatum), "geslacht": _e(r.geslacht),
                "nationaliteit_code": r.nationaliteit_code, "beroep": r.beroep,
                "burgerlijke_stand": r.burgerlijke_stand, "lpv": r.lpv,
                "ophalen": _b(r.ophalen), "is_overleden": _b(r.is_overleden), "position": pos,
            })
            _addresses(out["addresses"], institute, sid, rid, "relation", r.adressen)
            _contacts(out, institute, sid, rid, r.comnrs, r.emails)
        out["bank_accounts"].extend(
            {"institute": institute, "persoon_id": sid, "position": pos, "type": _e(b.type),
             "iban": _s(b.iban, keep), "bic": b.bic}
            for pos, b in enumerate(s.bankrek)
        )
    return out


def registration_tables(
    registrations: Iterable[models.Registration],
    *,
    institute: str | None = None,
    school_year: str | None = None,
) -> dict[str, list[Row]]:
    """Registrations as the tables of :data:`REGISTRATION_TABLES`.

    ``school_year`` is the school year the registrations were fetched for.
    """
    out = _empty(REGISTRATION_TABLES)
    base: Row = {"institute": institute, "school_year": school_year}
    for r in registrations:
        rid = str(r.inschrijvings_id)
        out["registrations"].append({
            **base, "inschrijvings_id": rid, "p_inschr": r.p_inschr, "p_persoon": r.p_persoon,
            "persoon_id": _u(r.persoon_id), "instelnr": r.instelnr,
            "hfdstructuur": r.hfdstructuur, "school": r.school, "stamnr": r.stamnr,
            "vest_code": r.vest_code, "vestiging": r.vestiging,
            "begindatum": _d(r.begindatum), "einddatum": _d(r.einddatum),
            "afd_code": r.afd_code, "nr_admgrp": r.nr_admgrp,
            "afdelingsjaar": r.afdelingsjaar, "status": _e(r.status), "graad": r.graad,
            "leerjaar": r.leerjaar, "taalkeuze": r.taalkeuze, "fin_code": r.fin_code,
            "levensbeschouwing_code": r.levensbeschouwing_code, "is_okan": _b(r.is_okan),
            "pre_registration_id": _u(r.pre_registration_id),
        })
        for pos, k in enumerate(r.inschr_klassen):
            out["class_registrations"].append({
                **base, "inschrijvings_id": rid, "position": pos,
                "inschr_klas_id": _u(k.inschr_klas_id), "p_inschr_klas": k.p_inschr_klas,
                "klas_id": _u(k.klas_id), "p_klas": k.p_klas, "klas_code": k.klas_code,
                "klas": k.klas, "groep_type": _e(k.groep_type), "klasnummer": k.klasnummer,
                "begindatum": _d(k.begindatum), "einddatum": _d(k.einddatum),
            })
            out["class_teachers"].extend(
                {**base, "inschrijvings_id": rid, "class_position": pos, "position": tpos,
                 "persoon_id": _u(t.persoon_id), "naam": t.naam, "voornaam": t.voornaam}
                for tpos, t in enumerate(k.klassenleraars)
            )
    return out


def school_history_tables(
    history: Iterable[models.SchoolHistory],
    *,
    institute: str | None = None,
    school_year: str | None = None,
) -> dict[str, list[Row]]:
    """School history as the tables of :data:`SCHOOL_HISTORY_TABLES`.

    School history has no GUID of its own: ``position`` (its place in the answer) is the
    key, and a certificate refers to its row by ``history_position``.
    """
    out = _empty(SCHOOL_HISTORY_TABLES)
    base: Row = {"institute": institute, "school_year": school_year}
    for pos, h in enumerate(history):
        out["school_history"].append({
            **base, "position": pos, "persoon_id": str(h.persoon_id), "p_persoon": h.p_persoon,
            "schooljaar": h.schooljaar, "instelnr": h.instelnr, "school": h.school,
            "van_datum": _d(h.van_datum), "tot_datum": _d(h.tot_datum),
            "nr_admgrp": h.nr_admgrp, "admgrp": h.admgrp,
        })
        out["certificates"].extend(
            {**base, "history_position": pos, "position": cpos,
             "studiebewijs": c.studiebewijs, "uitreiking": _d(c.uitreiking),
             "clausulering": c.clausulering}
            for cpos, c in enumerate(h.studiebewijzen)
        )
    return out


_R = TypeVar("_R")


def without_sensitive(record: _R) -> _R:
    """A copy of a record with national register and bis numbers and IBANs set to None,
    also in nested relations and bank accounts, of students and employees (other values
    are returned as they are)."""
    if isinstance(record, list):
        return [without_sensitive(r) for r in record]  # type: ignore[return-value]
    if not attrs.has(type(record)):
        return record
    changes: dict[str, Any] = dict.fromkeys(_SENSITIVE_FIELDS.get(type(record), ()))
    for field in attrs.fields(type(record)):  # type: ignore[arg-type]
        value = getattr(record, field.name)
        if isinstance(value, list) and value and attrs.has(type(value[0])):
            changes[field.name] = [without_sensitive(v) for v in value]
        elif attrs.has(type(value)) and field.name not in changes:  # an employee's bank
            changes[field.name] = without_sensitive(value)
    return attrs.evolve(record, **changes) if changes else record  # type: ignore[misc]


def to_dataframes(tables: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    """The tables as pandas DataFrames (one per table, with every column even when empty).

    Integer and boolean columns get pandas' nullable dtypes (``Int64``, ``boolean``);
    dates stay ``yyyy-mm-dd`` text (``pd.to_datetime`` converts them). Needs pandas
    (``pip install 'informat-async[pandas]'``); raises :class:`MissingDependencyError`
    without it.
    """
    try:
        pd: Any = importlib.import_module("pandas")
    except ImportError:
        raise MissingDependencyError(
            "DataFrames need pandas: pip install 'informat-async[pandas]'"
        ) from None
    frames: dict[str, Any] = {}
    for name, rows in tables.items():
        table = TABLES.get(name)
        columns = list(table.names) if table else (list(rows[0]) if rows else [])
        frame = pd.DataFrame.from_records(list(rows), columns=columns)
        for column in table.columns if table else ():
            dtype = {"int": "Int64", "bool": "boolean"}.get(column.kind)
            if dtype is None:
                continue
            # an unknown code of another type: keep the column as it came
            with contextlib.suppress(TypeError, ValueError):
                frame[column.name] = frame[column.name].astype(dtype)
        frames[name] = frame
    return frames
