"""``client.student_api``: the Student API (Public), Informat's write API for secondary schools.

Three writes, each checked locally first (nothing invalid is sent; every problem is raised at
once as :class:`~informat_async.errors.StudentApiValidationError` with the server's codes):

- :meth:`StudentApi.create_enrollment` (``POST /enrollments/create``) answers the new
  enrollment's ID. It is **not idempotent**, so it is retried only when the request certainly
  did not reach the server: no connection could be made, a 429, or a 503 with
  ``Retry-After``. After any failure that leaves the outcome open (a timeout or reset after
  sending, a 500/502/504, an unreadable answer) it raises
  :class:`~informat_async.errors.OutcomeUnknownError`: look the enrollment up through
  ``client.registrations(institute, school_year)`` before sending it again. Sending it again
  anyway answers 409 ``MNA006`` (already enrolled) if the first attempt went through; the
  :class:`~informat_async.errors.ConflictError` then says the earlier attempt probably
  succeeded.
- :meth:`StudentApi.link_class` and :meth:`StudentApi.save_absence` are PUTs, repeatable by
  nature, and retried like reads. A 204 is "unchanged"; note that when a PUT is retried after
  its answer was lost, the retry may answer "unchanged" for a change its first attempt made.

The family (URL, headers, scope, errors) is :data:`~informat_async.families.STUDENT_API`;
requests share the client's session, token cache, rate limiter, retry budget and stats.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ._student_api_rules import (
    absence_body,
    enrollment_body,
    id_problems,
    link_class_body,
    validate_absence,
    validate_enrollment,
    validate_link_class,
)
from .errors import (
    APIStatusError,
    ConflictError,
    InformatError,
    OutcomeUnknownError,
    Problem,
    ResponseValidationError,
    StudentApiValidationError,
    TransportError,
)
from .families import STUDENT_API
from .models.student_api import EMPTY_GUID, Absence, AbsenceSaved, ClassLinked, NewEnrollment
from .namespace import CallHost, Namespace
from .retry import RetryPolicy
from .transport import is_retryable
from .validation import check_institute

__all__ = ["StudentApi"]

_CREATE = "POST /enrollments/create"
_LINK = "PUT /enrollments/{enrollmentId}/link-class"
_ABSENCE = "PUT /students/{studentId}/absences"
_LOOK_UP = ("look the enrollment up through registrations(institute, school_year) "
            "(persoonId and nrAdmgrp) before sending it again")


def _maybe_reached(error: InformatError, endpoint: str) -> bool:
    """Whether the failed request may have reached the server (and may have been applied)."""
    if getattr(error, "endpoint", endpoint) != endpoint:
        return False  # the token request failed: the request itself was never sent
    if isinstance(error, TransportError):
        return not error.unreachable  # a connection that could not be made sent nothing
    if isinstance(error, APIStatusError):
        if error.status == 429:
            return False
        if error.status == 503 and error.retry_after is not None:
            return False
        return error.status >= 500 or error.status == 408
    # an answer that could not be read (empty, not JSON, too large): a 2xx came back
    return isinstance(error, ResponseValidationError)


def _create_retryable(error: InformatError, policy: RetryPolicy) -> bool:
    """Retry a create only when the request certainly did not reach the server."""
    return is_retryable(error, policy) and not _maybe_reached(error, _CREATE)


def _problems_or_raise(what: str, problems: list[Problem]) -> None:
    if problems:
        raise StudentApiValidationError(what, problems)


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip().strip("{}"))


def _answered_uuid(data: Any, institute: str, endpoint: str) -> uuid.UUID:
    """The UUID of a bare JSON string answer."""
    try:
        return uuid.UUID(str(data).strip().strip("{}"))
    except ValueError:
        raise ResponseValidationError(
            f"{endpoint} for institute {institute}: the answer is not a GUID "
            f"({len(str(data))} characters)",
            errors=["$: not a GUID"], institute=institute, endpoint=endpoint,
        ) from None


class StudentApi(Namespace):
    """The Student API's calls on a client: ``client.student_api`` (see the module doc)."""

    family = STUDENT_API

    def __init__(self, client: CallHost) -> None:
        super().__init__(client)
        # (institute, person, admgrp, school year) of creates whose outcome was unknown
        self._unknown: set[tuple[str, str, str, str]] = set()

    # --- local checks ------------------------------------------------------------------

    def validate_enrollment(self, enrollment: NewEnrollment) -> list[Problem]:
        """Every problem of ``enrollment`` the client can see, with the server's codes."""
        return validate_enrollment(enrollment)

    def validate_absence(
        self, absence: Absence, *, now: dt.datetime | None = None
    ) -> list[Problem]:
        """Every problem of ``absence`` the client can see, with the server's codes
        (``now``: what "not in the future" compares with; default the current time)."""
        return validate_absence(absence, now=now)

    # --- writes ------------------------------------------------------------------------

    async def create_enrollment(self, institute: str, enrollment: NewEnrollment) -> uuid.UUID:
        """Create an enrollment; returns its ID (likely the Leerlingen ``inschrijvingsId``).

        Raises :class:`~informat_async.errors.OutcomeUnknownError` when the request may have
        been applied without an answer (see the module doc for what to do), a
        :class:`~informat_async.errors.ConflictError` for the 409 rules (``MNA006``: already
        enrolled, ``DNF002``: no such student...).
        """
        institute = check_institute(institute)
        _problems_or_raise("enrollment", validate_enrollment(enrollment))
        key = (institute, str(_as_uuid(enrollment.person_id)), enrollment.admgrp_no,
               enrollment.school_year)
        try:
            data = await self._call(
                "POST", "/enrollments/create", institute=institute, endpoint=_CREATE,
                root=None, shape="string", json_body=enrollment_body(enrollment),
                retryable=_create_retryable,
            )
            created = _answered_uuid(data, institute, _CREATE)
            if created == EMPTY_GUID:
                raise ResponseValidationError(
                    f"{_CREATE} for institute {institute}: the answer is the empty GUID",
                    errors=["$: empty GUID"], institute=institute, endpoint=_CREATE,
                )
        except ConflictError as error:
            if "MNA006" not in error.codes:
                raise
            raise self._already_enrolled(error, key in self._unknown) from None
        except InformatError as error:
            if not _maybe_reached(error, _CREATE):
                raise
            self._unknown.add(key)
            raise OutcomeUnknownError(
                f"{_CREATE} for institute {institute}: the outcome is unknown after "
                f"{_what(error)}; the enrollment may have been created: {_LOOK_UP}",
                institute=institute, endpoint=_CREATE,
                host=error.host if isinstance(error, TransportError) else None,
                retryable=False,
            ) from error
        self._unknown.discard(key)
        return created

    @staticmethod
    def _already_enrolled(error: ConflictError, after_unknown: bool) -> ConflictError:
        if after_unknown:
            hint = ("an earlier create_enrollment of this enrollment whose outcome was unknown "
                    "probably succeeded")
        else:
            hint = ("if an earlier attempt failed with OutcomeUnknownError, it probably "
                    "succeeded")
        return ConflictError(
            f"{error}: the student is already enrolled in this admin group for the school "
            f"year (MNA006); {hint}: find the enrollment through "
            "registrations(institute, school_year)",
            status=error.status, details=error.details, institute=error.institute,
            endpoint=error.endpoint, result_code=error.result_code,
            retry_after=error.retry_after, family=error.family,
        )

    async def link_class(
        self,
        institute: str,
        enrollment_id: uuid.UUID | str,
        class_code: str,
        start_date: dt.date | str,
    ) -> ClassLinked:
        """Link a class to an enrollment from ``start_date`` (or update the class registration
        of that start date). ``"unchanged"`` when the class was already linked or
        ``start_date`` is older than the latest class registration."""
        institute = check_institute(institute)
        _problems_or_raise("link-class request", [
            *id_problems(enrollment_id, "enrollment_id", "BR048"),
            *validate_link_class(class_code, start_date),
        ])
        data = await self._call(
            "PUT", f"/enrollments/{_as_uuid(enrollment_id)}/link-class", institute=institute,
            endpoint=_LINK, root=None, shape="string", no_content=True,
            json_body=link_class_body(class_code, start_date),
        )
        if data is None:
            return ClassLinked("unchanged", None)
        linked = _answered_uuid(data, institute, _LINK)
        return ClassLinked("linked", None if linked == EMPTY_GUID else linked)

    async def save_absence(
        self, institute: str, student_id: uuid.UUID | str, absence: Absence
    ) -> AbsenceSaved:
        """Create or update the absence of a student for a date and part of day:
        ``"created"`` (with its ID), ``"updated"`` (another code was stored; the API answers
        the empty GUID) or ``"unchanged"`` (the same code was already stored)."""
        institute = check_institute(institute)
        _problems_or_raise("absence", [
            *id_problems(student_id, "student_id", "INPUT"),
            *validate_absence(absence),
        ])
        data = await self._call(
            "PUT", f"/students/{_as_uuid(student_id)}/absences", institute=institute,
            endpoint=_ABSENCE, root=None, shape="string", no_content=True,
            json_body=absence_body(absence),
        )
        if data is None:
            return AbsenceSaved("unchanged", None)
        saved = _answered_uuid(data, institute, _ABSENCE)
        if saved == EMPTY_GUID:
            return AbsenceSaved("updated", None)
        return AbsenceSaved("created", saved)


def _what(error: InformatError) -> str:
    if isinstance(error, APIStatusError):
        return f"HTTP {error.status}"
    if isinstance(error, ResponseValidationError):
        return "an answer that could not be read"
    return type(error).__name__
