"""Figure 3, ``speedup_vs_sequential``: ``fetch_all`` against one request after another.

Institutes x students with photos, every answer 100 ms late (a remote API), no rate limit.
The sequential loop is the way every public peer (the PHP, C# and Python Informat clients
in use) works: per institute students, registrations, school history, then each student's
photo, one call at a time, with the same client. ``fetch_all`` does the same requests with
``max_in_flight=32``.

* ``ratio``: sequential time / ``fetch_all`` time (median of the ``fetch_all`` runs);
  target >= 25 in the full run (the quick run is too small to fill 32 slots for long).
* ``ideal_ratio``: the bound ``max_in_flight`` sets: with 32 requests in flight at best 32
  go out per latency instead of one; ``efficiency`` = ratio / ideal_ratio.
"""

from __future__ import annotations

import asyncio
import time

from _common import SCHOOL_YEAR, Figure, Result, ServerProcess, median, say

from informat_async import InformatClient
from informat_async.errors import NotFoundError

LATENCY = 0.1
MAX_IN_FLIGHT = 32


async def sequential(client: InformatClient, institutes: list[str]) -> dict[str, int]:
    counts = {"students": 0, "registrations": 0, "school_history": 0, "photos": 0}
    for institute in institutes:
        students = await client.students(institute, SCHOOL_YEAR)
        counts["students"] += len(students)
        counts["registrations"] += len(await client.registrations(institute, SCHOOL_YEAR))
        counts["school_history"] += len(await client.school_history(institute, SCHOOL_YEAR))
        for student in students:
            try:
                await client.student_photo(institute, student.persoon_id)
            except NotFoundError:
                continue
            counts["photos"] += 1
    return counts


async def run(quick: bool) -> Figure:
    fig = Figure()
    n_institutes, per_institute = (2, 40) if quick else (5, 100)
    concurrent_runs = 3
    async with ServerProcess(institutes=n_institutes, students=per_institute) as server:
        await server.configure(latency=LATENCY)
        institutes = server.institutes
        async with server.client(rate_limit=None, max_in_flight=MAX_IN_FLIGHT) as client:
            await client.students(institutes[0], SCHOOL_YEAR)  # token, untimed
            t0 = time.perf_counter()
            seq_counts = await sequential(client, institutes)
            seq_time = time.perf_counter() - t0
            requests_before = client.stats.requests
            times = []
            for _ in range(concurrent_runs):
                t0 = time.perf_counter()
                result = await client.fetch_all(institutes, SCHOOL_YEAR)
                times.append(time.perf_counter() - t0)
            requests = (client.stats.requests - requests_before) // concurrent_runs
            report = result.report
    all_counts = {k: report.total(k) for k in seq_counts}
    if all_counts != seq_counts or report.failures:
        say(f"mismatch: sequential {seq_counts}, fetch_all {all_counts}, {report.failures[:3]}")
    say(
        f"{requests} requests per run; sequential {seq_time:.2f}s, fetch_all "
        + ", ".join(f"{t:.3f}s" for t in times)
    )
    best = median(times)
    name = "speedup_vs_sequential"
    fig.add(Result(f"{name}.institutes_x_students", f"{n_institutes}x{per_institute}"))
    fig.add(Result(f"{name}.sequential_s", seq_time, digits=2))
    fig.add(Result(f"{name}.fetch_all_s", best))
    ratio = seq_time / best
    fig.add(Result(f"{name}.ratio", ratio, target=None if quick else (">=", 25.0), digits=1))
    fig.add(Result(f"{name}.ideal_ratio", float(MAX_IN_FLIGHT), digits=0,
                   note="max_in_flight bounds the speedup"))
    fig.add(Result(f"{name}.efficiency", ratio / MAX_IN_FLIGHT, digits=2))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
