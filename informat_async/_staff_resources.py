"""The personnel API's resources of a bulk run (see :mod:`informat_async.bulk`).

Each is one list per institute, fetched in full every run: the reference cannot confirm
that the service honours ``changedSince`` on employees, so no checkpoint applies and
``changed_since`` is never sent. ``employee_photos`` is the one photos list (base64 in the
answer), not a request per employee.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, Protocol

from . import models
from .retry import RetryBudget

__all__ = ["STAFF_RESOURCES", "StaffCalls", "StaffResource", "fetch_staff_list"]

StaffResource = Literal[
    "employees", "assignments", "interruptions", "diplomas", "own_fields", "employee_photos"
]
STAFF_RESOURCES: tuple[StaffResource, ...] = (
    "employees", "assignments", "interruptions", "diplomas", "own_fields", "employee_photos"
)
"""The personnel API's resources, fetched when a run's ``include`` names them."""


class StaffCalls(Protocol):
    """The personnel calls a bulk run makes (``client.personnel`` is one)."""

    async def employees(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.Employee]: ...

    async def assignments(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.Assignment]: ...

    async def interruptions(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.Interruption]: ...

    async def diplomas(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.Diploma]: ...

    async def own_fields(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.OwnField]: ...

    async def photos(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = ...,
    ) -> list[models.EmployeePhoto]: ...


async def fetch_staff_list(
    staff: StaffCalls, resource: str, institute: str, school_year: str,
    budget: RetryBudget,
) -> Sequence[Any]:
    """One personnel list in full (never with ``changedSince``)."""
    calls: dict[str, Callable[..., Awaitable[Sequence[Any]]]] = {
        "employees": staff.employees, "assignments": staff.assignments,
        "interruptions": staff.interruptions, "diplomas": staff.diplomas,
        "own_fields": staff.own_fields, "employee_photos": staff.photos,
    }
    return await calls[resource](institute, school_year, budget=budget)
