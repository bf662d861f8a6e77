"""The fan-out layer against the fake server, compared with the server's ground truth."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import pytest

from informat_async import InformatClient, InvalidInputError, RetryBudget, RetryPolicy
from informat_async import bulk as bulk_module
from informat_async.bulk import Failure, PhotoFetched, RecordsFetched
from informat_async.checkpoints import JsonFileCheckpointStore, MemoryCheckpointStore
from informat_async.sinks import DirectoryPhotoSink
from informat_async.testing import FakeInformat, Faults
from tests.conftest import SCHOOL_YEAR, make_client


def truth_photos(server: FakeInformat, institutes: list[str]) -> dict[tuple[str, uuid.UUID], bytes]:
    return {
        (inst, uuid.UUID(sid)): data
        for inst in institutes
        for sid, data in server.data.institutes[inst].photos.items()
    }


async def test_bulk_under_faults_delivers_everything_exactly_once() -> None:
    """20 institutes x 200 students with photos, under 5 % 5xx, 2 % 429, 1 % resets,
    1 % truncated bodies and tokens revoked every 2 s, with the default retry policy."""
    async with FakeInformat(institutes=20, students_per_institute=200, seed=5,
                            school_year=SCHOOL_YEAR) as server:
        institutes = list(server.data.institutes)
        server.faults = Faults(p_500=0.02, p_502=0.015, p_503=0.015, p_429=0.02,
                               p_reset=0.01, p_truncate=0.01, revoke_every=2.0, seed=9)
        photos: Counter[tuple[str, uuid.UUID]] = Counter()
        received: dict[tuple[str, uuid.UUID], bytes] = {}
        students: Counter[tuple[str, uuid.UUID]] = Counter()
        registrations: Counter[tuple[str, uuid.UUID]] = Counter()
        failures: list[Failure] = []
        async with InformatClient(
            server.client_id, server.client_secret, api_url=server.api_url,
            identity_url=server.identity_url, rate_limit=None, max_in_flight=40,
        ) as client:
            async with client.bulk_fetch(institutes, SCHOOL_YEAR) as run:
                async for event in run:
                    if isinstance(event, PhotoFetched):
                        photos[(event.institute, event.student_id)] += 1
                        if event.photo is not None:
                            received[(event.institute, event.student_id)] = event.photo.foto
                    elif isinstance(event, RecordsFetched) and event.resource == "students":
                        students.update((event.institute, s.persoon_id)  # type: ignore[union-attr]
                                        for s in event.records)
                    elif isinstance(event, RecordsFetched) and event.resource == "registrations":
                        registrations.update(
                            (event.institute, r.inschrijvings_id)  # type: ignore[union-attr]
                            for r in event.records)
                    elif isinstance(event, Failure):
                        failures.append(event)
        report = run.report
        assert failures == []
        assert report.ok, report.summary()
        assert report.retries > 0
        assert sum(server.stats.faults.values()) > 0
        expected_students = {(i, uuid.UUID(s)) for i in institutes
                             for s in server.data.student_ids(i)}
        assert set(students) == expected_students
        assert set(students.values()) == {1}
        assert set(registrations) == {(i, uuid.UUID(r)) for i in institutes
                                      for r in server.data.registration_ids(i)}
        assert set(photos) == expected_students
        assert set(photos.values()) == {1}
        assert received == truth_photos(server, institutes)


async def test_fault_free_run_equals_faulty_run() -> None:
    async def gather(faults: Faults) -> tuple[object, object, object]:
        async with FakeInformat(institutes=3, students_per_institute=20, seed=2,
                                school_year=SCHOOL_YEAR) as server:
            server.faults = faults
            async with make_client(server, max_in_flight=8) as client:
                result = await client.fetch_all(list(server.data.institutes), SCHOOL_YEAR,
                                                keep_photos=True)
            assert result.report.ok, result.report.summary()
            key = {k: sorted(v, key=repr) for k, v in result.students.items()}
            regs = {k: sorted(v, key=repr) for k, v in result.registrations.items()}
            return key, regs, result.photos

    clean = await gather(Faults())
    faulty = await gather(Faults(p_503=0.1, p_429=0.05, retry_after=0, p_reset=0.03,
                                 p_truncate=0.03, seed=4))
    assert clean == faulty


async def test_client_rate_below_server_limit_gets_no_429() -> None:
    async with FakeInformat(institutes=2, students_per_institute=60, seed=1,
                            school_year=SCHOOL_YEAR, rate_limit=100) as server:
        async with make_client(server, rate_limit=95, max_in_flight=20) as client:
            result = await client.fetch_all(list(server.data.institutes), SCHOOL_YEAR,
                                            include=("students", "photos"))
        assert result.report.ok
        assert server.stats.rate_limited == 0
        assert server.stats.requests >= 120


async def test_total_outage_stays_within_the_retry_budget() -> None:
    async with FakeInformat(institutes=10, students_per_institute=5, seed=1,
                            school_year=SCHOOL_YEAR) as server:
        server.faults = Faults(p_503=1.0)
        budget = RetryBudget(ratio=0.1, initial=5, capacity=50)
        async with make_client(server, retry=RetryPolicy.no_wait(max_attempts=10)) as client:
            result = await client.fetch_all(list(server.data.institutes), SCHOOL_YEAR,
                                            retry_budget=budget)
        first_attempts = 10 * 3  # students, registrations, school history per institute
        assert server.stats.requests <= first_attempts + 5 + 0.1 * first_attempts
        assert client.stats.requests == server.stats.requests
        assert not result.report.ok
        assert len(result.report.failures) == first_attempts
        assert budget.refused > 0


async def test_incremental_sync_with_checkpoints(tmp_path: Path) -> None:
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=10,
                            seed=3, school_year=SCHOOL_YEAR) as server:
        store = JsonFileCheckpointStore(tmp_path / "checkpoints.json")
        async with make_client(server) as client:
            first = await client.fetch_all(["111111", "222222"], SCHOOL_YEAR, checkpoints=store)
            assert first.report.ok
            assert first.report.total("students") == 20
            assert await store.get("111111", SCHOOL_YEAR, "students") is not None
            assert await store.get("111111", SCHOOL_YEAR, "registrations") is not None
            sid = server.data.student_ids("111111")[0]
            server.touch_student("111111", sid, naam="Gewijzigd")
            # the checkpoint lies 10 minutes before the first run: move it past the data
            for inst in ("111111", "222222"):
                for res in ("students", "registrations"):
                    when = await store.get(inst, SCHOOL_YEAR, res)
                    assert when is not None
            second = await client.fetch_all(
                ["111111", "222222"], SCHOOL_YEAR, checkpoints=store,
                include=("students", "photos"),
            )
        changed = [s for s in second.students.get("111111", []) if s.naam == "Gewijzigd"]
        assert [str(s.persoon_id) for s in changed] == [sid.lower()]
        assert second.report.total("students") < 20


async def test_checkpoint_waits_for_photos() -> None:
    async with FakeInformat(institutes=("111111",), students_per_institute=5, seed=3,
                            school_year=SCHOOL_YEAR) as server:
        server.faults = Faults(p_500=1.0, endpoints={"photo"})
        store = MemoryCheckpointStore()
        async with make_client(server, retry=RetryPolicy.never()) as client:
            result = await client.fetch_all(["111111"], SCHOOL_YEAR, checkpoints=store)
        assert not result.report.ok
        assert ("111111", SCHOOL_YEAR, "registrations") in store.values
        assert ("111111", SCHOOL_YEAR, "students") not in store.values
        assert {f.resource for f in result.report.failures} == {"photos"}


async def test_photos_go_to_a_directory(tmp_path: Path) -> None:
    async with FakeInformat(institutes=2, students_per_institute=8, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        institutes = list(server.data.institutes)
        sink = DirectoryPhotoSink(tmp_path)
        progress: dict[str, tuple[int, int]] = {}
        async with make_client(server) as client:
            result = await client.fetch_all(
                institutes, SCHOOL_YEAR, include=("photos",), photo_sink=sink,
                progress=lambda res, done, total: progress.__setitem__(res, (done, total)),
            )
        assert result.photos == {}
        truth = truth_photos(server, institutes)
        files = sorted(tmp_path.rglob("*.jpg"))
        assert len(files) == len(truth) == sink.written
        for (inst, sid), data in truth.items():
            assert (tmp_path / inst / f"{sid}.jpg").read_bytes() == data
        assert progress["photos"][0] == progress["photos"][1] == sum(
            len(server.data.student_ids(i)) for i in institutes)
        assert progress["students"] == (2, 2)


async def test_institutes_are_served_fairly() -> None:
    async with FakeInformat(institutes=4, students_per_institute=40, seed=6,
                            school_year=SCHOOL_YEAR) as server:
        institutes = list(server.data.institutes)
        order: list[str] = []
        async with make_client(server, max_in_flight=2) as client:
            async with client.bulk_fetch(institutes, SCHOOL_YEAR, include=("photos",)) as run:
                async for event in run:
                    if isinstance(event, PhotoFetched):
                        order.append(event.institute)
        first = order[: len(order) // 4]
        assert set(first) == set(institutes), "every institute progresses from the start"


async def test_a_students_list_waits_while_many_photos_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without the wait, every institute's list came first and the ids of all their
    # students were held until their photos' turn: memory grew with the institutes.
    monkeypatch.setattr(bulk_module, "_PHOTO_IDS_AHEAD", 10)
    async with FakeInformat(institutes=8, students_per_institute=12, seed=8,
                            school_year=SCHOOL_YEAR) as server:
        institutes = list(server.data.institutes)
        async with make_client(server, max_in_flight=2) as client:
            async with client.bulk_fetch(institutes, SCHOOL_YEAR, include=("photos",)) as run:
                events = [event async for event in run]
        assert not [e for e in events if isinstance(e, Failure)]
        assert sum(isinstance(e, PhotoFetched) for e in events) == 8 * 12
        assert run.report.total("students") == 8 * 12
        lists = photos = 0
        for entry in server.request_log:
            if entry.path.endswith("/photo"):
                photos += 1
            elif entry.path.rstrip("/").endswith("/students"):
                # Of the lists sent before, at most one is still on its way (two at once):
                # the others queued 12 ids each, and a list starts only while fewer than
                # 10 wait; the two workers' last photos may not have reached the server.
                assert photos >= (lists - 1) * 12 - 10 - 2, (lists, photos)
                lists += 1
        assert lists == 8


async def test_cancelling_a_run_leaves_nothing_behind() -> None:
    async with FakeInformat(institutes=3, students_per_institute=30, seed=6,
                            school_year=SCHOOL_YEAR) as server:
        server.faults = Faults(latency=0.01)
        store = MemoryCheckpointStore()
        async with make_client(server, max_in_flight=4) as client:
            async with client.bulk_fetch(list(server.data.institutes), SCHOOL_YEAR,
                                         checkpoints=store) as run:
                seen = 0
                async for event in run:
                    if isinstance(event, PhotoFetched):
                        seen += 1
                        if seen == 5:
                            break
            assert run.report.cancelled
            assert not run.report.ok
            assert "students" not in {r for (_, _, r) in store.values}
        current = asyncio.current_task()
        assert [t for t in asyncio.all_tasks() if t is not current and not t.done()
                and "informat_async" in repr(t.get_coro())] == []


async def test_bulk_input_is_checked_first() -> None:
    async with FakeInformat(institutes=1, students_per_institute=1, seed=1,
                            school_year=SCHOOL_YEAR) as server:
        async with make_client(server) as client:
            for bad in (["1234567"], "123456", []):
                with pytest.raises(InvalidInputError):
                    client.bulk_fetch(bad, SCHOOL_YEAR)  # type: ignore[arg-type]
            with pytest.raises(InvalidInputError):
                client.bulk_fetch(["123456"], "2025")
            with pytest.raises(InvalidInputError):
                client.bulk_fetch(["123456"], SCHOOL_YEAR, include=("teachers",))  # type: ignore[arg-type]
        assert server.stats.requests == 0


async def test_photos_go_to_a_callback() -> None:
    from informat_async.sinks import CallbackPhotoSink, photo_extension

    async with FakeInformat(institutes=1, students_per_institute=6, seed=4,
                            school_year=SCHOOL_YEAR) as server:
        institutes = list(server.data.institutes)
        seen: dict[tuple[str, uuid.UUID], bytes] = {}
        sink = CallbackPhotoSink(
            lambda inst, photo: seen.__setitem__((inst, photo.persoon_id), photo.foto))
        async with make_client(server) as client:
            result = await client.fetch_all(institutes, SCHOOL_YEAR, include=("photos",),
                                            photo_sink=sink)
        assert result.report.ok
        assert seen == truth_photos(server, institutes)
        assert {photo_extension(data) for data in seen.values()} == {".jpg"}
    assert photo_extension(b"\x89PNG\r\n") == ".png"
    assert photo_extension(b"GIF89a") == ".gif"
    assert photo_extension(b"??") == ".bin"


async def test_photo_backlog_catches_up_on_unchanged_students() -> None:
    async with FakeInformat(institutes=("111111", "222222"), students_per_institute=6,
                            seed=3, school_year=SCHOOL_YEAR) as server:
        store = MemoryCheckpointStore()
        asked: list[str] = []

        async def backlog(institute: str) -> list[uuid.UUID]:
            asked.append(institute)
            return [uuid.UUID(s) for s in server.data.student_ids(institute)]

        async with make_client(server) as client:
            first = await client.fetch_all(["111111", "222222"], SCHOOL_YEAR,
                                           include=("students",), checkpoints=store)
            assert first.report.total("students") == 12
            run = client.bulk_fetch(["111111", "222222"], SCHOOL_YEAR,
                                    include=("students", "photos"), checkpoints=store,
                                    photo_backlog=backlog)
            got: Counter[tuple[str, uuid.UUID]] = Counter()
            async with run:
                async for event in run:
                    if isinstance(event, PhotoFetched):
                        got[(event.institute, event.student_id)] += 1
        assert run.report.ok, run.report.summary()
        assert run.report.total("students") == 0, "nothing changed since the checkpoint"
        assert sorted(asked) == ["111111", "222222"]
        assert set(got) == {(i, uuid.UUID(s)) for i in ("111111", "222222")
                            for s in server.data.student_ids(i)}
        assert set(got.values()) == {1}


async def test_a_failing_photo_backlog_is_reported_and_holds_the_checkpoint() -> None:
    from informat_async.bulk import BulkRun

    async with FakeInformat(institutes=("111111",), students_per_institute=3, seed=3,
                            school_year=SCHOOL_YEAR) as server:
        store = MemoryCheckpointStore()

        async def backlog(institute: str) -> list[uuid.UUID]:
            raise OSError("disk on fire")

        async with make_client(server) as client:
            run = BulkRun(client, ["111111"], SCHOOL_YEAR, include=("students", "photos"),
                          checkpoints=store, photo_backlog=backlog)
            async with run:
                events = [e async for e in run]
        assert [str(f) for f in run.report.failures] == [
            "111111 photos: OSError: disk on fire"]
        assert sum(isinstance(e, PhotoFetched) for e in events) == 3
        assert ("111111", SCHOOL_YEAR, "students") not in store.values
