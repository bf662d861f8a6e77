"""The README's examples run as written, against the fake server.

Every ```python block is run as it stands, unless its first line starts with
``# fragment``: those are compiled only. A block with top-level ``await`` is a notebook
cell: it runs in an event loop, twice, as a cell run again does. Blocks that define
``test_*`` coroutines have them awaited. ``INFORMAT_*`` point at a fake server serving
the institutes the README names, in the current school year (the default everywhere).
"""

from __future__ import annotations

import ast
import asyncio
import gc
import inspect
import io
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from informat_async import InformatClient, RetryPolicy
from informat_async.cli import _sync
from informat_async.testing import FakeInformat

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")

_BLOCK = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)


def python_blocks() -> list[tuple[str, str]]:
    """``(heading and line, code)`` of every Python block."""
    blocks = []
    for match in _BLOCK.finditer(README):
        if match.group(1) != "python":
            continue
        before = README[: match.start()]
        heading = re.findall(r"^#+ (.*)$", before, re.M)[-1]
        line = before.count("\n") + 1
        blocks.append((f"line {line} ({heading})", match.group(2)))
    return blocks


BLOCKS = python_blocks()


def block_after(heading: str, lang: str) -> str:
    section = README.split(heading, 1)[1]
    match = re.search(rf"```{lang}\n(.*?)```", section, re.S)
    assert match, f"no {lang} block after {heading!r}"
    return match.group(1)


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeInformat]:
    """A fake server in a thread of its own (blocks call ``asyncio.run`` themselves), the
    ``INFORMAT_*`` variables pointing at it, and a scratch working directory."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = FakeInformat(institutes=("123456", "654321"), students_per_institute=8, seed=3)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result()
    for name, value in {
        "INFORMAT_CLIENT_ID": server.client_id,
        "INFORMAT_CLIENT_SECRET": server.client_secret,
        "INFORMAT_API_URL": server.api_url,
        "INFORMAT_IDENTITY_URL": server.identity_url,
        "INFORMAT_LEGACY_URL": server.legacy_url,
        "INFORMAT_LEGACY_LOGIN": server.legacy_login,
        "INFORMAT_LEGACY_PASSWORD": server.legacy_password,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def test_every_block_is_found() -> None:
    assert len(BLOCKS) >= 8
    headings = " ".join(where for where, _ in BLOCKS)
    for section in ("an async service", "a nightly bulk sync job", "a notebook",
                    "Test your own code", "Pre-registrations"):
        assert section in headings


@pytest.mark.parametrize(("where", "code"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_readme_block_runs(where: str, code: str, fake_env: FakeInformat) -> None:
    compiled = compile(code, f"README.md {where}", "exec",
                       flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if code.startswith("# fragment"):
        return  # compiled, which is all a fragment promises
    namespace: dict[str, Any] = {"__name__": "readme"}
    if compiled.co_flags & inspect.CO_COROUTINE:  # a notebook cell

        async def cell_run_twice() -> None:
            for _ in range(2):
                await eval(compiled, namespace)  # noqa: S307
            client = namespace.get("client")
            if isinstance(client, InformatClient):
                await client.aclose()

        asyncio.run(cell_run_twice())
    else:
        exec(compiled, namespace)  # noqa: S102
    for name, value in list(namespace.items()):
        if name.startswith("test_") and inspect.iscoroutinefunction(value):
            asyncio.run(value())
    namespace.clear()
    gc.collect()  # an unclosed session would warn here, and warnings are errors


def test_examples_use_the_fake_institutes() -> None:
    """The institute numbers and school years of the examples exist in the fake."""
    for where, code in BLOCKS:
        if "Older webservices" in where:
            continue  # that section is maintained with the legacy client
        if "Student API" in where:
            continue  # dated writes need a fixed past school year; its numbers are admgrps
        for number in re.findall(r'"(\d{6})"', code):
            assert number in ("123456", "654321", "000000"), number
        assert '"2025-26"' not in code  # a fixed year goes stale: current_school_year()


async def test_students_with_their_class_query(tmp_path: Path) -> None:
    db = tmp_path / "school.sqlite"
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=12,
                            seed=8, school_year="2025-26") as server:
        client = InformatClient(
            server.client_id, server.client_secret, api_url=server.api_url,
            identity_url=server.identity_url, rate_limit=None, retry=RetryPolicy.no_wait(),
        )
        code = await _sync(
            client, ["111111", "222222"], "2025-26", db_path=db, photos_dir=tmp_path / "p",
            include=("students", "registrations"), full=False, show_progress=False,
            out=io.StringIO(),
        )
    assert code == 0
    query = block_after("### The SQLite schema", "sql")
    query = query.replace("date('now')", "'2025-10-01'")  # a day inside the fake school year
    with sqlite3.connect(db) as conn:
        rows = conn.execute(query).fetchall()
        current = conn.execute(
            "SELECT COUNT(*) FROM students WHERE inschrijvings_id IS NOT NULL").fetchone()[0]
    assert 0 < len(rows) == current  # every student with a current registration, once
    assert all(klas for *_, klas in rows)
