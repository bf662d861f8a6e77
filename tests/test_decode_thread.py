"""Large answers are parsed and structured in a worker thread, small ones on the event loop."""

from __future__ import annotations

import asyncio
import gc
import itertools
import threading
import weakref
from typing import Any

import pytest

from informat_async import InformatClient, ResponseValidationError
from informat_async import _offload as offload
from informat_async import client as client_module
from informat_async._gc_pause import collector_paused
from informat_async.testing import FakeInformat
from tests.conftest import SCHOOL_YEAR


@pytest.fixture
def decode_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads that structured each answer."""
    seen: list[str] = []
    real_list, real_one = client_module._structure_list, client_module.structure

    def structure_list(*args: Any) -> Any:
        seen.append(threading.current_thread().name)
        return real_list(*args)

    def structure_one(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return real_one(*args, **kwargs)

    monkeypatch.setattr(client_module, "_structure_list", structure_list)
    monkeypatch.setattr(client_module, "structure", structure_one)
    return seen


async def test_a_large_answer_is_decoded_off_the_event_loop(
    client: InformatClient, decode_threads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offload, "DECODE_IN_THREAD_BYTES", 1_000)
    students = await client.students("123456", SCHOOL_YEAR)
    assert len(students) == 12
    assert decode_threads[0].startswith("informat-decode")
    assert decode_threads[0] != threading.current_thread().name


async def test_a_small_answer_is_decoded_on_the_event_loop(
    client: InformatClient, decode_threads: list[str]
) -> None:
    students = await client.students("123456", SCHOOL_YEAR)
    await client.student_photo("123456", students[0].persoon_id)
    assert decode_threads == [threading.current_thread().name] * 2


async def test_a_bad_record_decoded_in_the_thread_still_raises_with_the_rest(
    server: FakeInformat,
    client: InformatClient,
    decode_threads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(offload, "DECODE_IN_THREAD_BYTES", 1_000)
    raw = next(iter(server.data.institutes["123456"].students.values()))
    raw["persoonId"] = "not-a-guid"
    with pytest.raises(ResponseValidationError) as info:
        await client.students("123456", SCHOOL_YEAR)
    assert decode_threads[0].startswith("informat-decode")
    assert len(info.value.partial) == 11
    assert any("persoon_id" in error for error in info.value.errors)


async def test_an_answer_decoded_in_the_thread_is_freed_without_the_collector(
    client: InformatClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the result must not hang in a reference cycle (the futures of run_in_executor refer
    # to each other): a burst of answers would pile up until a full collection
    monkeypatch.setattr(offload, "DECODE_IN_THREAD_BYTES", 1_000)
    await client.students("123456", SCHOOL_YEAR)  # token, connection, worker thread
    gc.collect()
    gc.disable()
    try:
        students = await client.students("123456", SCHOOL_YEAR)
        first = weakref.ref(students[0])
        del students
        assert first() is None
    finally:
        gc.enable()


@pytest.fixture
def collector_states(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the cyclic collector was on while each answer was structured."""
    seen: list[bool] = []
    real_list = client_module._structure_list

    def structure_list(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real_list(*args)

    monkeypatch.setattr(client_module, "_structure_list", structure_list)
    return seen


async def test_the_collector_is_paused_while_a_large_answer_decodes_in_the_thread(
    client: InformatClient, collector_states: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gc.isenabled()
    await client.students("123456", SCHOOL_YEAR)
    monkeypatch.setattr(offload, "DECODE_IN_THREAD_BYTES", 1_000)
    await client.students("123456", SCHOOL_YEAR)
    assert collector_states == [True, False]  # small: on the loop, collector left alone
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_the_collector_is_on_again_after_concurrent_large_decodes_one_failing() -> None:
    size = offload.DECODE_IN_THREAD_BYTES
    seen: list[bool] = []

    def decode(value: int) -> int:
        seen.append(gc.isenabled())
        if value == 3:
            raise ValueError("bad answer")
        return value

    assert gc.isenabled()
    with collector_paused():  # a legacy answer decoding on the loop meanwhile
        results = await asyncio.gather(
            *(offload.decode_off_loop(size, lambda v=v: decode(v)) for v in range(6)),
            return_exceptions=True)
        assert not gc.isenabled()
    assert results[:3] == [0, 1, 2]
    assert results[4:] == [4, 5]
    assert isinstance(results[3], ValueError)
    assert seen == [False] * 6
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError, match="bad answer"):  # alone, and failing
        await offload.decode_off_loop(size, lambda: decode(3))
    assert gc.isenabled()


async def test_a_collector_the_application_turned_off_stays_off() -> None:
    gc.disable()
    try:
        assert await offload.decode_off_loop(offload.DECODE_IN_THREAD_BYTES, lambda: 1) == 1
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_a_large_answer_is_parsed_giving_way_to_the_loop_and_a_small_one_is_not(
    client: InformatClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real_call = offload.Turns.__call__

    def spy(self: Any) -> None:
        threads.append(threading.current_thread().name)
        real_call(self)

    monkeypatch.setattr(offload.Turns, "__call__", spy)
    small = await client.students("123456", SCHOOL_YEAR)
    assert threads == []  # on the loop: plain json.loads, no turns to take
    monkeypatch.setattr(offload, "DECODE_IN_THREAD_BYTES", 1_000)
    large = await client.students("123456", SCHOOL_YEAR)
    assert large == small  # the hook returns every object unchanged
    # once per JSON object (nested ones included) while parsing, once per record after
    assert len(threads) > 2 * len(large)
    assert all(name.startswith("informat-decode") for name in threads)


async def _loop_passes_during(run: Any) -> tuple[list[int], Any]:
    """Run ``run(passes)`` in the decoding worker while a task on the loop counts the loop's
    passes; return the counts ``run`` saw and its result."""
    passes = [0]
    running = True

    async def count() -> None:
        while running:
            passes[0] += 1
            await asyncio.sleep(0)

    counter = asyncio.create_task(count())
    await asyncio.sleep(0)
    try:
        seen: list[int] = []
        result = await offload.decode_off_loop(
            offload.DECODE_IN_THREAD_BYTES, lambda: run(passes, seen))
    finally:
        running = False
        await counter
    return seen, result


async def test_the_worker_hands_the_loop_its_turn_when_its_time_is_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The loop's thread waits for the interpreter lock at every socket read; a worker that
    # never let go made each of those reads wait up to 5 ms (100-190 ms stalls in a burst).
    monkeypatch.setattr(offload, "TURN_SECONDS", 0.0)  # every call is a turn

    def run(passes: list[int], seen: list[int]) -> int:
        turns = offload.turn_taker()
        assert turns is not None
        for _ in range(20):
            seen.append(passes[0])
            turns()
        seen.append(passes[0])
        return turns.turns

    seen, turns = await _loop_passes_during(run)
    assert turns == 20
    # each turn waited for the loop to go through what was ready: the counting task ran
    advanced = sum(1 for a, b in itertools.pairwise(seen) if b > a)
    assert advanced >= 10, seen


async def test_structure_many_takes_turns_per_record_in_the_worker_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from informat_async import models
    from informat_async.convert import structure_many

    monkeypatch.setattr(offload, "TURN_SECONDS", 0.0)
    raw = [{"email": f"x{i}@example.org"} for i in range(12)]

    def run(passes: list[int], seen: list[int]) -> int:
        items, errors = structure_many(raw, models.Email)
        assert len(items) == 12
        assert not errors
        turns = offload.turn_taker()
        assert turns is not None
        return turns.turns

    _, turns = await _loop_passes_during(run)
    assert turns == 12
    assert offload.turn_taker() is None  # on the loop: no turns to take


def test_a_closed_or_stopped_loop_never_holds_the_worker_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(offload, "TURN_SECONDS", 0.0)
    monkeypatch.setattr(offload, "TURN_WAIT_LIMIT", 0.01)
    stopped = asyncio.new_event_loop()  # never runs: the wake-up is never run
    try:
        turns = offload.Turns(stopped)
        turns()  # waited TURN_WAIT_LIMIT, then went on ...
        turns()
        turns()
        assert turns.turns == 1  # ... and waits no more during this decoding
    finally:
        stopped.close()
    turns = offload.Turns(stopped)  # closed now: nothing to wait for
    turns()
    assert turns.turns == 0
