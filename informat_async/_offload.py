"""Decoding large answers away from the event loop.

Parsing and structuring a large answer is CPU work: on the event loop it would stall every
other coroutine (a web service sharing its loop with a sync would freeze). :func:`decode_off_loop`
runs it in one worker thread above a size threshold and inline below it. While it runs there,
the cyclic garbage collector is paused (:data:`._gc_pause.collector_paused`, the same pause as
the legacy XML decoder's): its full collections walk every record decoded so far while holding
the interpreter lock, and with a burst of big answers they, not the decoding, stalled the loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from ._gc_pause import collector_paused

__all__ = ["DECODE_IN_THREAD_BYTES", "decode_off_loop"]

T = TypeVar("T")

#: Answers of at least this many bytes are parsed and structured in a worker thread, so the
#: event loop never stalls on them (decoding runs at roughly 20-40 MB/s: 256 KB is well
#: under 50 ms, and smaller answers are not worth the hop to the thread).
DECODE_IN_THREAD_BYTES = 256 * 1024

_decoder: concurrent.futures.ThreadPoolExecutor | None = None


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

    def run_and_keep() -> None:
        try:
            with collector_paused():
                outcome.append((True, run()))
        except Exception as exc:  # re-raised on the loop below
            outcome.append((False, exc))

    await asyncio.get_running_loop().run_in_executor(_decoder, run_and_keep)
    ok, value = outcome.pop()
    if not ok:
        raise value
    result: T = value
    return result
