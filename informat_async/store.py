"""The SQLite sink of the ``sync`` command: schema, idempotent upserts, checkpoints.

Every table is keyed on Informat's GUIDs (and the institute), so syncing twice never
duplicates a row: a student's row is upserted and its child rows (addresses, relations,
phone numbers, e-mails, bank accounts) are replaced as a set. Registrations, class
registrations, teachers, school history and certificates carry the school year they were
fetched for (``school_year``); school history has no GUID of its own and no
``changedSince``, so a sync replaces the institute's rows of the year it fetched, and only
those. The columns of those tables are defined once, in :mod:`informat_async.tables`.

Photos are files in a directory (see ``photos`` for path, size and hash; ``path`` is
relative to the database file's directory, so the database can be opened from anywhere);
``photos_missing`` remembers students Informat had no photo for. :meth:`photos_wanted`
lists the students whose photo should be fetched again (a bulk run's ``photo_backlog``).

The database file and its WAL and SHM files are private to their owner (0600), whatever
the umask. The store also implements :class:`~informat_async.checkpoints.CheckpointStore`
on the ``sync_state`` table, keyed on institute, school year and resource. Calls are
synchronous SQLite and quick; they run on the event loop's thread, which owns the
connection.

Schema versions (``PRAGMA user_version``): 0 is a database of informat-async 0.1, whose
per-year tables and checkpoints had no school year; opening one migrates it to
:data:`SCHEMA_VERSION` (see :meth:`SqliteStore._migrate`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import models, staff_tables, tables
from .errors import InvalidInputError

__all__ = ["SCHEMA", "SCHEMA_VERSION", "SqliteStore"]

logger = logging.getLogger("informat_async")

SCHEMA_VERSION = 2
"""The ``PRAGMA user_version`` of the schema this module writes."""

# bookkeeping columns the store adds to the tables of informat_async.tables
_SYNCED_AT: Mapping[str, str] = {"students": "synced_at", "registrations": "synced_at"}
_PER_YEAR = ("registrations", "class_registrations", "class_teachers", "school_history",
             "certificates")


def _ddl(table: tables.Table) -> str:
    columns = [f"{c.name} {c.sql_type}{' NOT NULL' if c.name in table.key else ''}"
               for c in table.columns]
    if table.name in _SYNCED_AT:
        columns.append(f"{_SYNCED_AT[table.name]} TEXT NOT NULL")
    columns.append(f"PRIMARY KEY ({', '.join(table.key)})")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n    " + ",\n    ".join(columns) + "\n);"


SCHEMA = "\n".join(_ddl(t) for t in tables.TABLES.values()) + """
CREATE INDEX IF NOT EXISTS registrations_student ON registrations (institute, persoon_id);
CREATE TABLE IF NOT EXISTS photos (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, photo_id TEXT,
    path TEXT NOT NULL,  -- relative to the directory of the database file
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, synced_at TEXT NOT NULL,
    PRIMARY KEY (institute, persoon_id)
);
CREATE TABLE IF NOT EXISTS photos_missing (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, checked_at TEXT NOT NULL,
    PRIMARY KEY (institute, persoon_id)
);
CREATE TABLE IF NOT EXISTS employee_photos (
    institute TEXT NOT NULL, person_id TEXT NOT NULL, photo_id TEXT,
    path TEXT,  -- relative to the directory of the database file; NULL: blank photo
    size INTEGER NOT NULL, sha256 TEXT, synced_at TEXT NOT NULL,
    PRIMARY KEY (institute, person_id)
);
CREATE TABLE IF NOT EXISTS sync_state (
    institute TEXT NOT NULL, school_year TEXT NOT NULL, resource TEXT NOT NULL,
    changed_since TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (institute, school_year, resource)
);
"""
"""The schema, as ``CREATE ... IF NOT EXISTS`` statements."""

# the personnel API's tables (new tables only: no migration, the schema version stays)
SCHEMA += "\n".join(_ddl(t) for t in staff_tables.STAFF_TABLES.values())


def _insert_sql(name: str, verb: str = "INSERT") -> str:
    names = list(tables.TABLES[name].names)
    if name in _SYNCED_AT:
        names.append(_SYNCED_AT[name])
    marks = ",".join("?" * len(names))
    return f"{verb} INTO {name} ({', '.join(names)}) VALUES ({marks})"


# child rows are deleted before they are written again; OR REPLACE keeps a duplicate in one
# answer (two relations with one GUID) from failing the whole list
_INSERT = {name: _insert_sql(name, "INSERT OR REPLACE") for name in tables.TABLES}
_INSERT_STAFF = {
    t.name: f"INSERT OR REPLACE INTO {t.name} ({', '.join(t.names)}) "  # noqa: S608
            f"VALUES ({','.join('?' * len(t.names))})"
    for t in staff_tables.STAFF_TABLES.values()
}


def _private(path: Path) -> None:
    """Make an existing file owner-only (0600)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, 0o600)


