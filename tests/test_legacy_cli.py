"""``informat-async legacy`` end to end: a real subprocess against the fake server."""

from __future__ import annotations

import csv
import io
import json

from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR
from tests.test_cli import run_cli


def legacy_env(server: FakeInformat, password: str | None = None) -> dict[str, str]:
    return {
        "INFORMAT_LEGACY_LOGIN": server.legacy_login,
        "INFORMAT_LEGACY_PASSWORD": password or server.legacy_password,
        "INFORMAT_LEGACY_URL": server.legacy_url,
    }


async def test_legacy_dumps_a_list_without_passwords() -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=6, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        env = legacy_env(server)
        staff = server.legacy.data.institute("111111").staff
        code, out, err = await run_cli("legacy", "leerkrachten", "111111", "--school-year",
                                       SCHOOL_YEAR, env=env)
        assert code == 0, err
        records = [json.loads(line) for line in out.splitlines()]
        assert [r["p_persoon"] for r in records] == [int(str(s["p_persoon"])) for s in staff]
        assert all(r["wachtwoord"] is None and r["wachtwoord_ad"] is None for r in records)
        secrets = [server.legacy_password] + [str(s["Wachtwoord"]) for s in staff]
        for secret in secrets:
            assert secret not in out + err

        code, out, err = await run_cli(
            "legacy", "SmartschoolUsers", "111111", "--school-year", SCHOOL_YEAR,
            "--format", "csv", "-p", "smartschoolplatform=x.smartschool.be", "-vv", env=env)
        assert code == 0, err
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == len(server.legacy.data.pupils("111111"))
        assert rows[0]["gebruikersnaam"]
        assert rows[0]["wachtwoord1"] == ""
        assert server.legacy_password not in out + err
        assert "legacy SmartschoolUsers" in err  # -vv logs the call, not its parameters

        code, out, err = await run_cli("legacy", "leerkrachten", "111111", "--school-year",
                                       SCHOOL_YEAR, env=legacy_env(server, "Wrong-Pass-77"))
        assert code == 3
        assert "Wrong-Pass-77" not in out + err
        assert "Traceback" not in err
        code, _, err = await run_cli("legacy", "leerkrachten", "111111", "-p", "x=1",
                                     "--school-year", SCHOOL_YEAR, env=env)
        assert code == 2
        assert "takes no option x" in err
