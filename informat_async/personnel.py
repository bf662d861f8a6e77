"""``client.personnel``: the personnel ("Personeel") API's calls.

Reads return the models of :mod:`informat_async.models.personnel`; writes are checked
first, every problem at once (:class:`~informat_async.errors.WriteValidationError`, an
``InvalidInputError``), and nothing is sent when one is found. Every call goes through the
client's shared session, token cache, limiter and retries (:func:`~.namespace.call`).
Person, interruption and attachment ids are ``uuid.UUID`` or GUID strings in any case, with
or without braces; they are sent lower-case and hyphenated. Document ids are integers.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

import aiohttp

from . import models
from ._personnel_rules import (
    MAX_ATTACHMENT_BYTES,
    attachment_problems,
    check_interruption,
    interruption_body,
    signed_document_problems,
)
from .convert import structure, structure_many
from .errors import (
    IncompleteResponseError,
    InvalidInputError,
    ResponseValidationError,
    WriteValidationError,
)
from .families import PERSONNEL
from .namespace import CallHost, Namespace
from .retry import RetryBudget
from .signing import AnswerShape, check_person
from .validation import check_institute, check_school_year, coerce_date, coerce_uuid

__all__ = ["MAX_ATTACHMENT_BYTES", "Personnel", "check_interruption"]

T = TypeVar("T")

_RL_TYPES = ("RL1", "RL2", "RL4")


class PersonnelHost(CallHost, Protocol):
    """What the personnel calls need of a client."""

    max_photo_size: int


class Personnel(Namespace):
    """The personnel API on a client: ``client.personnel.employees("012345", "2025-26")``."""

    family = PERSONNEL

    def __init__(self, client: PersonnelHost) -> None:
        super().__init__(client)
        self._host = client

    async def _get(
        self, path: str, *, institute: str, endpoint: str, params: Mapping[str, str] | None,
        shape: AnswerShape = "list", budget: RetryBudget | None = None,
        max_bytes: int | None = None,
    ) -> Any:
        return await self._call(
            "GET", path, institute=institute, endpoint=endpoint, root=None, shape=shape,
            params=params, budget=budget, max_bytes=max_bytes,
        )

    async def _list(
        self, cls: type[T], path: str, *, institute: str, endpoint: str,
        params: Mapping[str, str] | None, person: uuid.UUID | None = None,
        budget: RetryBudget | None = None,
    ) -> list[T]:
        data = await self._get(path, institute=institute, endpoint=endpoint, params=params,
                               budget=budget)
        items = _structure_list(data, cls, institute, endpoint)
        if person is not None:
            for index, item in enumerate(items):
                check_person(getattr(item, "person_id", None), person, path=f"$[{index}]",
                             key="personId", institute=institute, endpoint=endpoint)
        return items

    # --- reads -----------------------------------------------------------------------

    async def employees(
        self,
        institute: str,
        school_year: str,
        *,
        structure: str | None = None,
        changed_since: dt.date | dt.datetime | str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.Employee]:
        """Employees with an assignment in ``school_year`` (or, for current and future years,
        marked active) in ``institute``; ``structure`` narrows the list further.

        ``changed_since`` is passed on as ``changedSince`` only when given: whether the
        service honours it for employees is not confirmed, so a sync fetches the full list.
        """
        institute = check_institute(institute)
        params = _year_params(school_year, structure)
        if changed_since is not None:
            params["changedSince"] = _moment(changed_since, "changed_since")
        return await self._list(models.Employee, "/employees", institute=institute,
                                endpoint="GET employees", params=params, budget=budget)

    async def employee(
        self,
        institute: str,
        person_id: uuid.UUID | str,
        school_year: str,
        *,
        structure: str | None = None,
    ) -> models.Employee:
        """One employee; the school year and structure only refine the derived fields."""
        institute = check_institute(institute)
        pid = coerce_uuid(person_id, name="person_id")
        endpoint = "GET employees/{personId}"
        data = await self._get(f"/employees/{pid}", institute=institute, endpoint=endpoint,
                               params=_year_params(school_year, structure), shape="object")
        employee = structure_one(data, models.Employee, institute, endpoint)
        check_person(employee.person_id, pid, path="$", key="personId", institute=institute,
                     endpoint=endpoint)
        return employee

    async def assignments(
        self,
        institute: str,
        school_year: str,
        *,
        structure: str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.Assignment]:
        """Every assignment (opdracht) of the school year, with its replacements."""
        institute = check_institute(institute)
        return await self._list(
            models.Assignment, "/employees/assignments", institute=institute,
            endpoint="GET employees/assignments", params=_year_params(school_year, structure),
            budget=budget,
        )

    async def interruptions(
        self,
        institute: str,
        school_year: str,
        *,
        person_id: uuid.UUID | str | None = None,
        structure: str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.Interruption]:
        """Service interruptions that overlap the school year, of everyone or one employee."""
        return await self._per_person(models.Interruption, "interruptions", institute,
                                      school_year, person_id, structure, budget)

    async def diplomas(
        self,
        institute: str,
        school_year: str,
        *,
        person_id: uuid.UUID | str | None = None,
        structure: str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.Diploma]:
        """Diplomas of the school year's employees, or of one employee."""
        return await self._per_person(models.Diploma, "diplomas", institute, school_year,
                                      person_id, structure, budget)

    async def own_fields(
        self,
        institute: str,
        school_year: str,
        *,
        person_id: uuid.UUID | str | None = None,
        structure: str | None = None,
        budget: RetryBudget | None = None,
    ) -> list[models.OwnField]:
        """Own ("eigen") field values, one per employee and field; ``waarde`` keeps its
        JSON type."""
        return await self._per_person(models.OwnField, "ownfields", institute, school_year,
                                      person_id, structure, budget)

    async def _per_person(
        self, cls: type[T], resource: str, institute: str, school_year: str,
        person_id: uuid.UUID | str | None, structure: str | None, budget: RetryBudget | None,
    ) -> list[T]:
        institute = check_institute(institute)
        params = _year_params(school_year, structure)
        if person_id is None:
            return await self._list(cls, f"/employees/{resource}", institute=institute,
                                    endpoint=f"GET employees/{resource}", params=params,
                                    budget=budget)
        pid = coerce_uuid(person_id, name="person_id")
        return await self._list(cls, f"/employees/{pid}/{resource}", institute=institute,
                                endpoint=f"GET employees/{{personId}}/{resource}",
                                params=params, person=pid, budget=budget)

    async def photos(
        self, institute: str, school_year: str, *, budget: RetryBudget | None = None
    ) -> list[models.EmployeePhoto]:
        """The photos of the school year's employees (``photo`` decoded to bytes; empty when
        the service sends a blank one). ``structure`` is not sent: integrations found it
        harmful on this call."""
        institute = check_institute(institute)
        return await self._list(models.EmployeePhoto, "/employees/photos", institute=institute,
                                endpoint="GET employees/photos",
                                params=_year_params(school_year, None), budget=budget)

    async def photo(
        self, institute: str, person_id: uuid.UUID | str, *, budget: RetryBudget | None = None
    ) -> models.EmployeePhoto:
        """One employee's photo."""
        institute = check_institute(institute)
        pid = coerce_uuid(person_id, name="person_id")
        endpoint = "GET employees/{personId}/photos"
        data = await self._get(f"/employees/{pid}/photos", institute=institute,
                               endpoint=endpoint, params=None, shape="object", budget=budget,
                               max_bytes=self._host.max_photo_size)
        photo = structure_one(data, models.EmployeePhoto, institute, endpoint)
        check_person(photo.person_id, pid, path="$", key="personId", institute=institute,
                     endpoint=endpoint)
        return photo

    async def documents(
        self,
        institute: str,
        school_year: str,
        *,
        rl_types: Iterable[str] = ("RL1", "RL2"),
        reference_date: dt.date | str | None = None,
    ) -> list[models.PersonnelDocument]:
        """RL documents of the school year of the given types (``RL1``, ``RL2``, ``RL4``).

        ``reference_date`` returns only documents whose Edison status changed on or after
        that day (rows never sent to Edison are then left out); the same documents come
        back on the next run with the same date, so de-duplicate on ``document_id``.
        """
        institute = check_institute(institute)
        query: list[tuple[str, str]] = [("schoolYear", check_school_year(school_year))]
        query += [("rlType", rl) for rl in _rl_types(rl_types)]
        if reference_date is not None:
            when = coerce_date(reference_date, name="reference_date")
            day = when.date() if isinstance(when, dt.datetime) else when
            query.append(("referencedate", day.isoformat()))
        # rlType repeats, so the query travels in the path
        return await self._list(
            models.PersonnelDocument, "/employees/documents?" + urlencode(query),
            institute=institute, endpoint="GET employees/documents", params=None,
        )

    async def document_pdf(
        self, institute: str, person_id: uuid.UUID | str, document_id: int
    ) -> bytes:
        """The PDF of an RL document, as raw bytes (an empty answer is retried)."""
        institute = check_institute(institute)
        pid = coerce_uuid(person_id, name="person_id")
        doc = _document_id(document_id)
        endpoint = "GET employees/{personId}/documents/{documentId}/pdf"
        host = self._host
        transport = host._ready_transport() or await host._get_transport()

        def decode(status: int, body: bytes) -> bytes:
            if not body:
                raise IncompleteResponseError(f"{endpoint} answered 2xx with an empty body",
                                              institute=institute, endpoint=endpoint)
            return body

        return await transport.request(
            "GET", f"{host._base_url(PERSONNEL)}/employees/{pid}/documents/{doc}/pdf",
            family=PERSONNEL, institute=institute, endpoint=endpoint, decode=decode,
            max_bytes=host.max_response_size,
        )

    # --- writes ----------------------------------------------------------------------

    async def save_interruption(
        self,
        institute: str,
        person_id: uuid.UUID | str,
        interruption_id: uuid.UUID | str,
        interruption: models.InterruptionWrite,
    ) -> None:
        """Add or update the interruption ``interruption_id`` (chosen by the caller, so a
        retry after a lost answer updates instead of adding twice)."""
        institute = check_institute(institute)
        pid = coerce_uuid(person_id, name="person_id")
        iid = coerce_uuid(interruption_id, name="interruption_id")
        body = interruption_body(interruption, institute)
        await self._call(
            "PUT", f"/employees/{pid}/interruptions/{iid}", institute=institute,
            endpoint="PUT employees/{personId}/interruptions/{interruptionId}", root=None,
            json_body=body, read=False,
        )

    async def delete_interruption(
        self, institute: str, interruption_id: uuid.UUID | str
    ) -> None:
        """Delete an interruption added through the API (others: ``MethodNotAllowedError``
        with MNA008 to MNA011) and the attachments linked only to it."""
        institute = check_institute(institute)
        iid = coerce_uuid(interruption_id, name="interruption_id")
        await self._call(
            "DELETE", f"/employees/interruptions/{iid}", institute=institute,
            endpoint="DELETE employees/interruptions/{interruptionId}", root=None, read=False,
        )

    async def save_interruption_attachment(
        self,
        institute: str,
        interruption_id: uuid.UUID | str,
        attachment_id: uuid.UUID | str,
        filename: str,
        content: bytes,
    ) -> None:
        """Add or update the attachment ``attachment_id`` of an interruption. The file name
        (at most 100 characters) and size (at most 10 MB before encoding) are checked
        first; which extensions are allowed is left to the server (``BR016C``)."""
        institute = check_institute(institute)
        iid = coerce_uuid(interruption_id, name="interruption_id")
        aid = coerce_uuid(attachment_id, name="attachment_id")
        problems = attachment_problems(filename, content)
        if problems:
            raise WriteValidationError("attachment", problems)
        encoded = json.dumps({"filename": filename,
                              "file": base64.b64encode(bytes(content)).decode("ascii")})
        # up to ~14 MB of JSON: streamed from a buffer (aiohttp warns on large raw bytes),
        # which each attempt rewinds, so a retry resends it whole
        body = aiohttp.BytesIOPayload(io.BytesIO(encoded.encode("ascii")),
                                      content_type="application/json")
        await self._call(
            "PUT", f"/employees/interruptions/{iid}/attachments/{aid}", institute=institute,
            endpoint="PUT employees/interruptions/{interruptionId}/attachments/{attachmentId}",
            root=None, data=body, read=False,
        )

    async def delete_interruption_attachment(
        self, institute: str, interruption_id: uuid.UUID | str, attachment_id: uuid.UUID | str
    ) -> None:
        """Unlink an attachment from an interruption (deleted when no other uses it)."""
        institute = check_institute(institute)
        iid = coerce_uuid(interruption_id, name="interruption_id")
        aid = coerce_uuid(attachment_id, name="attachment_id")
        await self._call(
            "DELETE", f"/employees/interruptions/{iid}/attachments/{aid}", institute=institute,
            endpoint="DELETE employees/interruptions/{interruptionId}/attachments/{attachmentId}",
            root=None, read=False,
        )

    async def submit_signed_document(
        self,
        institute: str,
        person_id: uuid.UUID | str,
        document_id: int,
        *,
        status: models.SigningStatus | str,
        at: dt.datetime,
        pdf: bytes | None = None,
    ) -> None:
        """Report the outcome of signing an RL document (multipart ``status``, ``tijdstip``
        and, required for ``Ondertekend``, the signed PDF as ``bestand``). ``at`` must be
        timezone-aware; it is sent in UTC."""
        institute = check_institute(institute)
        pid = coerce_uuid(person_id, name="person_id")
        doc = _document_id(document_id)
        problems, state, when = signed_document_problems(status, at, pdf)
        if problems or state is None or when is None:
            raise WriteValidationError("signed document", problems)
        # bytes and str parts are written anew by each attempt, so a retry resends it all
        body = _multipart((("status", state.value), ("tijdstip", when)),
                          None if pdf is None else bytes(pdf))
        await self._call(
            "POST", f"/employees/{pid}/documents/{doc}/signeddocument", institute=institute,
            endpoint="POST employees/{personId}/documents/{documentId}/signeddocument",
            root=None, data=body, read=False,
        )


