"""``sync`` and the exports end to end: the real ``informat-async`` executable as a
subprocess against the fake server, for school years, photo catch-up, private files and
complete, private exports."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from informat_async import tables
from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR, mode
from tests.test_cli import server_env

OTHER_YEAR = "2026-27"


def executable() -> str:
    found = shutil.which("informat-async", path=str(Path(sys.executable).parent))
    assert found, "the informat-async console script is installed with the package"
    return found


async def run(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    import asyncio

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INFORMAT_")}
    full_env.update(env)
    proc = await asyncio.create_subprocess_exec(
        executable(), *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env=full_env,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        value = conn.execute(sql).fetchone()[0]
    finally:
        conn.close()
    assert isinstance(value, int)
    return value


async def test_switching_school_years(tmp_path: Path) -> None:
    db = tmp_path / "school.sqlite"
    async with FakeInformat(institutes=("111111",), students_per_institute=20, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = server_env(server)

        async def sync(year: str) -> str:
            code, out, err = await run("sync", "111111", "--school-year", year, "--db",
                                       str(db), "--rate-limit", "0", env=env)
            assert code == 0, err
            return out

        # a year the server has nothing for first: its checkpoints must not hide the other
        out = await sync(OTHER_YEAR)
        assert "students 0" in out
        out = await sync(SCHOOL_YEAR)
        assert "students 20" in out
        registrations = len(server.data.registration_ids("111111"))
        assert registrations > 0
        assert count(db, "SELECT COUNT(*) FROM registrations") == registrations
        history = count(db, "SELECT COUNT(*) FROM school_history")
        assert history > 0
        # syncing the wrong year again leaves the rows of the right one alone
        await sync(OTHER_YEAR)
        assert count(db, f"SELECT COUNT(*) FROM school_history "  # noqa: S608
                         f"WHERE school_year='{SCHOOL_YEAR}'") == history
        assert count(db, f"SELECT COUNT(*) FROM registrations "  # noqa: S608
                         f"WHERE school_year='{SCHOOL_YEAR}'") == registrations
        assert count(db, "SELECT COUNT(*) FROM sync_state") == 4
        assert count(db, "SELECT COUNT(DISTINCT school_year) FROM sync_state") == 2


@pytest.mark.usefixtures("umask_022")
async def test_students_only_then_full_sync_catches_up_photos(tmp_path: Path) -> None:
    db = tmp_path / "data" / "school.sqlite"
    db.parent.mkdir()
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=10,
                            seed=4, school_year=SCHOOL_YEAR) as server:
        env = server_env(server)
        base = ("sync", "111111", "222222", "--school-year", SCHOOL_YEAR, "--db", str(db),
                "--rate-limit", "0")
        code, _, err = await run(*base, "--include", "students", env=env)
        assert code == 0, err
        assert count(db, "SELECT COUNT(*) FROM photos") == 0
        code, out, err = await run(*base, env=env)
        assert code == 0, err
        truth = {(inst, sid.lower()) for inst in ("111111", "222222")
                 for sid in server.data.institutes[inst].photos}
        assert truth
        photos_dir = tmp_path / "data" / "school-photos"
        files = sorted(photos_dir.rglob("*.jpg"))
        assert {(p.parent.name, p.stem) for p in files} == truth
        assert count(db, "SELECT COUNT(*) FROM photos") == len(truth)
        assert f"{len(truth)} photos" in out
        # paths are relative to the database's directory
        conn = sqlite3.connect(db)
        try:
            paths = [r[0] for r in conn.execute("SELECT path FROM photos")]
        finally:
            conn.close()
        assert all(not os.path.isabs(p) and (db.parent / p).is_file() for p in paths)
        # everything is private, whatever the umask
        assert mode(db) == 0o600
        assert mode(photos_dir) == 0o700
        assert {mode(p.parent) for p in files} == {0o700}
        assert {mode(p) for p in files} == {0o600}
        assert not list(photos_dir.rglob("*.part"))
        # a third sync asks for no photo again
        photo_requests = server.stats.endpoints["photo"]
        code, _, err = await run(*base, env=env)
        assert code == 0, err
        assert server.stats.endpoints["photo"] == photo_requests


async def test_exports_are_complete_and_private(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=6, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = server_env(server)
        common = ("--school-year", SCHOOL_YEAR)
        out_dir = tmp_path / "export"
        code, out, err = await run("students", "111111", *common, "--format", "csv",
                                   "-o", f"{out_dir}/", env=env)
        assert code == 0, err
        assert out == ""
        written = {p.stem: list(csv.DictReader(p.read_text(encoding="utf-8").splitlines()))
                   for p in out_dir.glob("*.csv")}
        assert set(written) == set(tables.STUDENT_TABLES)
        assert len(written["students"]) == 6
        assert all(written[name] for name in ("addresses", "relations", "emails"))
        assert list(written["addresses"][0]) == list(tables.TABLES["addresses"].names)
        assert {r["rijksregisternr"] for r in written["students"]} == {""}
        assert {r["insz"] for r in written["relations"]} == {""}
        assert {r["iban"] for r in written["bank_accounts"]} <= {""}
        assert mode(out_dir) == 0o700
        assert {mode(p) for p in out_dir.iterdir()} == {0o600}

        code, _, err = await run("students", "111111", *common, "--format", "csv", "-o",
                                 str(out_dir), "--include-national-numbers", env=env)
        assert code == 0, err
        with (out_dir / "students.csv").open(encoding="utf-8") as fh:
            assert any(r["rijksregisternr"] for r in csv.DictReader(fh))

        target = tmp_path / "students.jsonl"
        code, _, err = await run("students", "111111", *common, "-o", str(target), env=env)
        assert code == 0, err
        lines = [json.loads(line) for line in target.read_text().splitlines()]
        assert len(lines) == 6
        assert {s["rijksregisternr"] for s in lines} == {None}
        assert {r["insz"] for s in lines for r in s["relaties"]} == {None}
        assert any(s["adressen"] for s in lines)
        assert mode(target) == 0o600

        code, out, err = await run("registrations", "111111", *common, "--format", "csv",
                                   env=env)
        assert code == 0, err
        assert out.splitlines()[0].startswith("institute,school_year,inschrijvings_id,")
        assert "class_registrations" in err  # said, not silently dropped

        code, _, err = await run("students", "111111", *common, "-o", f"{out_dir}/",
                                 env=env)
        assert code == 2
        assert "--format csv" in err
        assert len(err.strip().splitlines()) == 1


async def test_demo_of_another_school_year_fetches_everything(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    base = ("demo", "--institutes", "1", "--students", "5", "--db", str(db), "--quiet")
    code, out, err = await run(*base, "--school-year", OTHER_YEAR, env={})
    assert code == 0, err
    assert "students 5" in out
    code, out, err = await run(*base, "--school-year", SCHOOL_YEAR, env={})
    assert code == 0, err
    assert "students 5" in out
    assert "registrations 0" not in out


async def test_an_unwritable_output_is_one_line(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=2, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        target = tmp_path / "missing" / "students.csv"
        code, _, err = await run("students", "111111", "--school-year", SCHOOL_YEAR,
                                   "--format", "csv", "-o", str(target),
                                   env=server_env(server))
    assert code == 2
    assert str(target) in err
    assert len(err.strip().splitlines()) == 1
    assert not target.parent.exists()
