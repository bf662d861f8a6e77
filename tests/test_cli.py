"""The command line end to end: a real subprocess against the fake server on loopback."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from informat_async._cli_terminal import NOTICE_LOGGER, Progress, RetryNotices, terminal_logging
from informat_async.testing import FakeInformat, Faults
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
        assert out.splitlines()[0].startswith("institute,school_year,inschrijvings_id,")
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


async def test_unreachable_host_with_the_defaults_ends_and_names_the_host(
    tmp_path: Path,
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {"INFORMAT_CLIENT_ID": "x", "INFORMAT_CLIENT_SECRET": "secret-value-123",
           "INFORMAT_API_URL": url, "INFORMAT_IDENTITY_URL": url}
    # The default retry policy: the host is given up on after RetryPolicy.unreachable_after
    # (tests/test_trust.py checks the bound itself); run_cli's own guard only turns a hang
    # into a failure.
    code, out, err = await run_cli("sync", "123456", "--school-year", SCHOOL_YEAR,
                                   "--db", str(tmp_path / "x.sqlite"), env=env)
    assert code == 4, err
    assert f"127.0.0.1:{port}" in err.splitlines()[-1]
    assert "still retrying" in err, "waiting is visible at default verbosity"
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
        "--legacy-password", "pass word!",
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
        assert env["INFORMAT_LEGACY_PASSWORD"] == "pass word!"  # set, and quoted for a shell
        code, out, err = await run_cli(*sync_line, env=env, cwd=tmp_path)
        assert code == 0, err
        assert "students 8" in out
        assert rows(tmp_path / "informat.sqlite", "SELECT COUNT(*) FROM students") == [(8,)]
    finally:
        server.send_signal(signal.SIGINT)
        await asyncio.wait_for(server.wait(), timeout=30)
    assert server.returncode == 0


# ---------------------------------------------------------------------------- paths


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("informat-async: error: ")
    return lines[0]


def unwritable_places(tmp_path: Path) -> list[tuple[Path, str]]:
    """Places that no user (root included) can create files in, and what the error says."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    places = [
        (Path("/proc/informat-test"), "cannot create files in /proc"),
        (a_file / "below", "is not a directory"),
    ]
    if os.getuid() != 0:  # root writes anywhere permissions are concerned
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        places.append((locked / "x", "cannot create files in"))
    return places