# --- helpers ----------------------------------------------------------------------------


def _multipart(
    fields: Iterable[tuple[str, str]], pdf: bytes | None
) -> aiohttp.MultipartWriter:
    writer = aiohttp.MultipartWriter("form-data")
    for name, value in fields:
        part = writer.append(value, {"Content-Type": "text/plain; charset=utf-8"})
        part.set_content_disposition("form-data", name=name)
    if pdf is not None:
        part = writer.append(pdf, {"Content-Type": "application/pdf"})
        part.set_content_disposition("form-data", name="bestand", filename="signed.pdf")
    return writer


def _year_params(school_year: str, structure: str | None) -> dict[str, str]:
    params = {"schoolYear": check_school_year(school_year)}
    if structure is not None:
        if not isinstance(structure, str) or len(structure.strip()) != 3:
            raise InvalidInputError("structure must be a 3-character main structure like '311'")
        params["structure"] = structure.strip()
    return params


def _moment(value: object, name: str) -> str:
    """A moment as integrations send it: local time as given (``...T12:30:00.000``), or
    UTC with a ``Z`` for an aware datetime, as the pupils' ``changedSince``."""
    when = coerce_date(value, name=name)
    if isinstance(when, dt.datetime):
        zone = ""
        if when.tzinfo is not None:
            when, zone = when.astimezone(dt.UTC), "Z"
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}{zone}"
    return when.isoformat()


def _rl_types(value: Iterable[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    chosen: list[str] = []
    for item in items:
        text = item.strip().upper() if isinstance(item, str) else None
        if text not in _RL_TYPES:
            raise InvalidInputError("rl_types must name RL1, RL2 or RL4")
        if text not in chosen:
            chosen.append(text)
    if not chosen:
        raise InvalidInputError("rl_types must name at least one of RL1, RL2, RL4")
    return chosen


def _document_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError("document_id must be a non-negative integer")
    return value


def _structure_list(data: Any, cls: type[T], institute: str, endpoint: str) -> list[T]:
    items, errors = structure_many(data, cls, path="$")
    if errors:
        raise ResponseValidationError(
            f"{endpoint} for institute {institute}: {len(errors)} problem(s) decoding "
            f"{cls.__name__} records: " + "; ".join(errors[:5]),
            errors=errors, institute=institute, endpoint=endpoint, partial=items,
        )
    return items


def structure_one(data: Any, cls: type[T], institute: str, endpoint: str) -> T:
    """One record of a personnel answer (a :class:`ResponseValidationError` if it does not
    decode)."""
    return structure(data, cls, path="$", institute=institute, endpoint=endpoint)
