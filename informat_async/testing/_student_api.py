"""The Student API (Public) in the fake server: ``/api/v1`` on the same port.

``server.student_api_url`` is its base URL; ``server.student_api`` (a
:class:`StudentApiService`) holds what it adds to the ground truth and its controls:

- ``POST /enrollments/create`` adds a registration to ``server.data`` (so it appears in
  ``GET /1/registrations``), copying the department year of an existing registration with the
  same ``nrAdmgrp``; ``classCode`` must name exactly one class of that year.
- ``PUT /enrollments/{id}/link-class`` adds (or replaces) an entry of ``inschrKlassen``.
- ``PUT /students/{id}/absences`` keeps absences in :attr:`StudentApiService.absences`.

It checks the token (the Leerlingen read scope of the ``instituteNo`` header), applies the
400 rules (all at once) and the 409 rules (DNF002, DNF003, DNF004, DNF005, MNA006, DNF006,
DNF007, BR046D, DNF008, DNF009, DNF010, DNF011, MNA007), answers bare JSON strings, 204 for
"no change", the empty GUID for an updated absence, and RFC 7807 ProblemDetails errors.

School days are Monday to Friday, except Wednesday afternoons and :attr:`holidays`. A student
has an active enrollment at a location when a realized registration (status 0) of theirs
covers the date at that location (``vestCode``) with a main class (``groepType`` 0) covering
it. The Discimus location ids of an institute are :meth:`StudentApiService.location_ids`.

Faults: the server's :class:`~informat_async.testing.Faults` apply (endpoint kinds
``enrollment_create``, ``link_class``, ``save_absence``), and :meth:`StudentApiService.inject`
queues exact faults for the next requests, including ``"lost"``: the server commits, then
drops the connection without answering.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from aiohttp import web

from ._core import LoggedRequest, ServerCore
from ._data_store import InstituteData
from ._student_api_rules import (
    Violation,
    absence_errors,
    enrollment_errors,
    in_school_year,
    link_class_errors,
    parse_date,
    parse_timestamp,
    school_year_start,
)
from ._util import format_date, get_ci, normalize_guid, utcnow, wire_date

__all__ = ["STUDENT_API_PATH", "InjectedFault", "StoredAbsence", "StudentApiService"]

STUDENT_API_PATH = "/api/v1"
EMPTY_GUID = "00000000-0000-0000-0000-000000000000"
SCOPE = "api_informat_sas_leerlingen.leerlingen.{institute}"
#: Absence codes the fake allows through the API (the real list is server-side).
ABSENCE_CODES = frozenset({"B", "Z", "R", "P", "L", "D", "M", "C", "G", "V", "X", "S"})

InjectedFault = Literal["reset", "lost", "429", "500", "502", "503", "503-bare", "504"]
"""``reset``: the connection is dropped before the request is processed; ``lost``: the request
is processed (committed), then the connection is dropped without an answer; ``429`` and
``503``: with ``Retry-After: 1``; ``503-bare``: without it; ``500``, ``502``, ``504``: before
processing."""
_FAULTS = frozenset(InjectedFault.__args__)  # type: ignore[attr-defined]


@dataclasses.dataclass
class StoredAbsence:
    """One absence the fake keeps, by ``(institute, student id, date, part of day)``."""

    absence_id: str
    school_year: str
    absence_code: str
    location_id_discimus: int
    timestamp: dt.datetime
    """Naive Belgian local time, as sent."""
    via_api: bool
    """Whether it was first registered through the Student API (else by the school)."""


class _Problem(Exception):
    def __init__(self, status: int, errors: Iterable[Violation], title: str) -> None:
        super().__init__(status)
        self.status, self.errors, self.title = status, list(errors), title


def _conflict(name: str, code: str, reason: str) -> _Problem:
    return _Problem(409, [(name, code, reason)], "Conflict")


class StudentApiService:
    """The Student API of a :class:`~informat_async.testing.FakeInformat` (see the module)."""

    prefix = STUDENT_API_PATH + "/"

    def __init__(self, server: ServerCore) -> None:
        self._server = server
        self.absences: dict[tuple[str, str, dt.date, str], StoredAbsence] = {}
        """Absences by ``(institute, canonical student id, date, "VM"/"NM")``."""
        self.absence_codes: set[str] = set(ABSENCE_CODES)
        """Codes allowed through the API (DNF010 for others)."""
        self.holidays: set[dt.date] = set()
        """Days without instruction (DNF009)."""
        self.stats: collections.Counter[str] = collections.Counter()
        """Requests per endpoint kind, ``"<status>"`` per answer status (a lost answer
        counted too) and ``"fault:<kind>"`` per injected fault."""
        self._injected: collections.deque[str] = collections.deque()

    # --- controls --------------------------------------------------------------------------

    def inject(self, *faults: InjectedFault) -> None:
        """Queue faults for the next Student API requests, one per request, in order."""
        unknown = set(faults) - _FAULTS
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {sorted(_FAULTS)}")
        self._injected.extend(faults)

    def location_ids(self, institute: str) -> dict[int, str]:
        """Discimus location id -> ``vestCode`` of an institute's locations."""
        data = self._server.data.institutes.get(institute)
        numbers = sorted(data.location_ids or ()) if data is not None else []
        return {int(number): f"vest{int(number)}" for number in numbers}

    def add_absence(
        self,
        institute: str,
        student_id: str,
        day: dt.date,
        part_of_day: str,
        absence_code: str,
        timestamp: dt.datetime,
        *,
        location_id_discimus: int = 1,
        via_api: bool = False,
    ) -> StoredAbsence:
        """Store an absence as the school's own registration (``via_api=False``) would."""
        key = (institute, normalize_guid(student_id) or student_id, day, part_of_day)
        stored = StoredAbsence(str(uuid.uuid4()), self._server.school_year, absence_code,
                               location_id_discimus, timestamp, via_api)
        self.absences[key] = stored
        return stored

    def absences_of(self, institute: str, student_id: str) -> dict[tuple[dt.date, str], str]:
        """``(date, part of day) -> absence code`` of one student."""
        wanted = normalize_guid(student_id)
        return {(d, p): a.absence_code for (i, s, d, p), a in self.absences.items()
                if i == institute and s == wanted}

    # --- HTTP ------------------------------------------------------------------------------

    def scopes(self, institute: str) -> list[str]:
        """None of its own: the Student API takes the Leerlingen read scope."""
        return []

    async def handle(self, request: web.Request, entry: LoggedRequest) -> web.StreamResponse | None:
        """Answer one request under ``/api/v1``; ``None`` when the connection was dropped."""
        parts = request.path[len(STUDENT_API_PATH):].strip("/").split("/")
        kind, ident = _route(parts)
        entry.endpoint = kind
        if kind is None:
            return self._answer(404, _problem_body(404, "Not Found", []))
        self.stats[kind] += 1
        if request.method != ("POST" if kind == "enrollment_create" else "PUT"):
            return self._answer(405, _problem_body(405, "Method Not Allowed", []))
        if self._injected:
            fault = self._injected.popleft()
            self.stats[f"fault:{fault}"] += 1
            if fault != "lost":
                return self._fault(request, fault)
            await self._process(request, kind, ident)
            if request.transport is not None:
                request.transport.abort()
            return None

        async def process(request: web.Request) -> web.StreamResponse:
            return await self._process(request, kind or "", ident)

        return await self._server._with_faults(request, kind, process)

    def _fault(self, request: web.Request, fault: str) -> web.StreamResponse | None:
        if fault == "reset":
            if request.transport is not None:
                request.transport.abort()
            return None
        status = int(fault[:3])
        headers = {"Retry-After": "1"} if fault in ("429", "503") else None
        if status in (502, 503, 504):
            return web.Response(status=status, text=f"<html><body>{status}</body></html>",
                                content_type="text/html", headers=headers)
        title = "Too Many Requests" if status == 429 else "Error"
        return self._answer(status, {"title": title, "status": status,
                                     "detail": "Unknown error occurred."}, headers)

    def _answer(
        self, status: int, body: Any = None, headers: Mapping[str, str] | None = None
    ) -> web.Response:
        self.stats[str(status)] += 1
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.Response(status=status, body=json.dumps(body).encode(), headers=headers,
                            content_type="application/problem+json" if status >= 400
                            else "application/json")

    async def _process(self, request: web.Request, kind: str, ident: str) -> web.Response:
        token = self._server._authenticate(request)
        if token is None:
            return self._answer(401, {"title": "Unauthorized", "status": 401,
                                      "detail": "Authentication is required or has failed."},
                                {"WWW-Authenticate": "Bearer"})
        institutes = request.headers.getall("instituteNo", [])
        institute = institutes[0].strip() if len(institutes) == 1 else ""
        if not (len(institute) == 6 and institute.isdigit()):
            return self._answer(400, _problem_body(400, "One or more validation errors occurred.",
                                                   [("instituteNo", None,
                                                     "instituteNo header is required.")]))
        if SCOPE.format(institute=institute) not in token.scopes:
            return self._answer(403, {"title": "Forbidden", "status": 403, "detail":
                                      "You do not have permission to perform this action."})
        try:
            raw = await request.read()
            body = json.loads(raw.decode("utf-8-sig")) if raw.strip() else None
        except (UnicodeDecodeError, ValueError):
            body = None
        try:
            if not isinstance(body, dict):
                raise _Problem(400, [("$", None, "A non-empty request body is required.")],
                               "One or more validation errors occurred.")
            if kind == "enrollment_create":
                return self._answer(200, self._create(institute, body))
            if kind == "link_class":
                created = self._link(institute, ident, body)
            else:
                created = self._absence(institute, ident, body)
        except _Problem as problem:
            return self._answer(problem.status,
                                _problem_body(problem.status, problem.title, problem.errors))
        return self._answer(204) if created is None else self._answer(200, created)

    # --- the three operations --------------------------------------------------------------

    def _data(self, institute: str, school_year: Any) -> InstituteData | None:
        data = self._server.data.institutes.get(institute)
        if data is None or school_year != data.school_year:
            return None
        return data

    def _create(self, institute: str, body: Mapping[str, Any]) -> str:
        errors = enrollment_errors(body)
        if errors:
            raise _Problem(400, errors, "One or more validation errors occurred.")
        school_year = get_ci(body, "schoolYear")
        data = self._data(institute, school_year)
        if data is None:
            raise _conflict("instituteNo", "DNF004", f"No school found for institute "
                            f"'{institute}' and school year '{school_year}'.")
        person = normalize_guid(get_ci(body, "personId")) or ""
        student = data.students.get(person)
        if student is None:
            raise _conflict("personId", "DNF002", f"No student found with id '{person}'.")
        start = school_year_start(school_year) or 0
        born = wire_date(get_ci(student, "geboortedatum"))
        if born is None or not 11 <= _age(born, dt.date(start, 12, 31)) <= 25:
            raise _conflict("personId", "DNF003", "The student's age must be between 11 and "
                            "25 years on 31 December of the school year.")
        admgrp = get_ci(body, "admgrpNo")
        location = get_ci(body, "locationIdDiscimus")
        vest = self.location_ids(institute).get(location) if location is not None else None
        templates = [r for r in data.registrations.values()
                     if get_ci(r, "nrAdmgrp") == admgrp and get_ci(r, "hfdstructuur") == "311"
                     and (location is None or get_ci(r, "vestCode") == vest)]
        if not templates:
            raise _conflict("admgrpNo", "DNF005",
                            f"No department year found for admin group '{admgrp}'.")
        mine = [r for r in data.registrations.values()
                if normalize_guid(str(get_ci(r, "persoonId", ""))) == person]
        if any(get_ci(r, "nrAdmgrp") == admgrp for r in mine):
            raise _conflict("admgrpNo", "MNA006", "The student is already enrolled in admin "
                            f"group '{admgrp}' for school year '{school_year}'.")
        template = templates[0]
        day = parse_date(get_ci(body, "startDate"))
        assert day is not None
        classes = []
        code = get_ci(body, "classCode")
        if code is not None:
            group = self._class(data, get_ci(template, "leerjaar"), code)
            classes.append(self._class_registration(data, group, day))
        religion = get_ci(body, "religionCode")
        if religion is not None:
            conviction = f"{religion:04d}"
        elif get_ci(body, "isReturningStudent") is not False and mine:
            conviction = get_ci(mine[-1], "levensbeschouwingCode")
        else:
            conviction = "0140"
        new_id = str(uuid.uuid4())
        copied = ("instelnr", "hfdstructuur", "school", "vestCode", "vestiging", "afdCode",
                  "afdelingsjaar", "graad", "leerjaar", "taalkeuze", "finCode")
        registration = {name: get_ci(template, name) for name in copied}
        if vest is not None:
            registration["vestCode"] = vest
        registration.update({
            "inschrijvingsId": new_id,
            "pInschr": 1 + max((get_ci(r, "pInschr") or 0 for r in data.registrations.values()),
                               default=0),
            "pPersoon": get_ci(student, "pPersoon"),
            "persoonId": get_ci(student, "persoonId"),
            "stamnr": None, "begindatum": format_date(day), "einddatum": None,
            "nrAdmgrp": admgrp, "status": 0, "levensbeschouwingCode": conviction,
            "isOkan": False, "preRegistrationId": None, "inschrKlassen": classes,
        })
        data.registrations[new_id] = registration
        data.registration_changed[new_id] = utcnow()
        return new_id

    def _class(self, data: InstituteData, grade: Any, code: Any) -> dict[str, Any]:
        """The one class of ``grade`` with class code ``code`` (DNF006 otherwise)."""
        found: dict[str, dict[str, Any]] = {}
        for registration in data.registrations.values():
            if get_ci(registration, "leerjaar") != grade:
                continue
            for group in get_ci(registration, "inschrKlassen") or ():
                if isinstance(code, str) and get_ci(group, "klasCode") == code:
                    found[str(get_ci(group, "klasId"))] = group
        if len(found) != 1:
            raise _conflict("classCode", "DNF006", f"No unique class found for code '{code}'.")
        return next(iter(found.values()))

    @staticmethod
    def _class_registration(
        data: InstituteData, group: Mapping[str, Any], day: dt.date
    ) -> dict[str, Any]:
        return {
            "inschrKlasId": str(uuid.uuid4()),
            "pInschrKlas": 1 + max((get_ci(k, "pInschrKlas") or 0
                                    for r in data.registrations.values()
                                    for k in get_ci(r, "inschrKlassen") or ()), default=0),
            **{name: get_ci(group, name)
               for name in ("klasId", "pKlas", "klasCode", "klas", "groepType")},
            "klasnummer": 0, "begindatum": format_date(day), "einddatum": None,
            "klassenleraars": [dict(t) for t in get_ci(group, "klassenleraars") or ()],
        }

    def _link(self, institute: str, ident: str, body: Mapping[str, Any]) -> str | None:
        errors = link_class_errors(ident, body)
        if errors:
            raise _Problem(400, errors, "One or more validation errors occurred.")
        data = self._server.data.institutes.get(institute)
        key = normalize_guid(ident) or ""
        registration = data.registrations.get(key) if data is not None else None
        if data is None or registration is None:
            raise _conflict("enrollmentId", "DNF007", f"No enrollment found with id '{ident}' "
                            f"for institute '{institute}'")
        day = parse_date(get_ci(body, "startDate"))
        assert day is not None
        begin = wire_date(get_ci(registration, "begindatum"))
        end = wire_date(get_ci(registration, "einddatum"))
        start = school_year_start(data.school_year) or 0
        if (begin is not None and day < begin) or (end is not None and day > end) or (
                not in_school_year(day, start)):
            raise _conflict("startDate", "BR046D", "Start date must be within the enrollment's "
                            "year boundaries.")
        group = self._class(data, get_ci(registration, "leerjaar"), get_ci(body, "classCode"))
        kind = get_ci(group, "groepType")
        linked = [k for k in get_ci(registration, "inschrKlassen") or ()
                  if get_ci(k, "groepType") == kind]
        latest = max(linked, key=lambda k: wire_date(get_ci(k, "begindatum")) or dt.date.min,
                     default=None)
        if latest is not None:
            latest_begin = wire_date(get_ci(latest, "begindatum")) or dt.date.min
            if day < latest_begin or get_ci(latest, "klasCode") == get_ci(group, "klasCode"):
                return None
            if day == latest_begin:
                latest.update({name: get_ci(group, name)
                               for name in ("klasId", "pKlas", "klasCode", "klas")})
                data.registration_changed[key] = utcnow()
                return str(get_ci(latest, "inschrKlasId"))
            if get_ci(latest, "einddatum") is None:
                latest["einddatum"] = format_date(day - dt.timedelta(days=1))
        added = self._class_registration(data, group, day)
        registration.setdefault("inschrKlassen", []).append(added)
        data.registration_changed[key] = utcnow()
        return str(added["inschrKlasId"])

    def _absence(self, institute: str, ident: str, body: Mapping[str, Any]) -> str | None:
        errors = absence_errors(body, dt.datetime.now(dt.UTC))
        student = normalize_guid(ident)
        if student is None:
            errors.insert(0, ("studentId", None, "The value could not be converted to a Guid."))
        if errors:
            raise _Problem(400, errors, "One or more validation errors occurred.")
        assert student is not None
        institute_data = self._server.data.institutes.get(institute)
        if institute_data is None or student not in institute_data.students:
            raise _conflict("personId", "DNF002", f"No student found with id '{ident}'.")
        location = get_ci(body, "locationIdDiscimus")
        data = self._data(institute, get_ci(body, "schoolYear"))
        vest = self.location_ids(institute).get(location)
        if data is None or vest is None:
            raise _conflict("locationIdDiscimus", "DNF008", f"No location found for Discimus "
                            f"location id '{location}'.")
        day = parse_date(get_ci(body, "date"))
        part = get_ci(body, "partOfDay")
        assert day is not None
        if day.weekday() >= 5 or day in self.holidays or (day.weekday() == 2 and part == "NM"):
            raise _conflict("date", "DNF009", "No Instruction or Evaluation day found for date "
                            f"'{day}' and part of day '{part}'.")
        if not _enrolled(data, student, vest, day):
            raise _conflict("studentId", "DNF011", "No active enrollment in an official class "
                            "found for the student at this location.")
        code = get_ci(body, "absenceCode")
        if code not in self.absence_codes:
            raise _conflict("absenceCode", "DNF010", f"No allowed absence code '{code}' found "
                            "for this date.")
        stamp = parse_timestamp(get_ci(body, "timestamp"))
        assert stamp is not None
        key = (institute, student, day, part)
        existing = self.absences.get(key)
        if existing is None:
            stored = StoredAbsence(str(uuid.uuid4()), data.school_year, code, location, stamp,
                                   via_api=True)
            self.absences[key] = stored
            return stored.absence_id
        if not existing.via_api and existing.timestamp > stamp:
            raise _conflict("timestamp", "MNA007", "A more recent registration already exists "
                            "for this absence.")
        if existing.absence_code == code:
            return None
        existing.absence_code, existing.timestamp = code, stamp
        existing.location_id_discimus = location
        return EMPTY_GUID


