"""``InformatClient``: one method per endpoint of the Leerlingen API, and the personnel
API's calls on ``client.personnel`` (:mod:`informat_async.personnel`).

Use it as an async context manager::

    async with InformatClient(client_id, client_secret) as client:
        students = await client.students("012345", "2025-26")
        photo = await client.student_photo("012345", students[0].persoon_id)

Every method checks its input before sending anything (a wrong institute number, school
year or GUID raises :class:`~informat_async.errors.InvalidInputError`), then goes through
one shared rate limiter, the token cache and the retry loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import time
import uuid
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

from . import models
from ._base_client import DEFAULT_API_URL, DEFAULT_IDENTITY_URL, BaseClient, ClientViewMixin
from ._preregistration_rules import check_preregistration_or_raise
from .bulk import (
    ALL_RESOURCES,
    BulkResult,
    BulkRun,
    PhotoBacklog,
    PhotoFetched,
    PhotoSink,
    ProgressCallback,
    RecordsFetched,
    Resource,
)
from .checkpoints import CheckpointStore
from .convert import structure, structure_many, unstructure_preregistration
from .errors import InformatTimeoutError, InvalidInputError, ResponseValidationError
from .families import LEERLINGEN
from .namespace import call
from .retry import RetryBudget, RetryPolicy
from .signing import check_person
from .validation import check_institute, check_school_year, coerce_date, coerce_guid

__all__ = ["DEFAULT_API_URL", "DEFAULT_IDENTITY_URL", "InformatClient"]

logger = logging.getLogger("informat_async")

T = TypeVar("T")


class InformatClient(BaseClient):
    """Async client of Informat's Leerlingen API for one set of client credentials.

    Args:
        client_id: the client id Informat issued.
        client_secret: its secret (never logged, never in ``repr`` or exceptions).
        api_url: base URL of the API (the version path ``/1`` is added).
        identity_url: base URL of the identity server (``/connect/token`` is added).
        session: an ``aiohttp.ClientSession`` to use; the client does not close a session it
            was given. Without one, the client creates and closes its own.
        rate_limit: requests per second for everything this client sends: bursts of at
            most 50 ms worth of requests (or 2), and never more than ``rate_limit`` in any
            sliding second. ``None`` disables the limiter.
        max_in_flight: requests in flight at once.
        retry: how each call retries (see :class:`~informat_async.retry.RetryPolicy`).
        retry_budget: retries shared by all calls; by default a fresh
            :class:`~informat_async.retry.RetryBudget` per client.
        timeout: seconds for one HTTP request (connect, send and read); connecting alone
            has at most 10 s.
        token_refresh_margin: refresh a token this many seconds (or 10 % of its lifetime)
            before it expires.
        allow_insecure_http: allow ``http://`` URLs to hosts other than loopback. Off by
            default: the secret, tokens and pupils' data would travel in clear text.
        max_response_size: bytes of a decompressed answer (64 MiB by default); past it the
            call fails with :class:`~informat_async.errors.ResponseTooLargeError`.
        max_photo_size: the same for a photo answer (16 MiB by default).
        personnel_url: base URL of the personnel API (``client.personnel``).
        student_api_url: base URL of the Student API, version included
            (``client.student_api``).
        proxy: an HTTP proxy URL (``"http://proxy.school.be:3128"``) for the session the
            client creates. Without it, that session follows ``HTTPS_PROXY``/``HTTP_PROXY``
            and ``NO_PROXY`` from the environment. With your own ``session``, configure the
            proxy there.

    A client belongs to the event loop it was opened in: using it from another one (a
    second ``asyncio.run``) raises :class:`~informat_async.errors.InformatError`; create
    one client per event loop. :meth:`with_options` gives a view with another timeout or
    retry policy that shares everything else.
    """

    def with_options(
        self, *, timeout: float | None = None, retry: RetryPolicy | None = None
    ) -> InformatClient:
        """A view of this client with another per-request ``timeout`` (seconds) and/or
        ``retry`` policy, for a call that must be tighter (or more patient) than the rest::

            photo = await client.with_options(
                timeout=2, retry=RetryPolicy(max_attempts=2, deadline=5)
            ).student_photo(institute, student_id)

        The view shares the session, tokens, rate limiter, in-flight limit, retry budget
        and ``stats`` of this client; it costs nothing to create. Closing the view does
        nothing: the client owns the resources and closes them.
        """
        return self._view(_ClientView, timeout=timeout, retry=retry)

    def _call(
        self, method: str, path: str, *, root: str | None, **kwargs: Any
    ) -> Coroutine[Any, Any, Any]:
        """A Leerlingen call: :func:`~informat_async.namespace.call` with this family (the
        body is not read when there is no ``root``). Not a coroutine of its own: one layer
        fewer for every step of the call's task."""
        return call(self, LEERLINGEN, method, path, root=root, read=root is not None, **kwargs)

    # --- students ----------------------------------------------------------------------

    async def students(
        self,
        institute: str,
        school_year: str,
        *,
        reference_date: dt.date | str | None = None,
        changed_since: dt.date | dt.datetime | str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.Student]:
        """Students with a registration in ``institute`` for ``school_year``.

        ``reference_date`` picks the registrations that cover that day (Informat uses today,
        clamped to the school year, when it is omitted); ``changed_since`` returns only
        students changed since then.
        """
        institute = check_institute(institute)
        params = {"schoolYear": check_school_year(school_year)}
        _add_date(params, "refdate", reference_date, "reference_date")
        _add_date(params, "changedSince", changed_since, "changed_since")
        endpoint = "GET /students"
        students: list[models.Student] = await self._call(
            "GET", "/students", institute=institute, endpoint=endpoint, params=params,
            budget=budget, root="students",
            convert=_list_of("students", models.Student, institute, endpoint),
        )
        return students

    async def student(
        self,
        institute: str,
        student_id: uuid.UUID | str,
        school_year: str,
        *,
        reference_date: dt.date | str | None = None,
    ) -> models.Student:
        """One student by id; school year and reference date only pick ``inschrijvings_id``."""
        institute = check_institute(institute)
        sid, sid_text = coerce_guid(student_id, name="student_id")
        params = {"schoolYear": check_school_year(school_year)}
        _add_date(params, "refdate", reference_date, "reference_date")
        endpoint = "GET /students/{studentId}"
        student: models.Student = await self._call(
            "GET", f"/students/{sid_text}", institute=institute, endpoint=endpoint, params=params,
            root="student", shape="object",
            convert=_one_of("student", models.Student, institute, endpoint),
        )
        check_person(student.persoon_id, sid, path="$.student", key="persoonId",
                     institute=institute, endpoint=endpoint)
        return student

    async def student_photo(
        self,
        institute: str,
        student_id: uuid.UUID | str,
        *,
        budget: RetryBudget | None = None,
    ) -> models.Photo:
        """A student's photo, decoded to bytes."""
        institute = check_institute(institute)
        sid, sid_text = coerce_guid(student_id, name="student_id")
        endpoint = "GET /students/{studentId}/photo"
        photo: models.Photo = await self._call(
            "GET", f"/students/{sid_text}/photo", institute=institute, endpoint=endpoint,
            budget=budget, root="photo", shape="object", max_bytes=self.max_photo_size,
            convert=_one_of("photo", models.Photo, institute, endpoint),
        )
        check_person(photo.persoon_id, sid, path="$.photo", key="persoonId",
                     institute=institute, endpoint=endpoint)
        return photo

    # --- registrations -----------------------------------------------------------------

    async def registrations(
        self,
        institute: str,
        school_year: str,
        *,
        changed_since: dt.date | dt.datetime | str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.Registration]:
        """Registrations of ``institute`` for ``school_year`` with class registrations."""
        institute = check_institute(institute)
        params = {"schoolYear": check_school_year(school_year)}
        _add_date(params, "changedSince", changed_since, "changed_since")
        endpoint = "GET /registrations"
        registrations: list[models.Registration] = await self._call(
            "GET", "/registrations", institute=institute, endpoint=endpoint, params=params,
            budget=budget, root="registrations",
            convert=_list_of("registrations", models.Registration, institute, endpoint),
        )
        return registrations

    # --- school history ----------------------------------------------------------------

    async def school_history(
        self,
        institute: str,
        school_year: str,
        *,
        certificate_source: models.CertificateSource | int = models.CertificateSource.INFORMAT,
        budget: RetryBudget | None = None,
    ) -> list[models.SchoolHistory]:
        """School history of every student with a realized registration in ``school_year``."""
        institute = check_institute(institute)
        params = {
            "schoolYear": check_school_year(school_year),
            "certificateSource": _certificate_source(certificate_source),
        }
        endpoint = "GET /schoolHistory"
        history: list[models.SchoolHistory] = await self._call(
            "GET", "/schoolHistory", institute=institute, endpoint=endpoint, params=params,
            budget=budget, root="schoolHistory",
            convert=_list_of("schoolHistory", models.SchoolHistory, institute, endpoint),
        )
        return history

    async def student_school_history(
        self,
        institute: str,
        student_id: uuid.UUID | str,
        *,
        certificate_source: models.CertificateSource | int = models.CertificateSource.INFORMAT,
    ) -> list[models.SchoolHistory]:
        """School history of one student."""
        institute = check_institute(institute)
        sid_text = coerce_guid(student_id, name="student_id")[1]
        params = {"certificateSource": _certificate_source(certificate_source)}
        endpoint = "GET /schoolHistory/{studentId}"
        history: list[models.SchoolHistory] = await self._call(
            "GET", f"/schoolHistory/{sid_text}", institute=institute, endpoint=endpoint,
            params=params, root="schoolHistory",
            convert=_list_of("schoolHistory", models.SchoolHistory, institute, endpoint),
        )
        return history

    # --- pre-registrations -------------------------------------------------------------

    async def save_preregistration(
        self, institute: str, preregistration: models.PreRegistration
    ) -> models.PreRegistrationStatus:
        """Create or update a pre-registration (``POST /preregistrations/save``).

        The pre-registration is checked against Informat's rules first; every problem is
        raised at once as :class:`~informat_async.errors.PreRegistrationValidationError`
        and nothing is sent. Saving is idempotent on ``pre_registration_id``: after a
        timeout, saving the same object again updates instead of duplicating.
        """
        institute = check_institute(institute)
        if not isinstance(preregistration, models.PreRegistration):
            raise InvalidInputError(
                "preregistration must be a PreRegistration, got "
                + type(preregistration).__name__
            )
        check_preregistration_or_raise(preregistration)
        if preregistration.institute != institute:
            raise InvalidInputError(
                f"preregistration.institute {preregistration.institute!r} differs from the "
                f"institute {institute!r} the request is sent for"
            )
        endpoint = "POST /preregistrations/save"
        data = await self._call(
            "POST", "/preregistrations/save", institute=institute, endpoint=endpoint,
            scope="voorinschrijvingen", json_body=unstructure_preregistration(preregistration),
            root="preRegistrationStatus", shape="object",
        )
        return structure(data, models.PreRegistrationStatus, path="$.preRegistrationStatus",
                         institute=institute, endpoint=endpoint)

    async def delete_preregistration(
        self, institute: str, preregistration_id: uuid.UUID | str
    ) -> None:
        """Delete a pre-registration; accepted or refused ones raise ``MethodNotAllowedError``
        (MNA003, MNA004), an unknown id ``NotFoundError`` (DNF001)."""
        institute = check_institute(institute)
        pid_text = coerce_guid(preregistration_id, name="preregistration_id")[1]
        await self._call(
            "DELETE", f"/preregistrations/{pid_text}", institute=institute,
            endpoint="DELETE /preregistrations/{preRegistrationId}",
            scope="voorinschrijvingen", root=None,
        )

    async def preregistration_status(
        self, institute: str, preregistration_id: uuid.UUID | str
    ) -> models.PreRegistrationStatus:
        """The state (open, accepted, refused) of a pre-registration."""
        institute = check_institute(institute)
        pid_text = coerce_guid(preregistration_id, name="preregistration_id")[1]
        endpoint = "GET /preregistrations/{preRegistrationId}/status"
        data = await self._call(
            "GET", f"/preregistrations/{pid_text}/status", institute=institute, endpoint=endpoint,
            scope="voorinschrijvingen", root="preRegistrationStatus", shape="object",
        )
        return structure(data, models.PreRegistrationStatus, path="$.preRegistrationStatus",
                         institute=institute, endpoint=endpoint)

    async def wait_for_preregistration(
        self,
        institute: str,
        preregistration_id: uuid.UUID | str,
        *,
        max_wait: float = 3600.0,
        first_interval: float = 5.0,
        max_interval: float = 300.0,
        factor: float = 2.0,
    ) -> models.PreRegistrationStatus:
        """Poll the status until the school accepted or refused the pre-registration.

        Intervals grow from ``first_interval`` by ``factor`` up to ``max_interval``; after
        ``max_wait`` seconds :class:`~informat_async.errors.InformatTimeoutError` is raised.
        """
        if not (max_wait >= 0 and first_interval >= 0 and max_interval >= 0 and factor >= 1):
            raise InvalidInputError("max_wait and intervals must be >= 0 and factor >= 1")
        deadline = time.monotonic() + max_wait
        interval = first_interval
        while True:
            status = await self.preregistration_status(institute, preregistration_id)
            if status.status in (
                models.PreRegistrationState.ACCEPTED,
                models.PreRegistrationState.REFUSED,
            ):
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                raise InformatTimeoutError(
                    f"pre-registration still {status.status.value} after {max_wait:g}s",
                    institute=institute,
                    endpoint="GET /preregistrations/{preRegistrationId}/status",
                )
            await asyncio.sleep(min(interval, left))
            interval = min(max_interval, interval * factor)


    # --- bulk ---------------------------------------------------------------------------

    def bulk_fetch(
        self,
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
    ) -> BulkRun:
        """Fetch many institutes in parallel; results stream out as they complete.

        ``include`` picks among ``"students"``, ``"registrations"``, ``"school_history"``
        and ``"photos"`` (one request per student), and the personnel API's
        ``"employees"``, ``"assignments"``, ``"interruptions"``, ``"diplomas"``,
        ``"own_fields"`` and ``"employee_photos"`` (one list each, always in full).
        Photos go to ``photo_sink`` (for example
        :class:`~informat_async.sinks.DirectoryPhotoSink`) and are also carried by the
        :class:`~informat_async.bulk.PhotoFetched` events, which the run does not keep;
        ``photo_backlog(institute)`` names further students whose photo is wanted (those a
        store has none of), fetched even when their record did not change.
        With ``checkpoints``, students and registrations are fetched with ``changedSince``
        and the checkpoint advances only for what completed. All requests share this
        client's rate limit; ``concurrency`` (default ``max_in_flight``) workers serve the
        institutes round-robin; ``retry_budget`` (default: a fresh one per run) bounds the
        retries of the whole run. Input is checked before anything is sent.

        Use ``async with client.bulk_fetch(...) as run: async for event in run: ...`` and
        read ``run.report`` afterwards.
        """
        return BulkRun(
            self, institutes, school_year, include=include, photo_sink=photo_sink,
            photo_backlog=photo_backlog, checkpoints=checkpoints,
            checkpoint_overlap=checkpoint_overlap, progress=progress, concurrency=concurrency,
            retry_budget=retry_budget,
        )

    async def fetch_all(
        self,
        institutes: Iterable[str],
        school_year: str,
        *,
        include: Iterable[Resource] = ALL_RESOURCES,
        photo_sink: PhotoSink | None = None,
        photo_backlog: PhotoBacklog | None = None,
        keep_photos: bool = False,
        checkpoints: CheckpointStore | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
    ) -> BulkResult:
        """Run :meth:`bulk_fetch` to the end and gather the records and the report.

        Photos are kept in memory only with ``keep_photos=True``; otherwise give a
        ``photo_sink``.
        """
        run = self.bulk_fetch(
            institutes, school_year, include=include, photo_sink=photo_sink,
            photo_backlog=photo_backlog, checkpoints=checkpoints, progress=progress,
            concurrency=concurrency, retry_budget=retry_budget,
        )
        result = BulkResult(report=run.report)
        async with run:
            async for event in run:
                if isinstance(event, RecordsFetched):
                    target: dict[str, list[Any]] = getattr(result, event.resource)
                    target.setdefault(event.institute, []).extend(event.records)
                elif isinstance(event, PhotoFetched) and keep_photos and event.photo:
                    result.photos.setdefault(event.institute, {})[event.student_id] = event.photo
        return result


