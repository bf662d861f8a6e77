"""The ``students``, ``registrations`` and ``employees`` commands: one list as CSV tables or
JSON lines, on stdout or in private files."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import enum
import functools
import json
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, cast

import attrs

from ._cli_args import EXIT_OK, _client, _school_year, _warn_no_students
from ._files import make_private_dirs, private_file
from .errors import InvalidInputError
from .staff_tables import STAFF_TABLES, staff_tables
from .tables import TABLES, Row, registration_tables, student_tables, without_sensitive
from .validation import check_institute


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


