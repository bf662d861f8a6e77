"""The bound on requests in flight: first come first served, and no slot ever lost."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from informat_async import InformatClient
from informat_async._in_flight import InFlight
from informat_async.testing import FakeInformat

INST = "123456"


async def _holder(slots: InFlight, name: str, order: list[str], release: asyncio.Event) -> None:
    if not slots.take_now():
        await slots.take()
    order.append(name)
    try:
        await release.wait()
    finally:
        slots.give_back()


async def test_never_more_holders_than_the_limit_and_waiters_served_in_order() -> None:
    slots = InFlight(2)
    order: list[str] = []
    release = asyncio.Event()
    tasks = [asyncio.create_task(_holder(slots, f"t{i}", order, release)) for i in range(6)]
    await asyncio.sleep(0)
    assert order == ["t0", "t1"]
    assert slots.holders == 2
    release.set()
    await asyncio.gather(*tasks)
    assert order == [f"t{i}" for i in range(6)]
    assert slots.holders == 0


async def test_a_free_slot_is_not_taken_past_a_waiter() -> None:
    slots = InFlight(1)
    assert slots.take_now()
    waiter = asyncio.create_task(slots.take())
    await asyncio.sleep(0)
    slots.give_back()  # handed to the waiter, not freed
    assert not slots.take_now()
    await waiter
    assert slots.holders == 1
    slots.give_back()
    assert slots.take_now()


async def test_a_waiter_cancelled_while_waiting_leaves_no_trace() -> None:
    slots = InFlight(1)
    assert slots.take_now()
    waiter = asyncio.create_task(slots.take())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    slots.give_back()
    assert slots.holders == 0
    assert slots.take_now()  # nobody waits any more


async def test_a_waiter_cancelled_after_it_was_handed_a_slot_gives_it_back() -> None:
    slots = InFlight(1)
    assert slots.take_now()
    first = asyncio.create_task(slots.take())
    second = asyncio.create_task(slots.take())
    await asyncio.sleep(0)
    slots.give_back()  # to ``first``, which has not run yet
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    await second  # the slot went on to the next waiter
    assert slots.holders == 1
    slots.give_back()
    assert slots.holders == 0


def test_the_limit_is_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InFlight(0)


class _CountingServer:
    """A photo endpoint that holds each request a little and records the most at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0

    async def photo(self, request: web.Request) -> web.Response:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(0.01)
        finally:
            self.now -= 1
        return web.json_response({"photo": {
            "id": "00000000-0000-0000-0000-000000000001",
            "persoonId": request.match_info["sid"], "foto": "AAAA",
        }})


async def test_a_client_never_has_more_requests_in_flight_than_max_in_flight(
    server: FakeInformat,
) -> None:
    counting = _CountingServer()
    app = web.Application()
    app.router.add_get("/1/students/{sid}/photo", counting.photo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with InformatClient(
            server.client_id, server.client_secret, api_url=f"http://127.0.0.1:{port}",
            identity_url=server.identity_url, max_in_flight=3, rate_limit=None,
        ) as client:
            sids = [f"00000000-0000-0000-0000-{i:012d}" for i in range(1, 31)]
            photos = await asyncio.gather(*(client.student_photo(INST, s) for s in sids))
        assert len(photos) == 30
        assert counting.most == 3
    finally:
        await runner.cleanup()