class _ClientView(ClientViewMixin, InformatClient):
    """What :meth:`InformatClient.with_options` returns: the client's resources with another
    timeout or retry policy. Opening opens the client; closing the view closes nothing."""


# --- helpers ---------------------------------------------------------------------------

def _add_date(params: dict[str, str], key: str, value: object, name: str) -> None:
    if value is None:
        return
    when = coerce_date(value, name=name)
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
            params[key] = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
        else:
            params[key] = when.strftime("%Y-%m-%dT%H:%M:%S")
    else:
        params[key] = when.isoformat()


def _certificate_source(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError("certificate_source must be CertificateSource or 0/1")
    if value not in (0, 1):
        raise InvalidInputError(
            f"certificate_source must be 0 (Informat) or 1 (Discimus), got {value}"
        )
    return str(int(value))


def _list_of(
    key: str, cls: type[T], institute: str, endpoint: str
) -> Callable[[Any], list[T]]:
    return lambda data: _structure_list(data, key, cls, institute, endpoint)


def _one_of(key: str, cls: type[T], institute: str, endpoint: str) -> Callable[[Any], T]:
    return functools.partial(structure, cls=cls, path=f"$.{key}", institute=institute,
                             endpoint=endpoint)


def _structure_list(
    data: Any, key: str, cls: type[T], institute: str, endpoint: str
) -> list[T]:
    items, errors = structure_many(data, cls, path=f"$.{key}")
    if errors:
        raise ResponseValidationError(
            f"{endpoint} for institute {institute}: {len(errors)} problem(s) decoding "
            f"{cls.__name__} records: " + "; ".join(errors[:5]),
            errors=errors,
            institute=institute,
            endpoint=endpoint,
            partial=items,
        )
    return items
