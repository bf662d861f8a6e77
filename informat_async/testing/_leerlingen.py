"""The Leerlingen API of the fake server: ``/1/students``, registrations, photos, school
history and pre-registrations, with Informat's header, scope and parameter checks and its
error bodies."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from ._core import LoggedRequest, ServerCore
from ._data_store import InstituteData, PreRegistration
from ._prereg_rules import check_preregistration
from ._util import (
    get_ci,
    normalize_guid,
    parse_datetime,
    parse_school_year,
    parse_timestamp_header,
)

__all__ = ["PREREG_STATUSES", "SCOPE_PREFIX", "LeerlingenService"]

SCOPE_PREFIX = "api_informat_sas_leerlingen"
_INSTITUTE_RE = re.compile(r"^[0-9]{6}$")
_READ = ("GET", "POST")
_VALIDATION_MESSAGE = "One or more validation errors occurred. See errors for more details."
PREREG_STATUSES = ("open", "accepted", "refused")

_MNA_MESSAGES = {
    "MNA001": "This Pre-Registration is already accepted, and can no longer be changed",
    "MNA002": "This Pre-Registration has been refused, and can no longer be changed",
    "MNA003": "This Pre-Registration is already accepted, and can no longer be deleted",
    "MNA004": "This Pre-Registration has been refused, and can no longer be deleted",
    "MNA005": "Changing this Pre-Registration to an update of personal details isn't allowed",
}

@dataclasses.dataclass
class _Route:
    kind: str
    methods: tuple[str, ...]
    family: str  # "leerlingen" or "voorinschrijvingen"
    ident: str | None = None


def _resolve(path: str) -> _Route | None:
    """Map an API path (without ``/1``) to its endpoint, matching case-insensitively."""
    parts = path.strip("/").split("/")
    if parts == [""]:
        return None
    head = parts[0].lower()
    count = len(parts)
    if head == "students":
        if count == 1:
            return _Route("students", _READ, "leerlingen")
        if count == 2:
            return _Route("student", _READ, "leerlingen", parts[1])
        if count == 3 and parts[2].lower() == "photo":
            return _Route("photo", _READ, "leerlingen", parts[1])
    elif head == "registrations" and count == 1:
        return _Route("registrations", _READ, "leerlingen")
    elif head == "schoolhistory":
        if count == 1:
            return _Route("school_history", _READ, "leerlingen")
        if count == 2:
            return _Route("student_school_history", _READ, "leerlingen", parts[1])
    elif head == "preregistrations":
        if count == 2 and parts[1].lower() == "save":
            return _Route("preregistration_save", ("POST",), "voorinschrijvingen")
        if count == 2:
            return _Route("preregistration_delete", ("DELETE",), "voorinschrijvingen", parts[1])
        if count == 3 and parts[2].lower() == "status":
            return _Route("preregistration_status", _READ, "voorinschrijvingen", parts[1])
    return None


_Endpoint = Callable[
    [web.Request, InstituteData, _Route, Mapping[str, str]], Awaitable[tuple[int, Any]]
]


class _ApiError(Exception):
    """An Informat error answer, raised inside endpoint handlers."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _error_list(status: int, message: str, *errors: tuple[str, str]) -> _ApiError:
    return _ApiError(
        status,
        {
            "errors": [{"code": code, "message": text} for code, text in errors],
            "status": status,
            "message": message,
        },
    )


def _invalid_school_year(value: str | None) -> _ApiError:
    # The spec shows ``errors`` as a single object for this one.
    return _ApiError(
        400,
        {
            "errors": {"code": "BR001", "message": f"Invalid school year '{value or ''}'"},
            "status": 400,
            "message": "Invalid school year",
        },
    )


def _invalid_value(name: str) -> _ApiError:
    return _error_list(
        400,
        _VALIDATION_MESSAGE,
        ("BR000", f"The JSON value for {name} could not be converted to applicable type"),
    )


def _not_found() -> _ApiError:
    return _ApiError(404, {"errors": [], "status": 404, "message": "Data not found exception"})


def _dnf(ident: str) -> _ApiError:
    return _error_list(
        404,
        "Data not found exception",
        ("DNF001", f"No registration found for Pre-Registration Id {ident}"),
    )


def _mna(code: str) -> _ApiError:
    return _error_list(405, "Not allowed exception", (code, _MNA_MESSAGES[code]))


