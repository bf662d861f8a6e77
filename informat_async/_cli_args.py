"""The command line's arguments: the parser, the exit codes, and what the commands read
from the arguments (institutes, school year, resources, the client and its hosts)."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from . import __version__
from ._cli_terminal import NOTICE_LOGGER, RetryNotices
from .bulk import ALL_RESOURCES, STAFF_RESOURCES, Resource
from .client import DEFAULT_API_URL, DEFAULT_IDENTITY_URL, InformatClient
from .errors import InvalidInputError
from .families import PERSONNEL, STUDENT_API
from .retry import RetryPolicy
from .validation import check_institute, check_school_year, current_school_year

__all__ = [
    "DEMO_DB", "EXIT_AUTH", "EXIT_CONNECTION", "EXIT_OK", "EXIT_PARTIAL", "EXIT_PIPE_CLOSED",
    "EXIT_USAGE",
]


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


def _photos_dir(args: argparse.Namespace, db: Path) -> Path:
    return Path(args.photos_dir) if args.photos_dir else db.with_name(db.stem + "-photos")


def _retry_hosts(args: argparse.Namespace, **urls: str) -> None:
    """Tell the retry notices which host each URL names (``api``, ``identity``, ``legacy``)."""
    notices = getattr(args, "notices", None)
    if isinstance(notices, RetryNotices):
        notices.hosts.update({k: urlsplit(v).netloc or v for k, v in urls.items()})


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

