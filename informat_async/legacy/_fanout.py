"""The legacy fan-out: one list for many institutes, in parallel, under one rate limit.

A fixed pool of workers takes institutes from a queue; every request passes the client's
limiter and in-flight semaphore (shared with an ``InformatClient`` when the legacy client
was built with ``share_with``). Results stream out through a bounded queue as they
complete; failures become :class:`~informat_async.bulk.Failure` events and land in the
report, and the other institutes go on.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeAlias, TypeVar, cast

import attrs

from ..bulk import Failure, StreamedRun
from ..errors import InvalidInputError, ResponseValidationError
from ..retry import RetryBudget
from ..transport import ClientStats
from ..validation import check_institute, check_school_year
from ._operations import OPERATIONS, Operation
from ._params import PreparedCall


class LegacyClientLike(Protocol):
    """What a fan-out needs of a legacy client (``InformatLegacyClient`` is one). A
    protocol, so this module does not import the client that builds fan-outs."""

    max_in_flight: int

    @property
    def stats(self) -> ClientStats: ...

    def operation(self, method: str) -> Operation: ...

    def prepare(
        self, method: str, instelnr: str | None, schooljaar: str, /, **options: object
    ) -> PreparedCall: ...

    async def _call(
        self, prepared: PreparedCall, budget: RetryBudget | None = None
    ) -> list[Any]: ...

__all__ = ["LegacyEvent", "LegacyFetched", "LegacyReport", "LegacyResult", "LegacyRun"]

logger = logging.getLogger("informat_async")

T = TypeVar("T")


@attrs.frozen
class LegacyFetched(Generic[T]):
    """One institute's list arrived (all of it, or all rows that decoded)."""

    institute: str
    operation: str
    """The ASMX operation, e.g. ``"Leerkrachten"``."""
    records: Sequence[T]
    partial: bool = False
    """Some rows did not decode; a :class:`~informat_async.bulk.Failure` with the
    ``ResponseValidationError`` follows."""


LegacyEvent: TypeAlias = LegacyFetched[object] | Failure


@attrs.define
class LegacyReport:
    """The outcome of a legacy fan-out.

    ``failures`` holds :class:`~informat_async.bulk.Failure` s whose ``resource`` is the
    ASMX operation name (``"Leerkrachten"``).
    """

    operation: str
    school_year: str
    institutes: tuple[str, ...]
    counts: dict[str, int] = attrs.field(factory=dict)
    """Records delivered per institute."""
    failures: list[Failure] = attrs.field(factory=list)
    requests: int = 0
    """Requests sent during the run (every attempt; shared counters count other calls too)."""
    retries: int = 0
    elapsed: float = 0.0
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """Whether every institute delivered its whole list."""
        return not self.cancelled and not self.failures

    @property
    def failed_institutes(self) -> list[str]:
        """Institutes with a failure, in order."""
        return list(dict.fromkeys(f.institute for f in self.failures))

    def summary(self) -> str:
        """A few lines for people."""
        lines = [
            f"{self.operation}: {len(self.institutes)} institutes, school year "
            f"{self.school_year}: {sum(self.counts.values())} records",
            f"{self.requests} requests, {self.retries} retries in {self.elapsed:.1f}s",
        ]
        if self.failures:
            lines.append(f"{len(self.failures)} failed:")
            lines.extend(f"  {f}" for f in self.failures[:50])
        if self.cancelled:
            lines.append("the run was cancelled before it finished")
        return "\n".join(lines)


@attrs.define
class LegacyResult(Generic[T]):
    """A whole fan-out gathered: records per institute, and the report."""

    records: dict[str, list[T]]
    report: LegacyReport


class LegacyRun(StreamedRun[LegacyFetched[T] | Failure], Generic[T]):
    """One fan-out; create it with :meth:`InformatLegacyClient.fetch_many`."""

    def __init__(
        self,
        client: LegacyClientLike,
        method: str | Callable[..., Awaitable[list[Any]]],
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        options: Mapping[str, object] | None = None,
        queue_size: int = 64,
    ) -> None:
        if isinstance(institutes, str):
            raise InvalidInputError("institutes must be a list of institute numbers, not a str")
        numbers = list(dict.fromkeys(check_institute(i, name="institute") for i in institutes))
        if not numbers:
            raise InvalidInputError("institutes is empty")
        year = check_school_year(schooljaar, name="schooljaar")
        if concurrency is not None and concurrency < 1:
            raise InvalidInputError("concurrency must be at least 1")
        options = dict(options or {})
        self.retry_budget = retry_budget or RetryBudget()
        name = method if isinstance(method, str) else _own_method_name(client, method)
        self._call: Callable[[str], Awaitable[list[Any]]]
        if name is not None:
            operation = client.operation(name)
            prepared = {n: client.prepare(operation.method, n, year, **options) for n in numbers}
            label = operation.name

            async def call(institute: str) -> list[Any]:
                return await client._call(prepared[institute], self.retry_budget)

            self._call = call
        elif callable(method):
            label = getattr(method, "__name__", "call")

            async def call_any(institute: str) -> list[Any]:
                return await method(institute, year, **options)

            self._call = call_any
        else:
            raise InvalidInputError("method must be a list name or an async callable")
        super().__init__(queue_size)
        self._client = client
        self._concurrency = concurrency or client.max_in_flight
        self._pending: deque[str] = deque(numbers)
        self.report = LegacyReport(operation=label, school_year=year, institutes=tuple(numbers))
        self._t0 = 0.0
        self._stats0 = (0, 0)

    # --- the run -------------------------------------------------------------------------

    def _begin(self) -> None:
        stats = self._client.stats
        self._stats0 = (stats.requests, stats.retries)
        self._t0 = time.monotonic()

    def _worker_count(self) -> int:
        return min(self._concurrency, len(self._pending))

    async def gather(self) -> LegacyResult[T]:
        """Run to the end and return the records per institute and the report."""
        records: dict[str, list[T]] = {}
        async with self:
            async for event in self:
                if isinstance(event, LegacyFetched):
                    records.setdefault(event.institute, []).extend(event.records)
        return LegacyResult(records=records, report=self.report)

    def _finish(self) -> None:
        self.report.cancelled = self.cancelled
        stats = self._client.stats
        self.report.requests = stats.requests - self._stats0[0]
        self.report.retries = stats.retries - self._stats0[1]
        self.report.elapsed = time.monotonic() - self._t0

    async def _worker(self) -> None:
        while self._pending:
            institute = self._pending.popleft()
            await self._one(institute)

    async def _one(self, institute: str) -> None:
        label = self.report.operation
        try:
            records = await self._call(institute)
        except ResponseValidationError as exc:
            # deliver what decoded, report the rest: nothing is dropped silently
            partial = cast(list[T], list(exc.partial))
            self.report.counts[institute] = len(partial)
            await self._queue.put(LegacyFetched(institute, label, partial, partial=True))
            await self._fail(Failure(institute, label, exc))
        except Exception as exc:  # one institute's trouble never stops the others
            await self._fail(Failure(institute, label, exc))
        else:
            self.report.counts[institute] = len(records)
            await self._queue.put(LegacyFetched(institute, label, records))

    async def _fail(self, failure: Failure) -> None:
        self.report.failures.append(failure)
        logger.info("legacy fan-out: %s", failure)
        await self._queue.put(failure)


def _own_method_name(client: LegacyClientLike, method: object) -> str | None:
    """The list name of a bound method of ``client`` (``legacy.leerkrachten``), else None."""
    name = getattr(method, "__name__", None)
    if getattr(method, "__self__", None) is client and name in OPERATIONS:
        return cast(str, name)
    return None
