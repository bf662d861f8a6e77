"""What-if code: the rate limiter proposed for ``informat_async`` (see RESULTS.md).

Not used by the library. ``fig_rate_adherence`` swaps it into a client for one extra,
informational figure, so that the proposal is measured in the same run as the original.
"""

from __future__ import annotations

import asyncio
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


def swap_limiter(client: Any, rate: float) -> bool:
    """Replace the ``AsyncLimiter`` of an open client's transport; False if none found."""
    transport = getattr(client, "_transport", None)
    if transport is None:
        return False
    for name, value in vars(transport).items():
        if isinstance(value, AsyncLimiter):
            setattr(transport, name, SpacedLimiter(rate))
            return True
    return False
