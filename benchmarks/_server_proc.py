"""The fake Informat server in a process of its own, with a small control API beside it.

Started by :class:`_common.ServerProcess`. The benchmarked client runs in another process,
so the server's CPU time (JSON encoding, base64, aiohttp) is not charged to the client, and
on a 2-core machine server and client each get a core, as with the real, remote Informat.

It serves ``FakeInformat`` on one loopback port and a control API on another:

* ``GET  /info``: URLs, credentials, institutes with their student ids and photo ids;
* ``POST /configure``: ``{"latency": s or [min, max], "rate_limit": rps|null,
  "token_lifetime": s}``; the rate limit is a sliding one-second window (see
  :class:`SlidingWindowLimit`), not the fake server's own token bucket;
* ``POST /reset``: zero ``server.stats`` and clear ``server.request_log``;
* ``GET  /stats?log=KIND``: the counters, and with ``log`` the arrival time and status of
  each logged API request of that endpoint kind (``photo``, ``students``, ... or ``api``),
  and ``arrivals``, the arrival time (``time.time()``) of the first request of each path.

It prints one JSON line (the control URL) when it is ready and stops on SIGTERM or when its
standard input closes (the parent died).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import math
import signal
import sys
import time
from typing import Any

from aiohttp import web

from informat_async.testing import FakeInformat, Faults


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutes", type=int, required=True)
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--photo-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-size", type=int, default=100_000)
    parser.add_argument("--token-lifetime", type=float, default=3600.0)
    return parser


class SlidingWindowLimit:
    """The server's rate limit in the benchmarks: at most ``rate`` requests accepted in any
    one-second window, measured at their arrival. No slack and no burst allowance: what a
    strict API gateway would do, so that any overshoot of the client shows up as a 429.

    It stands in for ``FakeInformat``'s token bucket (``take()`` and ``rate`` are all the
    server uses of it), whose capacity and 2 % grace would hide short overshoots.
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.limit = max(1, math.floor(rate))
        self.accepted: collections.deque[float] = collections.deque()

    def take(self) -> bool:
        now = time.monotonic()
        while self.accepted and now - self.accepted[0] >= 1.0:
            self.accepted.popleft()
        if len(self.accepted) >= self.limit:
            return False
        self.accepted.append(now)
        return True


def _control_app(server: FakeInformat) -> web.Application:
    async def info(_: web.Request) -> web.Response:
        institutes = {
            number: {
                "students": server.data.student_ids(number),
                "photos": list(data.photos),
            }
            for number, data in server.data.institutes.items()
        }
        return web.json_response(
            {
                "api_url": server.api_url,
                "identity_url": server.identity_url,
                "client_id": server.client_id,
                "client_secret": server.client_secret,
                "school_year": server.school_year,
                "institutes": institutes,
            }
        )

    async def configure(request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        if "latency" in body:
            latency = body["latency"] or 0.0
            server.faults = Faults(
                latency=(float(latency[0]), float(latency[1]))
                if isinstance(latency, list) else float(latency)
            )
        if "rate_limit" in body:
            rate = body["rate_limit"]
            server.rate_limit = rate
            if rate is not None:
                server._bucket = SlidingWindowLimit(float(rate))  # type: ignore[assignment]
        if "token_lifetime" in body:
            server.token_lifetime = float(body["token_lifetime"])
        return web.json_response({"ok": True})

    async def reset(_: web.Request) -> web.Response:
        server.stats.reset()
        server.request_log.clear()
        return web.json_response({"ok": True})

    async def stats(request: web.Request) -> web.Response:
        s = server.stats
        payload: dict[str, Any] = {
            "requests": s.requests,
            "token_requests": s.token_requests,
            "tokens_issued": s.tokens_issued,
            "rate_limited": s.rate_limited,
            "statuses": {str(k): v for k, v in s.statuses.items()},
            "endpoints": dict(s.endpoints),
        }
        kind = request.query.get("log")
        if kind:
            payload["log"] = [
                (entry.time, entry.status)
                for entry in server.request_log
                if entry.endpoint is not None
                and entry.endpoint != "token"
                and (kind == "api" or entry.endpoint == kind)
            ]
            payload["arrivals"] = {  # path -> arrival time of its first request
                entry.path: entry.time
                for entry in reversed(server.request_log)
                if entry.endpoint is not None
                and entry.endpoint != "token"
                and (kind == "api" or entry.endpoint == kind)
            }
        return web.json_response(payload)

    app = web.Application()
    app.router.add_get("/info", info)
    app.router.add_post("/configure", configure)
    app.router.add_post("/reset", reset)
    app.router.add_get("/stats", stats)
    return app


async def _main(args: argparse.Namespace) -> None:
    server = FakeInformat(
        institutes=args.institutes,
        students_per_institute=args.students,
        school_year="2025-26",  # _common.SCHOOL_YEAR; the fake's default is the current year
        seed=args.seed,
        photo_size=args.photo_size,
        request_log_size=args.log_size,
        token_lifetime=args.token_lifetime,
    )
    await server.start()
    runner = web.AppRunner(_control_app(server), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    def stdin_ready() -> None:
        if not sys.stdin.buffer.read1(4096):  # EOF: the parent is gone
            loop.remove_reader(sys.stdin.fileno())
            stop.set()

    loop.add_reader(sys.stdin.fileno(), stdin_ready)
    print(json.dumps({"control_url": f"http://127.0.0.1:{port}"}), flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await server.close()


if __name__ == "__main__":
    asyncio.run(_main(_parser().parse_args()))
