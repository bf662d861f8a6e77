"""Figure 2, ``overhead_vs_raw_aiohttp``: the client's photo throughput against a bare loop.

Both sides send the same N photo requests (``GET /1/students/{id}/photo``) with 50 workers
over a ``TCPConnector(limit=50)`` to the same fake server (no latency, no limiter). The bare
loop fetches a token once, sends the same headers (bearer token, ``InstituteNo``, a fresh
``Timestamp``, ``Accept``), parses the JSON and base64-decodes the photo, so it does the work
any integration must do; the client adds its validation, token cache, retry loop,
statistics and cattrs structuring. Runs alternate (A B, B A, A B, ...), at the fake
server's default photos (~700 B) and at 20 KB photos (suffix ``_20kb``).

* ``cpu_ratio``: the headline. CPU time of this process (``time.process_time``: the server
  runs in another process) per request over each run of N requests, bare loop / client:
  the median, over the rounds (15 in the quick run, 21 in the full one), of the ratio of the
  two runs of one round, so that a slow spell of the machine falls on both sides of a
  ratio; 1.0 means the client costs no more CPU than the bare loop. Targets >= 0.8 at
  700 B and >= 0.85 at 20 KB. ``client_cpu_us_per_request`` and ``raw_cpu_us_per_request``
  are the medians of each side's runs.
* ``cpu_ratio_own_session`` (information): the same with the client on a session of the
  caller's (``aiohttp.ClientSession()``). The session the client creates leaves aiohttp's
  ``trust_env`` off and decides the environment's proxy once per origin
  (``_http.new_session``), so the two should be close; a gap is that per-request look-up.
* ``wall_ratio`` (secondary): client throughput / bare throughput, medians, and
  ``wall_ratio_pairwise_median`` the median of the ratios of runs made side by side. Wall
  time mostly measures the shared server process and the noise of the machine.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import itertools
import json
import time
from collections.abc import Awaitable, Callable, Iterator

import aiohttp
from _common import Figure, Result, ServerProcess, median, say

CONCURRENCY = 50


def _timestamp() -> str:
    now = dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}"


async def _workers(ids: list[str], one: Callable[[str], Awaitable[None]]) -> None:
    source: Iterator[str] = iter(ids)

    async def worker() -> None:
        for sid in source:
            await one(sid)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


async def _timed(run: Callable[[], Awaitable[None]]) -> tuple[float, float]:
    """Wall seconds and CPU seconds of this process."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await run()
    return time.perf_counter() - wall0, time.process_time() - cpu0


async def run_client(
    server: ServerProcess, institute: str, ids: list[str], *, own_session: bool = False
) -> tuple[float, float]:
    session = (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY))
        if own_session else None
    )
    try:
        async with server.client(
            rate_limit=None, max_in_flight=CONCURRENCY, session=session
        ) as client:
            await client.student_photo(institute, ids[0])  # token + first connection, untimed

            async def one(sid: str) -> None:
                photo = await client.student_photo(institute, sid)
                assert photo.foto

            return await _timed(lambda: _workers(ids, one))
    finally:
        if session is not None:
            await session.close()


async def run_client_own_session(
    server: ServerProcess, institute: str, ids: list[str]
) -> tuple[float, float]:
    """The client on a session of the caller's, which (aiohttp's default) does not read
    the environment: no proxy variables and no ``~/.netrc`` looked up per request."""
    return await run_client(server, institute, ids, own_session=True)


async def run_raw(server: ServerProcess, institute: str, ids: list[str]) -> tuple[float, float]:
    client_id, secret = server.credentials
    base = server.api_url + "/1/students/"
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": f"api_informat_sas_leerlingen.leerlingen.{institute}",
        }
        async with session.post(server.info["identity_url"] + "/connect/token", data=form) as r:
            token = (await r.json())["access_token"]

        async def one(sid: str) -> None:
            headers = {
                "Authorization": f"Bearer {token}",
                "InstituteNo": institute,
                "Timestamp": _timestamp(),
                "Accept": "application/json",
            }
            async with session.get(f"{base}{sid}/photo", headers=headers) as resp:
                body = await resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"HTTP {resp.status}")
            photo = base64.b64decode(json.loads(body)["photo"]["foto"])
            assert photo

        await one(ids[0])  # first connection, untimed
        return await _timed(lambda: _workers(ids, one))


