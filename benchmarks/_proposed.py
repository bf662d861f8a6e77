"""What-if code: rate limiters proposed for ``informat_async`` (see RESULTS.md).

Not used by the library. ``fig_rate_adherence`` swaps it into a client for one extra,
informational figure, so that the proposal is measured in the same run as the original.
"""

from __future__ import annotations

import asyncio
import collections
import math
from typing import Any

from aiolimiter import AsyncLimiter


class SpacedLimiter:
    """Evenly spaced requests at ``rate``/s that keep their schedule.

    Each caller reserves the next slot (``previous slot + 1/rate``, or now after a pause)
    and sleeps until it. A late wake-up delays that one request but not the slots after
    it, so the long-run rate is the configured one, where a capacity-1 leaky bucket
    (``AsyncLimiter(1, 1/rate)``) starts every interval from the late wake-up and loses it.
    No credit builds up while idle: there is never a burst.
    """

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0

    async def acquire(self) -> None:
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class WindowLimiter(SpacedLimiter):
    """:class:`SpacedLimiter` that also never sends more than ``rate`` requests in any
    ``window`` seconds of its actual send times (a late wake-up followed by on-time ones
    would otherwise put two requests in one slot's place).

    ``window`` is a little over one second (``1 + margin``), so that the variation of the
    network and of the server's own delays between sending and arrival does not push a
    request into the previous second of a server that counts per sliding second.
    """

    def __init__(self, rate: float, margin: float = 0.01) -> None:
        super().__init__(rate * (1.0 + margin))  # the spacing alone must not be the limit
        self.window = 1.0 + margin
        self._sent: collections.deque[float] = collections.deque(maxlen=max(1, math.floor(rate)))

    async def acquire(self) -> None:
        await super().acquire()
        loop = asyncio.get_running_loop()
        sent = self._sent
        while len(sent) == sent.maxlen:
            wait = sent[0] + self.window - loop.time()
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        sent.append(loop.time())


def swap_limiter(client: Any, rate: float, kind: type[SpacedLimiter] = SpacedLimiter) -> bool:
    """Replace the ``AsyncLimiter`` of an open client's transport; False if none found."""
    transport = getattr(client, "_transport", None)
    if transport is None:
        return False
    for name, value in vars(transport).items():
        if isinstance(value, AsyncLimiter):
            setattr(transport, name, kind(rate))
            return True
    return False
