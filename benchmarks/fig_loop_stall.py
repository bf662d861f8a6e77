"""Figure ``loop_stall``: how long does the event loop stall while large answers decode?

100 ``GET /students`` answers of 800 students each (about 2.4 MB of JSON apiece) are
requested at once (``max_in_flight=100``, no rate limit, no latency) from a fake server of
5 institutes, so that they arrive in a burst and their decoding overlaps. Meanwhile a
ticker task on the same event loop sleeps 5 ms at a time and records how late each wake-up
is: that lateness is what any other coroutine on the loop (a web handler, a heartbeat)
waits. The worker thread gives the loop a turn every ``_offload.TURN_SECONDS`` (4 ms).

* ``max_ms``: the largest lateness seen during the burst; target <= 50 ms.
* ``p99_ms``: the 99th percentile of the wake-ups' lateness.
* ``max_ms_without_gc``: the largest lateness of the ticks during which no collection ran:
  the stalls of the client's own work (decoding, aiohttp), without the collector's. With
  the collector on, this is optimistic: a long C call that allocates (``json.loads``)
  triggers collections, so the ticks it delayed are left out too.
* ``gc_max_pause_ms``, ``gc_total_ms``: the longest and the summed pauses of the cyclic
  garbage collector during the burst (``gc.callbacks``). A collection holds the GIL, in
  whichever thread it runs, so it stalls the loop as long as it lasts; a full collection
  walks every tracked object of the process, so its length grows with the application's
  heap, not only with the answer being decoded.
* ``max_ms_if_gc_not_paused``, ``gc_max_pause_ms_if_gc_not_paused``: the same burst with the
  collector left on while answers decode in the worker thread (``_offload.collector_paused``
  replaced by a no-op), i.e. what the pause buys.
* full run only: ``max_ms_if_no_turns``, the same burst with the worker thread never giving
  the loop a turn (``_offload.TURN_SECONDS`` out of reach): what the turns buy against the
  interpreter lock's convoy; ``max_ms_if_decoded_on_loop``, the same burst with the worker-thread
  threshold set out of reach (``_offload.DECODE_IN_THREAD_BYTES``), i.e. decoding on the loop
  as before (what the thread buys); ``max_ms_if_gc_frozen``, the same burst after
  ``gc.freeze()`` of everything alive before it (what an application that freezes its
  start-up objects would see).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable

from _common import SCHOOL_YEAR, Figure, Result, ServerProcess, say

from informat_async import _offload as offload_module

LISTS = 100
STUDENTS = 800
INSTITUTES = 5
TICK = 0.005


async def _ticker(ticks: list[tuple[float, float]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        t0 = time.perf_counter()
        await asyncio.sleep(TICK)
        ticks.append((t0, time.perf_counter()))


async def burst(server: ServerProcess, lists: int) -> dict[str, float]:
    institutes = server.institutes
    async with server.client(rate_limit=None, max_in_flight=lists) as client:
        await client.students(institutes[0], SCHOOL_YEAR)  # token and connection, untimed
        ticks: list[tuple[float, float]] = []
        stop = asyncio.Event()
        ticker = asyncio.create_task(_ticker(ticks, stop))
        await asyncio.sleep(0.05)
        counts: list[int] = []

        async def one(index: int) -> None:  # a sync stores the records and lets go of them
            counts.append(len(await client.students(institutes[index % len(institutes)],
                                                    SCHOOL_YEAR)))

        pauses: list[tuple[float, float]] = []
        gc.callbacks.append(_gc_timer(pauses))
        t0 = time.perf_counter()
        try:
            await asyncio.gather(*(one(i) for i in range(lists)))
        finally:
            gc.callbacks.pop()
        seconds = time.perf_counter() - t0
        stop.set()
        await ticker
    students = sum(counts)
    lateness = sorted(end - start - TICK for start, end in ticks)
    # ticks during which no collection ran: the stalls of decoding itself
    clean = [end - start - TICK for start, end in ticks
             if not any(p0 < end and p1 > start for p0, p1 in pauses)]
    return {
        "students": students,
        "seconds": seconds,
        "ticks": len(lateness),
        "max_ms": lateness[-1] * 1e3,
        "p99_ms": lateness[int(0.99 * (len(lateness) - 1))] * 1e3,
        "max_ms_without_gc": max(clean, default=0.0) * 1e3,
        "gc_max_ms": max((p1 - p0 for p0, p1 in pauses), default=0.0) * 1e3,
        "gc_total_ms": sum(p1 - p0 for p0, p1 in pauses) * 1e3,
    }


def _gc_timer(pauses: list[tuple[float, float]]) -> Callable[[str, dict[str, int]], None]:
    started = [0.0]

    def callback(phase: str, _: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((started[0], time.perf_counter()))

    return callback


async def _burst_with(server: ServerProcess, name: str, value: object) -> dict[str, float]:
    """The burst with ``_offload.<name>`` set to ``value`` (a what-if)."""
    kept = getattr(offload_module, name)
    setattr(offload_module, name, value)
    try:
        return await burst(server, LISTS)
    finally:
        setattr(offload_module, name, kept)


async def run(quick: bool) -> Figure:
    fig = Figure()
    async with ServerProcess(institutes=INSTITUTES, students=STUDENTS) as server:
        m = await burst(server, LISTS)
        say(f"{LISTS} lists, {m['students']:.0f} students decoded in {m['seconds']:.1f}s; "
            f"{m['ticks']:.0f} ticks of {TICK * 1e3:.0f} ms")
        fig.add(Result("loop_stall.lists_x_students", f"{LISTS}x{STUDENTS}"))
        fig.add(Result("loop_stall.max_ms", m["max_ms"], target=("<=", 50.0), digits=1))
        fig.add(Result("loop_stall.p99_ms", m["p99_ms"], digits=1))
        fig.add(Result("loop_stall.max_ms_without_gc", m["max_ms_without_gc"], digits=1))
        fig.add(Result("loop_stall.gc_max_pause_ms", m["gc_max_ms"], digits=1))
        fig.add(Result("loop_stall.gc_total_ms", m["gc_total_ms"], digits=0))
        m = await _burst_with(server, "collector_paused", contextlib.nullcontext)
        fig.add(Result("loop_stall.max_ms_if_gc_not_paused", m["max_ms"], digits=1))
        fig.add(Result("loop_stall.gc_max_pause_ms_if_gc_not_paused", m["gc_max_ms"], digits=1))
        if not quick:
            gc.collect()
            gc.freeze()
            try:
                m = await burst(server, LISTS)
            finally:
                gc.unfreeze()
            fig.add(Result("loop_stall.max_ms_if_gc_frozen", m["max_ms"], digits=1))
            fig.add(Result("loop_stall.gc_max_pause_ms_if_gc_frozen", m["gc_max_ms"], digits=1))
            m = await _burst_with(server, "TURN_SECONDS", 1e9)
            fig.add(Result("loop_stall.max_ms_if_no_turns", m["max_ms"], digits=1))
            fig.add(Result("loop_stall.p99_ms_if_no_turns", m["p99_ms"], digits=1))
            m = await _burst_with(server, "DECODE_IN_THREAD_BYTES", 1 << 62)
            fig.add(Result("loop_stall.max_ms_if_decoded_on_loop", m["max_ms"], digits=1))
            fig.add(Result("loop_stall.p99_ms_if_decoded_on_loop", m["p99_ms"], digits=1))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
