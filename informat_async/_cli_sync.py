"""The ``sync`` and ``demo`` commands: institutes into SQLite, photos into private files."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO, cast

from ._cli_args import (
    DEMO_DB,
    EXIT_OK,
    EXIT_PARTIAL,
    _client,
    _include,
    _institutes,
    _photos_dir,
    _retry_hosts,
    _school_year,
    _warn_no_students,
)
from ._cli_terminal import Progress as _Progress
from .bulk import STAFF_RESOURCES, BulkRun, Failure, PhotoFetched, RecordsFetched, Resource
from .client import InformatClient
from .errors import AuthenticationError, InvalidInputError, TransportError
from .models import EmployeePhoto, Registration, SchoolHistory, Student
from .retry import RetryPolicy
from .sinks import DirectoryPhotoSink, photo_extension
from .store import SqliteStore


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