async def measure(size: int | None, total: int, pairs: int) -> dict[str, float]:
    """Alternated client and bare runs against a server with photos of ``size`` bytes."""
    async with ServerProcess(institutes=1, students=1_000, photo_size=size) as server:
        institute = server.institutes[0]
        ids = list(itertools.islice(itertools.cycle(server.photo_ids(institute)), total))
        # a warm-up of each side (imports, first-call caches), not counted
        warm = ids[: min(300, total)]
        await run_raw(server, institute, warm)
        await run_client(server, institute, warm)
        await run_client_own_session(server, institute, warm)
        client_runs: list[tuple[float, float]] = []
        raw_runs: list[tuple[float, float]] = []
        own_runs: list[tuple[float, float]] = []
        sides = {"client": (run_client, client_runs), "raw": (run_raw, raw_runs),
                 "own": (run_client_own_session, own_runs)}
        order = ("client", "raw", "own")
        for index in range(pairs):  # A B C, C B A, ...: drift falls on every side
            for side in order if index % 2 == 0 else order[::-1]:
                runner, runs = sides[side]
                runs.append(await runner(server, institute, ids))
        stats = await server.stats()
    label = f"{size or 700} B photos"
    for side, runs in (("client", client_runs), ("raw", raw_runs),
                       ("client, own session", own_runs)):
        say(
            f"{label}, {side}: " + ", ".join(
                f"{total / w:.0f} req/s ({c / total * 1e6:.0f} us CPU/req)" for w, c in runs
            )
        )
    bad = {k: v for k, v in stats["statuses"].items() if k != "200"}
    if bad:
        say(f"non-200 answers: {bad}")
    client_cpu = median(c / total for _, c in client_runs)
    raw_cpu = median(c / total for _, c in raw_runs)
    return {
        "cpu_ratio": median(c_raw / c_client for (_, c_client), (_, c_raw) in zip(
            client_runs, raw_runs, strict=True)),
        "cpu_ratio_own": median(c_raw / c_own for (_, c_own), (_, c_raw) in zip(
            own_runs, raw_runs, strict=True)),
        "own_cpu": median(c / total for _, c in own_runs),
        "client_rps": median(total / w for w, _ in client_runs),
        "raw_rps": median(total / w for w, _ in raw_runs),
        "client_cpu": client_cpu,
        "raw_cpu": raw_cpu,
        "pairwise": median(w_raw / w_client for (w_client, _), (w_raw, _) in zip(
            client_runs, raw_runs, strict=True)),
    }


async def run(quick: bool) -> Figure:
    fig = Figure()
    total = 1_000 if quick else 5_000
    pairs = 15 if quick else 21
    name = "overhead_vs_raw_aiohttp"
    fig.add(Result(f"{name}.requests", total))
    for size, suffix, target in ((None, "", 0.8), (20_000, "_20kb", 0.85)):
        m = await measure(size, total, pairs)
        fig.add(Result(f"{name}.cpu_ratio{suffix}", m["cpu_ratio"], target=(">=", target)))
        fig.add(Result(f"{name}.client_cpu_us_per_request{suffix}", m["client_cpu"] * 1e6,
                       digits=0))
        fig.add(Result(f"{name}.raw_cpu_us_per_request{suffix}", m["raw_cpu"] * 1e6, digits=0))
        fig.add(Result(f"{name}.cpu_ratio_own_session{suffix}", m["cpu_ratio_own"]))
        fig.add(Result(f"{name}.wall_ratio{suffix}", m["client_rps"] / m["raw_rps"]))
        fig.add(Result(f"{name}.wall_ratio_pairwise_median{suffix}", m["pairwise"]))
        fig.add(Result(f"{name}.client_rps{suffix}", m["client_rps"], digits=0))
        fig.add(Result(f"{name}.raw_rps{suffix}", m["raw_rps"], digits=0))
    return fig


if __name__ == "__main__":
    asyncio.run(run(quick=True))
