"""The ``informat-async`` command line.

``sync`` pulls institutes into SQLite (pupils, and staff with ``--include employees,...``),
``demo`` does the same against the bundled fake server (no credentials, no network),
``students``/``registrations``/``employees``/``photo`` are quick reads, ``legacy`` dumps one
list of the older webservices (``wsInformat.asmx``), and ``push-absences`` saves absences
from a file through the Student API.
Errors end in one line on stderr and a non-zero exit code, never a traceback (file
arguments are checked before anything is fetched; a closed output pipe ends the command
quietly); credentials are read from the environment or options and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import enum
import functools
import json
import logging
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, cast
from urllib.parse import urlsplit

import attrs

from . import __version__
from ._cli_paths import check_db, check_output_file, check_writable_dir, describe_os_error
from ._cli_terminal import NOTICE_LOGGER, RetryNotices, output_closed, terminal_logging
from ._cli_terminal import Progress as _Progress
from ._files import make_private_dirs, private_file
from ._push_absences import push_absences
from .bulk import (
    ALL_RESOURCES,
    STAFF_RESOURCES,
    BulkRun,
    Failure,
    PhotoFetched,
    RecordsFetched,
    Resource,
)
from .client import DEFAULT_API_URL, DEFAULT_IDENTITY_URL, InformatClient
from .errors import (
    AuthenticationError,
    InformatError,
    InvalidInputError,
    TransportError,
)
from .families import PERSONNEL, STUDENT_API
from .models import EmployeePhoto, Registration, SchoolHistory, Student
from .retry import RetryPolicy
from .sinks import DirectoryPhotoSink, photo_extension
from .staff_tables import STAFF_TABLES, staff_tables
from .store import SqliteStore
from .tables import TABLES, Row, registration_tables, student_tables, without_sensitive
from .validation import check_institute, check_school_year, current_school_year

__all__ = ["main"]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_CONNECTION = 4
EXIT_PIPE_CLOSED = 141  # like a Unix tool ended by SIGPIPE (128 + 13)

DEMO_DB = "informat-demo.sqlite"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="informat-async",
        description="Sync Informat's Leerlingen API into SQLite, or read from it.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("-v", "--verbose", action="count", default=0,
                       help="log to stderr (-v info, -vv debug)")
        p.add_argument("--school-year", default=None,
                       help="school year like 2025-26 (default: the current one)")

    def connection(p: argparse.ArgumentParser) -> None:
        p.add_argument("--client-id", default=None,
                       help="client id (default: $INFORMAT_CLIENT_ID)")
        p.add_argument("--client-secret", default=None,
                       help="client secret (default: $INFORMAT_CLIENT_SECRET; prefer the "
                            "environment: options show up in process lists)")
        p.add_argument("--api-url", default=None, help="default: $INFORMAT_API_URL or "
                       + DEFAULT_API_URL)
        p.add_argument("--identity-url", default=None, help="default: $INFORMAT_IDENTITY_URL "
                       "or " + DEFAULT_IDENTITY_URL)
        p.add_argument("--personnel-url", default=None, help="default: "
                       "$INFORMAT_PERSONNEL_URL or " + PERSONNEL.default_url)
        p.add_argument("--rate-limit", type=float, default=10.0,
                       help="requests per second (default 10)")
        p.add_argument("--max-in-flight", type=int, default=10,
                       help="requests in flight at once (default 10)")
        p.add_argument("--timeout", type=float, default=30.0,
                       help="seconds per request (default 30)")
        p.add_argument("--max-attempts", type=int, default=8,
                       help="attempts per request, retries included (default 8)")
        p.add_argument("--proxy", default=None,
                       help="HTTP proxy URL such as http://proxy:3128 (default: $HTTPS_PROXY "
                            "and $NO_PROXY)")

    def sync_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default="informat.sqlite", help="SQLite file (default %(default)s)")
        p.add_argument("--photos-dir", default=None,
                       help="where photo files go (default: <db name>-photos beside the db)")
        p.add_argument("--include", default=",".join(ALL_RESOURCES),
                       help="comma-separated resources (default: %(default)s); staff: "
                            + ",".join(STAFF_RESOURCES))
        p.add_argument("--full", action="store_true",
                       help="ignore the changedSince checkpoints and fetch everything")
        p.add_argument("--quiet", action="store_true", help="no progress bars")

    sync = sub.add_parser("sync", help="sync institutes into SQLite")
    sync.add_argument("institutes", nargs="*", help="6-digit institute numbers")
    sync.add_argument("--institutes-file", default=None,
                      help="file with one institute number per line (# comments allowed)")
    common(sync)
    connection(sync)
    sync_options(sync)

    demo = sub.add_parser("demo", help="sync the bundled fake server: no credentials needed")
    common(demo)
    sync_options(demo)
    demo.add_argument("--institutes", type=int, default=3, help="institutes (default 3)")
    demo.add_argument("--students", type=int, default=50,
                      help="students per institute (default 50)")
    demo.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    demo.add_argument("--faults", action="store_true",
                      help="inject 5xx, 429, resets and truncated bodies (retries absorb them)")
    demo.set_defaults(db=None, include=",".join((*ALL_RESOURCES, *STAFF_RESOURCES)))

    staff = sub.add_parser("employees", help="list a school's staff (personnel API) as JSON "
                           "lines or CSV")
    staff.add_argument("institute")
    staff.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    staff.add_argument("--structure", default=None, help="main structure such as 311")
    staff.add_argument("-o", "--output", default="-",
                       help="file (default: stdout), or with --format csv a directory for one "
                            "CSV per table (addresses, phone numbers, groups...)")
    staff.add_argument("--include-national-numbers", action="store_true",
                       help="also write national register and bis numbers and IBANs "
                            "(blank by default)")
    common(staff)
    connection(staff)

    for name, help_text in (("students", "list students"),
                            ("registrations", "list registrations")):
        p = sub.add_parser(name, help=help_text + " as JSON lines or CSV")
        p.add_argument("institute")
        p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
        p.add_argument("--changed-since", default=None, help="yyyy-mm-dd")
        p.add_argument("-o", "--output", default="-",
                       help="file (default: stdout), or with --format csv a directory "
                            "(existing, or ending in /) for one CSV per table: nested data "
                            "such as addresses, relations and classes included")
        p.add_argument("--include-national-numbers", action="store_true",
                       help="also write national register and bis numbers and IBANs "
                            "(blank by default)")
        common(p)
        connection(p)

    legacy = sub.add_parser(
        "legacy", help="dump one list of the older webservices (wsInformat.asmx) as JSON "
        "lines or CSV; credentials from $INFORMAT_LEGACY_LOGIN and $INFORMAT_LEGACY_PASSWORD")
    legacy.add_argument("method", help="the list: a method name such as leerkrachten or "
                        "internen, or Informat's name such as LeerkrachtenOpdrachten")
    legacy.add_argument("institute", help="6-digit institute number ('-' for none, only "
                        "for smartschool_users)")
    legacy.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    legacy.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="an option of the list, repeatable: -p referentiedatum=01/09/2025 "
                             "-p hoofdstructuur=311 -p smartschoolplatform=x.smartschool.be")
    legacy.add_argument("--url", default=None, help="default: $INFORMAT_LEGACY_URL or "
                        "https://webservice.informatsoftware.be/wsInfSoft/wsInformat.asmx")
    legacy.add_argument("--include-passwords", action="store_true",
                        help="also write password fields (Wachtwoord...); blank by default")
    legacy.add_argument("--timeout", type=float, default=60.0,
                        help="seconds per request (default 60)")
    legacy.add_argument("--max-attempts", type=int, default=8,
                        help="attempts per request, retries included (default 8)")
    legacy.add_argument("--proxy", default=None,
                        help="HTTP proxy URL (default: $HTTPS_PROXY and $NO_PROXY)")
    common(legacy)

    push = sub.add_parser(
        "push-absences", help="save absences from a CSV or JSONL file through the Student "
        "API; every line is checked before any is sent; safe to run again")
    push.add_argument("file", help="columns: institute, student_id, date, part_of_day, "
                      "absence_code, location_id_discimus, timestamp[, school_year]")
    push.add_argument("--format", choices=("csv", "jsonl"), default=None,
                      help="default: by the file's suffix (.jsonl/.json: JSONL, else CSV)")
    push.add_argument("--student-api-url", default=None, help="default: "
                      "$INFORMAT_STUDENT_API_URL or " + STUDENT_API.default_url)
    common(push)
    connection(push)

    photo = sub.add_parser("photo", help="write one student's photo to a file or stdout")
    photo.add_argument("institute")
    photo.add_argument("student_id")
    photo.add_argument("-o", "--output", default="-", help="file (default: stdout)")
    common(photo)
    connection(photo)
    return parser


def _school_year(args: argparse.Namespace) -> str:
    return check_school_year(args.school_year or current_school_year())


def _institutes(args: argparse.Namespace) -> list[str]:
    numbers = list(args.institutes)
    if args.institutes_file:
        try:
            text = Path(args.institutes_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"cannot read {args.institutes_file}: {exc.strerror}") from None
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                numbers.append(line)
    if not numbers:
        raise InvalidInputError("name at least one institute (arguments or --institutes-file)")
    return [check_institute(n, name="institute") for n in numbers]


def _include(text: str) -> tuple[Resource, ...]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    known = (*ALL_RESOURCES, *STAFF_RESOURCES)
    bad = [n for n in names if n not in known]
    if bad or not names:
        raise InvalidInputError(
            f"--include takes {', '.join(known)}; got {', '.join(bad) or 'nothing'}"
        )
    return tuple(cast(Resource, n) for n in names)


def _client(args: argparse.Namespace, **overrides: Any) -> InformatClient:
    client_id = args.client_id or os.environ.get("INFORMAT_CLIENT_ID")
    secret = args.client_secret or os.environ.get("INFORMAT_CLIENT_SECRET")
    if not client_id or not secret:
        raise InvalidInputError(
            "credentials missing: set INFORMAT_CLIENT_ID and INFORMAT_CLIENT_SECRET "
            "(or --client-id/--client-secret); try 'informat-async demo' without any"
        )
    if args.max_attempts < 1:
        raise InvalidInputError("--max-attempts must be at least 1")
    api_url = args.api_url or os.environ.get("INFORMAT_API_URL") or DEFAULT_API_URL
    identity_url = (args.identity_url or os.environ.get("INFORMAT_IDENTITY_URL")
                    or DEFAULT_IDENTITY_URL)
    _retry_hosts(args, api=api_url, identity=identity_url)
    kwargs: dict[str, Any] = {
        "api_url": api_url,
        "identity_url": identity_url,
        "proxy": args.proxy,
        "personnel_url": args.personnel_url or os.environ.get(PERSONNEL.url_env)
        or PERSONNEL.default_url,
        "rate_limit": args.rate_limit if args.rate_limit > 0 else None,
        "max_in_flight": args.max_in_flight,
        "timeout": args.timeout,
        "retry": RetryPolicy(max_attempts=args.max_attempts,
                             deadline=max(60.0, 4 * args.timeout)),
    }
    kwargs.update(overrides)
    return InformatClient(client_id, secret, **kwargs)


async def _sync(
    client: InformatClient,
    institutes: Sequence[str],
    school_year: str,
    *,
    db_path: Path,
    photos_dir: Path,
    include: tuple[Resource, ...],
    full: bool,
    show_progress: bool,
    out: TextIO,
) -> int:
    progress = _Progress(show_progress)
    empty = _EmptyInstitutes()
    sink = DirectoryPhotoSink(photos_dir)
    with SqliteStore(db_path) as store:
        try:
            async with client:
                photos = "photos" in include
                run = BulkRun(
                    client, institutes, school_year, include=include,
                    photo_sink=sink if photos else None,
                    photo_backlog=store.photos_wanted if photos else None,
                    checkpoints=None if full else store, progress=progress,
                )
                async with run:
                    async for event in run:
                        if isinstance(event, RecordsFetched) and (
                                event.resource == "employee_photos"):
                            await _store_employee_photos(store, photos_dir, event)
                        elif isinstance(event, RecordsFetched):
                            empty.note(event)
                            _store_records(store, event, run.school_year)
                        elif isinstance(event, PhotoFetched):
                            if event.photo is None:
                                store.record_no_photo(event.institute, event.student_id)
                            else:
                                store.record_photo(
                                    event.institute, event.photo,
                                    sink.path_for(event.institute, event.photo),
                                )
                        elif isinstance(event, Failure):
                            logging.getLogger("informat_async").warning("%s", event)
        finally:
            progress.close()
        report = run.report
        counts = store.counts()
    failures = report.failures
    nothing_done = not any(r.completed for r in report.institutes.values())
    for family in (AuthenticationError, TransportError):
        # the same trouble everywhere (wrong credentials, unreachable host): say it in one line
        if failures and nothing_done and all(isinstance(f.error, family) for f in failures):
            raise failures[0].error
    print(report.summary(), file=out)
    empty.warn(school_year)
    print(
        f"database {db_path} ({counts['students']} students, {counts['registrations']} "
        f"registrations, {counts['class_registrations']} class registrations, "
        f"{counts['school_history']} school history rows, {counts['photos']} photos)",
        file=out,
    )
    if any(r in STAFF_RESOURCES for r in include):
        print(f"staff: {counts['employees']} employees, {counts['assignments']} assignments, "
              f"{counts['interruptions']} interruptions, {counts['diplomas']} diplomas, "
              f"{counts['own_fields']} own fields, {counts['employee_photos']} employee "
              "photos", file=out)
    print(f"photos in {photos_dir}", file=out)
    return EXIT_OK if report.ok else EXIT_PARTIAL


async def _store_employee_photos(
    store: SqliteStore, photos_dir: Path, event: RecordsFetched
) -> None:
    """Employee photos as private files ``<photos>/<institute>/staff/<person id>.<ext>``
    (0600, in 0700 directories, like the pupils'), recorded in ``employee_photos``."""
    from ._files import make_private_dirs, write_private

    def write(path: Path, data: bytes) -> None:
        make_private_dirs(path.parent)
        write_private(path, data)

    for photo in cast(Sequence[EmployeePhoto], event.records):
        if photo.person_id is None:
            continue
        path = None
        if photo.photo:
            path = (photos_dir / event.institute / "staff"
                    / f"{photo.person_id}{photo_extension(photo.photo)}")
            await asyncio.to_thread(write, path, photo.photo)
        store.record_employee_photo(event.institute, photo, path)


def _store_records(store: SqliteStore, event: RecordsFetched, school_year: str) -> None:
    if event.resource in STAFF_RESOURCES:
        store.replace_staff(event.institute, school_year, event.resource, event.records)
    elif event.resource == "students":
        store.upsert_students(event.institute, cast(Sequence[Student], event.records))
    elif event.resource == "registrations":
        store.upsert_registrations(
            event.institute, school_year, cast(Sequence[Registration], event.records))
    else:
        store.replace_school_history(
            event.institute, school_year, cast(Sequence[SchoolHistory], event.records))


def _photos_dir(args: argparse.Namespace, db: Path) -> Path:
    return Path(args.photos_dir) if args.photos_dir else db.with_name(db.stem + "-photos")


async def _cmd_sync(args: argparse.Namespace) -> int:
    institutes = _institutes(args)
    school_year = _school_year(args)
    include = _include(args.include)
    client = _client(args)
    db = Path(args.db)
    return await _sync(
        client, institutes, school_year, db_path=db, photos_dir=_photos_dir(args, db),
        include=include, full=args.full,
        show_progress=not args.quiet and sys.stderr.isatty(), out=sys.stdout,
    )


async def _cmd_demo(args: argparse.Namespace) -> int:
    from .testing import FakeInformat, Faults  # only the demo needs the fake server

    if not 1 <= args.institutes <= 200 or not 0 <= args.students <= 5000:
        raise InvalidInputError("--institutes takes 1..200 and --students 0..5000")
    school_year = _school_year(args)
    include = _include(args.include)
    db = Path(args.db or DEMO_DB)
    faults = Faults(p_500=0.02, p_503=0.02, p_429=0.01, p_reset=0.005, p_truncate=0.005,
                    retry_after=1, seed=args.seed) if args.faults else Faults()
    print(f"starting the fake Informat server: {args.institutes} institutes x "
          f"{args.students} students, school year {school_year}")
    started = time.monotonic()
    async with FakeInformat(
        institutes=args.institutes, students_per_institute=args.students,
        school_year=school_year, seed=args.seed, faults=faults,
    ) as server:
        _retry_hosts(args, api=server.api_url, identity=server.identity_url)
        client = InformatClient(
            server.client_id, server.client_secret, api_url=server.api_url,
            identity_url=server.identity_url, personnel_url=server.personnel_url,
            rate_limit=500.0, max_in_flight=20,
            retry=RetryPolicy(base_backoff=0.05, max_retry_after=1.0),
        )
        code = await _sync(
            client, list(server.data.institutes), school_year, db_path=db,
            photos_dir=_photos_dir(args, db), include=include, full=args.full,
            show_progress=not args.quiet and sys.stderr.isatty(), out=sys.stdout,
        )
    query = "SELECT naam, voornaam FROM students LIMIT 5"
    print(f"demo finished in {time.monotonic() - started:.1f}s; try:\n  sqlite3 {db} '{query}'")
    return code


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return len(value)
    return value


def _write_records(records: Sequence[Any], fmt: str, out: TextIO) -> None:
    rows = [_plain(r) for r in records]
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    columns = [k for k, v in (rows[0].items() if rows else []) if not isinstance(v, list)]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


async def _cmd_list(args: argparse.Namespace) -> int:
    institute = check_institute(args.institute)
    school_year = _school_year(args)
    target = None if args.output == "-" else Path(args.output)
    as_dir = target is not None and (
        target.is_dir() or args.output.endswith(("/", os.sep)))
    if as_dir and args.format != "csv":
        raise InvalidInputError(
            f"-o {args.output} is a directory: one CSV per table needs --format csv")
    async with _client(args) as client:
        if args.command == "students":
            records: Sequence[Any] = await client.students(
                institute, school_year, changed_since=args.changed_since)
        else:
            records = await client.registrations(
                institute, school_year, changed_since=args.changed_since)
    if args.command == "students" and not records and not args.changed_since:
        _warn_no_students([institute], school_year)
    sensitive = args.include_national_numbers
    if args.format == "jsonl":
        if not sensitive:
            records = without_sensitive(list(records))
        _write_output(target, functools.partial(_write_records, records, "jsonl"))
        return EXIT_OK
    if args.command == "students":
        rows = student_tables(records, institute=institute, include_sensitive=sensitive)
    else:
        rows = registration_tables(records, institute=institute, school_year=school_year)
    if as_dir and target is not None:
        _make_dirs(target)
        for name, table_rows in rows.items():
            _write_output(target / f"{name}.csv", functools.partial(_write_csv, name, table_rows))
        return EXIT_OK
    main_table = args.command
    _write_output(target, functools.partial(_write_csv, main_table, rows[main_table]))
    left_out = [name for name, r in rows.items() if r and name != main_table]
    if left_out:
        print(f"informat-async: the CSV holds the {main_table} table only; -o DIRECTORY/ "
              f"--format csv also writes {', '.join(left_out)}", file=sys.stderr)
    return EXIT_OK


async def _cmd_employees(args: argparse.Namespace) -> int:
    institute = check_institute(args.institute)
    school_year = _school_year(args)
    target = None if args.output == "-" else Path(args.output)
    as_dir = target is not None and (target.is_dir() or args.output.endswith(("/", os.sep)))
    if as_dir and args.format != "csv":
        raise InvalidInputError(
            f"-o {args.output} is a directory: one CSV per table needs --format csv")
    async with _client(args) as client:
        records = await client.personnel.employees(institute, school_year,
                                                   structure=args.structure)
    sensitive = args.include_national_numbers
    if args.format == "jsonl":
        if not sensitive:
            records = without_sensitive(records)
        _write_output(target, functools.partial(_write_records, records, "jsonl"))
        return EXIT_OK
    rows = staff_tables("employees", records, institute=institute, school_year=school_year,
                        include_sensitive=sensitive)
    if as_dir and target is not None:
        _make_dirs(target)
        for name, table_rows in rows.items():
            _write_output(target / f"{name}.csv",
                          functools.partial(_write_csv, name, table_rows))
        return EXIT_OK
    _write_output(target, functools.partial(_write_csv, "employees", rows["employees"]))
    return EXIT_OK


def _write_csv(table: str, rows: Sequence[Row], out: TextIO) -> None:
    columns = TABLES[table].names if table in TABLES else STAFF_TABLES[table].names
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)