class SqliteStore:
    """An SQLite database holding synced institutes; use as a context manager or close().

    The directory of ``path`` must exist; opening a path that cannot hold a database
    raises :class:`~informat_async.errors.InvalidInputError` naming the path.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.photo_root = Path(os.path.abspath(self.path)).parent
        """The directory that ``photos.path`` is relative to."""
        try:
            self._create_private()
            self.db = sqlite3.connect(self.path)
        except (OSError, sqlite3.Error) as exc:
            raise InvalidInputError(
                f"cannot open the database {self.path}: {_reason(exc)}") from None
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            self.db.close()
            raise InvalidInputError(
                f"cannot use the database {self.path}: {_reason(exc)}") from None
        for suffix in ("-wal", "-shm"):  # SQLite gives new ones the database file's mode
            _private(Path(f"{self.path}{suffix}"))

    def _create_private(self) -> None:
        if str(self.path) == ":memory:":
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)  # also an existing file: it holds national numbers
        finally:
            os.close(fd)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _now() -> str:
        return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    # --- schema migration --------------------------------------------------------------

    def _migrate(self) -> None:
        """Bring a database of an older schema to :data:`SCHEMA_VERSION`.

        From 0 (informat-async 0.1): checkpoints, registrations, class registrations,
        teachers, school history and certificates had no school year and cannot be
        assigned to one, so they are dropped; the next sync of each school year is then a
        full one and fetches them again. Photo paths were relative to the working directory
        of the sync: those whose file is found are made relative to the database's
        directory, the others are forgotten (their photos are fetched again).
        """
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"schema version {version} is newer than this informat-async knows "
                f"({SCHEMA_VERSION}); upgrade informat-async")
        existing = {r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        if version >= SCHEMA_VERSION or not existing & {*tables.TABLES, "sync_state"}:
            return  # up to date, or a new database
        self.db.execute("BEGIN")
        try:
            dropped = {}
            for name in (*_PER_YEAR, "sync_state"):
                if name in existing:
                    dropped[name] = self.db.execute(
                        f"SELECT COUNT(*) FROM {name}").fetchone()[0]  # noqa: S608
                    self.db.execute(f"DROP TABLE {name}")
            forgotten = self._migrate_photo_paths() if "photos" in existing else 0
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        logger.warning(
            "database %s migrated to schema %d (school years): dropped %s and %d photo "
            "records whose file was not found; the next sync of each school year fetches "
            "everything again", self.path, SCHEMA_VERSION,
            ", ".join(f"{n} {name}" for name, n in dropped.items()), forgotten)

    def _migrate_photo_paths(self) -> int:
        forgotten = 0
        for inst, sid, old in self.db.execute(
                "SELECT institute, persoon_id, path FROM photos").fetchall():
            found = Path(os.path.abspath(old))
            if found.is_file():
                self.db.execute(
                    "UPDATE photos SET path=? WHERE institute=? AND persoon_id=?",
                    (self._relative(found), inst, sid))
            else:
                self.db.execute("DELETE FROM photos WHERE institute=? AND persoon_id=?",
                                (inst, sid))
                forgotten += 1
        return forgotten

    # --- rows --------------------------------------------------------------------------

    def _insert(self, rows: dict[str, list[tables.Row]], extra: tuple[str, ...] = ()) -> None:
        for name, table_rows in rows.items():
            names = tables.TABLES[name].names
            if name in _SYNCED_AT:
                self.db.executemany(_INSERT[name],
                                    [(*(r[c] for c in names), *extra) for r in table_rows])
            else:
                self.db.executemany(_INSERT[name],
                                    [tuple(r[c] for c in names) for r in table_rows])

    def upsert_students(self, institute: str, students: Iterable[models.Student]) -> int:
        """Insert or update students with all their child rows; returns how many.

        National register and bis numbers and IBANs are kept: the store is a full copy
        (and a private file).
        """
        students = list({s.persoon_id: s for s in students}.values())  # the last one wins
        rows = tables.student_tables(students, institute=institute, include_sensitive=True)
        with self.db:
            for name in tables.STUDENT_TABLES[1:]:
                self.db.executemany(
                    f"DELETE FROM {name} WHERE institute=? AND persoon_id=?",  # noqa: S608
                    [(institute, r["persoon_id"]) for r in rows["students"]],
                )
            self._insert(rows, (self._now(),))
        return len(students)

    def upsert_registrations(
        self, institute: str, school_year: str, registrations: Iterable[models.Registration]
    ) -> int:
        """Insert or update registrations of ``school_year`` with their class registrations
        and teachers; rows of other school years are left alone."""
        registrations = list({r.inschrijvings_id: r for r in registrations}.values())
        rows = tables.registration_tables(registrations, institute=institute,
                                          school_year=school_year)
        with self.db:
            for name in tables.REGISTRATION_TABLES[1:]:
                self.db.executemany(
                    f"DELETE FROM {name} WHERE institute=? AND school_year=? "  # noqa: S608
                    "AND inschrijvings_id=?",
                    [(institute, school_year, r["inschrijvings_id"])
                     for r in rows["registrations"]],
                )
            self._insert(rows, (self._now(),))
        return len(rows["registrations"])

    def replace_school_history(
        self, institute: str, school_year: str, history: Iterable[models.SchoolHistory]
    ) -> int:
        """Replace the institute's school history of ``school_year`` with ``history``;
        other school years are left alone."""
        rows = tables.school_history_tables(history, institute=institute,
                                            school_year=school_year)
        with self.db:
            for name in tables.SCHOOL_HISTORY_TABLES:
                self.db.execute(
                    f"DELETE FROM {name} WHERE institute=? AND school_year=?",  # noqa: S608
                    (institute, school_year),
                )
            self._insert(rows)
        return len(rows["school_history"])

    def replace_staff(
        self, institute: str, school_year: str, resource: str, records: Iterable[object]
    ) -> int:
        """Replace the institute's rows of a staff resource (``"employees"``,
        ``"assignments"``, ``"interruptions"``, ``"diplomas"``, ``"own_fields"``) of
        ``school_year`` with ``records``: staff lists are fetched in full, so whoever is no
        longer listed goes. Other school years are left alone. Returns the main table's
        rows."""
        names = staff_tables.STAFF_RESOURCE_TABLES[resource]
        rows = staff_tables.staff_tables(resource, records, institute=institute,
                                         school_year=school_year, include_sensitive=True)
        with self.db:
            for name in names:
                self.db.execute(
                    f"DELETE FROM {name} WHERE institute=? AND school_year=?",  # noqa: S608
                    (institute, school_year))
                columns = staff_tables.STAFF_TABLES[name].names
                self.db.executemany(_INSERT_STAFF[name],
                                    [tuple(r[c] for c in columns) for r in rows[name]])
        return len(rows[names[0]])

    def record_employee_photo(
        self, institute: str, photo: models.EmployeePhoto, path: Path | None
    ) -> None:
        """Remember where an employee's photo was written (``None``: the service sent a
        blank one), with its size and SHA-256."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO employee_photos VALUES (?,?,?,?,?,?,?)",
                (institute, str(photo.person_id), photo.id,
                 None if path is None else self._relative(path), len(photo.photo),
                 hashlib.sha256(photo.photo).hexdigest() if photo.photo else None,
                 self._now()),
            )

    # --- photos ------------------------------------------------------------------------

    def _relative(self, path: Path) -> str:
        return os.path.relpath(os.path.abspath(path), self.photo_root)

    def record_photo(self, institute: str, photo: models.Photo, path: Path) -> None:
        """Remember where a photo was written (relative to the database's directory), with
        its size and SHA-256."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO photos VALUES (?,?,?,?,?,?,?)",
                (institute, str(photo.persoon_id), str(photo.id) if photo.id else None,
                 self._relative(path), len(photo.foto), hashlib.sha256(photo.foto).hexdigest(),
                 self._now()),
            )
            self.db.execute("DELETE FROM photos_missing WHERE institute=? AND persoon_id=?",
                            (institute, str(photo.persoon_id)))

    def record_no_photo(self, institute: str, student_id: uuid.UUID) -> None:
        """Remember that Informat had no photo of the student (so the next sync does not
        ask again until the student is fetched again)."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO photos_missing VALUES (?,?,?)",
                            (institute, str(student_id), self._now()))

    def photo_file(self, institute: str, student_id: uuid.UUID | str) -> Path | None:
        """The file of a student's stored photo, or None."""
        row = self.db.execute(
            "SELECT path FROM photos WHERE institute=? AND persoon_id=?",
            (institute, str(student_id).lower()),
        ).fetchone()
        return self.photo_root / row[0] if row else None

    async def photos_wanted(self, institute: str) -> list[uuid.UUID]:
        """Stored students of the institute whose photo should be fetched: those without
        one (and not known to have none) and those fetched again after their photo was.

        Give it to a bulk run as ``photo_backlog``, so a sync with photos catches up on
        students that did not change since the checkpoint.
        """
        found = self.db.execute(
            """SELECT s.persoon_id FROM students s
               LEFT JOIN photos p ON p.institute=s.institute AND p.persoon_id=s.persoon_id
               LEFT JOIN photos_missing m
                      ON m.institute=s.institute AND m.persoon_id=s.persoon_id
               WHERE s.institute=?
                 AND MAX(COALESCE(p.synced_at, ''), COALESCE(m.checked_at, '')) < s.synced_at
               ORDER BY s.persoon_id""",
            (institute,),
        ).fetchall()
        return [uuid.UUID(r[0]) for r in found]

    # --- checkpoints (CheckpointStore) -------------------------------------------------

    async def get(self, institute: str, school_year: str, resource: str) -> dt.datetime | None:
        row = self.db.execute(
            "SELECT changed_since FROM sync_state WHERE institute=? AND school_year=? "
            "AND resource=?",
            (institute, school_year, resource),
        ).fetchone()
        return dt.datetime.fromisoformat(row[0]) if row else None

    async def set(
        self, institute: str, school_year: str, resource: str, when: dt.datetime
    ) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO sync_state VALUES (?,?,?,?,?)",
                (institute, school_year, resource, when.isoformat(), self._now()),
            )

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {
            t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in names
        }


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__

