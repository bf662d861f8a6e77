"""Decoding large answers away from the event loop.

Parsing and structuring a large answer is CPU work: on the event loop it would stall every
other coroutine (a web service sharing its loop with a sync would freeze). :func:`decode_off_loop`
runs it in one worker thread above a size threshold and inline below it. While it runs there,
the cyclic garbage collector is paused (:data:`._gc_pause.collector_paused`, the same pause as
the legacy XML decoder's): its full collections walk every record decoded so far while holding
the interpreter lock, and with a burst of big answers they, not the decoding, stalled the loop.

The worker thread and the loop's thread take turns (:class:`Turns`). A thread that wants
the interpreter lock while another holds it waits for the switch interval (5 ms) before the
holder is made to let go; the loop's thread lets go of the lock at every socket read, so
during a burst of answers each of its reads could wait 5 ms behind the worker, and one pass
of the loop over 100 sockets stalled it for 100-190 ms (the "convoy" of a CPU-bound thread
and an I/O-bound one). So the decoding code calls its thread's :func:`turn_taker` often (per
JSON object, per record); once the worker has run for :data:`TURN_SECONDS`, it schedules a
wake-up on the loop and waits until the loop has run it, i.e. until the loop has gone once
through what was ready, with the lock to itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ._gc_pause import collector_paused

__all__ = [
    "DECODE_IN_THREAD_BYTES", "TURN_SECONDS", "Turns", "decode_off_loop", "turn_taker",
]

T = TypeVar("T")

#: Answers of at least this many bytes are parsed and structured in a worker thread, so the
#: event loop never stalls on them (decoding runs at roughly 20-40 MB/s: 256 KB is well
#: under 50 ms, and smaller answers are not worth the hop to the thread).
DECODE_IN_THREAD_BYTES = 256 * 1024

#: How long the worker thread decodes before it lets the loop's thread have a turn.
TURN_SECONDS = 0.004
#: The longest the worker waits for its turn to come back: the loop may be stopped (not
#: closed) while a decoding runs, and the one worker thread must not hang on it. A loop
#: that does not answer in time gets no more turns during that decoding.
TURN_WAIT_LIMIT = 0.25

_decoder: concurrent.futures.ThreadPoolExecutor | None = None
_local = threading.local()


class Turns:
    """The worker's side of taking turns with one event loop (see the module's notes)."""

    __slots__ = ("_event", "_loop", "_until", "turns")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = threading.Event()
        self._until = time.perf_counter() + TURN_SECONDS
        self.turns = 0  # how many times the loop was given its turn

    def __call__(self) -> None:
        if time.perf_counter() < self._until:
            return
        try:
            self._loop.call_soon_threadsafe(self._event.set)
        except RuntimeError:  # the loop is closed: nobody to wait for
            self._until = math.inf
            return
        answered = self._event.wait(TURN_WAIT_LIMIT)
        self._event.clear()
        self.turns += 1
        # A loop that did not run the wake-up in time is not running (stopped, or its
        # thread blocked): the rest of this decoding goes on without turns, rather than
        # waiting TURN_WAIT_LIMIT every TURN_SECONDS.
        self._until = time.perf_counter() + TURN_SECONDS if answered else math.inf


def turn_taker() -> Turns | None:
    """In the worker thread, while it decodes an answer for an event loop: the :class:`Turns`
    to call per item, which lets the loop's thread have its turn once this thread has run
    for :data:`TURN_SECONDS`. Elsewhere (on the loop, in any other thread): None. Looked up
    once by a loop over items."""
    turns: Turns | None = getattr(_local, "turns", None)
    return turns


async def decode_off_loop(size: int, run: Callable[[], T]) -> T:
    """``run()``: on the event loop when the answer (``size`` bytes) is small, in a worker
    thread when it is large. One worker thread, shared by the clients of the process:
    decoding is CPU work under the GIL, so more threads would only take turns with the event
    loop more often, and answers still decode one after another. The collector is paused
    while ``run()`` runs in the thread, and is on again afterwards (if it was) whatever
    ``run()`` does."""
    if size < DECODE_IN_THREAD_BYTES:
        return run()
    global _decoder
    if _decoder is None:
        _decoder = concurrent.futures.ThreadPoolExecutor(1, "informat-decode")
    # The outcome travels in a plain list, not as the futures' result: the executor's
    # future and its asyncio wrapper refer to each other, so what they hold is freed only by
    # a full collection, and a burst of answers would pile up (and make those collections,
    # which stall the loop, ever longer).
    outcome: list[tuple[bool, Any]] = []
    loop = asyncio.get_running_loop()

    def run_and_keep() -> None:
        _local.turns = Turns(loop)
        try:
            with collector_paused():
                outcome.append((True, run()))
        except Exception as exc:  # re-raised on the loop below
            outcome.append((False, exc))
        finally:
            _local.turns = None

    await loop.run_in_executor(_decoder, run_and_keep)
    if not outcome[-1][0]:
        # never held in a local: no reference cycle through this frame (transport.request)
        raise outcome.pop()[1]
    result: T = outcome.pop()[1]
    return result
