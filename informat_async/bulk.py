"""The fan-out layer: many institutes in parallel under the client's one rate limit.

Per institute it fetches students, registrations and school history, then one photo per
student. A fixed pool of workers takes jobs round-robin across institutes (so one huge
institute does not starve the others); photo jobs are student ids in a queue, never one
task per photo created up front. With photos, at most two students lists are fetched at
once, and the next only while fewer than 2,000 photos wait for a worker, so memory does
not grow with the number of institutes. Results stream out as they complete through a
bounded queue, so a slow consumer slows the run down instead of filling memory. Failures are
collected per institute and item; the run goes on. Checkpoints advance only for the
resources of an institute that completed fully, and only once the consumer has handled
every event of that resource (it asked for the next one), so data a consumer was still
writing when the process died is fetched again next time.
A ``photo_backlog`` names further students whose photo is wanted (for example those a store
holds without one), so a run with photos catches up on students that did not change since
the checkpoint.

Use it as::

    async with client.bulk_fetch(institutes, "2025-26") as run:
        async for event in run:
            ...                       # RecordsFetched, PhotoFetched or Failure
    print(run.report.summary())

or gather everything at once with :meth:`InformatClient.fetch_all`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Protocol, TypeAlias

import attrs

from . import models
from ._bulk_events import (
    ALL_RESOURCES,
    BulkEvent,
    BulkReport,
    BulkResult,
    Failure,
    InstituteReport,
    ListResource,
    PhotoFetched,
    RecordsFetched,
    Resource,
)
from ._staff_resources import STAFF_RESOURCES, StaffCalls, fetch_staff_list
from ._streamed import StreamedRun
from .checkpoints import CheckpointStore
from .errors import InvalidInputError, NotFoundError, ResponseValidationError
from .retry import RetryBudget
from .transport import ClientStats
from .validation import check_institute, check_school_year


class BulkClient(Protocol):
    """What a bulk run needs of a client (``InformatClient`` is one). A protocol, so this
    module does not import the client that builds runs."""

    max_in_flight: int
    stats: ClientStats

    async def students(
        self, institute: str, school_year: str, *, changed_since: dt.datetime | None = ...,
        budget: RetryBudget | None = ...,
    ) -> list[models.Student]: ...

    async def registrations(
        self, institute: str, school_year: str, *, changed_since: dt.datetime | None = ...,
        budget: RetryBudget | None = ...,
    ) -> list[models.Registration]: ...

    async def school_history(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.SchoolHistory]: ...

    async def student_photo(
        self, institute: str, student_id: uuid.UUID, *, budget: RetryBudget | None = ...,
    ) -> models.Photo: ...

    @property
    def personnel(self) -> StaffCalls: ...


__all__ = [
    "ALL_RESOURCES",
    "STAFF_RESOURCES",
    "BulkEvent",
    "BulkReport",
    "BulkResult",
    "BulkRun",
    "Failure",
    "InstituteReport",
    "PhotoBacklog",
    "PhotoFetched",
    "PhotoSink",
    "ProgressCallback",
    "RecordsFetched",
    "Resource",
    "StaffCalls",
    "StreamedRun",
]

logger = logging.getLogger("informat_async")

_LIST_RESOURCES: tuple[ListResource, ...] = (
    "students", "registrations", "school_history", *STAFF_RESOURCES
)
_INCREMENTAL: frozenset[str] = frozenset({"students", "registrations"})
#: Students lists fetched at once in a run with photos (each holds its records in memory).
_STUDENT_LISTS_IN_FLIGHT = 2
#: In a run with photos, a students list is fetched only while fewer photos than this wait
#: for a worker: the ids of institutes whose photos are far off are not held yet.
_PHOTO_IDS_AHEAD = 2_000

PhotoSink: TypeAlias = Callable[[str, models.Photo], Awaitable[None]]
"""An async callable ``sink(institute, photo)`` that stores one photo."""
PhotoBacklog: TypeAlias = Callable[[str], Awaitable[Iterable[uuid.UUID]]]
"""An async callable ``backlog(institute)`` naming students whose photo is wanted even if
they did not change since the checkpoint (e.g. :meth:`~informat_async.store.SqliteStore.
photos_wanted`: students stored without a photo)."""
ProgressCallback: TypeAlias = Callable[[str, int, int], None]
"""``progress(resource, done, total)``, called whenever a count changes."""


@attrs.define(eq=False)
class _Job:
    state: _InstituteState
    resource: Resource
    student_id: uuid.UUID | None = None


@attrs.define(eq=False)
class _InstituteState:
    institute: str
    report: InstituteReport
    lists: deque[ListResource]
    photo_ids: deque[uuid.UUID] = attrs.field(factory=deque)
    photos_outstanding: int = 0
    photo_failed: bool = False
    since: dict[str, dt.datetime | None] = attrs.field(factory=dict)




@attrs.frozen
class _Checkpoint:
    """Queued after a resource's last event: the iterator writes the checkpoint when the
    consumer asks for the event after it, i.e. once every earlier event was handled."""

    report: InstituteReport
    resource: str
    when: dt.datetime


class BulkRun(StreamedRun[BulkEvent]):
    """One bulk run; create it with :meth:`InformatClient.bulk_fetch`.

    Use ``async with`` so that leaving early cancels the workers and waits for them;
    iterate to receive :data:`BulkEvent` s as they complete; read :attr:`report` after.
    """

    def __init__(
        self,
        client: BulkClient,
        institutes: Iterable[str],
        school_year: str,
        *,
        include: Iterable[Resource] = ALL_RESOURCES,
        photo_sink: PhotoSink | None = None,
        photo_backlog: PhotoBacklog | None = None,
        checkpoints: CheckpointStore | None = None,
        checkpoint_overlap: dt.timedelta = dt.timedelta(minutes=10),
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        queue_size: int = 64,
    ) -> None:
        if isinstance(institutes, str):
            raise InvalidInputError("institutes must be a list of institute numbers, not a str")
        seen: dict[str, None] = {}
        for inst in institutes:
            seen[check_institute(inst, name="institute")] = None
        if not seen:
            raise InvalidInputError("institutes is empty")
        self.school_year = check_school_year(school_year)
        resources = tuple(dict.fromkeys(include))
        known = (*ALL_RESOURCES, *STAFF_RESOURCES)
        unknown = [r for r in resources if r not in known]
        if unknown or not resources:
            raise InvalidInputError(
                f"include must name some of {', '.join(known)}; got {unknown or 'none'}"
            )
        if "photos" in resources and "students" not in resources:
            resources = ("students", *resources)  # photos are fetched per student id
        if concurrency is not None and concurrency < 1:
            raise InvalidInputError("concurrency must be at least 1")
        super().__init__(queue_size)
        self._client = client
        self.resources: tuple[Resource, ...] = resources
        self._sink = photo_sink
        self._backlog = photo_backlog
        self._checkpoints = checkpoints
        self._overlap = checkpoint_overlap
        self._progress = progress
        self._concurrency = concurrency or client.max_in_flight
        self.retry_budget = retry_budget or RetryBudget()
        self._states = [
            _InstituteState(
                institute=inst,
                report=InstituteReport(inst),
                lists=deque(r for r in _LIST_RESOURCES if r in resources),
            )
            for inst in seen
        ]
        self.report = BulkReport(
            school_year=self.school_year,
            resources=resources,
            institutes={s.institute: s.report for s in self._states},
        )
        self._ring: deque[_InstituteState] = deque(self._states)
        self._running = 0
        self._students_running = 0
        self._photo_ids_waiting = 0
        self._wake = asyncio.Event()
        self._done: dict[str, int] = dict.fromkeys(resources, 0)
        self._totals: dict[str, int] = {r: len(self._states) for r in resources}
        self._totals["photos"] = 0
        self._started_at = dt.datetime.now(dt.UTC)
        self._t0 = 0.0
        self._stats0 = (0, 0, 0)

    # --- the run -------------------------------------------------------------------------

    def _begin(self) -> None:
        stats = self._client.stats
        self._stats0 = (stats.requests, stats.retries, stats.token_requests)
        self._started_at = dt.datetime.now(dt.UTC)
        self._t0 = time.monotonic()

    def _worker_count(self) -> int:
        return self._concurrency

    async def _internal(self, item: Any) -> bool:
        if not isinstance(item, _Checkpoint):
            return False
        assert self._checkpoints is not None
        await self._checkpoints.set(
            item.report.institute, self.school_year, item.resource, item.when
        )
        item.report.checkpoints_advanced.add(item.resource)
        return True

    def _finish(self) -> None:
        self.report.cancelled = self.cancelled
        stats = self._client.stats
        self.report.requests = stats.requests - self._stats0[0]
        self.report.retries = stats.retries - self._stats0[1]
        self.report.token_requests = stats.token_requests - self._stats0[2]
        self.report.elapsed = time.monotonic() - self._t0

    def _next_job(self) -> _Job | None:
        # With photos, at most _STUDENT_LISTS_IN_FLIGHT students lists are fetched and
        # decoded at once (each is megabytes of JSON and records), and the next one only
        # while fewer than _PHOTO_IDS_AHEAD photos wait: memory stays flat in the number of
        # institutes. (Before, every list came first and the ids of all the institutes'
        # students waited, each pinning some of its list's freed memory: 20 institutes of
        # 1,000 students peaked 5-10 MB above 2.)
        students_ok = "photos" not in self.resources or (
            self._students_running < _STUDENT_LISTS_IN_FLIGHT
            and self._photo_ids_waiting < _PHOTO_IDS_AHEAD
        )
        for _ in range(len(self._ring)):
            state = self._ring[0]
            self._ring.rotate(-1)
            if state.lists and (students_ok or state.lists[0] != "students"):
                return _Job(state, state.lists.popleft())
            if state.photo_ids:
                self._photo_ids_waiting -= 1
                return _Job(state, "photos", state.photo_ids.popleft())
        return None

    async def _worker(self) -> None:
        while True:
            job = self._next_job()
            if job is None:
                if self._running == 0:
                    self._wake.set()  # nothing left anywhere: let idle workers finish
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            gated = int(job.resource == "students" and "photos" in self.resources)
            self._running += 1
            self._students_running += gated
            try:
                if job.resource == "photos":
                    await self._photo(job.state, job.student_id)
                else:
                    await self._list(job.state, job.resource)
            finally:
                self._running -= 1
                self._students_running -= gated
                self._wake.set()

    async def _emit(self, event: BulkEvent) -> None:
        if isinstance(event, Failure):
            self.report.institutes[event.institute].failures.append(event)
            logger.info("bulk: %s", event)
        await self._queue.put(event)

    def _count(self, resource: str, total: int | None = None) -> None:
        if total is not None:
            self._totals[resource] = total
        else:
            self._done[resource] = self._done.get(resource, 0) + 1
        if self._progress is not None:
            self._progress(resource, self._done.get(resource, 0), self._totals.get(resource, 0))

    async def _list(self, state: _InstituteState, resource: ListResource) -> None:
        client = self._client
        inst = state.institute
        since: dt.datetime | None = None
        if self._checkpoints is not None and resource in _INCREMENTAL:
            since = await self._checkpoints.get(inst, self.school_year, resource)
        state.since[resource] = since
        records: Sequence[Any]
        failed = False
        try:
            if resource == "students":
                records = await client.students(
                    inst, self.school_year, changed_since=since, budget=self.retry_budget
                )
            elif resource == "registrations":
                records = await client.registrations(
                    inst, self.school_year, changed_since=since, budget=self.retry_budget
                )
            elif resource == "school_history":
                records = await client.school_history(
                    inst, self.school_year, budget=self.retry_budget
                )
            else:
                records = await fetch_staff_list(client.personnel, resource, inst,
                                                 self.school_year, self.retry_budget)
        except ResponseValidationError as exc:
            # deliver what decoded, report the rest: nothing is dropped silently
            records = list(exc.partial)
            failed = True
            await self._emit(Failure(inst, resource, exc))
        except Exception as exc:  # one institute's trouble never stops the others
            self._count(resource)
            if resource == "students" and "photos" in self.resources:
                self._count("photos", self._totals["photos"])
            await self._emit(Failure(inst, resource, exc))
            return
        state.report.counts[resource] = state.report.counts.get(resource, 0) + len(records)
        self._count(resource)
        await self._emit(RecordsFetched(inst, resource, records, since))
        if resource == "students" and "photos" in self.resources:
            ids = [s.persoon_id for s in records if isinstance(s, models.Student)]
            if self._backlog is not None:
                try:
                    backlog = await self._backlog(inst)
                except Exception as exc:  # the run goes on with the students it has
                    failed = True
                    await self._emit(Failure(inst, "photos", exc))
                else:
                    ids = list(dict.fromkeys([*ids, *backlog]))
            state.photo_ids.extend(ids)
            self._photo_ids_waiting += len(ids)
            state.photos_outstanding = len(ids)
            state.photo_failed = failed
            self._count("photos", self._totals["photos"] + len(ids))
            state.report.counts.setdefault("photos", 0)
            state.report.counts.setdefault("photos_missing", 0)
            if not ids:
                await self._complete(state, "photos", ok=True)
                await self._complete(state, "students", ok=not failed)
            self._wake.set()
            return
        await self._complete(state, resource, ok=not failed)

    async def _photo(self, state: _InstituteState, student_id: uuid.UUID | None) -> None:
        assert student_id is not None
        inst = state.institute
        try:
            try:
                photo: models.Photo | None = await self._client.student_photo(
                    inst, student_id, budget=self.retry_budget
                )
            except NotFoundError:
                photo = None
            if photo is not None and self._sink is not None:
                await self._sink(inst, photo)
        except Exception as exc:
            state.photo_failed = True
            await self._emit(Failure(inst, "photos", exc, student_id=student_id))
        else:
            key = "photos" if photo is not None else "photos_missing"
            state.report.counts[key] = state.report.counts.get(key, 0) + 1
            await self._emit(PhotoFetched(inst, student_id, photo))
        finally:
            self._count("photos")
            state.photos_outstanding -= 1
        if state.photos_outstanding == 0:
            ok = not state.photo_failed
            await self._complete(state, "photos", ok=ok)
            # a student whose photo failed would not come back in the next incremental
            # run, so the students checkpoint waits for the photos too
            students_ok = ok and not any(
                f.resource == "students" for f in state.report.failures
            )
            await self._complete(state, "students", ok=students_ok)

    async def _complete(self, state: _InstituteState, resource: Resource, *, ok: bool) -> None:
        if not ok:
            return
        state.report.completed.add(resource)
        if self._checkpoints is not None and resource in _INCREMENTAL:
            await self._queue.put(
                _Checkpoint(state.report, resource, self._started_at - self._overlap)
            )

