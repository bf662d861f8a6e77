"""Retry policy: which failures are retried, how long to wait, and a shared retry budget.

Retries are bounded three ways: attempts per call, a deadline per call, and a
:class:`RetryBudget` shared by every call of a client (or of one bulk run), so that a
total outage does not multiply the load on Informat.
"""

from __future__ import annotations

import random

import attrs

__all__ = ["RETRYABLE_STATUSES", "RetryBudget", "RetryPolicy"]

#: HTTP statuses worth another try: timeouts, rate limits and passing server trouble.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@attrs.frozen
class RetryPolicy:
    """How one call retries.

    The wait before retry ``n`` (1-based) is full jitter: a uniform draw from
    ``[0, min(max_backoff, base_backoff * 2 ** (n - 1))]``. A ``Retry-After`` from the server
    is honoured up to ``max_retry_after`` seconds. ``deadline`` bounds a call with all its
    retries. Tests switch waiting off with :meth:`no_wait` (``base_backoff=0``).
    """

    max_attempts: int = attrs.field(default=8, validator=attrs.validators.ge(1))
    """Attempts per call, the first included."""
    base_backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    """Seconds: the cap of the first backoff draw; doubles each retry."""
    max_backoff: float = attrs.field(default=20.0, validator=attrs.validators.ge(0))
    """Seconds: the cap of any backoff draw."""
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    """Seconds: a longer ``Retry-After`` is cut to this."""
    deadline: float | None = 300.0
    """Seconds for a call with all its retries; None for no deadline."""
    unreachable_after: float | None = 20.0
    """Seconds after which a host that could not be connected to at all (refused, no route,
    connect timeout) is given up on; with the client's 10 s connect timeout, an unreachable
    host fails a call within 30 s. None to retry it up to ``deadline``."""
    statuses: frozenset[int] = RETRYABLE_STATUSES
    """HTTP statuses that are retried."""

    @classmethod
    def no_wait(cls, max_attempts: int = 5) -> RetryPolicy:
        """Retry without sleeping (and ignore ``Retry-After``): for tests."""
        return cls(max_attempts=max_attempts, base_backoff=0.0, max_retry_after=0.0)

    @classmethod
    def never(cls) -> RetryPolicy:
        """A single attempt, no retries."""
        return cls(max_attempts=1)

    def backoff(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        cap = min(self.max_backoff, self.base_backoff * (2 ** (retry - 1)))
        wait = random.uniform(0.0, cap) if cap > 0 else 0.0
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_retry_after))
        return wait


@attrs.define
class RetryBudget:
    """A token bucket of retries shared by many calls (of one event loop: no locking).

    It starts with ``initial`` tokens; every first attempt deposits ``ratio`` tokens (up to
    ``capacity``); every retry withdraws one. When it is empty, failures are not retried,
    so during a total outage requests stay below ``first attempts * (1 + ratio) + initial``.
    """

    ratio: float = 0.2
    initial: float = 20.0
    capacity: float = 200.0
    _balance: float = attrs.field(init=False)
    spent: int = attrs.field(init=False, default=0)
    """Retries granted so far."""
    refused: int = attrs.field(init=False, default=0)
    """Retries refused because the budget was empty."""

    def __attrs_post_init__(self) -> None:
        self._balance = self.initial

    @property
    def balance(self) -> float:
        """Retries available now."""
        return self._balance

    def deposit(self) -> None:
        """Record a first attempt."""
        self._balance = min(self.capacity, self._balance + self.ratio)

    def try_spend(self) -> bool:
        """Take one retry from the budget; False when it is empty."""
        if self._balance >= 1.0:
            self._balance -= 1.0
            self.spent += 1
            return True
        self.refused += 1
        return False

    @classmethod
    def unlimited(cls) -> RetryBudget:
        """A budget that never runs out (per-call limits still apply)."""
        return cls(ratio=0.0, initial=float("inf"), capacity=float("inf"))
