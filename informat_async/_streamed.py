"""The lifecycle every fan-out shares: workers feeding a bounded queue that the consumer
iterates, cancelled and awaited when the consumer leaves. Re-exported by
:mod:`informat_async.bulk`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

__all__ = ["StreamedRun"]


class _Done:
    """Queued last: the workers have finished."""


_DONE = _Done()

E = TypeVar("E")


class StreamedRun(Generic[E]):
    """Workers feeding a bounded queue that the consumer iterates (shared by the fan-outs).

    Use ``async with`` so that leaving early cancels the workers and waits for them, and
    iterate to receive events as they complete. Subclasses provide the workers
    (:meth:`_worker`, :meth:`_worker_count`) and their report (:meth:`_begin`,
    :meth:`_finish`); :meth:`_internal` may consume queued markers the consumer never sees.
    """

    def __init__(self, queue_size: int) -> None:
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=queue_size)
        self._runner: asyncio.Task[None] | None = None
        self._error: BaseException | None = None
        self.cancelled = False
        """Whether the run was stopped before it finished."""

    async def __aenter__(self) -> Self:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def start(self) -> None:
        """Start the workers (``async with`` and iteration do this)."""
        if self._runner is not None:
            return
        self._begin()
        self._runner = asyncio.ensure_future(self._run())

    async def aclose(self) -> None:
        """Cancel what is still running and wait until every worker has stopped."""
        runner = self._runner
        if runner is None:
            return
        if not runner.done():
            runner.cancel()
            self.cancelled = True
        try:
            await runner
        except asyncio.CancelledError:
            if not self.cancelled:
                raise
        self._finish()

    def __aiter__(self) -> AsyncIterator[E]:
        return self._events()

    async def _events(self) -> AsyncIterator[E]:
        self.start()
        try:
            while True:
                item = await self._queue.get()
                if isinstance(item, _Done):
                    break
                if not await self._internal(item):
                    yield item
        finally:
            await self.aclose()
        if self._error is not None:
            raise self._error

    async def _run(self) -> None:
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self._worker_count()):
                    group.create_task(self._worker())
        except Exception as exc:  # a bug or a failing sink: end the run, raise to the consumer
            self._error = exc
        finally:
            self._finish()
        await self._queue.put(_DONE)

    # --- for subclasses ------------------------------------------------------------------

    def _begin(self) -> None:
        """Called once when the workers start."""

    def _finish(self) -> None:
        """Called when the workers stopped (possibly more than once): fill in the report."""

    def _worker_count(self) -> int:
        raise NotImplementedError

    async def _worker(self) -> None:
        raise NotImplementedError

    async def _internal(self, item: Any) -> bool:
        """Handle a queued marker; True if it was one (the consumer does not see it)."""
        return False
