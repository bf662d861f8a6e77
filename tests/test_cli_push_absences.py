"""``informat-async push-absences``: checked before sending, one report line per input line,
safe to run again, exit codes as for ``sync``."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

from informat_async.testing import FakeInformat

from .test_cli import run_cli, server_env
from .test_student_api import GRADE2, INACTIVE, SECONDARY

HEADER = "institute,student_id,date,part_of_day,absence_code,location_id_discimus,timestamp\n"


def env_of(server: FakeInformat) -> dict[str, str]:
    return {**server_env(server), "INFORMAT_STUDENT_API_URL": server.student_api_url}


def sent(server: FakeInformat) -> list[str]:
    return [r.path for r in server.request_log if r.path.startswith("/api/v1/")]


async def test_push_csv_then_again_is_unchanged(tmp_path: Path, server: FakeInformat) -> None:
    path = tmp_path / "absences.csv"
    path.write_text(HEADER
                    + f"{SECONDARY},{GRADE2},2025-10-14,VM,B,1,2025-10-14T08:30:00\n"
                    + f"{SECONDARY},{GRADE2.upper()},2025-10-16,NM,Z,1,2025-10-16T13:05:00\n"
                    + f"{SECONDARY},{INACTIVE},2025-10-14,VM,B,1,2025-10-14T08:30:00\n",
                    encoding="utf-8")
    args = ("push-absences", str(path), "--rate-limit", "0")
    code, out, err = await run_cli(*args, env=env_of(server))
    assert code == 1, err
    assert "line 2: created" in out
    assert "line 3: created" in out
    assert "line 4: failed DNF011" in out
    assert "created 2, updated 0, unchanged 0, failed 1" in out
    assert server.client_secret not in out + err

    code, out, err = await run_cli(*args, env=env_of(server))
    assert code == 1, err
    assert "line 2: unchanged" in out
    assert "line 3: unchanged" in out
    assert "created 0, updated 0, unchanged 2, failed 1" in out
    assert server.student_api.absences_of(SECONDARY, GRADE2) == {
        (dt.date(2025, 10, 14), "VM"): "B", (dt.date(2025, 10, 16), "NM"): "Z"}


async def test_push_jsonl_updates_and_exits_0(tmp_path: Path, server: FakeInformat) -> None:
    path = tmp_path / "absences.jsonl"
    line = {"institute": SECONDARY, "student_id": GRADE2, "date": "2025-10-14",
            "part_of_day": "VM", "code": "B", "location": 1,
            "timestamp": "2025-10-14T08:30:00", "school_year": "2025-26"}
    path.write_text(json.dumps(line) + "\n\n", encoding="utf-8")
    code, out, err = await run_cli("push-absences", str(path), env=env_of(server))
    assert (code, out.splitlines()[0]) == (0, "line 1: created"), err
    path.write_text(json.dumps({**line, "code": "Z"}) + "\n", encoding="utf-8")
    code, out, err = await run_cli("push-absences", str(path), env=env_of(server))
    assert (code, out.splitlines()[0]) == (0, "line 1: updated"), err


async def test_one_invalid_line_and_nothing_is_sent(tmp_path: Path, server: FakeInformat) -> None:
    path = tmp_path / "absences.csv"
    future = (dt.datetime.now() + dt.timedelta(days=3)).isoformat(timespec="seconds")
    path.write_text(HEADER
                    + f"{SECONDARY},{GRADE2},2025-10-14,VM,B,1,2025-10-14T08:30:00\n"
                    + f"{SECONDARY},{GRADE2},2025-10-15,AM,B,x,{future}\n"
                    + "1234567,nope,2025-10-14,VM,B,1,2025-10-14T08:30:00\n"
                    + f"{SECONDARY},{GRADE2},2025-10-14,VM,Z,1,2025-10-14T08:31:00\n",
                    encoding="utf-8")
    code, out, err = await run_cli("push-absences", str(path), env=env_of(server))
    assert code == 2
    assert "nothing was sent" in err
    assert "line 3: invalid: BR052B" in out
    assert "INPUT location_id_discimus" in out
    assert "BR053B" in out
    assert "line 4: invalid: INPUT institute" in out
    assert "line 5: invalid: INPUT line: the same student, date and part of day as line 2" in out
    assert "line 2" not in out.replace("as line 2", "")
    assert sent(server) == []
    assert server.stats.token_requests == 0


async def test_missing_column_and_unreadable_file(tmp_path: Path, server: FakeInformat) -> None:
    path = tmp_path / "absences.csv"
    path.write_text("institute,student_id\n123456,x\n", encoding="utf-8")
    code, out, _ = await run_cli("push-absences", str(path), env=env_of(server))
    assert code == 2
    assert "INPUT date: the column is missing" in out
    code, _, err = await run_cli("push-absences", str(tmp_path / "none.csv"),
                                 env=env_of(server))
    assert code == 2
    assert "cannot read none.csv" in err
    assert "Traceback" not in err


async def test_unreachable_student_api_exits_4(tmp_path: Path, server: FakeInformat) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "absences.csv"
    path.write_text(HEADER + f"{SECONDARY},{GRADE2},2025-10-14,VM,B,1,2025-10-14T08:30:00\n",
                    encoding="utf-8")
    code, out, err = await run_cli(
        "push-absences", str(path), "--max-attempts", "1",
        "--student-api-url", f"http://127.0.0.1:{port}/api/v1", env=env_of(server))
    assert code == 4, err
    assert "line 2: failed InformatConnectionError" in out
    assert "Traceback" not in err
