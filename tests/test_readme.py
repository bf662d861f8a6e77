"""The README's examples run as written (against the fake server)."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path
from typing import Any

from informat_async import InformatClient, RetryPolicy
from informat_async.cli import _sync
from informat_async.testing import FakeInformat

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def block_after(heading: str, lang: str) -> str:
    section = README.split(heading, 1)[1]
    match = re.search(rf"```{lang}\n(.*?)```", section, re.S)
    assert match, f"no {lang} block after {heading!r}"
    return match.group(1)


async def test_fake_server_example_runs() -> None:
    namespace: dict[str, Any] = {}
    exec(block_after("## Test your own code with the fake server", "python"), namespace)  # noqa: S102
    await namespace["test_my_job"]()


async def test_students_with_their_class_query(tmp_path: Path) -> None:
    db = tmp_path / "school.sqlite"
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=12,
                            seed=8) as server:
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
