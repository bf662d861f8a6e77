"""Staff in a bulk run: the personnel lists next to the pupils', under the same limiter,
retry budget and failure report, always fetched in full."""

from __future__ import annotations

import pytest

from informat_async import InvalidInputError, RetryBudget
from informat_async.bulk import STAFF_RESOURCES, RecordsFetched
from informat_async.checkpoints import MemoryCheckpointStore
from informat_async.testing import FakeInformat, Faults
from tests.conftest import SCHOOL_YEAR, make_client

INSTITUTES = ("123456", "654321")


async def test_staff_resources_are_fetched_next_to_pupils(server: FakeInformat) -> None:
    async with make_client(server, personnel_url=server.personnel_url) as client:
        result = await client.fetch_all(
            INSTITUTES, SCHOOL_YEAR, include=("students", *STAFF_RESOURCES))
    assert result.report.ok
    for number in INSTITUTES:
        truth = server.personnel.institute(number)
        assert {str(e.person_id) for e in result.employees[number]} == set(truth.employees)
        assert len(result.assignments[number]) == len(truth.assignments)
        assert len(result.interruptions[number]) == len(truth.interruptions)
        assert len(result.diplomas[number]) == len(truth.diplomas)
        assert len(result.own_fields[number]) == len(truth.own_fields)
        assert len(result.employee_photos[number]) == len(truth.photos)
        assert len(result.students[number]) == len(server.data.institutes[number].students)
        report = result.report.institutes[number]
        assert set(STAFF_RESOURCES) <= report.completed
        assert report.counts["employees"] == len(truth.employees)
    assert result.report.total("employees") == sum(
        len(server.personnel.institute(n).employees) for n in INSTITUTES)
    assert "employees" in result.report.summary()


async def test_staff_lists_are_full_every_run_and_keep_no_checkpoint(
    server: FakeInformat,
) -> None:
    store = MemoryCheckpointStore()
    async with make_client(server, personnel_url=server.personnel_url) as client:
        for _ in range(2):
            async with client.bulk_fetch(INSTITUTES, SCHOOL_YEAR, checkpoints=store,
                                         include=("students", "employees")) as run:
                events = [e async for e in run]
            staff = [e for e in events
                     if isinstance(e, RecordsFetched) and e.resource == "employees"]
            assert [e.changed_since for e in staff] == [None, None]
            assert all(e.records for e in staff)
            for number in INSTITUTES:
                assert run.report.institutes[number].checkpoints_advanced == {"students"}
                assert await store.get(number, SCHOOL_YEAR, "employees") is None
    employee_requests = [r for r in server.request_log if r.endpoint == "employees"]
    assert len(employee_requests) == 4
    assert all("changedSince" not in r.query for r in employee_requests)


async def test_a_staff_failure_is_reported_and_the_run_goes_on(server: FakeInformat) -> None:
    server.faults = Faults(p_503=1.0, endpoints={"employee_assignments"})
    async with make_client(server, personnel_url=server.personnel_url) as client:
        result = await client.fetch_all(INSTITUTES, SCHOOL_YEAR,
                                        include=("employees", "assignments"),
                                        retry_budget=RetryBudget())
    assert not result.report.ok
    assert {(f.institute, f.resource) for f in result.report.failures} == {
        (n, "assignments") for n in INSTITUTES}
    assert all(len(result.employees[n]) == len(server.personnel.institute(n).employees)
               for n in INSTITUTES)
    assert result.assignments == {}


def test_unknown_resources_are_refused(server: FakeInformat) -> None:
    client = make_client(server)
    with pytest.raises(InvalidInputError):
        client.bulk_fetch(INSTITUTES, SCHOOL_YEAR, include=("staff",))  # type: ignore[arg-type]
    assert not server.request_log
