"""Flat tables: the same columns and keys as the SQLite store, sensitive values left out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from informat_async import InformatClient, models, tables
from informat_async.store import SqliteStore
from tests.conftest import SCHOOL_YEAR

SENSITIVE = {"rijksregisternr", "bisnr", "insz", "iban"}


async def fetch(client: InformatClient, institute: str = "123456") -> dict[str, list[Any]]:
    students = await client.students(institute, SCHOOL_YEAR)
    registrations = await client.registrations(institute, SCHOOL_YEAR)
    history = await client.school_history(institute, SCHOOL_YEAR)
    return {"students": students, "registrations": registrations, "history": history}


def all_tables(records: dict[str, list[Any]], institute: str,
               include_sensitive: bool = False) -> dict[str, list[tables.Row]]:
    return {
        **tables.student_tables(records["students"], institute=institute,
                                include_sensitive=include_sensitive),
        **tables.registration_tables(records["registrations"], institute=institute,
                                     school_year=SCHOOL_YEAR),
        **tables.school_history_tables(records["history"], institute=institute,
                                       school_year=SCHOOL_YEAR),
    }


def test_tables_match_the_sqlite_schema(tmp_path: Path) -> None:
    assert set(tables.TABLES) == {*tables.STUDENT_TABLES, *tables.REGISTRATION_TABLES,
                                  *tables.SCHOOL_HISTORY_TABLES}
    with SqliteStore(tmp_path / "x.sqlite") as store:
        for table in tables.TABLES.values():
            info = store.db.execute(f"PRAGMA table_info({table.name})").fetchall()
            columns = [r[1] for r in info if r[1] != "synced_at"]
            key = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
            assert tuple(columns) == table.names, table.name
            assert tuple(key) == table.key, table.name
            types = {r[1]: r[2] for r in info}
            assert all(types[c.name] == c.sql_type for c in table.columns), table.name


def test_sensitive_columns_are_the_fields_kept_out_of_repr() -> None:
    hidden = {f.name for cls in (models.Student, models.Relation, models.BankAccount)
              for f in attrs.fields(cls) if f.repr is False}
    marked = {c.name for t in tables.TABLES.values() for c in t.columns if c.sensitive}
    assert hidden == marked == SENSITIVE


async def test_rows_are_flat_and_complete(client: InformatClient) -> None:
    records = await fetch(client, "999999")  # the spec's examples: every field filled
    rows = all_tables(records, "999999")
    for name, table_rows in rows.items():
        for row in table_rows:
            assert tuple(row) == tables.TABLES[name].names
            assert all(v is None or isinstance(v, (str, int)) for v in row.values()), name
    students = records["students"]
    assert len(rows["students"]) == len(students)
    assert len(rows["relations"]) == sum(len(s.relaties) for s in students)
    assert len(rows["addresses"]) == sum(
        len(s.adressen) + len(s.overige_adressen) + sum(len(r.adressen) for r in s.relaties)
        for s in students)
    assert len(rows["emails"]) == sum(
        len(s.emails) + sum(len(r.emails) for r in s.relaties) for s in students)
    assert len(rows["class_registrations"]) == sum(
        len(r.inschr_klassen) for r in records["registrations"])
    assert len(rows["certificates"]) == sum(len(h.studiebewijzen) for h in records["history"])
    assert {r["school_year"] for r in rows["registrations"]} == {SCHOOL_YEAR}
    assert {r["institute"] for r in rows["addresses"]} == {"999999"}


async def test_sensitive_values_only_when_asked(client: InformatClient) -> None:
    records = await fetch(client, "999999")
    records["students"] += await client.students("123456", SCHOOL_YEAR)
    assert any(s.rijksregisternr for s in records["students"])
    assert any(b.iban for s in records["students"] for b in s.bankrek)
    hidden = tables.student_tables(records["students"])
    shown = tables.student_tables(records["students"], include_sensitive=True)
    for name, table_rows in hidden.items():
        for row in table_rows:
            assert all(row[c] is None for c in SENSITIVE if c in row), name
    assert any(r["rijksregisternr"] for r in shown["students"])
    assert any(r["insz"] for r in shown["relations"])
    assert any(r["iban"] for r in shown["bank_accounts"])
    redacted = tables.without_sensitive(records["students"])
    assert all(s.rijksregisternr is None and s.bisnr is None for s in redacted)
    assert all(r.insz is None for s in redacted for r in s.relaties)
    assert all(b.iban is None and b.bic for s in redacted for b in s.bankrek)
    assert [s.naam for s in redacted] == [s.naam for s in records["students"]]


async def test_the_store_holds_the_same_rows(client: InformatClient, tmp_path: Path) -> None:
    records = await fetch(client, "999999")
    rows = all_tables(records, "999999", include_sensitive=True)
    with SqliteStore(tmp_path / "x.sqlite") as store:
        store.upsert_students("999999", records["students"])
        store.upsert_registrations("999999", SCHOOL_YEAR, records["registrations"])
        store.replace_school_history("999999", SCHOOL_YEAR, records["history"])
        for name, table in tables.TABLES.items():
            stored = store.db.execute(
                f"SELECT {', '.join(table.names)} FROM {name}").fetchall()  # noqa: S608
            expected = [tuple(r.values()) for r in rows[name]]
            assert sorted(stored, key=repr) == sorted(expected, key=repr), name
            assert stored, name


async def test_dataframes(client: InformatClient) -> None:
    pd = pytest.importorskip("pandas")
    records = await fetch(client, "999999")
    frames = tables.to_dataframes(all_tables(records, "999999"))
    assert set(frames) == set(tables.TABLES)
    students = frames["students"]
    assert isinstance(students, pd.DataFrame)
    assert tuple(students.columns) == tables.TABLES["students"].names
    assert len(students) == len(records["students"])
    assert str(students["p_persoon"].dtype) == "Int64"
    assert str(frames["emails"]["schoolcom"].dtype) == "boolean"
    assert students["rijksregisternr"].isna().all()
    empty = tables.to_dataframes(tables.student_tables([]))
    assert tuple(empty["addresses"].columns) == tables.TABLES["addresses"].names


def test_dataframes_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(tables.MissingDependencyError, match="informat-async\\[pandas\\]"):
        tables.to_dataframes({"students": []})