def _route(parts: list[str]) -> tuple[str | None, str]:
    lowered = [p.lower() for p in parts]
    if lowered == ["enrollments", "create"]:
        return "enrollment_create", ""
    if len(parts) == 3 and lowered[0] == "enrollments" and lowered[2] == "link-class":
        return "link_class", parts[1]
    if len(parts) == 3 and lowered[0] == "students" and lowered[2] == "absences":
        return "save_absence", parts[1]
    return None, ""


def _problem_body(status: int, title: str, errors: list[Violation]) -> dict[str, Any]:
    body: dict[str, Any] = {"title": title, "status": status}
    if status == 400:
        body["type"] = "https://tools.ietf.org/html/rfc7231#section-6.5.1"
    if errors:
        body["detail"] = errors[0][2]
    body["traceId"] = f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-00"
    body["validationErrors"] = [{"name": n, "reason": r, "code": c} for n, c, r in errors]
    return body


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _covers(item: Mapping[str, Any], day: dt.date) -> bool:
    begin, end = wire_date(get_ci(item, "begindatum")), wire_date(get_ci(item, "einddatum"))
    return (begin is None or begin <= day) and (end is None or day <= end)


def _enrolled(data: InstituteData, student: str, vest: str, day: dt.date) -> bool:
    """A realized registration at ``vest`` covering ``day``, with a main class covering it."""
    for registration in data.registrations.values():
        if (normalize_guid(str(get_ci(registration, "persoonId", ""))) == student
                and get_ci(registration, "status") == 0
                and get_ci(registration, "vestCode") == vest and _covers(registration, day)
                and any(get_ci(k, "groepType") == 0 and _covers(k, day)
                        for k in get_ci(registration, "inschrKlassen") or ())):
            return True
    return False
