"""Shared pieces of the benchmark suite: results, the server process, small helpers."""

from __future__ import annotations

import asyncio
import json
import operator
import os
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp

from informat_async import InformatClient

HERE = Path(__file__).resolve().parent
SCHOOL_YEAR = "2025-26"

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
}


@dataclass
class Result:
    """One figure: ``name: value``, with an optional target such as ``(">=", 0.95)``."""

    name: str
    value: float | int | str
    target: tuple[str, float] | None = None
    digits: int = 3
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None or not isinstance(self.value, (int, float)):
            return None
        op, threshold = self.target
        return _OPS[op](float(self.value), threshold)

    def value_text(self) -> str:
        if isinstance(self.value, float):
            return f"{self.value:.{self.digits}f}"
        return str(self.value)

    def target_text(self) -> str:
        if self.target is None:
            return "-"
        op, threshold = self.target
        return f"{op} {threshold:g}"

    def met_text(self) -> str:
        met = self.met
        return "-" if met is None else ("yes" if met else "NO")


@dataclass
class Figure:
    """What one benchmark module hands back: its results, in the order they were made."""

    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> Result:
        self.results.append(result)
        print(f"{result.name}: {result.value_text()}", flush=True)
        return result


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def _split_cores() -> tuple[set[int], set[int]] | None:
    if not hasattr(os, "sched_getaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    return {cores[-1]}, set(cores[:-1])


#: The cores of the fake server's process and of the measuring process (decided once, from
#: the cores this process may use at start), or None with fewer than two: on 2 cores each
#: gets one of its own, so that neither's CPU time and timing suffers from the other being
#: scheduled on its core.
CORES = _split_cores()


def pin_client_cores() -> str:
    """Keep this process (and the child processes it starts later) off the server's core."""
    if CORES is None:
        return "not pinned (fewer than 2 cores available)"
    server, client = CORES
    os.sched_setaffinity(0, client)
    return f"server process on core {sorted(server)}, measuring process on cores {sorted(client)}"


def say(text: str) -> None:
    """A comment line of the run's output (not a figure)."""
    print(f"# {text}", flush=True)


class ServerProcess:
    """A :class:`FakeInformat` in a child process (see ``_server_proc.py``).

    ``info`` holds the URLs, credentials, institutes and ids once started.
    """

    def __init__(
        self,
        *,
        institutes: int,
        students: int,
        photo_size: int | None = None,
        seed: int = 1,
        token_lifetime: float = 3600.0,
    ) -> None:
        self._argv = [
            sys.executable,
            str(HERE / "_server_proc.py"),
            "--institutes", str(institutes),
            "--students", str(students),
            "--seed", str(seed),
            "--token-lifetime", str(token_lifetime),
        ]
        if photo_size is not None:
            self._argv += ["--photo-size", str(photo_size)]
        self._proc: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self.control_url = ""
        self.info: dict[str, Any] = {}

    async def __aenter__(self) -> Self:
        self._proc = await asyncio.create_subprocess_exec(
            *self._argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        if CORES is not None:
            os.sched_setaffinity(self._proc.pid, CORES[0])
        assert self._proc.stdout is not None
        line = await asyncio.wait_for(self._proc.stdout.readline(), timeout=120)
        if not line:
            raise RuntimeError("the fake server process exited before it was ready")
        self.control_url = json.loads(line)["control_url"]
        self._session = aiohttp.ClientSession()
        self.info = await self._get("/info")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        proc = self._proc
        if proc is not None and proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), timeout=10)
            except TimeoutError:
                proc.kill()
                await proc.wait()

    async def _get(self, path: str, **params: str) -> Any:
        assert self._session is not None
        async with self._session.get(self.control_url + path, params=params) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        assert self._session is not None
        async with self._session.post(self.control_url + path, json=body or {}) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def configure(self, **settings: Any) -> None:
        """``latency``, ``rate_limit`` and/or ``token_lifetime``."""
        await self._post("/configure", settings)

    async def reset(self) -> None:
        await self._post("/reset")

    async def stats(self, log: str | None = None) -> dict[str, Any]:
        """Server counters; with ``log``, ``(time, status)`` of each request of that kind."""
        return await (self._get("/stats", log=log) if log else self._get("/stats"))

    # --- convenience -------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return str(self.info["api_url"])

    @property
    def credentials(self) -> tuple[str, str]:
        return str(self.info["client_id"]), str(self.info["client_secret"])

    @property
    def institutes(self) -> list[str]:
        return list(self.info["institutes"])

    def photo_ids(self, institute: str) -> list[str]:
        """Ids of the students of ``institute`` that have a photo."""
        return list(self.info["institutes"][institute]["photos"])

    def student_ids(self, institute: str) -> list[str]:
        return list(self.info["institutes"][institute]["students"])

    def client(self, **options: Any) -> InformatClient:
        """An ``InformatClient`` pointed at this server."""
        client_id, secret = self.credentials
        return InformatClient(
            client_id,
            secret,
            api_url=self.info["api_url"],
            identity_url=self.info["identity_url"],
            **options,
        )

    def env(self) -> dict[str, str]:
        """The ``INFORMAT_*`` variables ``InformatClient.from_env`` reads."""
        client_id, secret = self.credentials
        return {
            "INFORMAT_CLIENT_ID": client_id,
            "INFORMAT_CLIENT_SECRET": secret,
            "INFORMAT_API_URL": self.info["api_url"],
            "INFORMAT_IDENTITY_URL": self.info["identity_url"],
        }
