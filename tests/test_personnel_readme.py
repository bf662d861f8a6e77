"""The README's staff examples run as written against the fake server."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from informat_async.testing import FakeInformat
from tests.conftest import make_client
from tests.test_readme import README, block_after

HEADING = "## Staff: the personnel API"


def examples() -> tuple[str, str]:
    section = README.split(HEADING, 1)[1].split("\n## ", 1)[0]
    first = block_after(HEADING, "python")
    second = block_after("Recording an interruption with its attachment", "python")
    assert first in section
    assert second in section
    return first, second


async def test_staff_into_sqlite_and_reporting_sick(tmp_path: Path) -> None:
    into_sqlite, report = examples()
    namespace: dict[str, Any] = {}
    exec(into_sqlite, namespace)  # noqa: S102
    exec(report, namespace)  # noqa: S102
    db = tmp_path / "staff.sqlite"
    async with FakeInformat(institutes=("123456", "654321"), students_per_institute=8,
                            seed=2) as server:
        year = server.school_year
        first_day = dt.date(int(year[:4]), 10, 5)  # a day inside the fake's school year
        async with make_client(server, personnel_url=server.personnel_url) as client:
            await namespace["staff_into_sqlite"](client, str(db), year)
            truth = server.personnel.institute("123456")
            person = uuid.UUID(next(iter(truth.employees)))
            made = await namespace["report_sick"](client, "123456", person,
                                                  truth.structures[0], year, first_day,
                                                  b"%PDF-1.4 attest")
        assert str(made) in truth.interruptions
        assert [a["content"] for a in truth.attachments.values()] == [b"%PDF-1.4 attest"]
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM employees").fetchone()[0]
    assert stored == sum(len(server.personnel.institute(n).employees)
                         for n in ("123456", "654321"))
