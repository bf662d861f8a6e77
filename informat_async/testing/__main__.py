"""Run the fake Informat server from a shell: ``python -m informat_async.testing --help``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import sys
from collections.abc import Sequence

from ._faults import Faults
from ._server import FakeInformat
from ._util import current_school_year, parse_school_year


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m informat_async.testing",
        description="Serve a fake Informat identity server and 'Leerlingen' API until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind, 0 for any (8080)")
    parser.add_argument(
        "--institutes",
        default="123456,654321",
        help="comma-separated institute numbers, or a count to generate (123456,654321)",
    )
    parser.add_argument("--students", type=int, default=25, help="students per institute (25)")
    parser.add_argument("--school-year", default=None,
                        help="school year (default: the current one, as informat-async sync)")
    parser.add_argument("--seed", type=int, default=0, help="data seed (0)")
    parser.add_argument(
        "--spec-examples", action="store_true", help="also serve institute 999999 (spec examples)"
    )
    parser.add_argument(
        "--random-key-case", action="store_true", help="randomize the case of every JSON key"
    )
    parser.add_argument("--rate-limit", type=float, default=None, help="requests per second")
    parser.add_argument("--photo-size", type=int, default=None, help="photo size in bytes")
    parser.add_argument("--client-id", default="informat_customer_fake", help="client id")
    parser.add_argument("--client-secret", default="fake-secret", help="client secret")
    parser.add_argument("--legacy-login", default=None,
                        help="login of the older webservices (default: generated)")
    parser.add_argument("--legacy-password", default=None,
                        help="its password (default: generated)")
    parser.add_argument("--p-503", type=float, default=0.0, help="probability of a 503")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    return parser


def describe(server: FakeInformat) -> str:
    """What to pass to a client of the running ``server``: the values ``InformatClient``
    takes, the environment of ``informat-async`` and a ready-to-paste ``sync`` line."""
    q = shlex.quote
    institutes = " ".join(n for n in server.data.institutes)
    lines = [
        f"api_url:       {server.api_url}",
        f"identity_url:  {server.identity_url}",
        f"client_id:     {server.client_id}",
        f"client_secret: {server.client_secret}",
        f"school year:   {server.school_year}",
        f"personnel_url: {server.personnel_url}",
        f"student_api_url: {server.student_api_url}",
    ]
    lines += [
        f"institute {number}: {len(institute.students)} students, {institute.name}"
        for number, institute in server.data.institutes.items()
    ]
    lines += [
        "",
        "Python:",
        f"  InformatClient({server.client_id!r}, {server.client_secret!r},",
        f"                 api_url={server.api_url!r}, identity_url={server.identity_url!r})",
        "",
        "Shell:",
        f"  export INFORMAT_API_URL={q(server.api_url)}",
        f"  export INFORMAT_IDENTITY_URL={q(server.identity_url)}",
        f"  export INFORMAT_CLIENT_ID={q(server.client_id)}",
        f"  export INFORMAT_CLIENT_SECRET={q(server.client_secret)}",
        f"  informat-async sync {institutes} --school-year {server.school_year}",
        "",
        "Older webservices (wsInformat.asmx):",
        f"  export INFORMAT_LEGACY_URL={q(server.legacy_url)}",
        f"  export INFORMAT_LEGACY_LOGIN={q(server.legacy_login)}",
        f"  export INFORMAT_LEGACY_PASSWORD={q(server.legacy_password)}",
    ]
    return "\n".join(lines)


async def _serve(args: argparse.Namespace) -> None:
    institutes: Sequence[str] | int
    text = str(args.institutes).strip()
    is_count = text.isascii() and text.isdigit() and len(text) < 6
    institutes = int(text) if is_count else text.split(",")
    server = FakeInformat(
        institutes=institutes,
        students_per_institute=args.students,
        school_year=args.school_year,
        seed=args.seed,
        faults=Faults(p_503=args.p_503, latency=args.latency),
        rate_limit=args.rate_limit,
        spec_examples=args.spec_examples,
        key_case="random" if args.random_key_case else "spec",
        host=args.host,
        port=args.port,
        photo_size=args.photo_size,
        client_id=args.client_id,
        client_secret=args.client_secret,
        legacy_login=args.legacy_login,
        legacy_password=args.legacy_password,
    )
    async with server:
        print(describe(server))
        print("Press Ctrl-C to stop.", flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``python -m informat_async.testing``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.school_year is None:
        args.school_year = current_school_year()
    elif parse_school_year(args.school_year) is None:
        parser.error(f"--school-year takes a school year like 2025-26, got {args.school_year!r}")
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(args))
    except (OSError, ValueError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
