"""The client's rate limiter never grants more than the rate in any sliding second.

No timed assertion: the grant times are read on the loop's clock (the one the limiter
keeps), and the assertions count grants per window; a slow machine only spreads them out.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from aiolimiter import AsyncLimiter

from informat_async._limiter import WindowLimiter
from informat_async.testing import FakeInformat
from informat_async.transport import rate_limiter
from tests.conftest import SCHOOL_YEAR, make_client


def most_in_a_second(times: list[float]) -> int:
    """The most of ``times`` in any half-open window of one second (as a strict server
    counting per sliding second sees them)."""
    times = sorted(times)
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def grant_times(limiter: AsyncLimiter, count: int, *, stall_every: int = 0) -> list[float]:
    """``count`` acquisitions by 20 concurrent tasks; each grant's time on the loop's clock.
    ``stall_every``: block the loop for 150 ms after every so many grants (a late wake-up
    of the kind a garbage collection or a large decode on the loop causes)."""
    loop = asyncio.get_running_loop()
    times: list[float] = []
    left = [count]

    async def worker() -> None:
        while left[0] > 0:
            left[0] -= 1
            await limiter.acquire()
            times.append(loop.time())
            if stall_every and len(times) % stall_every == 0:
                time.sleep(0.15)  # noqa: ASYNC251 - the loop is blocked, the bucket refills meanwhile

    await asyncio.gather(*(worker() for _ in range(20)))
    return times


@pytest.mark.parametrize("rate", [20.0, 150.0])
@pytest.mark.parametrize("stalls", [False, True])
async def test_no_sliding_second_holds_more_than_the_rate(rate: float, stalls: bool) -> None:
    count = int(rate * 1.6)
    times = await grant_times(rate_limiter(rate), count, stall_every=int(rate / 2) * stalls)
    assert len(times) == count
    # without the guard, the bucket's 50 ms of requests at the start (or after a stall) come
    # on top of a full second's worth: 157 in one second at 150 req/s
    assert most_in_a_second(times) <= rate


async def test_the_window_is_a_little_longer_than_a_second() -> None:
    limiter = WindowLimiter(3.0, 2.0)
    times = await grant_times(limiter, 4)
    # the fourth grant waits until the first is 1.01 s old on the limiter's clock
    assert limiter.window == 1.01
    assert times[3] - times[0] > 1.0
    with pytest.raises(ValueError, match="one request at a time"):
        await limiter.acquire(2)
    with pytest.raises(ValueError, match="rate must be positive"):
        WindowLimiter(0.0, 2.0)


async def test_the_client_sends_through_a_window_limiter(server: FakeInformat) -> None:
    async with make_client(server, rate_limit=5.0) as client:
        students = await asyncio.gather(
            *(client.students("123456", SCHOOL_YEAR) for _ in range(7))
        )
        assert all(len(s) == len(students[0]) for s in students)
        transport = client._transport
        assert transport is not None
        limiter = transport.limiter
        assert isinstance(limiter, WindowLimiter)
        assert limiter.max_rate == 2.0  # the bucket: 50 ms of requests, at least 2
        assert len(limiter._grants) == 5  # the guard remembers the last 5 grants
    assert [e.path for e in server.request_log].count("/1/students") == 7
