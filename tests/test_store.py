"""The SQLite store and the checkpoint stores: school years, migration, photos, privacy."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from informat_async import InvalidInputError, models
from informat_async.checkpoints import (
    CheckpointStore,
    JsonFileCheckpointStore,
    MemoryCheckpointStore,
)
from informat_async.store import SCHEMA_VERSION, SqliteStore
from tests.conftest import mode
from tests.store_v0_schema import SCHEMA_V0

WHEN = dt.datetime(2025, 11, 3, 1, 0, tzinfo=dt.UTC)
INSZ = "85073003328"
IBAN = "BE68539007547034"


def student(naam: str = "Peeters", sid: uuid.UUID | None = None) -> models.Student:
    return models.Student(
        persoon_id=sid or uuid.uuid4(), naam=naam, rijksregisternr=INSZ, bisnr="85473003380",
        relaties=[models.Relation(relatie_id=uuid.uuid4(), naam="Moeder", insz=INSZ,
                                  adressen=[models.Address(gemeente="Gent")],
                                  emails=[models.Email(email="m@example.org")])],
        adressen=[models.Address(straat="Kerkstraat", gemeente="Brugge")],
        bankrek=[models.BankAccount(iban=IBAN, bic="GKCCBEBB")],
    )


def registration(klas: str) -> models.Registration:
    return models.Registration(
        inschrijvings_id=uuid.uuid4(), persoon_id=uuid.uuid4(),
        inschr_klassen=[models.ClassRegistration(
            klas=klas, klassenleraars=[models.ClassTeacher(naam="Janssens")])],
    )


def history(school: str) -> models.SchoolHistory:
    return models.SchoolHistory(
        persoon_id=uuid.uuid4(), school=school,
        studiebewijzen=[models.Certificate(studiebewijs="getuigschrift")],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "school.sqlite") as s:
        yield s


def rows(store: SqliteStore, sql: str) -> list[tuple[object, ...]]:
    return store.db.execute(sql).fetchall()


# --- checkpoints ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["memory", "json", "sqlite"])
async def test_checkpoints_belong_to_a_school_year(kind: str, tmp_path: Path) -> None:
    stores: dict[str, CheckpointStore] = {
        "memory": MemoryCheckpointStore(),
        "json": JsonFileCheckpointStore(tmp_path / "cp.json"),
    }
    if kind == "sqlite":
        stores["sqlite"] = SqliteStore(tmp_path / "db.sqlite")
    cp = stores[kind]
    assert isinstance(cp, CheckpointStore)
    await cp.set("123456", "2025-26", "students", WHEN)
    assert await cp.get("123456", "2025-26", "students") == WHEN
    assert await cp.get("123456", "2026-27", "students") is None
    assert await cp.get("123456", "2025-26", "registrations") is None
    assert await cp.get("654321", "2025-26", "students") is None
    later = WHEN + dt.timedelta(days=1)
    await cp.set("123456", "2026-27", "students", later)
    assert await cp.get("123456", "2025-26", "students") == WHEN
    assert await cp.get("123456", "2026-27", "students") == later
    if isinstance(cp, SqliteStore):
        cp.close()


async def test_json_checkpoints_without_school_year_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "cp.json"
    path.write_text(json.dumps({"123456": {"students": WHEN.isoformat(),
                                           "registrations": WHEN.isoformat()}}))
    cp = JsonFileCheckpointStore(path)
    assert await cp.get("123456", "2025-26", "students") is None
    assert await cp.get("123456", "students", "students") is None
    await cp.set("654321", "2025-26", "students", WHEN)
    assert json.loads(path.read_text()) == {"654321": {"2025-26": {"students": WHEN.isoformat()}}}


# --- rows per school year -------------------------------------------------------------------


def test_school_history_is_replaced_per_school_year(store: SqliteStore) -> None:
    store.replace_school_history("123456", "2025-26", [history("A"), history("B")])
    store.replace_school_history("123456", "2026-27", [])
    store.replace_school_history("654321", "2025-26", [history("C")])
    assert rows(store, "SELECT school_year, school FROM school_history ORDER BY school") == [
        ("2025-26", "A"), ("2025-26", "B"), ("2025-26", "C")]
    store.replace_school_history("123456", "2025-26", [history("D")])
    assert rows(store, "SELECT institute, school_year, school FROM school_history "
                       "ORDER BY school") == [("654321", "2025-26", "C"),
                                              ("123456", "2025-26", "D")]
    assert rows(store, "SELECT institute, school_year, history_position FROM certificates "
                       "ORDER BY institute") == [("123456", "2025-26", 0),
                                                 ("654321", "2025-26", 0)]


def test_registrations_carry_their_school_year(store: SqliteStore) -> None:
    first, second = registration("1A"), registration("2B")
    store.upsert_registrations("123456", "2025-26", [first, first])
    store.upsert_registrations("123456", "2026-27", [second])
    # the same registration in a later list of its year replaces its class registrations
    store.upsert_registrations("123456", "2025-26", [first])
    assert rows(store, "SELECT school_year, inschrijvings_id FROM registrations "
                       "ORDER BY school_year") == [("2025-26", str(first.inschrijvings_id)),
                                                   ("2026-27", str(second.inschrijvings_id))]
    assert rows(store, "SELECT school_year, klas FROM class_registrations "
                       "ORDER BY school_year") == [("2025-26", "1A"), ("2026-27", "2B")]
    assert rows(store, "SELECT school_year, naam FROM class_teachers ORDER BY school_year") == [
        ("2025-26", "Janssens"), ("2026-27", "Janssens")]


def test_the_store_keeps_national_numbers_and_ibans(store: SqliteStore) -> None:
    s = student()
    assert store.upsert_students("123456", [s, student("Maes")]) == 2
    assert rows(store, f"SELECT rijksregisternr, bisnr FROM students "  # noqa: S608
                       f"WHERE persoon_id='{s.persoon_id}'") == [(INSZ, "85473003380")]
    assert rows(store, "SELECT DISTINCT insz FROM relations") == [(INSZ,)]
    assert rows(store, "SELECT DISTINCT iban FROM bank_accounts") == [(IBAN,)]
    # a student upserted again has its child rows replaced, not added to, also when an
    # answer holds it twice
    assert store.upsert_students("123456", [s, s]) == 1
    counts = store.counts()
    assert (counts["students"], counts["relations"], counts["addresses"]) == (2, 2, 4)


# --- photos ---------------------------------------------------------------------------------


def photo(sid: uuid.UUID, data: bytes = b"\xff\xd8jpeg") -> models.Photo:
    return models.Photo(id=uuid.uuid4(), persoon_id=sid, foto=data)


def test_photo_paths_are_relative_to_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    s = student()
    target = Path("../data/photos/123456") / f"{s.persoon_id}.jpg"
    with SqliteStore("../data/school.sqlite") as store:
        store.record_photo("123456", photo(s.persoon_id), target)
        assert rows(store, "SELECT path FROM photos") == [
            (os.path.join("photos", "123456", f"{s.persoon_id}.jpg"),)]
    monkeypatch.chdir(tmp_path)
    with SqliteStore(tmp_path / "data" / "school.sqlite") as store:
        assert store.photo_file("123456", s.persoon_id) == (
            tmp_path / "data" / "photos" / "123456" / f"{s.persoon_id}.jpg")
        assert store.photo_file("123456", uuid.uuid4()) is None


async def test_photos_wanted(store: SqliteStore) -> None:
    with_photo, without, known_none, other = (student() for _ in range(4))
    store.upsert_students("123456", [with_photo, without, known_none])
    store.upsert_students("654321", [other])
    store.record_photo("123456", photo(with_photo.persoon_id), store.path.parent / "x.jpg")
    store.record_no_photo("123456", known_none.persoon_id)
    assert await store.photos_wanted("123456") == [without.persoon_id]
    # a student fetched again after its photo (e.g. a full students-only sync): fetch again
    store.db.execute("UPDATE students SET synced_at='9999-01-01T00:00:00+00:00'")
    assert set(await store.photos_wanted("123456")) == {
        with_photo.persoon_id, without.persoon_id, known_none.persoon_id}
    assert await store.photos_wanted("654321") == [other.persoon_id]


# --- migration ------------------------------------------------------------------------------


def test_a_database_of_version_0_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "old.sqlite"
    kept_photo = tmp_path / "old-photos" / "123456" / "a.jpg"
    kept_photo.parent.mkdir(parents=True)
    kept_photo.write_bytes(b"\xff\xd8")
    sid = str(uuid.uuid4())
    now = "2025-11-03T01:00:00+00:00"
    with sqlite3.connect(db) as conn:
        conn.executescript(SCHEMA_V0)
        conn.execute("INSERT INTO students (institute, persoon_id, naam, synced_at) "
                     "VALUES ('123456', ?, 'Peeters', ?)", (sid, now))
        conn.execute("INSERT INTO registrations (institute, inschrijvings_id, synced_at) "
                     "VALUES ('123456', 'r1', ?)", (now,))
        conn.execute("INSERT INTO school_history (institute, position, persoon_id) "
                     "VALUES ('123456', 0, ?)", (sid,))
        conn.execute("INSERT INTO sync_state VALUES ('123456', 'students', ?, ?)", (now, now))
        conn.execute("INSERT INTO photos VALUES ('123456', ?, NULL, ?, 2, 'x', ?)",
                     (sid, "old-photos/123456/a.jpg", now))
        conn.execute("INSERT INTO photos VALUES ('123456', 'b', NULL, 'gone/b.jpg', 2, 'x', ?)",
                     (now,))
    conn.close()
    with SqliteStore(db) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        counts = store.counts()
        assert counts["students"] == 1
        assert counts["registrations"] == counts["school_history"] == counts["sync_state"] == 0
        assert rows(store, "SELECT persoon_id, path FROM photos") == [
            (sid, os.path.join("old-photos", "123456", "a.jpg"))]
        # the per-year tables have their new shape
        store.upsert_registrations("123456", "2025-26", [registration("1A")])
        store.replace_school_history("123456", "2025-26", [history("A")])
    assert "migrated" in caplog.text
    assert "registrations" in caplog.text
    # opening again migrates nothing more
    caplog.clear()
    with SqliteStore(db) as store:
        assert store.counts()["registrations"] == 1
    assert "migrated" not in caplog.text


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    with SqliteStore(db) as store:
        store.db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(InvalidInputError, match="newer"):
        SqliteStore(db)


# --- privacy and bad paths ------------------------------------------------------------------


@pytest.mark.usefixtures("umask_022")
def test_database_files_are_private(tmp_path: Path) -> None:
    db = tmp_path / "school.sqlite"
    with SqliteStore(db) as store:
        store.upsert_students("123456", [student()])
        for name in ("school.sqlite", "school.sqlite-wal", "school.sqlite-shm"):
            assert mode(tmp_path / name) == 0o600, name
    # a database written before (world-readable) is made private when opened
    old = tmp_path / "old.sqlite"
    sqlite3.connect(old).close()
    old.chmod(0o644)
    SqliteStore(old).close()
    assert mode(old) == 0o600


@pytest.mark.parametrize("where", ["directory", "missing-parent"])
def test_a_bad_database_path_is_an_input_error(tmp_path: Path, where: str) -> None:
    path = tmp_path if where == "directory" else tmp_path / "nope" / "x.sqlite"
    with pytest.raises(InvalidInputError, match="cannot open the database") as info:
        SqliteStore(path)
    assert str(path) in str(info.value)
    assert not (tmp_path / "nope").exists()
