"""Staff in the command line and SQLite: ``sync --include employees,...``, the demo, and
the ``employees`` quick read, as subprocesses against the fake server."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

from informat_async.staff_tables import STAFF_TABLES
from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR
from tests.test_cli import rows, run_cli, server_env

INST = "111111"
STAFF = "employees,assignments,interruptions,diplomas,own_fields,employee_photos"


def staff_env(server: FakeInformat) -> dict[str, str]:
    return {**server_env(server), "INFORMAT_PERSONNEL_URL": server.personnel_url}


async def test_sync_writes_staff_tables_keyed_on_personnel_guids(tmp_path: Path) -> None:
    db = tmp_path / "school.sqlite"
    async with FakeInformat(institutes=(INST,), students_per_institute=6, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = staff_env(server)
        args = ("sync", INST, "--school-year", SCHOOL_YEAR, "--db", str(db), "--quiet",
                "--include", "students," + STAFF)
        code, out, err = await run_cli(*args, env=env)
        assert code == 0, err
        truth = server.personnel.institute(INST)
        assert f"{len(truth.employees)} employees" in out
        stored = rows(db, "SELECT person_id, p_persoon, rijksregisternr FROM employees")
        assert {r[0] for r in stored} == set(truth.employees)
        legacy = {str(r["p_persoon"]): r["Rijksregnr"]
                  for r in server.legacy.data.institute(INST).staff}
        assert {str(r[1]): r[2] for r in stored} == legacy  # a full, private copy
        assert rows(db, "SELECT COUNT(*) FROM interruptions")[0][0] == len(
            truth.interruptions)
        assert rows(db, "SELECT COUNT(*) FROM assignment_replacements")[0][0] == sum(
            len(a["vervangingen"]) for a in truth.assignments)
        waarden = {r[0] for r in rows(db, "SELECT waarde FROM own_fields")}
        assert {"true", "false"} & waarden  # JSON text: the boolean stays a boolean
        photo_rows = rows(db, "SELECT path FROM employee_photos")
        assert len(photo_rows) == len(truth.photos)
        files = [db.parent / r[0] for r in photo_rows if r[0] is not None]
        assert len(files) == len(truth.photos) - 1  # the blank photo has no file
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
        assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700

        first = {t: rows(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in STAFF_TABLES}  # noqa: S608
        gone = next(iter(truth.employees))
        del truth.employees[gone]  # no longer on the list: gone after the next full fetch
        code, out, err = await run_cli(*args, env=env)
        assert code == 0, err
        again = {t: rows(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in STAFF_TABLES}  # noqa: S608
        assert again["employees"] == first["employees"] - 1
        assert again["assignments"] == first["assignments"]
        assert not rows(db, f"SELECT 1 FROM employees WHERE person_id='{gone}'")  # noqa: S608
        assert server.client_secret not in out + err


async def test_demo_fills_staff_tables(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    code, out, err = await run_cli("demo", "--institutes", "2", "--students", "5",
                                   "--db", str(db), "--quiet")
    assert code == 0, err
    assert "employees" in out
    for table in ("employees", "employee_addresses", "employee_groups", "assignments",
                  "interruptions", "diplomas", "own_fields", "employee_photos"):
        assert rows(db, f"SELECT COUNT(*) FROM {table}")[0][0] > 0, table  # noqa: S608
    assert rows(db, "SELECT COUNT(DISTINCT institute) FROM employees")[0][0] == 2


async def test_employees_quick_read_keeps_national_numbers_out_by_default(
    tmp_path: Path,
) -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=4, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = staff_env(server)
        truth = server.personnel.institute(INST)
        numbers = [e["rijksregisternr"] for e in truth.employees.values()]
        ibans = [e["bank"]["iban"] for e in truth.employees.values()]
        base = ("employees", INST, "--school-year", SCHOOL_YEAR)
        code, out, err = await run_cli(*base, env=env)
        assert code == 0, err
        lines = [json.loads(line) for line in out.splitlines()]
        assert {line["person_id"] for line in lines} == set(truth.employees)
        assert not any(n in out for n in numbers)
        assert not any(i in out for i in ibans)

        code, out, err = await run_cli(*base, "--include-national-numbers", env=env)
        assert code == 0, err
        assert all(n in out for n in numbers)

        code, out, err = await run_cli(*base, "--format", "csv", env=env)
        assert code == 0, err
        table = list(csv.DictReader(out.splitlines()))
        assert len(table) == len(truth.employees)
        assert tuple(table[0]) == STAFF_TABLES["employees"].names
        assert not any(n in out for n in numbers)

        target = tmp_path / "staff/"
        code, out, err = await run_cli(*base, "--format", "csv", "-o", f"{target}/", env=env)
        assert code == 0, err
        assert (target / "employee_addresses.csv").exists()
        assert stat.S_IMODE((target / "employees.csv").stat().st_mode) == 0o600


async def test_unknown_include_is_one_line(tmp_path: Path) -> None:
    code, _out, err = await run_cli("demo", "--db", str(tmp_path / "x.sqlite"), "--include",
                                   "employees,staff")
    assert code == 2
    assert "staff" in err
    assert "Traceback" not in err
