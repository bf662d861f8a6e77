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
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from ._cli_args import (
    DEMO_DB,
    EXIT_AUTH,
    EXIT_CONNECTION,
    EXIT_PARTIAL,
    EXIT_PIPE_CLOSED,
    EXIT_USAGE,
    _include,
    _parser,
    _photos_dir,
)
from ._cli_args import EXIT_OK as EXIT_OK
from ._cli_args import _client as _client
from ._cli_args import _institutes as _institutes
from ._cli_args import _retry_hosts as _retry_hosts
from ._cli_args import _school_year as _school_year
from ._cli_args import _warn_no_students as _warn_no_students
from ._cli_commands import _cmd_legacy, _cmd_photo, _cmd_push_absences
from ._cli_commands import _write_file as _write_file
from ._cli_export import _cmd_employees, _cmd_list
from ._cli_export import _make_dirs as _make_dirs
from ._cli_export import _plain as _plain
from ._cli_export import _strerror as _strerror
from ._cli_export import _write_csv as _write_csv
from ._cli_export import _write_output as _write_output
from ._cli_export import _write_records as _write_records
from ._cli_paths import check_db, check_writable_dir, describe_os_error
from ._cli_sync import _cmd_demo, _cmd_sync
from ._cli_sync import _EmptyInstitutes as _EmptyInstitutes
from ._cli_sync import _store_employee_photos as _store_employee_photos
from ._cli_sync import _store_records as _store_records
from ._cli_sync import _sync as _sync
from ._cli_terminal import RetryNotices, output_closed, terminal_logging
from .errors import AuthenticationError, InformatError, InvalidInputError, TransportError

__all__ = ["main"]

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
