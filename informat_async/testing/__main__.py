"""Run the fake Informat server from a shell: ``python -m informat_async.testing --help``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Sequence

from ._faults import Faults
from ._server import FakeInformat


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
    parser.add_argument("--school-year", default="2025-26", help="school year (2025-26)")
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
    parser.add_argument("--p-503", type=float, default=0.0, help="probability of a 503")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    institutes: Sequence[str] | int
    text = str(args.institutes).strip()
    institutes = int(text) if text.isdigit() and len(text) < 6 else text.split(",")
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
    )
    async with server:
        print(f"API:           {server.api_url}/1/")
        print(f"Identity:      {server.identity_url}/connect/token")
        print(f"client_id:     {server.client_id}")
        print(f"client_secret: {server.client_secret}")
        print(f"school year:   {server.school_year}")
        print(f"personnel:     {server.personnel_url}/employees")
        print(f"legacy (ASMX): {server.legacy_url}")
        print(f"legacy login:  {server.legacy_login} / {server.legacy_password}")
        for number, institute in server.data.institutes.items():
            print(f"institute {number}: {len(institute.students)} students, {institute.name}")
        print("Press Ctrl-C to stop.", flush=True)
        await asyncio.Event().wait()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``python -m informat_async.testing``."""
    args = _parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
