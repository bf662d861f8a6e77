"""What-if code: the limiter the library used before ``_limiter.WindowLimiter`` (see
RESULTS.md), measured in the same run for comparison.

Not used by the library. ``fig_rate_adherence`` and ``fig_realistic`` (full run only) swap
it into an open client for one extra, informational figure.
"""

from __future__ import annotations

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
