"""The fake personnel ("Personeel") API, on the fake server's port under ``/personeel``.

Served as integrations describe the real service (``personeelsapi.informatsoftware.be``):
paths start with ``employees`` and match case-insensitively, query names bind in any case,
answers are bare JSON arrays and objects, errors are ``{"errors": [{"Code", "Message"}]}``
(PascalCase; with ``key_case="random"`` in any case). Each request needs a bearer token
with the scope ``api_informat_sas_personeel.personeel.{institute}`` (403 otherwise) and an
``InstituteNo`` header (400 without); ``Api-Version`` may be ``1`` or ``2``; no
``Timestamp`` is needed. The writes enforce the reference's rules: field lengths and
required fields (BR codes at 400), unknown ids (BR001, BR002, BR014, BR015, BR018, BR019),
conflicts (MNA codes at 405; only interruptions created through the API may be deleted,
MNA008; overlapping interruptions are refused, MNA005/MNA006). A create answers 201, an
update or delete 204, a signed document 201.

The data (:mod:`._personnel_data`) are the staff of the legacy ``Leerkrachten`` list; the
write endpoints live in :mod:`._personnel_writes`.
Fault injection and the server's rate limit apply (endpoint kinds in
:data:`PERSONNEL_KINDS`). Counters: ``server.personnel.stats``.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

from aiohttp import web

from ._data import FakeData
from ._legacy_data import LegacyData
from ._personnel_data import PERSONNEL_KINDS, PersonnelInstitute, generate_personnel
from ._personnel_writes import ApiError, Route, WriteHandlers, bad_request, day_of
from ._util import parse_school_year

__all__ = ["PERSONNEL_KINDS", "PERSONNEL_PATH", "Host", "PersonnelService", "PersonnelStats"]

PERSONNEL_PATH = "/personeel"
SCOPE = "api_informat_sas_personeel.personeel.{institute}"


_INSTITUTE_RE = re.compile(r"^\d{6}$")


class _Bucket(Protocol):
    def take(self) -> bool: ...


class _Token(Protocol):
    @property
    def scopes(self) -> frozenset[str]: ...


class _Legacy(Protocol):
    @property
    def data(self) -> LegacyData: ...


class _Stats(Protocol):
    rate_limited: int


class _Entry(Protocol):
    endpoint: str | None
    status: int | None


class Host(Protocol):
    """What the personnel API needs of the fake server (``FakeInformat`` is one); a
    protocol, so that this module does not import the server."""

    seed: int
    school_year: str

    @property
    def data(self) -> FakeData: ...
    @property
    def legacy(self) -> _Legacy: ...
    @property
    def stats(self) -> _Stats: ...
    @property
    def _bucket(self) -> _Bucket | None: ...

    def _json(self, status: int, body: Any, headers: Mapping[str, str] | None = None,
              randomize: bool = True) -> web.Response: ...
    def _authenticate(self, request: web.Request) -> _Token | None: ...
    def _with_faults(
        self, request: web.Request, kind: str | None,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> Awaitable[web.StreamResponse | None]: ...


@dataclasses.dataclass
class PersonnelStats:
    """Counters of the fake personnel API: requests, per endpoint kind, per status."""

    requests: int = 0
    endpoints: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)


def _route(method: str, path: str) -> Route | None:
    parts = [p for p in path.strip("/").split("/") if p]
    low = [p.lower() for p in parts]
    if not low or low[0] != "employees":
        return None
    rest, rest_low, n = parts[1:], low[1:], len(parts) - 1
    lists = {"assignments": "employee_assignments", "interruptions": "employee_interruptions",
             "diplomas": "employee_diplomas", "ownfields": "employee_own_fields",
             "photos": "employee_photos", "documents": "employee_documents"}
    if n == 0:
        return Route("employees", "GET")
    if n == 1 and rest_low[0] in lists:
        return Route(lists[rest_low[0]], "GET")
    if n == 1:
        return Route("employee", "GET", (rest[0],))
    if rest_low[0] == "interruptions":
        if n == 2:
            return Route("interruption_delete", "DELETE", (rest[1],))
        if n == 4 and rest_low[2] == "attachments":
            kind = "attachment_delete" if method == "DELETE" else "attachment_save"
            return Route(kind, "DELETE" if method == "DELETE" else "PUT", (rest[1], rest[3]))
        return None
    per_person = {"interruptions": "person_interruptions", "diplomas": "person_diplomas",
                  "ownfields": "person_own_fields", "photos": "employee_photo"}
    if n == 2 and rest_low[1] in per_person:
        return Route(per_person[rest_low[1]], "GET", (rest[0],))
    if n == 3 and rest_low[1] == "interruptions":
        return Route("interruption_save", "PUT", (rest[0], rest[2]))
    if n == 4 and rest_low[1] == "documents" and rest_low[3] == "pdf":
        return Route("document_pdf", "GET", (rest[0], rest[2]))
    if n == 4 and rest_low[1] == "documents" and rest_low[3] == "signeddocument":
        return Route("signed_document", "POST", (rest[0], rest[2]))
    return None


_Handler = Callable[[web.Request, PersonnelInstitute, Route, Mapping[str, str]],
                    Awaitable[web.StreamResponse | tuple[int, Any]]]


class PersonnelService(WriteHandlers):
    """The fake personnel API of a :class:`~._server.FakeInformat` (``server.personnel``).

    Ground truth per institute: :meth:`institute` (a :class:`PersonnelInstitute`).
    """

    def __init__(self, server: Host) -> None:
        self._server = server
        self.stats = PersonnelStats()
        self._institutes: dict[str, PersonnelInstitute] = {}
        self._handlers: dict[str, _Handler] = {
            "employees": self._employees, "employee": self._employee,
            "employee_assignments": self._assignments,
            "employee_interruptions": self._interruptions,
            "person_interruptions": self._interruptions,
            "employee_diplomas": self._diplomas, "person_diplomas": self._diplomas,
            "employee_own_fields": self._own_fields, "person_own_fields": self._own_fields,
            "employee_photos": self._photos, "employee_photo": self._photo,
            "employee_documents": self._documents, "document_pdf": self._pdf,
            "interruption_save": self._save_interruption,
            "interruption_delete": self._delete_interruption,
            "attachment_save": self._save_attachment,
            "attachment_delete": self._delete_attachment,
            "signed_document": self._signed_document,
        }

    # -- ground truth

    def institute(self, number: str) -> PersonnelInstitute:
        """The personnel data of a served institute (generated on first use from the legacy
        staff, so both APIs serve the same people)."""
        found = self._institutes.get(number)
        if found is None:
            legacy = self._server.legacy.data.institute(number)
            found = self._institutes[number] = generate_personnel(
                legacy, self._server.school_year, self._server.seed)
        return found

    def _served(self) -> Iterable[str]:
        return self._server.data.institutes

    @staticmethod
    def scope_for(institute: str) -> str:
        """The personnel scope of an institute."""
        return SCOPE.format(institute=institute)

    # -- serving

    path = PERSONNEL_PATH
    """Where the API lives on the server's port."""
    prefix = PERSONNEL_PATH + "/"
    """The path prefix the server routes here (see :class:`~._core.Service`)."""

    def scopes(self, institute: str) -> list[str]:
        """The scopes the identity endpoint grants for this family."""
        return [self.scope_for(institute)]

    @staticmethod
    def owns(path: str) -> bool:
        """Whether a request path belongs to the personnel API."""
        low = path.lower()
        return low == PERSONNEL_PATH or low.startswith(PERSONNEL_PATH + "/")

    async def handle(self, request: web.Request, entry: _Entry) -> web.StreamResponse:
        """Serve one request (faults and the rate limit applied), or ``None`` for a reset."""
        server = self._server
        self.stats.requests += 1
        route = _route(request.method, request.path[len(PERSONNEL_PATH):])
        if route is not None:
            entry.endpoint = route.kind
            self.stats.endpoints[route.kind] += 1
        bucket = server._bucket
        response: web.StreamResponse | None
        if bucket is not None and not bucket.take():
            server.stats.rate_limited += 1
            response = server._json(429, {"status": 429, "message": "Too many requests"},
                                    {"Retry-After": "1"}, randomize=False)
        else:
            async def api(request: web.Request) -> web.StreamResponse:
                return await self._api(request, route)

            response = await server._with_faults(request, route.kind if route else None, api)
        if response is None:  # connection reset on purpose
            return web.Response(status=500)
        self.stats.statuses[response.status] += 1
        entry.status = response.status
        return response

    def _error(self, error: ApiError) -> web.Response:
        items = [{"Code": code, "Message": message} for code, message in error.errors]
        return self._server._json(error.status, {"errors": items})

    async def _api(self, request: web.Request, route: Route | None) -> web.StreamResponse:
        server = self._server
        token = server._authenticate(request)
        if token is None:
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        institutes = request.headers.getall("InstituteNo", [])
        if len(institutes) != 1 or not _INSTITUTE_RE.match(institutes[0].strip()):
            return self._error(ApiError(400, (None, "A single 6-digit InstituteNo header is "
                                                  "required")))
        institute = institutes[0].strip()
        version = request.headers.get("Api-Version")
        if version is not None and version.strip() not in ("1", "2"):
            return self._error(ApiError(400, (None, f"Unsupported Api-Version '{version}'")))
        if route is None:
            return server._json(404, {"errors": [{"Code": None, "Message": "Not found"}]})
        if self.scope_for(institute) not in token.scopes:
            return web.Response(status=403)
        if request.method != route.method:
            return web.Response(status=405, headers={"Allow": route.method})
        query = {name.lower(): value for name, value in list(request.query.items())[::-1]}
        data = self._data(institute)
        try:
            result = await self._handlers[route.kind](request, data, route, query)
        except ApiError as error:
            return self._error(error)
        if isinstance(result, web.StreamResponse):
            return result
        status, body = result
        if body is None:
            return web.Response(status=status)
        return server._json(status, body)

    def _data(self, institute: str) -> PersonnelInstitute:
        if institute in self._server.data.institutes:
            return self.institute(institute)
        return PersonnelInstitute(number=institute, school_year=self._server.school_year)

    # -- parameters

    @staticmethod
    def _year(data: PersonnelInstitute, query: Mapping[str, str]) -> bool:
        """Whether the request's school year is the data's (BR004A/B if it is unusable)."""
        value = query.get("schoolyear")
        if not value:
            raise bad_request("BR004A", "Schooljaar is verplicht")
        if parse_school_year(value) is None:
            raise bad_request("BR004B", f"Ongeldig formaat voor schooljaar '{value}'")
        return value == data.school_year

    @staticmethod
    def _structure_ok(data: PersonnelInstitute, query: Mapping[str, str]) -> bool:
        value = query.get("structure")
        return not value or value in data.structures

    def _listed(
        self, data: PersonnelInstitute, query: Mapping[str, str], items: list[dict[str, Any]],
        route: Route, *, by_structure: str | None = None,
    ) -> tuple[int, Any]:
        if not self._year(data, query) or not self._structure_ok(data, query):
            return 200, []
        if route.ids:
            person = self._person(data, route.ids[0])
            items = [item for item in items if item["personId"] == person]
        structure = query.get("structure")
        if by_structure and structure:
            items = [item for item in items if item.get(by_structure) == structure]
        return 200, items

    # -- reads

    async def _employees(self, request: web.Request, data: PersonnelInstitute, route: Route,
                         query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, list(data.employees.values()), route)

    async def _employee(self, request: web.Request, data: PersonnelInstitute, route: Route,
                        query: Mapping[str, str]) -> tuple[int, Any]:
        person = self._person(data, route.ids[0])
        return 200, data.employees[person]

    async def _assignments(self, request: web.Request, data: PersonnelInstitute,
                           route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, data.assignments, route, by_structure="hfd")

    async def _interruptions(self, request: web.Request, data: PersonnelInstitute,
                             route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
        first, last = dt.date(int(data.school_year[:4]), 9, 1), dt.date(
            int(data.school_year[:4]) + 1, 8, 31)
        overlapping = [i for i in data.interruptions.values()
                       if (day_of(i["einddatum"]) or last) >= first
                       and (day_of(i["begindatum"]) or first) <= last]
        return self._listed(data, query, overlapping, route, by_structure="hfd")

    async def _diplomas(self, request: web.Request, data: PersonnelInstitute, route: Route,
                        query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, data.diplomas, route)

    async def _own_fields(self, request: web.Request, data: PersonnelInstitute, route: Route,
                          query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, data.own_fields, route)

    async def _photos(self, request: web.Request, data: PersonnelInstitute, route: Route,
                      query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, list(data.photos.values()), route)

    async def _photo(self, request: web.Request, data: PersonnelInstitute, route: Route,
                     query: Mapping[str, str]) -> tuple[int, Any]:
        return 200, data.photos[self._person(data, route.ids[0])]

    async def _documents(self, request: web.Request, data: PersonnelInstitute, route: Route,
                         query: Mapping[str, str]) -> tuple[int, Any]:
        wanted = [v for k, v in request.query.items() if k.lower() == "rltype"] or ["RL1", "RL2"]
        for value in wanted:
            if value not in ("RL1", "RL2", "RL4"):
                raise bad_request("BR_DOC_007", f"Niet ondersteund rlType '{value}'")
        since = query.get("referencedate")
        day = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError:
                raise bad_request("BR000", "Ongeldige referencedate") from None
        if not self._year(data, query):
            return 200, []
        found = []
        for doc in data.documents.values():
            if doc["rlType"] not in wanted:
                continue
            changed = day_of(doc.get("edisonStatusGewijzigdOp"))
            if day is not None and (changed is None or changed < day):
                continue
            found.append(doc)
        return 200, found

    async def _pdf(self, request: web.Request, data: PersonnelInstitute, route: Route,
                   query: Mapping[str, str]) -> web.StreamResponse:
        return web.Response(body=data.pdfs[self._document(data, route)],
                            content_type="application/pdf")
