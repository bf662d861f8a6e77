"""``informat-async push-absences FILE``: absences from a CSV or JSONL file to the Student API.

Each line names ``institute``, ``student_id``, ``date``, ``part_of_day`` (VM/NM),
``absence_code`` (or ``code``), ``location_id_discimus`` (or ``location``) and ``timestamp``;
``school_year`` is optional (the school year of the date). Every line is checked before any
is sent: one bad line (or two lines for the same student, date and part of day) and nothing
is sent. Then the lines go out under the client's rate limit, and each is reported as
``created``, ``updated``, ``unchanged`` or ``failed`` with its code. Saving an absence is a
PUT, so running the same file again is safe: what was saved answers ``unchanged``.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

import attrs

from ._student_api_rules import id_problems, validate_absence
from .client import InformatClient
from .errors import (
    APIStatusError,
    AuthenticationError,
    InformatError,
    InvalidInputError,
    Problem,
    TransportError,
)
from .models.student_api import Absence
from .validation import check_institute, current_school_year

__all__ = ["AbsenceLine", "push_absences", "read_absence_lines"]

_ALIASES = {"code": "absence_code", "location": "location_id_discimus"}
_FIELDS = ("institute", "student_id", "date", "part_of_day", "absence_code",
           "location_id_discimus", "timestamp")


@attrs.frozen
class AbsenceLine:
    """One line of the file: where it was, what it says, and what is wrong with it."""

    number: int
    institute: str
    student_id: str
    absence: Absence | None
    problems: tuple[Problem, ...] = ()


def _records(path: Path, fmt: str | None) -> list[tuple[int, Mapping[str, Any] | None]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path.name}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path.name} is not UTF-8 text") from None
    kind = fmt or ("jsonl" if path.suffix.lower() in (".jsonl", ".json", ".ndjson") else "csv")
    records: list[tuple[int, Mapping[str, Any] | None]] = []
    if kind == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                value = None
            records.append((number, value if isinstance(value, dict) else None))
        return records
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        records.append((reader.line_num, {k.strip(): v for k, v in row.items() if k}))
    return records


def _line(number: int, record: Mapping[str, Any] | None) -> AbsenceLine:
    if record is None:
        return AbsenceLine(number, "", "", None, (Problem("INPUT", "line", "not a JSON object"),))
    values = {_ALIASES.get(k.strip().lower(), k.strip().lower()): v for k, v in record.items()}
    problems: list[Problem] = [Problem("INPUT", name, "the column is missing")
                               for name in _FIELDS if name not in values]
    institute = str(values.get("institute") or "").strip()
    try:
        check_institute(institute)
    except InvalidInputError:
        problems.append(Problem("INPUT", "institute", "must be 6 digits"))
    location: Any = values.get("location_id_discimus")
    if isinstance(location, str):
        location = int(location) if location.strip().isdigit() else location
    day = values.get("date")
    school_year = values.get("school_year")
    if not school_year and isinstance(day, str):
        try:
            school_year = current_school_year(dt.date.fromisoformat(day.strip()))
        except ValueError:
            school_year = None
    absence = Absence(
        school_year=school_year or "", absence_code=values.get("absence_code") or "",
        date=day or "", part_of_day=values.get("part_of_day") or "",
        location_id_discimus=location, timestamp=values.get("timestamp") or "",
    )
    student = str(values.get("student_id") or "").strip()
    problems += id_problems(student, "student_id", "INPUT")
    problems += validate_absence(absence)
    return AbsenceLine(number, institute, student, absence, tuple(problems))


def read_absence_lines(path: Path, fmt: str | None = None) -> list[AbsenceLine]:
    """Every line of the file, checked (``fmt``: ``"csv"``, ``"jsonl"`` or by suffix)."""
    lines = [_line(number, record) for number, record in _records(path, fmt)]
    seen: dict[tuple[str, str, str, str], int] = {}
    checked = []
    for line in lines:
        if line.absence is not None and not line.problems:
            key = (line.institute, line.student_id.lower().strip("{}"), str(line.absence.date),
                   str(line.absence.part_of_day))
            if key in seen:
                line = attrs.evolve(line, problems=(Problem(
                    "INPUT", "line", f"the same student, date and part of day as line "
                    f"{seen[key]}"),))
            else:
                seen[key] = line.number
        checked.append(line)
    return checked


async def push_absences(
    client: InformatClient, path: Path, *, fmt: str | None, out: TextIO
) -> tuple[dict[str, int], InformatError | None]:
    """Check every line, then send them; write one report line per input line.

    Returns the count per outcome and, when every line failed to reach Informat or the
    credentials were refused, the error that says why (for the exit code).
    """
    lines = read_absence_lines(path, fmt)
    bad = [line for line in lines if line.problems]
    if bad:
        for line in bad:
            out.write(f"line {line.number}: invalid: "
                      + "; ".join(str(p) for p in line.problems) + "\n")
        raise InvalidInputError(f"{len(bad)} of {len(lines)} lines are invalid; nothing was sent")
    if not lines:
        raise InvalidInputError(f"{path.name} holds no absences")
    results = await asyncio.gather(*(_send(client, line) for line in lines))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    errors: list[InformatError] = []
    for line, (outcome, error) in zip(lines, results, strict=True):
        counts[outcome] += 1
        if error is None:
            out.write(f"line {line.number}: {outcome}\n")
            continue
        errors.append(error)
        codes = error.codes if isinstance(error, APIStatusError) else ()
        label = ",".join(codes) or (f"HTTP {error.status}" if isinstance(error, APIStatusError)
                                    else type(error).__name__)
        out.write(f"line {line.number}: failed {label}: {error}\n")
    out.write(", ".join(f"{k} {v}" for k, v in counts.items()) + "\n")
    fatal: InformatError | None = next(
        (e for e in errors if isinstance(e, AuthenticationError)), None)
    if fatal is None and errors and len(errors) == len(lines) and all(
            isinstance(e, TransportError) for e in errors):
        fatal = errors[0]
    return counts, fatal


async def _send(client: InformatClient, line: AbsenceLine) -> tuple[str, InformatError | None]:
    assert line.absence is not None
    try:
        saved = await client.student_api.save_absence(line.institute, line.student_id,
                                                      line.absence)
    except InformatError as error:
        return "failed", error
    return saved.outcome, None
