"""The SQLite schema of informat-async 0.1 (schema version 0), to test the migration."""

SCHEMA_V0 = """
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
