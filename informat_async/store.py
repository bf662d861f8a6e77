"""The SQLite sink of the ``sync`` command: schema, idempotent upserts, checkpoints.

Every table is keyed on Informat's GUIDs (and the institute), so syncing twice never
duplicates a row: a student's row is upserted and its child rows (addresses, relations,
phone numbers, e-mails, bank accounts) are replaced as a set. School history has no GUID
of its own and has no ``changedSince``, so it is replaced per institute on each sync.
Photos are files in a directory beside the database (see ``photos`` for path and hash).

The store also implements :class:`~informat_async.checkpoints.CheckpointStore` on the
``sync_state`` table. Calls are synchronous SQLite and quick; they run on the event loop's
thread, which owns the connection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import models

__all__ = ["SCHEMA", "SqliteStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS students (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, p_persoon INTEGER,
    naam TEXT, voornaam TEXT, geboortedatum TEXT, nickname TEXT, voornaam2 TEXT,
    initialen TEXT, geboorteland TEXT, geboorteplaats TEXT, nationaliteit_code TEXT,
    rijksregisternr TEXT, bisnr TEXT, geslacht TEXT, huisdokter TEXT,
    telefoon_huisdokter TEXT, ll_op_school INTEGER, inschrijvings_id TEXT,
    leerlingenkaart_nummer TEXT, fiets_nummer TEXT, synced_at TEXT NOT NULL,
    PRIMARY KEY (institute, persoon_id)
);
CREATE TABLE IF NOT EXISTS relations (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, relatie_id TEXT NOT NULL,
    p_relatie INTEGER, type TEXT, naam TEXT, voornaam TEXT, insz TEXT, geboortedatum TEXT,
    geslacht TEXT, nationaliteit_code TEXT, beroep TEXT, burgerlijke_stand TEXT, lpv INTEGER,
    ophalen INTEGER, is_overleden INTEGER, position INTEGER NOT NULL,
    PRIMARY KEY (institute, persoon_id, relatie_id)
);
CREATE TABLE IF NOT EXISTS addresses (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL,
    relatie_id TEXT NOT NULL DEFAULT '',  -- '' for the student's own addresses
    kind TEXT NOT NULL,                   -- 'domicile', 'other' or 'relation'
    position INTEGER NOT NULL, adres_id TEXT, p_adres INTEGER, aanspreek_titel TEXT,
    aanspreek_naam TEXT, straat TEXT, nr TEXT, bus TEXT, postcode TEXT, gemeente TEXT,
    landcode TEXT, is_facturatie INTEGER, is_aanschrijf INTEGER, is_verblijf INTEGER,
    is_overige INTEGER, percentage TEXT,
    PRIMARY KEY (institute, persoon_id, relatie_id, kind, position)
);
CREATE TABLE IF NOT EXISTS comnrs (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, relatie_id TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL, p_comnr INTEGER, nr TEXT, type TEXT, soort TEXT,
    PRIMARY KEY (institute, persoon_id, relatie_id, position)
);
CREATE TABLE IF NOT EXISTS emails (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, relatie_id TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL, p_email INTEGER, email TEXT, type TEXT, schoolcom INTEGER,
    factuur_mailen INTEGER,
    PRIMARY KEY (institute, persoon_id, relatie_id, position)
);
CREATE TABLE IF NOT EXISTS bank_accounts (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, position INTEGER NOT NULL,
    type INTEGER, iban TEXT, bic TEXT,
    PRIMARY KEY (institute, persoon_id, position)
);
CREATE TABLE IF NOT EXISTS registrations (
    institute TEXT NOT NULL, inschrijvings_id TEXT NOT NULL, p_inschr INTEGER,
    p_persoon INTEGER, persoon_id TEXT, instelnr TEXT, hfdstructuur TEXT, school TEXT,
    stamnr TEXT, vest_code TEXT, vestiging TEXT, begindatum TEXT, einddatum TEXT,
    afd_code TEXT, nr_admgrp TEXT, afdelingsjaar TEXT, status INTEGER, graad TEXT,
    leerjaar INTEGER, taalkeuze TEXT, fin_code TEXT, levensbeschouwing_code TEXT,
    is_okan INTEGER, pre_registration_id TEXT, synced_at TEXT NOT NULL,
    PRIMARY KEY (institute, inschrijvings_id)
);
CREATE INDEX IF NOT EXISTS registrations_student ON registrations (institute, persoon_id);
CREATE TABLE IF NOT EXISTS class_registrations (
    institute TEXT NOT NULL, inschrijvings_id TEXT NOT NULL, position INTEGER NOT NULL,
    inschr_klas_id TEXT, p_inschr_klas INTEGER, klas_id TEXT, p_klas INTEGER,
    klas_code TEXT, klas TEXT, groep_type INTEGER, klasnummer INTEGER,
    begindatum TEXT, einddatum TEXT,
    PRIMARY KEY (institute, inschrijvings_id, position)
);
CREATE TABLE IF NOT EXISTS class_teachers (
    institute TEXT NOT NULL, inschrijvings_id TEXT NOT NULL, class_position INTEGER NOT NULL,
    position INTEGER NOT NULL, persoon_id TEXT, naam TEXT, voornaam TEXT,
    PRIMARY KEY (institute, inschrijvings_id, class_position, position)
);
CREATE TABLE IF NOT EXISTS school_history (
    institute TEXT NOT NULL, position INTEGER NOT NULL, persoon_id TEXT NOT NULL,
    p_persoon INTEGER, schooljaar TEXT, instelnr TEXT, school TEXT, van_datum TEXT,
    tot_datum TEXT, nr_admgrp TEXT, admgrp TEXT,
    PRIMARY KEY (institute, position)
);
CREATE TABLE IF NOT EXISTS certificates (
    institute TEXT NOT NULL, history_position INTEGER NOT NULL, position INTEGER NOT NULL,
    studiebewijs TEXT, uitreiking TEXT, clausulering TEXT,
    PRIMARY KEY (institute, history_position, position)
);
CREATE TABLE IF NOT EXISTS photos (
    institute TEXT NOT NULL, persoon_id TEXT NOT NULL, photo_id TEXT, path TEXT NOT NULL,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, synced_at TEXT NOT NULL,
    PRIMARY KEY (institute, persoon_id)
);
CREATE TABLE IF NOT EXISTS sync_state (
    institute TEXT NOT NULL, resource TEXT NOT NULL, changed_since TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (institute, resource)
);
"""


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _u(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _b(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _e(value: object) -> Any:
    return getattr(value, "value", value)


class SqliteStore:
    """An SQLite database holding synced institutes; use as a context manager or close()."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)

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

    # --- students ----------------------------------------------------------------------

    def upsert_students(self, institute: str, students: Iterable[models.Student]) -> int:
        """Insert or update students with all their child rows; returns how many."""
        now = self._now()
        count = 0
        with self.db:
            for s in students:
                sid = str(s.persoon_id)
                self.db.execute(
                    "INSERT OR REPLACE INTO students VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (institute, sid, s.p_persoon, s.naam, s.voornaam, _d(s.geboortedatum),
                     s.nickname, s.voornaam2, s.initialen, s.geboorteland, s.geboorteplaats,
                     s.nationaliteit_code, s.rijksregisternr, s.bisnr, _e(s.geslacht),
                     s.huisdokter, s.telefoon_huisdokter, s.ll_op_school,
                     _u(s.inschrijvings_id), s.leerlingenkaart_nummer, s.fiets_nummer, now),
                )
                for table in ("relations", "addresses", "comnrs", "emails", "bank_accounts"):
                    self.db.execute(
                        f"DELETE FROM {table} WHERE institute=? AND persoon_id=?",  # noqa: S608
                        (institute, sid),
                    )
                self._addresses(institute, sid, "", "domicile", s.adressen)
                self._addresses(institute, sid, "", "other", s.overige_adressen)
                self._contacts(institute, sid, "", s.comnrs, s.emails)
                for pos, r in enumerate(s.relaties):
                    rid = _u(r.relatie_id) or f"position-{pos}"
                    self.db.execute(
                        "INSERT OR REPLACE INTO relations VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (institute, sid, rid, r.p_relatie, r.type, r.naam, r.voornaam, r.insz,
                         _d(r.geboortedatum), _e(r.geslacht), r.nationaliteit_code, r.beroep,
                         r.burgerlijke_stand, r.lpv, _b(r.ophalen), _b(r.is_overleden), pos),
                    )
                    self._addresses(institute, sid, rid, "relation", r.adressen)
                    self._contacts(institute, sid, rid, r.comnrs, r.emails)
                self.db.executemany(
                    "INSERT INTO bank_accounts VALUES (?,?,?,?,?,?)",
                    [(institute, sid, pos, _e(b.type), b.iban, b.bic)
                     for pos, b in enumerate(s.bankrek)],
                )
                count += 1
        return count

    def _addresses(
        self, institute: str, sid: str, rid: str, kind: str, items: Sequence[models.Address]
    ) -> None:
        self.db.executemany(
            "INSERT INTO addresses VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(institute, sid, rid, kind, pos, _u(a.adres_id), a.p_adres, a.aanspreek_titel,
              a.aanspreek_naam, a.straat, a.nr, a.bus, a.postcode, a.gemeente, a.landcode,
              _b(a.is_facturatie), _b(a.is_aanschrijf), _b(a.is_verblijf), _b(a.is_overige),
              str(a.percentage) if a.percentage is not None else None)
             for pos, a in enumerate(items)],
        )

    def _contacts(
        self,
        institute: str,
        sid: str,
        rid: str,
        comnrs: Sequence[models.CommunicationNumber],
        emails: Sequence[models.Email],
    ) -> None:
        self.db.executemany(
            "INSERT INTO comnrs VALUES (?,?,?,?,?,?,?,?)",
            [(institute, sid, rid, pos, c.p_comnr, c.nr, c.type, c.soort)
             for pos, c in enumerate(comnrs)],
        )
        self.db.executemany(
            "INSERT INTO emails VALUES (?,?,?,?,?,?,?,?,?)",
            [(institute, sid, rid, pos, e.p_email, e.email, e.type, _b(e.schoolcom),
              _b(e.factuur_mailen)) for pos, e in enumerate(emails)],
        )

    # --- registrations -----------------------------------------------------------------

    def upsert_registrations(
        self, institute: str, registrations: Iterable[models.Registration]
    ) -> int:
        """Insert or update registrations with their class registrations and teachers."""
        now = self._now()
        count = 0
        with self.db:
            for r in registrations:
                rid = str(r.inschrijvings_id)
                self.db.execute(
                    "INSERT OR REPLACE INTO registrations VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (institute, rid, r.p_inschr, r.p_persoon, _u(r.persoon_id), r.instelnr,
                     r.hfdstructuur, r.school, r.stamnr, r.vest_code, r.vestiging,
                     _d(r.begindatum), _d(r.einddatum), r.afd_code, r.nr_admgrp,
                     r.afdelingsjaar, _e(r.status), r.graad, r.leerjaar, r.taalkeuze,
                     r.fin_code, r.levensbeschouwing_code, _b(r.is_okan),
                     _u(r.pre_registration_id), now),
                )
                for table in ("class_registrations", "class_teachers"):
                    self.db.execute(
                        f"DELETE FROM {table} WHERE institute=? AND inschrijvings_id=?",  # noqa: S608
                        (institute, rid),
                    )
                for pos, k in enumerate(r.inschr_klassen):
                    self.db.execute(
                        "INSERT INTO class_registrations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (institute, rid, pos, _u(k.inschr_klas_id), k.p_inschr_klas,
                         _u(k.klas_id), k.p_klas, k.klas_code, k.klas, _e(k.groep_type),
                         k.klasnummer, _d(k.begindatum), _d(k.einddatum)),
                    )
                    self.db.executemany(
                        "INSERT INTO class_teachers VALUES (?,?,?,?,?,?,?)",
                        [(institute, rid, pos, tpos, _u(t.persoon_id), t.naam, t.voornaam)
                         for tpos, t in enumerate(k.klassenleraars)],
                    )
                count += 1
        return count

    # --- school history ----------------------------------------------------------------

    def replace_school_history(
        self, institute: str, history: Iterable[models.SchoolHistory]
    ) -> int:
        """Replace the institute's school history with ``history``."""
        count = 0
        with self.db:
            self.db.execute("DELETE FROM school_history WHERE institute=?", (institute,))
            self.db.execute("DELETE FROM certificates WHERE institute=?", (institute,))
            for pos, h in enumerate(history):
                self.db.execute(
                    "INSERT INTO school_history VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (institute, pos, str(h.persoon_id), h.p_persoon, h.schooljaar, h.instelnr,
                     h.school, _d(h.van_datum), _d(h.tot_datum), h.nr_admgrp, h.admgrp),
                )
                self.db.executemany(
                    "INSERT INTO certificates VALUES (?,?,?,?,?,?)",
                    [(institute, pos, cpos, c.studiebewijs, _d(c.uitreiking), c.clausulering)
                     for cpos, c in enumerate(h.studiebewijzen)],
                )
                count += 1
        return count

    # --- photos ------------------------------------------------------------------------

    def record_photo(self, institute: str, photo: models.Photo, path: Path) -> None:
        """Remember where a photo was written, with its size and SHA-256."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO photos VALUES (?,?,?,?,?,?,?)",
                (institute, str(photo.persoon_id), _u(photo.id), str(path), len(photo.foto),
                 hashlib.sha256(photo.foto).hexdigest(), self._now()),
            )

    # --- checkpoints (CheckpointStore) -------------------------------------------------

    async def get(self, institute: str, resource: str) -> dt.datetime | None:
        row = self.db.execute(
            "SELECT changed_since FROM sync_state WHERE institute=? AND resource=?",
            (institute, resource),
        ).fetchone()
        return dt.datetime.fromisoformat(row[0]) if row else None

    async def set(self, institute: str, resource: str, when: dt.datetime) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO sync_state VALUES (?,?,?,?)",
                (institute, resource, when.isoformat(), self._now()),
            )

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        tables = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {
            t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in tables
        }