class LeerlingenService:
    """The Leerlingen API under ``/1/`` (see the module docstring)."""

    prefix = "/1/"

    def __init__(self, server: ServerCore) -> None:
        self._server = server
        self._endpoints: dict[str, _Endpoint] = {
            "students": self._ep_students,
            "student": self._ep_student,
            "photo": self._ep_photo,
            "registrations": self._ep_registrations,
            "school_history": self._ep_school_history,
            "student_school_history": self._ep_student_school_history,
            "preregistration_save": self._ep_preregistration_save,
            "preregistration_delete": self._ep_preregistration_delete,
            "preregistration_status": self._ep_preregistration_status,
        }

    def scopes(self, institute: str) -> list[str]:
        """Both scope names of an institute (leerlingen and voorinschrijvingen)."""
        return [
            f"{SCOPE_PREFIX}.leerlingen.{institute}",
            f"{SCOPE_PREFIX}.voorinschrijvingen.{institute}",
        ]

    async def handle(
        self, request: web.Request, entry: LoggedRequest
    ) -> web.StreamResponse | None:
        server = self._server
        server.stats.requests += 1
        route = _resolve(request.path[3:])
        if route is not None:
            entry.endpoint = route.kind
            server.stats.endpoints[route.kind] += 1
        response: web.StreamResponse | None
        if server._bucket is not None and not server._bucket.take():
            server.stats.rate_limited += 1
            response = server._json(
                429,
                {"status": 429, "message": "Too many requests"},
                {"Retry-After": "1"},
                randomize=False,
            )
        else:
            kind = route.kind if route is not None else None

            async def api(request: web.Request) -> web.StreamResponse:
                return await self._api(request, route)

            response = await server._with_faults(request, kind, api)
        if response is not None:
            server.stats.statuses[response.status] += 1
        return response

    async def _api(self, request: web.Request, route: _Route | None) -> web.StreamResponse:
        token = self._server._authenticate(request)
        if token is None:
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        institutes = request.headers.getall("InstituteNo", [])
        if not institutes:
            return self._server._header_error("The InstituteNo header is required")
        if len(institutes) > 1 or "," in institutes[0]:
            return self._server._header_error(
                "The InstituteNo header must hold exactly one institute"
            )
        institute = institutes[0].strip()
        if not _INSTITUTE_RE.match(institute):
            return self._server._header_error(f"Invalid InstituteNo '{institute}'")
        timestamps = request.headers.getall("Timestamp", [])
        if not timestamps:
            return self._server._header_error("The Timestamp header is required")
        if len(timestamps) > 1 or parse_timestamp_header(timestamps[0]) is None:
            return self._server._header_error(f"Invalid Timestamp '{', '.join(timestamps)}'")
        if route is None:
            return self._server._json(404, {"status": 404, "message": "Not found"})
        if f"{SCOPE_PREFIX}.{route.family}.{institute}" not in token.scopes:
            return web.Response(status=403)
        if request.method not in route.methods:
            return self._server._json(405, {}, {"Allow": ", ".join(route.methods)})
        query: dict[str, str] = {}
        for name, value in request.query.items():
            query.setdefault(name.lower(), value)
        data = self._server.data.institutes.get(institute) or InstituteData(
            number=institute, school_year=self._server.school_year
        )
        handler = self._endpoints[route.kind]
        try:
            status, body = await handler(request, data, route, query)
        except _ApiError as error:
            status, body = error.status, error.body
        return self._server._json(status, body)

    # -- parameter helpers

    @staticmethod
    def _school_year(query: Mapping[str, str]) -> str:
        value = query.get("schoolyear")
        if parse_school_year(value) is None or value is None:
            raise _invalid_school_year(value)
        return value

    @staticmethod
    def _date_param(query: Mapping[str, str], name: str) -> dt.datetime | None:
        value = query.get(name.lower())
        if value is None or value == "":
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            raise _invalid_value(name)
        return parsed

    @staticmethod
    def _student_id(route: _Route) -> str:
        key = normalize_guid(route.ident or "")
        if key is None:
            raise _error_list(400, "Invalid student id", ("BR002", "Invalid student id"))
        return key

    @staticmethod
    def _certificate_source(query: Mapping[str, str]) -> int:
        value = query.get("certificatesource")
        if value is None or value == "":
            return 0
        if value.strip() not in ("0", "1"):
            raise _invalid_value("certificateSource")
        return int(value)

    @staticmethod
    def _prereg_id(route: _Route) -> str:
        key = normalize_guid(route.ident or "")
        if key is None:
            raise _error_list(400, _VALIDATION_MESSAGE, ("BR033", "Invalid Pre Registration Id"))
        return key

    # -- endpoints: each returns (status, JSON body) or raises _ApiError

    async def _ep_students(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        school_year = self._school_year(query)
        refdate = self._date_param(query, "refdate")
        changed_since = self._date_param(query, "changedSince")
        students = data.list_students(
            school_year,
            refdate.date() if refdate else None,
            changed_since,
            today=self._server.today,
        )
        return 200, {"students": students}

    async def _ep_student(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        student_id = self._student_id(route)
        school_year = self._school_year(query)
        refdate = self._date_param(query, "refdate")
        student = data.get_student(
            student_id, school_year, refdate.date() if refdate else None, today=self._server.today
        )
        if student is None:
            raise _not_found()
        return 200, {"student": student}

    async def _ep_photo(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        photo = data.photos.photo_object(self._student_id(route))
        if photo is None:
            raise _not_found()
        return 200, {"photo": photo}

    async def _ep_registrations(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        school_year = self._school_year(query)
        changed_since = self._date_param(query, "changedSince")
        return 200, {"registrations": data.list_registrations(school_year, changed_since)}

    async def _ep_school_history(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        school_year = self._school_year(query)
        source = self._certificate_source(query)
        return 200, data.list_school_history(school_year, source)

    async def _ep_student_school_history(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        student_id = self._student_id(route)
        source = self._certificate_source(query)
        return 200, data.list_school_history(None, source, student_id)

    async def _ep_preregistration_save(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        raw = await request.read()
        try:
            payload = json.loads(raw.decode("utf-8-sig")) if raw.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if not isinstance(payload, dict):
            raise _invalid_value("$")
        errors = list(
            check_preregistration(
                payload, known_location_ids=data.location_ids, stop_at_conversion_error=True
            )
        )
        codes = {code for code, _ in errors}
        sent_id = get_ci(payload, "preRegistrationId")
        key = normalize_guid(sent_id) if isinstance(sent_id, str) else None
        if key is None and "BR033" not in codes:
            errors.append(("BR033", "Invalid Pre Registration Id"))
            codes.add("BR033")
        institute = get_ci(payload, "institute")
        if (
            isinstance(institute, str)
            and institute != data.number
            and not any(code.startswith("BR035") for code in codes)
        ):
            errors.append(
                ("BR035C", f"Institute '{institute}' doesn't match the InstituteNo header")
            )
        if errors or key is None:
            raise _error_list(400, _VALIDATION_MESSAGE, *errors)
        target = self._server.data.institute(data.number)
        existing = target.preregistrations.get(key)
        if existing is not None:
            if existing.status == "accepted":
                raise _mna("MNA001")
            if existing.status == "refused":
                raise _mna("MNA002")
            old_admgrp = get_ci(existing.body, "admgrpId")
            if old_admgrp != "000000" and get_ci(payload, "admgrpId") == "000000":
                raise _mna("MNA005")
        target.preregistrations[key] = PreRegistration(body=payload, status="open")
        return 200, {
            "preRegistrationStatus": {"preRegistrationId": sent_id, "status": "open"},
            "status": 200,
            "message": None,
        }

    async def _ep_preregistration_delete(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        key = self._prereg_id(route)
        existing = data.preregistrations.get(key)
        if existing is None:
            raise _dnf(key)
        if existing.status == "accepted":
            raise _mna("MNA003")
        if existing.status == "refused":
            raise _mna("MNA004")
        del data.preregistrations[key]
        return 200, {"preRegistrationStatus": None, "status": 200, "message": None}

    async def _ep_preregistration_status(
        self, request: web.Request, data: InstituteData, route: _Route, query: Mapping[str, str]
    ) -> tuple[int, Any]:
        key = self._prereg_id(route)
        existing = data.preregistrations.get(key)
        if existing is None:
            raise _dnf(key)
        return 200, {
            "preRegistrationStatus": {"preRegistrationId": key, "status": existing.status},
            "status": 200,
            "message": None,
        }


