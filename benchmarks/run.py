"""Benchmark suite of informat_async: ``python benchmarks/run.py [--quick] [--only NAMES]``.

Starts the fake Informat server on loopback (in child processes), runs every figure,
prints ``name: value`` lines as they are measured, then a summary table (figure, value,
target, met). It reports; it does not assert: the exit code is 0 even when a target is
missed (and 1 only for wrong usage). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from importlib import metadata

import fig_decode
import fig_legacy_decode
import fig_loop_stall
import fig_overhead
import fig_photo_memory
import fig_rate_adherence
import fig_realistic
import fig_speedup
import fig_token_requests
import psutil
from _common import Figure, Result, pin_client_cores, say

FIGURES: dict[str, Callable[[bool], Awaitable[Figure]]] = {
    "rate_adherence": fig_rate_adherence.run,
    "realistic": fig_realistic.run,
    "overhead_vs_raw_aiohttp": fig_overhead.run,
    "speedup_vs_sequential": fig_speedup.run,
    "decode": fig_decode.run,
    "loop_stall": fig_loop_stall.run,
    "photo_memory": fig_photo_memory.run,
    "token_requests": fig_token_requests.run,
    "legacy_decode": fig_legacy_decode.run,
}

_PACKAGES = (
    "informat-async", "aiohttp", "aiolimiter", "attrs", "cattrs",
    "orjson", "msgspec", "pydantic", "psutil",
)


def _environment(quick: bool) -> None:
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    say(f"informat_async benchmarks, {'quick' if quick else 'full'} run")
    memory = psutil.virtual_memory().total / 2**30
    say(f"Python {platform.python_version()} on {platform.platform()}, "
        f"{os.cpu_count()} CPUs, {memory:.1f} GiB, load average {load}")
    say(", ".join(versions))
    say(pin_client_cores())


def _table(results: list[Result]) -> str:
    rows = [("figure", "value", "target", "met")]
    rows += [(r.name, r.value_text(), r.target_text(), r.met_text()) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        f"{name:<{widths[0]}}  {value:>{widths[1]}}  {target:<{widths[2]}}  {met}".rstrip()
        for name, value, target, met in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


async def _main(quick: bool, names: list[str]) -> list[Result]:
    results: list[Result] = []
    for name in names:
        say(f"--- {name}")
        started = time.perf_counter()
        try:
            figure = await FIGURES[name](quick)
        except Exception as exc:  # report and go on: one broken figure must not hide the rest
            traceback.print_exc()
            figure = Figure()
            figure.add(Result(f"{name}.error", f"{type(exc).__name__}: {exc}"[:80]))
        say(f"{name} took {time.perf_counter() - started:.1f}s")
        results.extend(figure.results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller runs; finishes within a minute on 2 cores")
    parser.add_argument("--only", default="",
                        help="comma-separated figures to run: " + ", ".join(FIGURES))
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; choose from {', '.join(FIGURES)}")
    started = time.perf_counter()
    _environment(args.quick)
    results = asyncio.run(_main(args.quick, names))
    print()
    print(_table(results))
    missed = [r.name for r in results if r.met is False]
    print()
    say(f"{len(results)} figures, {sum(r.target is not None for r in results)} with a target, "
        f"{len(missed)} missed; total {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
