"""The bound on requests in flight, shared by every request of a client.

:class:`InFlight` is a first-come-first-served semaphore whose free slot is taken without a
coroutine: ``asyncio.Semaphore`` costs two coroutines per ``async with`` and a generator in
``locked()``, on every request, although the slot is nearly always free.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib

__all__ = ["InFlight"]


class InFlight:
    """At most ``limit`` holders at once, served in the order they asked.

    ``if not slots.take_now(): await slots.take()``, then ``slots.give_back()`` exactly once
    (in a ``finally``). A slot given back goes straight to the longest waiter; a waiter
    cancelled after it was handed one gives it back, so no slot is ever lost.
    """

    __slots__ = ("_free", "_waiters", "limit")

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._free = limit
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def __repr__(self) -> str:
        return f"<InFlight {self.limit - self._free}/{self.limit} waiting={len(self._waiters)}>"

    @property
    def holders(self) -> int:
        """How many slots are taken."""
        return self.limit - self._free

    def take_now(self) -> bool:
        """Take a slot if one is free and nobody waits for one; False otherwise."""
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return True
        return False

    async def take(self) -> None:
        """Take a slot, waiting behind the earlier waiters if none is free."""
        if self.take_now():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give_back()  # handed a slot just as this caller was cancelled
            else:
                with contextlib.suppress(ValueError):  # not there if give_back skipped it
                    self._waiters.remove(waiter)
            raise

    def give_back(self) -> None:
        """Return a slot: to the longest waiter still waiting, else to the free ones."""
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1
