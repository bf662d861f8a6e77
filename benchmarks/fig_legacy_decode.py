"""Figure ``legacy_decode``: a 50 MiB answer of the older webservices, decoded.

A loopback HTTP server (stdlib, in a thread of its own) answers ``Relaties`` with a
50 MiB typed-array SOAP answer built like the live service's: one ``WsRelaties`` per
pupil, ``PPersoon`` and a ``Relaties`` list of two to three ``Relatie`` items of 16
fields each (nil and absent elements included). The client calls
``InformatLegacyClient.relaties`` and decodes it into one ``Relatie`` per item.

* ``stall_decode_max_ms``: while the answer decodes, a task on the same event loop
  sleeps 1 ms at a time; the figure is the longest it waited beyond that, i.e. the
  longest the loop was not serving other tasks. Target <= 100 ms.
* ``stall_call_max_ms``: the same over the whole call, download included (no target):
  the shared transport reads the answer with ``resp.read()`` on the loop, which ends in
  one 50 MiB join.
* ``stall_floor_ms``: the same ticker while the loop does nothing but pure-Python work in
  slices of about a millisecond, for as long as the decoding took (at most 10 s): what
  the machine itself costs (another process taking the CPU). On a shared, loaded machine
  this floor alone can exceed the target; read ``stall_decode_max_ms`` against it.
* ``peak_ratio``: the peak of Python memory (``tracemalloc``) during the call, divided
  by the answer's size (separate run: tracemalloc slows the decoding down). It counts
  everything the client holds: the answer's bytes, the parser's state and the records.
  Target <= 6.
* ``seconds``, ``mib_per_s``, ``records``: what the decoding costs.
* ``release_ms``: what dropping the 100,000 records afterwards costs the caller's thread
  (not part of the call; no target).

``--quick`` (``run.py --quick``) decodes a 10 MiB answer instead, to stay within the quick
run's time budget; the targets are meant for the full 50 MiB.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from _common import SCHOOL_YEAR, Figure, Result, say

from informat_async import RetryPolicy
from informat_async.legacy import InformatLegacyClient
from informat_async.legacy import _base as legacy_client

NS = "http://InformatSoftware.be/wsInfSoft/wsInformat"
SIZE = 50 * 2**20
QUICK_SIZE = 10 * 2**20
TICK = 0.001


def answer(size: int = SIZE, seed: int = 7) -> tuple[bytes, int]:
    """A ``Relaties`` SOAP answer of about ``size`` bytes, and how many items it holds."""
    rng = random.Random(seed)
    head = ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
            'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
            f'<RelatiesResponse xmlns="{NS}"><RelatiesResult>')
    tail = "</RelatiesResult></RelatiesResponse></soap:Body></soap:Envelope>"
    names = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens")
    first = ("Eva", "Jan", "Sofie", "Tom", "Lotte", "Pieter", "An", "Bram")
    parts = [head]
    total = len(head) + len(tail)
    items = 0
    pupil = 100_000
    while total < size:
        pupil += 1
        relations = []
        for k in range(rng.choice((2, 2, 3))):
            items += 1
            kind = ("Moeder", "Vader", "Voogd")[k]
            lpv = f"<Lpv>{k + 1}</Lpv>" if k < 2 else ""  # absent: not a contact
            relations.append(
                f"<Relatie><PRelatie>{pupil * 10 + k}</PRelatie><Type>{kind}</Type>"
                f"<Naam>{rng.choice(names)}</Naam><Voornaam>{rng.choice(first)}</Voornaam>"
                f"<Geslacht>{'V' if k == 0 else 'M'}</Geslacht>"
                f"<Insz>{rng.randrange(10**10, 10**11)}</Insz>"
                f"<Geboortedatum>19{rng.randrange(60, 99)}-0{rng.randrange(1, 9)}-1"
                f"{rng.randrange(0, 9)}T00:00:00</Geboortedatum>"
                "<Overleden>false</Overleden><Beroep>Bediende</Beroep>"
                '<BurgerlijkeStaat xsi:nil="true" /><Nationaliteit>BE</Nationaliteit>'
                f"{lpv}<Opmerking /><Toegevoegd>2024-05-0{rng.randrange(1, 9)}T10:1"
                f"{rng.randrange(0, 9)}:00</Toegevoegd><Gewijzigd>2025-09-0"
                f"{rng.randrange(1, 9)}T08:00:00+02:00</Gewijzigd>"
                f"<RelatieUuid>{rng.getrandbits(128):032x}</RelatieUuid></Relatie>"
            )
        row = (f"<WsRelaties><PPersoon>{pupil}</PPersoon><Relaties>{''.join(relations)}"
               "</Relaties></WsRelaties>")
        parts.append(row)
        total += len(row)
    parts.append(tail)
    return "".join(parts).encode("utf-8"), items


class _Server:
    """The answer served by a stdlib HTTP server in a thread (not on the event loop)."""

    def __init__(self, body: bytes) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.body = body
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/wsInformat.asmx"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


async def _call(url: str) -> tuple[list[Any], float]:
    async with InformatLegacyClient("webservices@school.be", "benchmark-password", url=url,
                                    rate_limit=None, timeout=600,
                                    retry=RetryPolicy.no_wait(max_attempts=1)) as legacy:
        started = time.perf_counter()
        records = await legacy.relaties("012345", SCHOOL_YEAR)
        return records, time.perf_counter() - started


async def _with_ticker(url: str) -> tuple[list[Any], float, float, float]:
    """The records (kept: releasing 100,000 records is the caller's cost, measured
    apart), the call's seconds, and the longest stall of the loop during the call and
    during the decoding."""
    gaps: list[tuple[float, float]] = []  # (start, end) of each wait beyond the tick
    window: list[float] = []
    done = asyncio.Event()
    decode = legacy_client.decode_list_async

    async def timed(*args: Any, **kwargs: Any) -> Any:
        window.append(time.perf_counter())
        try:
            return await decode(*args, **kwargs)
        finally:
            window.append(time.perf_counter())

    async def ticker() -> None:
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            gaps.append((before, time.perf_counter() - TICK))

    legacy_client.decode_list_async = timed  # type: ignore[assignment]
    task = asyncio.create_task(ticker())
    try:
        records, seconds = await _call(url)
    finally:
        done.set()
        await task
        legacy_client.decode_list_async = decode
    start, end = window[0], window[-1]
    call = max(b - a for a, b in gaps)
    decoding = max((b - a for a, b in gaps if a < end and b > start), default=0.0)
    return records, seconds, call, decoding


async def _floor(seconds: float) -> float:
    """The longest stall of a ticker while the loop does sliced pure-Python work."""
    worst = 0.0
    stop = False

    async def ticker() -> None:
        nonlocal worst
        while not stop:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            worst = max(worst, time.perf_counter() - before - TICK)

    task = asyncio.create_task(ticker())
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        total = 0
        for i in range(20_000):
            total += i
        await asyncio.sleep(0)
    stop = True
    await task
    return worst


async def run(quick: bool) -> Figure:
    fig = Figure()
    body, items = answer(QUICK_SIZE if quick else SIZE)
    say(f"answer {len(body) / 2**20:.1f} MiB, {items} Relatie items"
        f"{' (quick run: the targets are for 50 MiB)' if quick else ''}")
    with _Server(body) as server:
        kept, seconds, stall, stall_decoding = await _with_ticker(server.url)
        records = len(kept)
        if records != items:
            raise AssertionError(f"decoded {records} records, the answer holds {items}")
        started = time.perf_counter()
        del kept  # what a caller pays when it drops the records (not part of decoding)
        drop = time.perf_counter() - started
        floor = await _floor(min(seconds, 10.0))
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            kept, _ = await _call(server.url)
            _, peak = tracemalloc.get_traced_memory()
            del kept
        finally:
            tracemalloc.stop()
    name = "legacy_decode"
    fig.add(Result(f"{name}.answer_mib", len(body) / 2**20, digits=1))
    fig.add(Result(f"{name}.records", records))
    fig.add(Result(f"{name}.seconds", seconds, digits=2))
    fig.add(Result(f"{name}.mib_per_s", len(body) / 2**20 / seconds, digits=1))
    fig.add(Result(f"{name}.stall_decode_max_ms", stall_decoding * 1e3, target=("<=", 100.0),
                   digits=1))
    fig.add(Result(f"{name}.stall_call_max_ms", stall * 1e3, digits=1))
    fig.add(Result(f"{name}.stall_floor_ms", floor * 1e3, digits=1))
    fig.add(Result(f"{name}.release_ms", drop * 1e3, digits=1))
    fig.add(Result(f"{name}.peak_mib", peak / 2**20, digits=1))
    fig.add(Result(f"{name}.peak_ratio", peak / len(body), target=("<=", 6.0), digits=2))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=False))