def _make_dirs(path: Path) -> None:
    try:
        make_private_dirs(path)
    except OSError as exc:
        raise InvalidInputError(f"cannot create {path}: {_strerror(exc)}") from None


def _write_output(target: Path | None, write: Callable[[TextIO], None]) -> None:
    """Write to stdout, or to a private file (0600) that appears only once complete."""
    if target is None:
        write(sys.stdout)
        return
    try:
        with private_file(target, "w", encoding="utf-8", newline="") as fh:
            write(cast(TextIO, fh))
    except OSError as exc:
        raise InvalidInputError(f"cannot write {target}: {_strerror(exc)}") from None


def _strerror(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


async def _cmd_legacy(args: argparse.Namespace) -> int:
    from .legacy import DEFAULT_LEGACY_URL, InformatLegacyClient, without_passwords

    login = os.environ.get("INFORMAT_LEGACY_LOGIN")
    password = os.environ.get("INFORMAT_LEGACY_PASSWORD")
    if not login or not password:
        raise InvalidInputError(
            "credentials missing: set INFORMAT_LEGACY_LOGIN and INFORMAT_LEGACY_PASSWORD"
        )
    if args.max_attempts < 1:
        raise InvalidInputError("--max-attempts must be at least 1")
    institute = None if args.institute == "-" else check_institute(args.institute)
    options: dict[str, object] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--param takes NAME=VALUE, got {item!r}")
        options[name.strip().replace("-", "_")] = value
    url = args.url or os.environ.get("INFORMAT_LEGACY_URL") or DEFAULT_LEGACY_URL
    _retry_hosts(args, legacy=url)
    async with InformatLegacyClient(
        login, password, url=url, timeout=args.timeout, proxy=args.proxy,
        retry=RetryPolicy(max_attempts=args.max_attempts, deadline=max(60.0, 4 * args.timeout)),
    ) as legacy:
        records = await legacy.call(args.method, institute, _school_year(args), **options)
    if not args.include_passwords:
        records = [without_passwords(r) for r in records]
    _write_records(records, args.format, sys.stdout)
    return EXIT_OK


async def _cmd_push_absences(args: argparse.Namespace) -> int:
    url = (args.student_api_url or os.environ.get("INFORMAT_STUDENT_API_URL")
           or STUDENT_API.default_url)
    async with _client(args, student_api_url=url) as client:
        counts, fatal = await push_absences(client, Path(args.file), fmt=args.format,
                                            out=sys.stdout)
    if fatal is not None:
        raise fatal
    return EXIT_OK if counts["failed"] == 0 else EXIT_PARTIAL


async def _cmd_photo(args: argparse.Namespace) -> int:
    institute = check_institute(args.institute)
    if args.output != "-":
        check_output_file(Path(args.output))  # before the download
    async with _client(args) as client:
        photo = await client.student_photo(institute, args.student_id)
    if args.output == "-":
        sys.stdout.buffer.write(photo.foto)
        sys.stdout.flush()
    else:
        _write_file(Path(args.output), photo.foto)
    return EXIT_OK


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _retry_hosts(args: argparse.Namespace, **urls: str) -> None:
    """Tell the retry notices which host each URL names (``api``, ``identity``, ``legacy``)."""
    notices = getattr(args, "notices", None)
    if isinstance(notices, RetryNotices):
        notices.hosts.update({k: urlsplit(v).netloc or v for k, v in urls.items()})


class _EmptyInstitutes:
    """Institutes whose complete list of students came back empty: the school year asked
    for is then likely not the one the school's data is in."""

    def __init__(self) -> None:
        self.institutes: list[str] = []

    def note(self, event: RecordsFetched) -> None:
        if event.resource == "students" and event.changed_since is None and not event.records:
            self.institutes.append(event.institute)

    def warn(self, school_year: str) -> None:
        if self.institutes:
            _warn_no_students(self.institutes, school_year)


def _warn_no_students(institutes: Sequence[str], school_year: str) -> None:
    current = current_school_year()
    if school_year == current:
        start = int(current[:4])
        hint = (f"the current one, the default; it may be the wrong one: pass "
                f"--school-year, for example {start - 1}-{start % 100:02d}")
    else:
        hint = f"it may be the wrong one; the current school year is {current}"
    logging.getLogger(NOTICE_LOGGER).warning(
        "no students for institute %s in school year %s (%s)",
        ", ".join(institutes), school_year, hint,
    )


def _check_paths(args: argparse.Namespace) -> None:
    """Fail before fetching anything when a file argument cannot be written."""
    if args.command not in ("sync", "demo"):
        return
    db = Path(args.db or DEMO_DB)
    check_db(db)
    if "photos" in _include(args.include):
        option = "--photos-dir" if args.photos_dir else "the photo directory (--photos-dir)"
        check_writable_dir(_photos_dir(args, db), option=option)


def _shows_bars(args: argparse.Namespace) -> bool:
    return args.command in ("sync", "demo") and not args.quiet and sys.stderr.isatty()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    commands = {"sync": _cmd_sync, "demo": _cmd_demo, "students": _cmd_list,
                "registrations": _cmd_list, "photo": _cmd_photo, "legacy": _cmd_legacy,
                "push-absences": _cmd_push_absences, "employees": _cmd_employees}
    args.notices = RetryNotices()
    with terminal_logging(args.verbose, bars=_shows_bars(args), notices=args.notices):
        try:
            _check_paths(args)
            code = asyncio.run(commands[args.command](args))
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
            return code
        except BrokenPipeError:
            output_closed()
            return EXIT_PIPE_CLOSED
        except KeyboardInterrupt:
            _error("interrupted")
            return 130
        except InvalidInputError as exc:
            _error(f"error: {exc}")
            return EXIT_USAGE
        except AuthenticationError as exc:
            _error(f"authentication failed: {exc}")
            return EXIT_AUTH
        except TransportError as exc:
            _error(f"cannot reach Informat: {exc}")
            return EXIT_CONNECTION
        except InformatError as exc:
            _error(f"{type(exc).__name__}: {exc}")
            return EXIT_PARTIAL
        except sqlite3.Error as exc:
            _error(f"error: database {getattr(args, 'db', None) or DEMO_DB}: {exc}")
            return EXIT_USAGE
        except OSError as exc:
            _error(f"error: {describe_os_error(exc)}")
            return EXIT_USAGE


def _error(message: str) -> None:
    """One line on stderr (which may itself be closed: then nothing)."""
    with contextlib.suppress(OSError):
        print(f"informat-async: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
