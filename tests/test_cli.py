"""The command line end to end: a real subprocess against the fake server on loopback."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR

#: The installed console script (the real executable users run), beside this interpreter.
_SCRIPT = shutil.which("informat-async", path=str(Path(sys.executable).parent))
CLI: tuple[str, ...] = (_SCRIPT,) if _SCRIPT else (sys.executable, "-m", "informat_async")


def clean_env(env: dict[str, str] | None = None) -> dict[str, str]:
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("INFORMAT_") and k.lower() not in _PROXY_VARIABLES}
    full_env.update(env or {})
    return full_env


_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


async def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI, *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=clean_env(env),
        cwd=cwd,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def server_env(server: FakeInformat) -> dict[str, str]:
    return {
        "INFORMAT_CLIENT_ID": server.client_id,
        "INFORMAT_CLIENT_SECRET": server.client_secret,
        "INFORMAT_API_URL": server.api_url,
        "INFORMAT_IDENTITY_URL": server.identity_url,
    }


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


async def test_sync_twice_is_incremental_and_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "school.sqlite"
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=15,
                            seed=4, school_year=SCHOOL_YEAR) as server:
        env = server_env(server)
        args = ("sync", "111111", "222222", "--school-year", SCHOOL_YEAR, "--db", str(db),
                "--rate-limit", "0")
        code, out, err = await run_cli(*args, env=env)
        assert code == 0, err
        assert "students 30" in out
        assert server.client_secret not in out + err
        first = {t: rows(db, f"SELECT COUNT(*) FROM {t}")[0][0]  # noqa: S608
                 for t in ("students", "registrations", "relations", "addresses", "photos",
                           "class_registrations", "school_history", "sync_state")}
        assert first["students"] == 30
        assert first["registrations"] == len(server.data.registration_ids("111111")) + len(
            server.data.registration_ids("222222"))
        assert first["photos"] == len(list((tmp_path / "school-photos").rglob("*.jpg")))
        assert first["sync_state"] == 4  # students and registrations per institute

        requests_before = server.stats.requests
        code, out, err = await run_cli(*args, env=env)
        assert code == 0, err
        second = {t: rows(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in first}  # noqa: S608
        assert second == first, "a second sync adds no row"
        assert server.stats.endpoints["photo"] < 2 * first["photos"]
        assert server.stats.requests - requests_before < requests_before

        sid = server.data.student_ids("111111")[3]
        server.touch_student("111111", sid, naam="Nieuwenaam")
        code, out, err = await run_cli(*args, env=env)
        assert code == 0, err
        assert rows(db, f"SELECT naam FROM students WHERE persoon_id = '{sid.lower()}'") == [  # noqa: S608
            ("Nieuwenaam",)]
        assert rows(db, "SELECT COUNT(*) FROM students")[0][0] == 30


async def test_quick_reads(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=4, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = server_env(server)
        code, out, err = await run_cli("students", "111111", "--school-year", SCHOOL_YEAR,
                                       env=env)
        assert code == 0, err
        assert len(out.splitlines()) == 4
        code, out, err = await run_cli("registrations", "111111", "--school-year",
                                       SCHOOL_YEAR, "--format", "csv", env=env)
        assert code == 0, err
        assert out.splitlines()[0].startswith("inschrijvings_id,")
        sid = next(s for s in server.data.student_ids("111111")
                   if s in server.data.institutes["111111"].photos)
        target = tmp_path / "photo.jpg"
        code, _, err = await run_cli("photo", "111111", sid, "-o", str(target), env=env)
        assert code == 0, err
        assert target.read_bytes() == server.data.institutes["111111"].photos[sid]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("sync", "1234567", "--school-year", SCHOOL_YEAR), 2, "6 digits"),
        (("sync", "123456", "--school-year", "2025/26"), 2, "2025-26"),
        (("sync", "--school-year", SCHOOL_YEAR), 2, "at least one institute"),
        (("students", "123456", "--school-year", SCHOOL_YEAR), 2, "INFORMAT_CLIENT_ID"),
    ],
)
async def test_bad_input_exits_with_one_line(
    args: tuple[str, ...], code: int, needle: str, tmp_path: Path
) -> None:
    if args[0] == "sync":
        env = {"INFORMAT_CLIENT_ID": "x", "INFORMAT_CLIENT_SECRET": "y"}
        args = (*args, "--db", str(tmp_path / "x.sqlite"))
    else:
        env = {}
    got, _, err = await run_cli(*args, env=env)
    assert got == code
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


async def test_unreachable_host(tmp_path: Path) -> None:
    env = {"INFORMAT_CLIENT_ID": "x", "INFORMAT_CLIENT_SECRET": "secret-value-123",
           "INFORMAT_API_URL": "http://127.0.0.1:9", "INFORMAT_IDENTITY_URL": "http://127.0.0.1:9"}
    code, out, err = await run_cli("sync", "123456", "--school-year", SCHOOL_YEAR,
                                   "--db", str(tmp_path / "x.sqlite"), "--max-attempts", "1",
                                   env=env)
    assert code == 4
    assert "cannot reach Informat" in err
    assert "Traceback" not in err
    assert "secret-value-123" not in out + err


async def test_wrong_credentials(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=2, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = server_env(server) | {"INFORMAT_CLIENT_SECRET": "not-the-secret"}
        code, out, err = await run_cli("sync", "111111", "--school-year", SCHOOL_YEAR,
                                       "--db", str(tmp_path / "x.sqlite"), env=env)
    assert code == 3
    assert "invalid_client" in err
    assert "not-the-secret" not in out + err
    assert "Traceback" not in err


async def test_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    code, out, err = await run_cli("demo", "--institutes", "2", "--students", "10",
                                   "--db", str(db))
    assert code == 0, err
    assert "2 institutes" in out
    assert "requests" in out
    assert "retries" in out
    assert str(db) in out
    assert rows(db, "SELECT COUNT(*) FROM students")[0][0] == 20


async def test_fake_server_values_pasted_into_sync(tmp_path: Path) -> None:
    """``python -m informat_async.testing`` prints exports and a sync line that work as is."""
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "informat_async.testing", "--port", "0", "--students", "4",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=clean_env(),
    )
    assert server.stdout is not None
    try:
        printed: list[str] = []
        while not printed or not printed[-1].startswith("Press Ctrl-C"):
            line = await asyncio.wait_for(server.stdout.readline(), timeout=60)
            assert line, "the fake server ended early"
            printed.append(line.decode().strip())
        env: dict[str, str] = {}
        sync_line: list[str] = []
        for line in printed:
            words = shlex.split(line)
            if words[:1] == ["export"]:
                name, _, value = words[1].partition("=")
                env[name] = value
            elif words[:2] == ["informat-async", "sync"]:
                sync_line = words[1:]
        assert {"INFORMAT_API_URL", "INFORMAT_IDENTITY_URL", "INFORMAT_CLIENT_ID",
                "INFORMAT_CLIENT_SECRET"} <= env.keys()
        assert sync_line
        code, out, err = await run_cli(*sync_line, env=env, cwd=tmp_path)
        assert code == 0, err
        assert "students 8" in out
        assert rows(tmp_path / "informat.sqlite", "SELECT COUNT(*) FROM students") == [(8,)]
    finally:
        server.send_signal(signal.SIGINT)
        await asyncio.wait_for(server.wait(), timeout=30)
    assert server.returncode == 0
