"""Pausing the cyclic garbage collector while big answers decode.

Decoding a big answer makes tens of thousands of objects and no reference cycles. With the
collector on, each full collection walks every record decoded so far while holding the
interpreter lock, which froze the event loop for 100-190 ms at a time. :data:`collector_paused`
turns the collector off while at least one big decoding runs (from any thread: a counter
under a lock, so nested and concurrent decodings, on the loop or in a worker thread, share
one pause). When the last one ends, even by an exception or a cancellation, the objects made
meanwhile are moved to the oldest generation without a walk (``gc.freeze()`` +
``gc.unfreeze()``, skipped when the application keeps objects frozen itself) and the
collector is enabled again if it was on when the first one began.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["CollectorPause", "collector_paused"]


class CollectorPause:
    """Pauses the cyclic garbage collector while at least one big answer decodes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._was_enabled = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    if gc.get_freeze_count() == 0:
                        # promote what the decoding made to the oldest generation, so the
                        # next young collection does not walk every record at once
                        gc.freeze()
                        gc.unfreeze()
                    if self._was_enabled:
                        gc.enable()


#: The one pause of the process, shared by the JSON and the legacy XML decoders.
collector_paused = CollectorPause()
