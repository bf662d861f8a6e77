"""Figure 1, ``rate_adherence``: does the client's limiter deliver the rate it is set to?

An incremental bulk run, as a nightly sync makes it, fetches the photos of every student
(``bulk_fetch(include=("photos",), checkpoints=..., photo_backlog=...)``: the student lists
were fetched by an unmeasured run before, so the measured run's lists are ``changedSince``
answers and small, and the photo backlog names every student) against a fake server that
answers after 20 ms, with the client's ``rate_limit`` at 50 and at 200
requests/s and ``max_in_flight=32`` (at 200 req/s and 20 ms only about 4 requests are in
flight, so the limiter, not concurrency, is the bottleneck). The server's own limit is the
configured rate itself, counted over a sliding one-second window at arrival
(``_server_proc.SlidingWindowLimit``): no margin, so any overshoot is a 429.

* ``ratio``: achieved / configured rate, over the steady part: photo requests the server
  answered (429s left out) between the first and the last arrival,
  ``(n - 1) / (t_last - t_first)``; target >= 0.98.
* ``server_429``: answers 429 of the server's limiter; target 0.
* ``max_window_ratio``: the most requests the server saw in any one-second window (from
  its arrival log, every API request), over the configured rate (information: <= 1 means
  the server never saw an overshoot); ``client_max_window_ratio``: the same count over
  the times the client's limiter let the requests through (<= 1 means the client never
  sent too many; a higher server figure is then the bunching of arrivals on the way,
  e.g. while the server process waits for a CPU).
* ``sent_max_window_ratio``: the same count over the times the client's aiohttp wrote each
  photo request's headers to the socket (``TraceConfig.on_request_headers_sent``, on a
  session of the benchmark's); ``transit_ms_p50``, ``transit_ms_max``: the server's arrival
  time of each photo request minus that write time (one clock, ``time.time()``, both
  processes on one machine). With ``sent_max_window_ratio`` <= 1 the client never wrote
  too many in a second, and a transit spread of tens of milliseconds is what bunches the
  arrivals the server counts.

Why incremental: with full student lists in the measured run, each list of 400 students
held the fake server's one thread for 15-25 ms (``json.dumps``); the photo requests that
arrived meanwhile were handled, and stamped, together when it was done, so the server's
one-second count saw the client's evenly sent requests bunched (4 to 18 429s at 200 req/s
while ``sent_max_window_ratio`` stayed 1.000, transit up to 38 ms). That is the fake
server's single thread, not the client's pacing; the full run still reports that case,
for information, as ``*_with_list_answers``.

The full run also measures, for information, the same runs with the limiter the library
used before (``_proposed.bare_bucket``: the aiolimiter bucket without the window guard of
``informat_async._limiter.WindowLimiter``): ``*_if_bare_bucket``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from types import SimpleNamespace

import aiohttp
from _common import SCHOOL_YEAR, Figure, Result, ServerProcess, say
from _proposed import record_grants, swap_limiter

from informat_async.checkpoints import MemoryCheckpointStore

LATENCY = 0.02
MAX_IN_FLIGHT = 32


async def measure(
    server: ServerProcess,
    rate: float,
    institutes: list[str],
    *,
    bare_bucket: bool = False,
    list_answers: bool = False,
) -> dict[str, float]:
    await server.configure(latency=LATENCY, rate_limit=rate)
    written: dict[str, float] = {}  # photo path -> when its headers were written

    async def headers_sent(_: aiohttp.ClientSession, __: SimpleNamespace,
                           params: aiohttp.TraceRequestHeadersSentParams) -> None:
        written.setdefault(params.url.path, time.time())

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(headers_sent)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=MAX_IN_FLIGHT), trace_configs=[trace])
    async with session, server.client(
        rate_limit=rate, max_in_flight=MAX_IN_FLIGHT, session=session
    ) as client:
        # the token first, so that its request does not sit in the measured window
        await client.students(institutes[0], SCHOOL_YEAR)
        if bare_bucket and not swap_limiter(client, rate):
            raise RuntimeError("no AsyncLimiter found in the client's transport")
        recorder = record_grants(client)
        if recorder is None:
            raise RuntimeError("no limiter found in the client's transport")
        checkpoints = MemoryCheckpointStore()
        backlog = None
        if not list_answers:
            # An incremental run, as a nightly sync makes it: the student lists were fetched
            # before (unmeasured), so the measured run's lists (changedSince) are small, and
            # the photos of every student are wanted (photo_backlog). Full lists of 400
            # students held the fake server's single thread 15-25 ms each (json.dumps)
            # while photo requests were arriving; it then stamped those as arriving
            # together, and its one-second count saw the client's evenly sent requests
            # bunched (the *_with_list_answers figures of the full run).
            async with client.bulk_fetch(
                institutes, SCHOOL_YEAR, include=("students",), checkpoints=checkpoints,
                checkpoint_overlap=dt.timedelta(0),
            ) as warm:
                async for _ in warm:
                    pass
            wanted = {i: [uuid.UUID(s) for s in server.student_ids(i)] for i in institutes}

            async def photo_backlog(institute: str) -> list[uuid.UUID]:
                return wanted[institute]

            backlog = photo_backlog
        await asyncio.sleep(0.2)
        await server.reset()
        written.clear()
        async with client.bulk_fetch(
            institutes, SCHOOL_YEAR, include=("photos",), concurrency=MAX_IN_FLIGHT,
            checkpoints=checkpoints if backlog is not None else None,
            checkpoint_overlap=dt.timedelta(0), photo_backlog=backlog,
        ) as run:
            async for _ in run:
                pass
        report = run.report
    every = sorted(t for t, _ in (await server.stats(log="api"))["log"])
    stats = await server.stats(log="photo")
    times = sorted(t for t, status in stats["log"] if status != 429)  # answered, not refused
    photos_written = {path: t for path, t in written.items() if path.endswith("/photo")}
    transit = sorted(stats["arrivals"][path] - t for path, t in photos_written.items()
                     if path in stats["arrivals"])
    span = times[-1] - times[0]
    achieved = (len(times) - 1) / span
    return {
        "photos": len(times),
        "span": span,
        "achieved": achieved,
        "ratio": achieved / rate,
        "max_window_ratio": max_per_window(every) / rate,
        "client_max_window_ratio": max_per_window(recorder.times) / rate,
        "sent_max_window_ratio": max_per_window(sorted(photos_written.values())) / rate,
        "transit_ms_p50": transit[len(transit) // 2] * 1e3,
        "transit_ms_max": transit[-1] * 1e3,
        "server_429": stats["rate_limited"] + stats["statuses"].get("429", 0),
        "client_retries": report.retries,
        "failures": len(report.failures),
    }


def max_per_window(times: list[float], window: float = 1.0) -> int:
    """The most of the sorted ``times`` that fall in any half-open window of ``window`` s."""
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(quick: bool) -> Figure:
    fig = Figure()
    # 50 req/s fetches one institute, 200 req/s four: each run lasts about the same time
    per_institute = 120 if quick else 400
    async with ServerProcess(institutes=4, students=per_institute) as server:
        for rate, count in ((50.0, 1), (200.0, 4)):
            m = await measure(server, rate, server.institutes[:count])
            label = f"rate_adherence.{rate:.0f}rps"
            say(
                f"{label}: {m['photos']:.0f} photo requests in {m['span']:.2f}s, "
                f"{m['client_retries']:.0f} client retries, {m['failures']:.0f} failures"
            )
            fig.add(Result(f"{label}.achieved_rps", m["achieved"], digits=1))
            fig.add(Result(f"{label}.ratio", m["ratio"], target=(">=", 0.98)))
            fig.add(Result(f"{label}.server_429", int(m["server_429"]), target=("==", 0)))
            fig.add(Result(f"{label}.max_window_ratio", m["max_window_ratio"]))
            fig.add(Result(f"{label}.client_max_window_ratio", m["client_max_window_ratio"]))
            fig.add(Result(f"{label}.sent_max_window_ratio", m["sent_max_window_ratio"]))
            fig.add(Result(f"{label}.transit_ms_p50", m["transit_ms_p50"], digits=1))
            fig.add(Result(f"{label}.transit_ms_max", m["transit_ms_max"], digits=1))
        if not quick:
            for rate, count in ((50.0, 1), (200.0, 4)):
                label = f"rate_adherence.{rate:.0f}rps"
                try:
                    m = await measure(server, rate, server.institutes[:count], bare_bucket=True)
                except RuntimeError as exc:
                    say(f"{label}: what-if skipped: {exc}")
                    continue
                fig.add(Result(f"{label}.ratio_if_bare_bucket", m["ratio"]))
                fig.add(Result(f"{label}.server_429_if_bare_bucket", int(m["server_429"])))
                fig.add(Result(f"{label}.max_window_ratio_if_bare_bucket",
                               m["max_window_ratio"]))
            for rate, count in ((50.0, 1), (200.0, 4)):
                label = f"rate_adherence.{rate:.0f}rps"
                m = await measure(server, rate, server.institutes[:count], list_answers=True)
                fig.add(Result(f"{label}.server_429_with_list_answers", int(m["server_429"])))
                fig.add(Result(f"{label}.sent_max_window_ratio_with_list_answers",
                               m["sent_max_window_ratio"]))
                fig.add(Result(f"{label}.transit_ms_max_with_list_answers",
                               m["transit_ms_max"], digits=1))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
