"""``InformatClient``: one method per endpoint of the Leerlingen API.

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
import concurrent.futures
import datetime as dt
import enum
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp

from . import models
from ._preregistration_rules import check_preregistration_or_raise
from .auth import TokenProvider
from .bulk import (
    ALL_RESOURCES,
    BulkResult,
    BulkRun,
    PhotoFetched,
    PhotoSink,
    ProgressCallback,
    RecordsFetched,
    Resource,
)
from .checkpoints import CheckpointStore
from .convert import structure, structure_many, unstructure_preregistration
from .errors import InformatError, InformatTimeoutError, InvalidInputError, ResponseValidationError
from .retry import RetryBudget, RetryPolicy
from .signing import ApiFamily, decode_json
from .transport import ClientStats, Transport, rate_limiter
from .validation import check_institute, check_school_year, coerce_date, coerce_uuid

__all__ = ["DEFAULT_API_URL", "DEFAULT_IDENTITY_URL", "InformatClient"]

logger = logging.getLogger("informat_async")

DEFAULT_API_URL = "https://leerlingenapi.informatsoftware.be"
DEFAULT_IDENTITY_URL = "https://www.identityserver.be"

T = TypeVar("T")


def _as_is(data: Any) -> Any:
    return data


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPEN = "open"
    CLOSED = "closed"


class InformatClient:
    """Async client of Informat's Leerlingen API for one set of client credentials.

    Args:
        client_id: the client id Informat issued.
        client_secret: its secret (never logged, never in ``repr`` or exceptions).
        api_url: base URL of the API (the version path ``/1`` is added).
        identity_url: base URL of the identity server (``/connect/token`` is added).
        session: an ``aiohttp.ClientSession`` to use; the client does not close a session it
            was given. Without one, the client creates and closes its own.
        rate_limit: requests per second for everything this client sends, spaced evenly
            (no burst above the rate). ``None`` disables the limiter.
        max_in_flight: requests in flight at once.
        retry: how each call retries (see :class:`~informat_async.retry.RetryPolicy`).
        retry_budget: retries shared by all calls; by default a fresh
            :class:`~informat_async.retry.RetryBudget` per client.
        timeout: seconds for one HTTP request (connect, send and read).
        token_refresh_margin: refresh a token this many seconds (or 10 % of its lifetime)
            before it expires.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        api_url: str = DEFAULT_API_URL,
        identity_url: str = DEFAULT_IDENTITY_URL,
        session: aiohttp.ClientSession | None = None,
        rate_limit: float | None = 10.0,
        max_in_flight: int = 10,
        retry: RetryPolicy | None = None,
        retry_budget: RetryBudget | None = None,
        timeout: float = 30.0,
        token_refresh_margin: float = 60.0,
    ) -> None:
        if not isinstance(client_id, str) or not client_id:
            raise InvalidInputError("client_id must be a non-empty string")
        if not isinstance(client_secret, str) or not client_secret:
            raise InvalidInputError("client_secret must be a non-empty string")
        if rate_limit is not None and not rate_limit > 0:
            raise InvalidInputError("rate_limit must be a positive number of requests/second")
        if max_in_flight < 1:
            raise InvalidInputError("max_in_flight must be at least 1")
        if not timeout > 0:
            raise InvalidInputError("timeout must be positive")
        for name, url in (("api_url", api_url), ("identity_url", identity_url)):
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise InvalidInputError(f"{name} must be an http(s) URL, got {url!r}")
        self.client_id = client_id
        self._client_secret = client_secret
        self.api_url = api_url.rstrip("/")
        self.identity_url = identity_url.rstrip("/")
        self.rate_limit = rate_limit
        self.max_in_flight = max_in_flight
        self.retry = retry or RetryPolicy()
        self.retry_budget = retry_budget or RetryBudget()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._refresh_margin = token_refresh_margin
        self._given_session = session
        self._session: aiohttp.ClientSession | None = None
        self._transport: Transport | None = None
        self._tokens: TokenProvider | None = None
        self._state = _State.UNOPENED
        self.stats = ClientStats()
        """Counters of requests, retries and token requests."""

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build a client from ``INFORMAT_CLIENT_ID``, ``INFORMAT_CLIENT_SECRET`` and the
        optional ``INFORMAT_API_URL`` and ``INFORMAT_IDENTITY_URL``; ``kwargs`` go to
        the constructor."""
        env = os.environ
        missing = [n for n in ("INFORMAT_CLIENT_ID", "INFORMAT_CLIENT_SECRET") if not env.get(n)]
        if missing:
            raise InvalidInputError("missing environment variable(s): " + ", ".join(missing))
        if env.get("INFORMAT_API_URL"):
            kwargs.setdefault("api_url", env["INFORMAT_API_URL"])
        if env.get("INFORMAT_IDENTITY_URL"):
            kwargs.setdefault("identity_url", env["INFORMAT_IDENTITY_URL"])
        return cls(env["INFORMAT_CLIENT_ID"], env["INFORMAT_CLIENT_SECRET"], **kwargs)

    def __repr__(self) -> str:
        return (
            f"<InformatClient client_id={self.client_id!r} api_url={self.api_url!r} "
            f"state={self._state.value}>"
        )

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def open(self) -> None:
        """Create the session, limiter and token cache (``async with`` does this)."""
        if self._state is _State.CLOSED:
            raise InformatError("this InformatClient is closed; create a new one")
        if self._state is _State.OPEN:
            return
        if self._given_session is not None:
            session = self._given_session
        else:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.max_in_flight),
                raise_for_status=False,
            )
        self._session = session
        self._tokens = TokenProvider(
            session=lambda: session,
            identity_url=self.identity_url,
            client_id=self.client_id,
            client_secret=self._client_secret,
            retry=self.retry,
            refresh_margin=self._refresh_margin,
            timeout=self._timeout,
            on_request=self._count_token_request,
        )
        limiter = None if self.rate_limit is None else rate_limiter(self.rate_limit)
        self._transport = Transport(
            session=session,
            api_url=self.api_url,
            tokens=self._tokens,
            limiter=limiter,
            max_in_flight=self.max_in_flight,
            retry=self.retry,
            budget=self.retry_budget,
            timeout=self._timeout,
            stats=self.stats,
        )
        self._state = _State.OPEN

    async def aclose(self) -> None:
        """Close the session if the client created it. A closed client cannot reopen."""
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        if self._session is not None and self._given_session is None:
            await self._session.close()
        self._session = None
        self._transport = None
        if self._tokens is not None:
            self._tokens.clear()

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._state is _State.CLOSED

    def _count_token_request(self) -> None:
        self.stats.token_requests += 1

    async def _get_transport(self) -> Transport:
        if self._state is not _State.OPEN:
            await self.open()
        assert self._transport is not None
        return self._transport

    async def _call(
        self,
        method: str,
        path: str,
        *,
        institute: str,
        endpoint: str,
        family: ApiFamily = "leerlingen",
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        budget: RetryBudget | None = None,
        decode: Callable[[Any], T] = _as_is,
    ) -> T:
        """Send a request; parse its answer and hand it to ``decode`` (see _decode_answer)."""
        transport = await self._get_transport()
        started = time.monotonic()
        body = await transport.request(
            method, path, institute=institute, family=family, endpoint=endpoint,
            params=params, json_body=json_body, budget=budget,
        )
        logger.debug(
            "%s institute %s: %d bytes in %.3fs",
            endpoint, institute, len(body), time.monotonic() - started,
        )
        return await _decode_answer(body, decode, institute, endpoint)

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
        return await self._call(
            "GET", "/students", institute=institute, endpoint=endpoint, params=params,
            budget=budget,
            decode=_list_of("students", models.Student, institute, endpoint),
        )

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
        sid = coerce_uuid(student_id, name="student_id")
        params = {"schoolYear": check_school_year(school_year)}
        _add_date(params, "refdate", reference_date, "reference_date")
        endpoint = "GET /students/{studentId}"
        return await self._call(
            "GET", f"/students/{sid}", institute=institute, endpoint=endpoint, params=params,
            decode=_one_of("student", models.Student, institute, endpoint),
        )

    async def student_photo(
        self,
        institute: str,
        student_id: uuid.UUID | str,
        *,
        budget: RetryBudget | None = None,
    ) -> models.Photo:
        """A student's photo, decoded to bytes."""
        institute = check_institute(institute)
        sid = coerce_uuid(student_id, name="student_id")
        endpoint = "GET /students/{studentId}/photo"
        return await self._call(
            "GET", f"/students/{sid}/photo", institute=institute, endpoint=endpoint,
            budget=budget,
            decode=_one_of("photo", models.Photo, institute, endpoint),
        )

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
        return await self._call(
            "GET", "/registrations", institute=institute, endpoint=endpoint, params=params,
            budget=budget,
            decode=_list_of("registrations", models.Registration, institute, endpoint),
        )

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
        return await self._call(
            "GET", "/schoolHistory", institute=institute, endpoint=endpoint, params=params,
            budget=budget,
            decode=_list_of("schoolHistory", models.SchoolHistory, institute, endpoint),
        )

    async def student_school_history(
        self,
        institute: str,
        student_id: uuid.UUID | str,
        *,
        certificate_source: models.CertificateSource | int = models.CertificateSource.INFORMAT,
    ) -> list[models.SchoolHistory]:
        """School history of one student."""
        institute = check_institute(institute)
        sid = coerce_uuid(student_id, name="student_id")
        params = {"certificateSource": _certificate_source(certificate_source)}
        endpoint = "GET /schoolHistory/{studentId}"
        return await self._call(
            "GET", f"/schoolHistory/{sid}", institute=institute, endpoint=endpoint,
            params=params,
            decode=_list_of("schoolHistory", models.SchoolHistory, institute, endpoint),
        )

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
        data: Any = await self._call(
            "POST", "/preregistrations/save", institute=institute, endpoint=endpoint,
            family="voorinschrijvingen", json_body=unstructure_preregistration(preregistration),
        )
        return _structure_one(
            data, "preRegistrationStatus", models.PreRegistrationStatus, institute, endpoint
        )

    async def delete_preregistration(
        self, institute: str, preregistration_id: uuid.UUID | str
    ) -> None:
        """Delete a pre-registration; accepted or refused ones raise ``MethodNotAllowedError``
        (MNA003, MNA004), an unknown id ``NotFoundError`` (DNF001)."""
        institute = check_institute(institute)
        pid = coerce_uuid(preregistration_id, name="preregistration_id")
        await self._call(
            "DELETE", f"/preregistrations/{pid}", institute=institute,
            endpoint="DELETE /preregistrations/{preRegistrationId}",
            family="voorinschrijvingen",
        )

    async def preregistration_status(
        self, institute: str, preregistration_id: uuid.UUID | str
    ) -> models.PreRegistrationStatus:
        """The state (open, accepted, refused) of a pre-registration."""
        institute = check_institute(institute)
        pid = coerce_uuid(preregistration_id, name="preregistration_id")
        endpoint = "GET /preregistrations/{preRegistrationId}/status"
        data: Any = await self._call(
            "GET", f"/preregistrations/{pid}/status", institute=institute, endpoint=endpoint,
            family="voorinschrijvingen",
        )
        return _structure_one(
            data, "preRegistrationStatus", models.PreRegistrationStatus, institute, endpoint
        )

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
        checkpoints: CheckpointStore | None = None,
        checkpoint_overlap: dt.timedelta = dt.timedelta(minutes=10),
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
    ) -> BulkRun:
        """Fetch many institutes in parallel; results stream out as they complete.

        ``include`` picks among ``"students"``, ``"registrations"``, ``"school_history"``
        and ``"photos"`` (one request per student). Photos go to ``photo_sink`` (for
        example :class:`~informat_async.sinks.DirectoryPhotoSink`) and are also carried by
        the :class:`~informat_async.bulk.PhotoFetched` events, which the run does not keep.
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
            checkpoints=checkpoints, checkpoint_overlap=checkpoint_overlap, progress=progress,
            concurrency=concurrency, retry_budget=retry_budget,
        )

    async def fetch_all(
        self,
        institutes: Iterable[str],
        school_year: str,
        *,
        include: Iterable[Resource] = ALL_RESOURCES,
        photo_sink: PhotoSink | None = None,
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
            checkpoints=checkpoints, progress=progress, concurrency=concurrency,
            retry_budget=retry_budget,
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


def _unwrap(data: Any, key: str, institute: str, endpoint: str) -> Any:
    """Take ``key`` out of the envelope (case-insensitively); a bare value passes through."""
    if isinstance(data, Mapping):
        if key in data:
            return data[key]
        folded = key.lower()
        for k, v in data.items():
            if isinstance(k, str) and k.lower() == folded:
                return v
        raise ResponseValidationError(
            f"{endpoint} answered without {key!r} (keys: {', '.join(map(str, data))[:200]})",
            errors=[f"$.{key}: missing"],
            institute=institute,
            endpoint=endpoint,
        )
    return data


#: Answers of at least this many bytes are parsed and structured in a worker thread, so the
#: event loop never stalls on them (decoding runs at roughly 20-40 MB/s: 256 KB is well
#: under 50 ms, and smaller answers are not worth the hop to the thread).
DECODE_IN_THREAD_BYTES = 256 * 1024

_decoder: concurrent.futures.ThreadPoolExecutor | None = None


async def _decode_answer(
    body: bytes, decode: Callable[[Any], T], institute: str, endpoint: str
) -> T:
    """Parse a 2xx answer and structure it with ``decode``: on the event loop when it is
    small, in a worker thread when it is large. One worker thread, shared by the clients
    of the process: decoding is CPU work under the GIL, so more threads would only take
    turns with the event loop more often, and answers still decode one after another."""

    def run() -> T:
        return decode(decode_json(body, institute=institute, endpoint=endpoint))

    if len(body) < DECODE_IN_THREAD_BYTES:
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
            outcome.append((True, run()))
        except Exception as exc:  # re-raised on the loop below
            outcome.append((False, exc))

    await asyncio.get_running_loop().run_in_executor(_decoder, run_and_keep)
    ok, value = outcome.pop()
    if not ok:
        raise value
    result: T = value
    return result


def _list_of(
    key: str, cls: type[T], institute: str, endpoint: str
) -> Callable[[Any], list[T]]:
    return lambda data: _structure_list(data, key, cls, institute, endpoint)


def _one_of(key: str, cls: type[T], institute: str, endpoint: str) -> Callable[[Any], T]:
    return lambda data: _structure_one(data, key, cls, institute, endpoint)


def _structure_list(
    data: Any, key: str, cls: type[T], institute: str, endpoint: str
) -> list[T]:
    items, errors = structure_many(
        _unwrap(data, key, institute, endpoint), cls, path=f"$.{key}"
    )
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


def _structure_one(data: Any, key: str, cls: type[T], institute: str, endpoint: str) -> T:
    value = _unwrap(data, key, institute, endpoint)
    if value is None:
        raise ResponseValidationError(
            f"{endpoint} answered {key}: null", institute=institute, endpoint=endpoint
        )
    return structure(value, cls, path=f"$.{key}", institute=institute, endpoint=endpoint)

