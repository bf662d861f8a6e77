"""What-if and measuring code for the rate figures: the limiter the library used before
``_limiter.WindowLimiter`` (see RESULTS.md), measured in the same run for comparison, and
a recorder of the client's grant times.

Not used by the library. ``fig_rate_adherence`` and ``fig_realistic`` (full run only) swap
it into an open client for one extra, informational figure.
"""

from __future__ import annotations

import time
from typing import Any

from aiolimiter import AsyncLimiter

from informat_async.transport import Transport


def bare_bucket(rate: float) -> AsyncLimiter:
    """The aiolimiter bucket of 50 ms of requests (at least 2) without the window guard."""
    capacity = max(2.0, rate * 0.05)
    return AsyncLimiter(capacity, capacity / rate)


def swap_limiter(client: Any, rate: float) -> bool:
    """Put :func:`bare_bucket` in place of an open client's limiter; False if none found."""
    transport = getattr(client, "_transport", None)
    if not isinstance(transport, Transport) or transport.limiter is None:
        return False
    transport.limiter = bare_bucket(rate)
    return True


class RecordingLimiter:
    """Wraps an open client's limiter and records when it let each request through
    (``time.monotonic()``, the clock of the server's arrival log), so that a figure can
    tell the client's own overshoot from the bunching of arrivals at the server."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.times: list[float] = []

    async def acquire(self) -> None:
        await self.inner.acquire()
        self.times.append(time.monotonic())


def record_grants(client: Any) -> RecordingLimiter | None:
    """Put a :class:`RecordingLimiter` around an open client's limiter; None if none."""
    transport = getattr(client, "_transport", None)
    if not isinstance(transport, Transport) or transport.limiter is None:
        return None
    recorder = RecordingLimiter(transport.limiter)
    transport.limiter = recorder  # type: ignore[assignment]
    return recorder
