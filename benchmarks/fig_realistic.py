"""Figure ``realistic``: a photo sync against an Informat-like server.

The server answers after 50-150 ms (uniform jitter), allows 20 requests in any sliding
second (``_server_proc.SlidingWindowLimit``, no slack) and serves ~20 KB photos. The client
runs with ``rate_limit=20`` and its default ``max_in_flight`` (10), and fetches the photos
of one institute with ``bulk_fetch(include=("photos",))``.

* ``rate_ratio``: achieved rate / 20, from the arrival times the server logged for the
  photo requests it answered (429s left out), ``(n - 1) / (t_last - t_first)``; target
  >= 0.97.
* ``server_429``: answers 429 of the server's limiter (each costs a second of
  ``Retry-After``).
* ``client_cpu_us_per_request``: CPU time of the client process (the server runs in
  another) over the run, per request; ``client_cpu_share``: that CPU time over the run's
  wall time, i.e. the share of one core the client used.
* full run only: ``rate_ratio_if_bare_bucket``, the same run with the limiter the library
  used before (``_proposed.bare_bucket``: the aiolimiter bucket without the window guard).
"""

from __future__ import annotations

import asyncio
import time

from _common import SCHOOL_YEAR, Figure, Result, ServerProcess, say
from _proposed import swap_limiter

RATE = 20.0
LATENCY = (0.05, 0.15)
PHOTO_SIZE = 20_000


async def measure(
    server: ServerProcess, institute: str, bare_bucket: bool = False
) -> dict[str, float]:
    await server.configure(latency=list(LATENCY), rate_limit=RATE)
    async with server.client(rate_limit=RATE) as client:
        await client.students(institute, SCHOOL_YEAR)  # the token, outside the measured run
        if bare_bucket and not swap_limiter(client, RATE):
            raise RuntimeError("no AsyncLimiter found in the client's transport")
        await asyncio.sleep(1.2)  # the token request leaves the server's window
        await server.reset()
        requests0 = client.stats.requests
        cpu0, wall0 = time.process_time(), time.perf_counter()
        async with client.bulk_fetch([institute], SCHOOL_YEAR, include=("photos",)) as run:
            async for _ in run:
                pass
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        requests = client.stats.requests - requests0
    stats = await server.stats(log="photo")
    times = sorted(t for t, status in stats["log"] if status != 429)  # answered, not refused
    return {
        "photos": len(times),
        "rate_ratio": (len(times) - 1) / (times[-1] - times[0]) / RATE,
        "server_429": stats["rate_limited"] + stats["statuses"].get("429", 0),
        "requests": requests,
        "cpu_us": cpu / requests * 1e6,
        "cpu_share": cpu / wall,
        "seconds": wall,
    }


async def run(quick: bool) -> Figure:
    fig = Figure()
    students = 130 if quick else 600
    async with ServerProcess(institutes=1, students=students, photo_size=PHOTO_SIZE) as server:
        institute = server.institutes[0]
        m = await measure(server, institute)
        say(f"realistic: {m['photos']:.0f} photo requests ({m['requests']:.0f} in all) in "
            f"{m['seconds']:.1f}s")
        fig.add(Result("realistic.rate_ratio", m["rate_ratio"], target=(">=", 0.97)))
        fig.add(Result("realistic.server_429", int(m["server_429"]), target=("==", 0)))
        fig.add(Result("realistic.client_cpu_us_per_request", m["cpu_us"], digits=0))
        fig.add(Result("realistic.client_cpu_share", m["cpu_share"], digits=4))
        if not quick:
            m = await measure(server, institute, bare_bucket=True)
            fig.add(Result("realistic.rate_ratio_if_bare_bucket", m["rate_ratio"]))
            fig.add(Result("realistic.server_429_if_bare_bucket", int(m["server_429"])))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
