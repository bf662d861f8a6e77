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

The data (:mod:`._personnel_data`) are the staff of the legacy ``Leerkrachten`` list.
Fault injection and the server's rate limit apply (endpoint kinds in
:data:`PERSONNEL_KINDS`). Counters: ``server.personnel.stats``.
"""

from __future__ import annotations

import base64
import binascii
import collections
import dataclasses
import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from aiohttp import web

from ._data import FakeData
from ._legacy_data import LegacyData
from ._personnel_data import (
    INTERRUPTION_CODES,
    PERSONNEL_KINDS,
    PersonnelInstitute,
    generate_personnel,
)
from ._util import normalize_guid, parse_datetime, parse_school_year

__all__ = ["PERSONNEL_KINDS", "PERSONNEL_PATH", "Host", "PersonnelService", "PersonnelStats"]

PERSONNEL_PATH = "/personeel"
SCOPE = "api_informat_sas_personeel.personeel.{institute}"


_INSTITUTE_RE = re.compile(r"^\d{6}$")
_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "doc", "docx", "txt"}
_MAX_FILE = 10 * 1024 * 1024
_STATUSES = ("Opgehaald", "Bekeken", "Ondertekend", "Geweigerd", "Mislukt")


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


class _Error(Exception):
    def __init__(self, status: int, *errors: tuple[str | None, str]) -> None:
        super().__init__(status)
        self.status = status
        self.errors = errors


def _br(code: str, message: str) -> _Error:
    return _Error(400, (code, message))


def _mna(code: str, message: str) -> _Error:
    return _Error(405, (code, message))


@dataclasses.dataclass
class _Route:
    kind: str
    method: str
    ids: tuple[str, ...] = ()


def _route(method: str, path: str) -> _Route | None:
    parts = [p for p in path.strip("/").split("/") if p]
    low = [p.lower() for p in parts]
    if not low or low[0] != "employees":
        return None
    rest, rest_low, n = parts[1:], low[1:], len(parts) - 1
    lists = {"assignments": "employee_assignments", "interruptions": "employee_interruptions",
             "diplomas": "employee_diplomas", "ownfields": "employee_own_fields",
             "photos": "employee_photos", "documents": "employee_documents"}
    if n == 0:
        return _Route("employees", "GET")
    if n == 1 and rest_low[0] in lists:
        return _Route(lists[rest_low[0]], "GET")
    if n == 1:
        return _Route("employee", "GET", (rest[0],))
    if rest_low[0] == "interruptions":
        if n == 2:
            return _Route("interruption_delete", "DELETE", (rest[1],))
        if n == 4 and rest_low[2] == "attachments":
            kind = "attachment_delete" if method == "DELETE" else "attachment_save"
            return _Route(kind, "DELETE" if method == "DELETE" else "PUT", (rest[1], rest[3]))
        return None
    per_person = {"interruptions": "person_interruptions", "diplomas": "person_diplomas",
                  "ownfields": "person_own_fields", "photos": "employee_photo"}
    if n == 2 and rest_low[1] in per_person:
        return _Route(per_person[rest_low[1]], "GET", (rest[0],))
    if n == 3 and rest_low[1] == "interruptions":
        return _Route("interruption_save", "PUT", (rest[0], rest[2]))
    if n == 4 and rest_low[1] == "documents" and rest_low[3] == "pdf":
        return _Route("document_pdf", "GET", (rest[0], rest[2]))
    if n == 4 and rest_low[1] == "documents" and rest_low[3] == "signeddocument":
        return _Route("signed_document", "POST", (rest[0], rest[2]))
    return None


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


_Handler = Callable[[web.Request, PersonnelInstitute, _Route, Mapping[str, str]],
                    Awaitable[web.StreamResponse | tuple[int, Any]]]


class PersonnelService:
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

    @staticmethod
    def scope_for(institute: str) -> str:
        """The personnel scope of an institute."""
        return SCOPE.format(institute=institute)

    # -- serving

    path = PERSONNEL_PATH
    """Where the API lives on the server's port."""

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

    def _error(self, error: _Error) -> web.Response:
        items = [{"Code": code, "Message": message} for code, message in error.errors]
        return self._server._json(error.status, {"errors": items})

    async def _api(self, request: web.Request, route: _Route | None) -> web.StreamResponse:
        server = self._server
        token = server._authenticate(request)
        if token is None:
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        institutes = request.headers.getall("InstituteNo", [])
        if len(institutes) != 1 or not _INSTITUTE_RE.match(institutes[0].strip()):
            return self._error(_Error(400, (None, "A single 6-digit InstituteNo header is "
                                                  "required")))
        institute = institutes[0].strip()
        version = request.headers.get("Api-Version")
        if version is not None and version.strip() not in ("1", "2"):
            return self._error(_Error(400, (None, f"Unsupported Api-Version '{version}'")))
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
        except _Error as error:
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
            raise _br("BR004A", "Schooljaar is verplicht")
        if parse_school_year(value) is None:
            raise _br("BR004B", f"Ongeldig formaat voor schooljaar '{value}'")
        return value == data.school_year

    @staticmethod
    def _structure_ok(data: PersonnelInstitute, query: Mapping[str, str]) -> bool:
        value = query.get("structure")
        return not value or value in data.structures

    @staticmethod
    def _person(data: PersonnelInstitute, raw: str, *, known: bool = True) -> str:
        key = normalize_guid(raw)
        if key is None:
            raise _br("BR001", "Ongeldige PersonId")
        if known and key not in data.employees:
            raise _Error(404, ("BR014", "Geen personeelslid gevonden voor deze PersonId"))
        return key

    def _listed(
        self, data: PersonnelInstitute, query: Mapping[str, str], items: list[dict[str, Any]],
        route: _Route, *, by_structure: str | None = None,
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

    async def _employees(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                         query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, list(data.employees.values()), route)

    async def _employee(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                        query: Mapping[str, str]) -> tuple[int, Any]:
        person = self._person(data, route.ids[0])
        return 200, data.employees[person]

    async def _assignments(self, request: web.Request, data: PersonnelInstitute,
                           route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, data.assignments, route, by_structure="hfd")

    async def _interruptions(self, request: web.Request, data: PersonnelInstitute,
                             route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        first, last = dt.date(int(data.school_year[:4]), 9, 1), dt.date(
            int(data.school_year[:4]) + 1, 8, 31)
        overlapping = [i for i in data.interruptions.values()
                       if (_day(i["einddatum"]) or last) >= first
                       and (_day(i["begindatum"]) or first) <= last]
        return self._listed(data, query, overlapping, route, by_structure="hfd")

    async def _diplomas(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                        query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, data.diplomas, route)

    async def _own_fields(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                          query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, data.own_fields, route)

    async def _photos(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                      query: Mapping[str, str]) -> tuple[int, Any]:
        return self._listed(data, query, list(data.photos.values()), route)

    async def _photo(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                     query: Mapping[str, str]) -> tuple[int, Any]:
        return 200, data.photos[self._person(data, route.ids[0])]

    async def _documents(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                         query: Mapping[str, str]) -> tuple[int, Any]:
        wanted = [v for k, v in request.query.items() if k.lower() == "rltype"] or ["RL1", "RL2"]
        for value in wanted:
            if value not in ("RL1", "RL2", "RL4"):
                raise _br("BR_DOC_007", f"Niet ondersteund rlType '{value}'")
        since = query.get("referencedate")
        day = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError:
                raise _br("BR000", "Ongeldige referencedate") from None
        if not self._year(data, query):
            return 200, []
        found = []
        for doc in data.documents.values():
            if doc["rlType"] not in wanted:
                continue
            changed = _day(doc.get("edisonStatusGewijzigdOp"))
            if day is not None and (changed is None or changed < day):
                continue
            found.append(doc)
        return 200, found

    def _document(self, data: PersonnelInstitute, route: _Route) -> int:
        person = self._person(data, route.ids[0])
        try:
            number = int(route.ids[1])
        except ValueError:
            raise _br("BR000", "Ongeldige documentId") from None
        doc = data.documents.get(number)
        if doc is None or doc["personId"] != person:
            raise _Error(404, (None, "Document niet gevonden"))
        return number

    async def _pdf(self, request: web.Request, data: PersonnelInstitute, route: _Route,
                   query: Mapping[str, str]) -> web.StreamResponse:
        return web.Response(body=data.pdfs[self._document(data, route)],
                            content_type="application/pdf")

    # -- writes

    async def _json_body(self, request: web.Request, *, lower: bool = True) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise _br("BR000", "Ongeldige JSON") from None
        if not isinstance(body, dict):
            raise _br("BR000", "Ongeldige JSON")
        return {k.lower(): v for k, v in body.items()} if lower else body

    async def _save_interruption(self, request: web.Request, data: PersonnelInstitute,
                                 route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        person = normalize_guid(route.ids[0])
        do_id = normalize_guid(route.ids[1])
        problems: list[tuple[str | None, str]] = []
        if person is None:
            problems.append(("BR001", "Ongeldige PersonId"))
        if do_id is None:
            problems.append(("BR002", "Ongeldige InterruptionId"))
        raw = await self._json_body(request, lower=False)
        body = {k.lower(): v for k, v in raw.items()}
        problems += _interruption_problems(body, data)
        if problems:
            raise _Error(400, *problems)
        assert person is not None
        assert do_id is not None
        if person not in data.employees:
            raise _br("BR014", "Geen personeelslid gevonden voor deze PersonId")
        begin, end = _day(body["begindatum"]), _day(body["einddatum"])
        assert begin is not None
        assert end is not None
        for number in self._server.data.institutes:
            if number != data.number and do_id in self.institute(number).interruptions:
                raise _mna("MNA001", "Onderbreking is al gekoppeld aan een andere school")
        old = data.interruptions.get(do_id)
        if old is not None:
            if old["personId"] != person:
                raise _mna("MNA002", "Onderbreking is al gekoppeld aan een ander personeelslid")
            moved = (old["hfd"] != body["hfd"].strip() or _day(old["begindatum"]) != begin
                     or _day(old["einddatum"]) != end)
            if old["verstuurdAgODi"] and (moved or old["code"] != body["code"]):
                raise _mna("MNA003", "Onderbreking is al verstuurd naar AgODi")
            if moved and data.replaced(do_id):
                raise _mna("MNA004", "Er bestaat al een vervanging")
        for other in data.interruptions.values():
            if other["doId"] == do_id or other["personId"] != person:
                continue
            o_begin, o_end = _day(other["begindatum"]), _day(other["einddatum"])
            if o_begin and o_end and o_begin <= end and begin <= o_end:
                if old is None:
                    raise _mna("MNA005", "Toevoegen niet mogelijk: overlappende onderbreking")
                raise _mna("MNA006", "Wijzigen niet mogelijk: overlappende onderbreking")
        if old is None:
            data.next_interruption += 1
        data.interruptions[do_id] = {
            "pOnderbreking": old["pOnderbreking"] if old else data.next_interruption,
            "doId": do_id, "personId": person, "hfd": body["hfd"].strip(),
            "begindatum": begin.isoformat() + "T00:00:00",
            "einddatum": end.isoformat() + "T00:00:00", "code": body["code"],
            "omschrijving": INTERRUPTION_CODES.get(body["code"], ""), "soort": "2",
            "verstuurdAgODi": bool(old and old["verstuurdAgODi"]),
            "opmSecretariaat": old["opmSecretariaat"] if old else "",
            "opmPersoneelslid": body.get("opmerking"), "staking": None, "stakingUren": None,
            "ziekteverlofZonderBezoldiging": False,
        }
        data.written[do_id] = dict(raw)
        if old is None:
            data.api_interruptions.add(do_id)
            return 201, None
        return 204, None

    async def _delete_interruption(self, request: web.Request, data: PersonnelInstitute,
                                   route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        do_id = normalize_guid(route.ids[0])
        if do_id is None:
            raise _br("BR002", "Ongeldige InterruptionId")
        old = data.interruptions.get(do_id)
        if old is None:
            raise _br("BR018", "Geen dienstonderbreking gevonden voor deze ID")
        if do_id not in data.api_interruptions:
            raise _mna("MNA008", "Enkel via de API toegevoegde onderbrekingen kunnen "
                                 "verwijderd worden")
        if do_id in data.verified:
            raise _mna("MNA009", "Al nagekeken door het secretariaat")
        if old["verstuurdAgODi"]:
            raise _mna("MNA010", "Al verstuurd naar AgODi")
        if data.replaced(do_id):
            raise _mna("MNA011", "Er bestaat al een vervanging")
        del data.interruptions[do_id]
        data.api_interruptions.discard(do_id)
        for key, attachment in list(data.attachments.items()):
            attachment["links"].discard(do_id)
            if not attachment["links"]:
                del data.attachments[key]
        return 204, None

    def _attachment_ids(self, data: PersonnelInstitute, route: _Route) -> tuple[str, str]:
        do_id, attachment = normalize_guid(route.ids[0]), normalize_guid(route.ids[1])
        problems: list[tuple[str | None, str]] = []
        if do_id is None:
            problems.append(("BR002", "Ongeldige InterruptionId"))
        if attachment is None:
            problems.append(("BR015", "Ongeldige AttachmentId"))
        if problems:
            raise _Error(400, *problems)
        assert do_id is not None
        assert attachment is not None
        return do_id, attachment

    async def _save_attachment(self, request: web.Request, data: PersonnelInstitute,
                               route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        do_id, attachment = self._attachment_ids(data, route)
        body = await self._json_body(request)
        problems: list[tuple[str | None, str]] = []
        name = body.get("filename")
        if not isinstance(name, str) or not name.strip():
            problems.append(("BR016A", "Bestandsnaam is verplicht"))
        elif len(name) > 100:
            problems.append(("BR016B", "Bestandsnaam mag max. 100 karakters bevatten"))
        elif name.rsplit(".", 1)[-1].lower() not in _EXTENSIONS or "." not in name:
            problems.append(("BR016C", "Ongeldige extensie"))
        content = b""
        file = body.get("file")
        try:
            content = base64.b64decode(file, validate=True) if isinstance(file, str) else b""
        except (binascii.Error, ValueError):
            content = b""
        if not content:
            problems.append(("BR017A", "Bestand is verplicht"))
        elif len(content) > _MAX_FILE:
            problems.append(("BR017B", "Bestand mag max. 10 MB groot zijn"))
        if problems:
            raise _Error(400, *problems)
        interruption = data.interruptions.get(do_id)
        if interruption is None:
            raise _br("BR018", "Geen dienstonderbreking gevonden voor deze ID")
        stored = data.attachments.get(attachment)
        if stored is not None and stored["personId"] != interruption["personId"]:
            raise _mna("MNA007", "Bijlage is al gekoppeld aan een ander personeelslid")
        links = stored["links"] if stored else set()
        links.add(do_id)
        data.attachments[attachment] = {"personId": interruption["personId"], "filename": name,
                                        "content": content, "links": links}
        return (204 if stored else 201), None

    async def _delete_attachment(self, request: web.Request, data: PersonnelInstitute,
                                 route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        do_id, attachment = self._attachment_ids(data, route)
        stored = data.attachments.get(attachment)
        if stored is None or do_id not in stored["links"]:
            raise _br("BR019", "Geen geldige combinatie van onderbreking en bijlage")
        stored["links"].discard(do_id)
        if not stored["links"]:
            del data.attachments[attachment]
        return 204, None

    async def _signed_document(self, request: web.Request, data: PersonnelInstitute,
                               route: _Route, query: Mapping[str, str]) -> tuple[int, Any]:
        number = self._document(data, route)
        if not request.content_type.startswith("multipart/form-data"):
            raise _Error(415, (None, "multipart/form-data verwacht"))
        form = await request.post()
        status, moment, pdf = form.get("status"), form.get("tijdstip"), form.get("bestand")
        problems: list[tuple[str | None, str]] = []
        if status not in _STATUSES:
            problems.append((None, "Ongeldige status"))
        if not isinstance(moment, str) or not moment.endswith("Z") or \
                parse_datetime(moment) is None:
            problems.append((None, "Ongeldig tijdstip"))
        content = pdf.file.read() if isinstance(pdf, web.FileField) else None
        if status == "Ondertekend" and not content:
            problems.append((None, "Bestand is verplicht bij status Ondertekend"))
        if problems:
            raise _Error(400, *problems)
        data.signed[number] = {"status": status, "tijdstip": moment, "pdf": content}
        data.documents[number]["tekenStatus"] = status
        return 201, None


def _interruption_problems(
    body: Mapping[str, Any], data: PersonnelInstitute
) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []

    def text(key: str) -> str | None:
        value = body.get(key)
        return value if isinstance(value, str) and value.strip() else None

    year = text("schooljaar")
    if year is None:
        problems.append(("BR004A", "Schooljaar is verplicht"))
    elif parse_school_year(year) is None:
        problems.append(("BR004B", "Ongeldig formaat voor schooljaar"))
    number = text("instelnr")
    if number is None:
        problems.append(("BR003A", "Instellingsnummer is verplicht"))
    hfd = text("hfd")
    if hfd is None:
        problems.append(("BR005A", "Hoofdstructuur is verplicht"))
    elif len(hfd.strip()) != 3:
        problems.append(("BR005B", "Hoofdstructuur moet 3 karakters bevatten"))
    if text("code") is None:
        problems.append(("BR006A", "Code is verplicht"))
    dates = {}
    for key, code in (("begindatum", "BR007A"), ("einddatum", "BR008A")):
        try:
            dates[key] = _day(text(key))
        except ValueError:
            dates[key] = None
        if dates[key] is None:
            problems.append((code, f"{key} is verplicht"))
    if dates["begindatum"] and dates["einddatum"] and dates["einddatum"] < dates["begindatum"]:
        problems.append(("BR008B", "Einddatum mag niet voor de begindatum liggen"))
    for key, limit, code in (("opmerking", 50, "BR009"), ("naamgeneesheer", 75, "BR010"),
                             ("telefoongeneesheer", 20, "BR011")):
        value = body.get(key)
        if isinstance(value, str) and len(value) > limit:
            problems.append((code, f"{key} mag max. {limit} karakters bevatten"))
    sender = text("afzender")
    if sender is None:
        problems.append(("BR012A", "Afzender is verplicht"))
    elif len(sender) > 50:
        problems.append(("BR012B", "Afzender mag max. 50 karakters bevatten"))
    if not problems and (number != data.number or year != data.school_year
                         or hfd is None or hfd.strip() not in data.structures):
        problems.append(("BR013", "Ongeldige combinatie van instellingsnummer, schooljaar "
                                  "en structuur"))
    return problems
