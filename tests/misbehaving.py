"""Servers on 127.0.0.1 that misbehave on purpose, for the trust tests.

- :class:`Scripted` is an aiohttp.web app serving ``/connect/token`` and every other path
  through handlers the test sets; it records every request it got.
- :class:`RawServer` is a plain asyncio server that writes whatever bytes the test gives,
  for answers that are not valid HTTP at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Awaitable, Callable
from typing import Any, Self

import attrs
from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@attrs.define
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Scripted:
    """A loopback HTTP server whose token and API answers the test scripts."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._tokens = itertools.count(1)
        self.token: Handler = self.good_token
        self.api: Handler = self.empty_students
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests_to(self, path_prefix: str) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith(path_prefix)]

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(Seen(request.method, request.path, dict(request.headers), body))
        if request.path == "/connect/token":
            return await self.token(request)
        return await self.api(request)

    # --- ready-made handlers ------------------------------------------------------------

    async def good_token(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"access_token": f"token-{next(self._tokens)}", "expires_in": 3600,
             "token_type": "Bearer"}
        )

    @staticmethod
    async def empty_students(request: web.Request) -> web.StreamResponse:
        return web.json_response({"students": []})


def raw_json(text: str, status: int = 200) -> web.Response:
    """An answer whose JSON text is given verbatim (``1e400``, ``NaN``, odd nesting)."""
    return web.Response(status=status, body=text.encode(), content_type="application/json")


def student_json(persoon_id: str, **fields: Any) -> dict[str, Any]:
    """A minimal student record as the API writes it."""
    return {"persoonId": persoon_id, "naam": "Peeters", "voornaam": "An", **fields}


def dumps(value: object) -> str:
    return json.dumps(value)


class RawServer:
    """A TCP server on 127.0.0.1 that answers every connection with ``answer`` bytes."""

    def __init__(self, answer: bytes = b"", *, silent: bool = False) -> None:
        self.answer = answer
        self.silent = silent
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._stop = asyncio.Event()

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._stop.set()
        for writer in self._writers:
            writer.close()
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            if self.silent:
                await self._stop.wait()
            writer.write(self.answer)
            await writer.drain()
        writer.close()
