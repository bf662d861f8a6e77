"""The client's rate limiter: an aiolimiter bucket that never overshoots a sliding second.

A strict server (a gateway counting the requests of every sliding second) refuses the
request that makes any one-second window hold more than its limit. An ``aiolimiter``
bucket of capacity ``c`` keeps the long-run rate but lets ``c`` requests through at once
after a pause, so a window that starts just before such a burst holds up to ``rate + c``
(measured: 4 to 9 % over the rate, each excess request a 429 and a second of
``Retry-After``). :class:`WindowLimiter` keeps the bucket for the pacing and adds a guard:
at most ``floor(rate)`` grants in any ``1 + margin`` seconds of the loop's clock.
"""

from __future__ import annotations

import asyncio
import collections
import math

from aiolimiter import AsyncLimiter

__all__ = ["WINDOW_MARGIN", "WindowLimiter"]

#: The guard's window is this much longer than one second, so that the variation of the
#: delay between a grant and the request's arrival at the server (scheduling, network)
#: does not move a request into the server's previous second. It costs 1 % of the rate.
WINDOW_MARGIN = 0.01


class WindowLimiter(AsyncLimiter):
    """``AsyncLimiter(capacity, capacity / rate)`` plus at most ``rate`` grants (rounded
    down, at least 1) in any ``1 + margin`` seconds.

    The bucket paces the requests and absorbs late wake-ups of the event loop (a bucket of
    1 loses each of them for good); the guard, which remembers the times of the last
    ``rate`` grants, makes a caller wait until the oldest of them is ``1 + margin`` seconds
    old, so that no burst of the bucket takes a sliding second over the rate. Callers are
    served in order (one waits at a time, behind an ``asyncio.Lock``).
    """

    __slots__ = ("_grants", "_lock", "window")

    def __init__(self, rate: float, capacity: float, *, margin: float = WINDOW_MARGIN) -> None:
        if not rate > 0 or not capacity >= 1:
            raise ValueError("rate must be positive and capacity at least 1")
        super().__init__(capacity, capacity / rate)
        self.window = 1.0 + margin
        self._grants: collections.deque[float] = collections.deque(
            maxlen=max(1, math.floor(rate))
        )
        self._lock = asyncio.Lock()

    async def acquire(self, amount: float = 1) -> None:
        """Wait for the bucket and the window; ``amount`` must be 1 (one request)."""
        if amount != 1:
            raise ValueError("a WindowLimiter grants one request at a time")
        async with self._lock:
            await super().acquire()
            grants = self._grants
            loop = asyncio.get_running_loop()
            if len(grants) == grants.maxlen:
                wait = grants[0] + self.window - loop.time()
                while wait > 0:
                    await asyncio.sleep(wait)
                    wait = grants[0] + self.window - loop.time()
            grants.append(loop.time())
