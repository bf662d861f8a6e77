"""The ``legacy``, ``push-absences`` and ``photo`` commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ._cli_args import EXIT_OK, EXIT_PARTIAL, _client, _retry_hosts, _school_year
from ._cli_export import _write_records
from ._cli_paths import check_output_file
from ._push_absences import push_absences
from .errors import InvalidInputError
from .families import STUDENT_API
from .retry import RetryPolicy
from .validation import check_institute


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