async def test_unwritable_db_is_one_line_before_any_request(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_text("this is not SQLite\n" * 100)
    cases = [
        (tmp_path, "is a directory"),
        (tmp_path / "missing" / "dir" / "x.sqlite", "does not exist"),
        *unwritable_places(tmp_path),
    ]
    async with FakeInformat(institutes=("111111",), students_per_institute=2, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        for db, needle in cases:
            code, _, err = await run_cli("sync", "111111", "--db", str(db),
                                           env=server_env(server))
            assert code == 2, (db, err)
            line = one_line_error(err)
            assert f"--db {db}" in line
            assert needle in line
        assert not (tmp_path / "missing").exists(), "no silent mkdir"
        assert server.stats.requests == 0
        assert server.stats.token_requests == 0
        code, _out, err = await run_cli("sync", "111111", "--db", str(not_a_db),
                                       env=server_env(server))
    assert code == 2
    line = one_line_error(err)
    assert str(not_a_db) in line
    assert "not a database" in line


async def test_unwritable_photos_dir_fails_before_any_download(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=5, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        for place, needle in unwritable_places(tmp_path):
            code, _, err = await run_cli(
                "sync", "111111", "--db", str(tmp_path / "s.sqlite"),
                "--photos-dir", str(place / "photos"), env=server_env(server))
            assert code == 2, err
            line = one_line_error(err)
            assert f"--photos-dir {place / 'photos'}" in line
            assert needle in line
        assert server.stats.requests == 0
        # without photos, the photo directory does not matter
        code, _, err = await run_cli(
            "sync", "111111", "--db", str(tmp_path / "s.sqlite"), "--include", "students",
            "--photos-dir", "/proc/informat-test/photos", env=server_env(server))
    assert code == 0, err


async def test_unwritable_photo_output_is_one_line(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=2, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        sid = server.data.student_ids("111111")[0]
        targets = [(tmp_path, "is a directory"),
                   (tmp_path / "nope" / "p.jpg", "does not exist"),
                   *unwritable_places(tmp_path)]
        for target, needle in targets:
            code, out, err = await run_cli("photo", "111111", sid, "-o", str(target),
                                           env=server_env(server))
            assert code == 2, err
            line = one_line_error(err)
            assert f"-o {target}" in line
            assert needle in line
            assert out == ""
        assert server.stats.endpoints["photo"] == 0


# ---------------------------------------------------------------------------- pipes


async def test_closed_output_pipe_ends_quietly(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=1500, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        cli = " ".join(shlex.quote(part) for part in CLI)
        script = (f"{cli} students 111111 --school-year {SCHOOL_YEAR} --format csv | head -3;"
                  " echo status=${PIPESTATUS[0]} >&2")
        proc = await asyncio.create_subprocess_exec(
            "bash", "-c", script, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=clean_env(server_env(server)),
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert len(out.decode().splitlines()) == 3
    assert err.decode() == "status=141\n"  # nothing but the status: no traceback, no noise


# ---------------------------------------------------------------------------- institutes


async def test_institute_numbers_are_zero_padded(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    async with FakeInformat(institutes=("030569",), students_per_institute=3, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        code, out, err = await run_cli("sync", "30569", "--school-year", SCHOOL_YEAR,
                                       "--db", str(db), env=server_env(server))
        assert code == 0, err
        assert rows(db, "SELECT DISTINCT institute FROM students") == [("030569",)]
        code, out, err = await run_cli("students", "30569", "--school-year", SCHOOL_YEAR,
                                       env=server_env(server))
    assert code == 0, err
    assert len(out.splitlines()) == 3


async def test_zero_students_names_the_school_year(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=3, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        code, _, err = await run_cli("sync", "111111", "--school-year", "2019-20",
                                     "--db", str(tmp_path / "s.sqlite"),
                                     env=server_env(server))
        assert code == 0, err
        assert "no students for institute 111111 in school year 2019-20" in err
        assert "wrong" in err
        code, _, err = await run_cli("students", "111111", "--school-year", "2019-20",
                                       env=server_env(server))
        assert code == 0, err
        assert "no students for institute 111111 in school year 2019-20" in err
        code, _out, err = await run_cli("sync", "111111", "--school-year", SCHOOL_YEAR,
                                       "--db", str(tmp_path / "t.sqlite"),
                                       env=server_env(server))
    assert code == 0, err
    assert "no students" not in err


# ---------------------------------------------------------------------------- terminal


async def test_retries_are_visible_and_failures_printed_once(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=3, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        server.faults = Faults(p_503=1.0, endpoints=frozenset({"students", "registrations"}))
        code, out, err = await run_cli(
            "sync", "111111", "222222", "--school-year", SCHOOL_YEAR, "--include",
            "students,registrations", "--max-attempts", "4", "--db",
            str(tmp_path / "s.sqlite"), env=server_env(server))
        retries = server.stats.requests - 4  # 4 lists, each retried
        host = server.api_url.split("//", 1)[1]
    assert code == 1
    notices = [line for line in err.splitlines() if "still retrying" in line]
    assert notices, err
    assert all(line.startswith(f"informat-async: {host} ") for line in notices)
    assert len(notices) < retries  # rate-limited, not one per attempt
    assert "WARNING" not in err
    for institute in ("111111", "222222"):
        for resource in ("students", "registrations"):
            assert (out + err).count(f"{institute} {resource}: ServerError") == 1


async def test_proxy_option(tmp_path: Path) -> None:
    from tests.test_client_options import RecordingProxy

    async with FakeInformat(institutes=("111111",), students_per_institute=2, seed=4,
                            school_year=SCHOOL_YEAR) as server, RecordingProxy() as proxy:
        code, _, err = await run_cli("students", "111111", "--school-year", SCHOOL_YEAR,
                                     "--proxy", proxy.url, env=server_env(server))
        assert code == 0, err
        assert proxy.seen == ["POST /connect/token", "GET /1/students"]
        code, _out, err = await run_cli("students", "111111", "--school-year", SCHOOL_YEAR,
                                       env={**server_env(server), "HTTP_PROXY": proxy.url})
        assert code == 0, err
        assert len(proxy.seen) == 4


def test_retry_notices_one_line_per_host_every_few_seconds() -> None:
    now = [0.0]
    notices = RetryNotices(interval=5.0, clock=lambda: now[0])
    notices.hosts.update(api="api.example", identity="id.example")
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    collect = Collect()
    logging.getLogger(NOTICE_LOGGER).addHandler(collect)
    try:
        def retry(at: float, endpoint: str, **more: object) -> None:
            now[0] = at
            notices.handle(logging.makeLogRecord({"informat_retry": {
                "endpoint": endpoint, "reason": "ServerError (HTTP 503)", **more}}))

        retry(0, "GET /students")
        for at in (1, 2, 3):
            retry(at, "GET /registrations")
        retry(1.5, "POST /connect/token")
        retry(2.5, "GET /students", host="elsewhere.example")
        notices.handle(logging.makeLogRecord({"msg": "an ordinary debug line"}))
        assert [line.split()[0] for line in lines] == ["api.example", "id.example",
                                                       "elsewhere.example"]
        retry(6, "GET /students")
        assert len(lines) == 4
        assert lines[-1].startswith("api.example is not answering as it should")
        assert "4 retries since the last notice, 5 in all" in lines[-1]
    finally:
        logging.getLogger(NOTICE_LOGGER).removeHandler(collect)


def test_log_lines_do_not_break_progress_bars(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    with terminal_logging(0, bars=True):
        progress = Progress(True)
        progress("students", 1, 4)
        logging.getLogger("informat_async").warning("a line for people")
        logging.getLogger("informat_async").debug("not shown at default verbosity")
        progress("students", 2, 4)
        progress.close()
    text = terminal.getvalue()
    assert "students" in text  # a bar was drawn
    assert "not shown" not in text
    shown = [line for line in text.split("\n") if "a line for people" in line]
    assert len(shown) == 1
    assert shown[0].split("\r")[-1] == "WARNING: a line for people"  # on a line of its own
