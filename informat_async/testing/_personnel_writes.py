"""The write endpoints of the fake personnel API, and what both halves share: the error
answer (:class:`ApiError`, PascalCase ``Code``/``Message`` items), the route and the id
checks. :class:`WriteHandlers` is a mixin of :class:`~._personnel.PersonnelService`.

The rules are the reference's: required fields and lengths (BR codes at 400), unknown ids
(BR001, BR002, BR014, BR015, BR018, BR019), conflicts (MNA codes at 405): an interruption
of another school (MNA001) or employee (MNA002), changes after it was sent to AgODi
(MNA003) or replaced (MNA004), overlaps (MNA005 new, MNA006 update); only interruptions
created through the API may be deleted (MNA008), not once verified (MNA009), sent (MNA010)
or replaced (MNA011). A create answers 201, an update or delete 204, a signed document 201.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from aiohttp import web

from ._personnel_data import INTERRUPTION_CODES, PersonnelInstitute
from ._util import normalize_guid, parse_datetime, parse_school_year

__all__ = ["ApiError", "Route", "WriteHandlers", "bad_request", "day_of", "not_allowed"]

_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "doc", "docx", "txt"}
_MAX_FILE = 10 * 1024 * 1024
_STATUSES = ("Opgehaald", "Bekeken", "Ondertekend", "Geweigerd", "Mislukt")


class ApiError(Exception):
    """An error answer: a status and its ``(code, message)`` items."""

    def __init__(self, status: int, *errors: tuple[str | None, str]) -> None:
        super().__init__(status)
        self.status = status
        self.errors = errors


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, (code, message))


def not_allowed(code: str, message: str) -> ApiError:
    return ApiError(405, (code, message))


@dataclasses.dataclass
class Route:
    kind: str
    method: str
    ids: tuple[str, ...] = ()


def day_of(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


class WriteHandlers:
    """The write endpoints (and the id checks the reads share)."""

    def institute(self, number: str) -> PersonnelInstitute:
        raise NotImplementedError

    def _served(self) -> Iterable[str]:
        """The institute numbers the server serves."""
        raise NotImplementedError

    @staticmethod
    def _person(data: PersonnelInstitute, raw: str, *, known: bool = True) -> str:
        key = normalize_guid(raw)
        if key is None:
            raise bad_request("BR001", "Ongeldige PersonId")
        if known and key not in data.employees:
            raise ApiError(404, ("BR014", "Geen personeelslid gevonden voor deze PersonId"))
        return key

    def _document(self, data: PersonnelInstitute, route: Route) -> int:
        person = self._person(data, route.ids[0])
        try:
            number = int(route.ids[1])
        except ValueError:
            raise bad_request("BR000", "Ongeldige documentId") from None
        doc = data.documents.get(number)
        if doc is None or doc["personId"] != person:
            raise ApiError(404, (None, "Document niet gevonden"))
        return number


    async def _json_body(self, request: web.Request, *, lower: bool = True) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("BR000", "Ongeldige JSON") from None
        if not isinstance(body, dict):
            raise bad_request("BR000", "Ongeldige JSON")
        return {k.lower(): v for k, v in body.items()} if lower else body

    async def _save_interruption(self, request: web.Request, data: PersonnelInstitute,
                                 route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
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
            raise ApiError(400, *problems)
        assert person is not None
        assert do_id is not None
        if person not in data.employees:
            raise bad_request("BR014", "Geen personeelslid gevonden voor deze PersonId")
        begin, end = day_of(body["begindatum"]), day_of(body["einddatum"])
        assert begin is not None
        assert end is not None
        for number in self._served():
            if number != data.number and do_id in self.institute(number).interruptions:
                raise not_allowed("MNA001", "Onderbreking is al gekoppeld aan een andere school")
        old = data.interruptions.get(do_id)
        if old is not None:
            if old["personId"] != person:
                raise not_allowed("MNA002",
                                  "Onderbreking is al gekoppeld aan een ander personeelslid")
            moved = (old["hfd"] != body["hfd"].strip() or day_of(old["begindatum"]) != begin
                     or day_of(old["einddatum"]) != end)
            if old["verstuurdAgODi"] and (moved or old["code"] != body["code"]):
                raise not_allowed("MNA003", "Onderbreking is al verstuurd naar AgODi")
            if moved and data.replaced(do_id):
                raise not_allowed("MNA004", "Er bestaat al een vervanging")
        for other in data.interruptions.values():
            if other["doId"] == do_id or other["personId"] != person:
                continue
            o_begin, o_end = day_of(other["begindatum"]), day_of(other["einddatum"])
            if o_begin and o_end and o_begin <= end and begin <= o_end:
                if old is None:
                    raise not_allowed("MNA005",
                                      "Toevoegen niet mogelijk: overlappende onderbreking")
                raise not_allowed("MNA006", "Wijzigen niet mogelijk: overlappende onderbreking")
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
                                   route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
        do_id = normalize_guid(route.ids[0])
        if do_id is None:
            raise bad_request("BR002", "Ongeldige InterruptionId")
        old = data.interruptions.get(do_id)
        if old is None:
            raise bad_request("BR018", "Geen dienstonderbreking gevonden voor deze ID")
        if do_id not in data.api_interruptions:
            raise not_allowed("MNA008", "Enkel via de API toegevoegde onderbrekingen kunnen "
                                 "verwijderd worden")
        if do_id in data.verified:
            raise not_allowed("MNA009", "Al nagekeken door het secretariaat")
        if old["verstuurdAgODi"]:
            raise not_allowed("MNA010", "Al verstuurd naar AgODi")
        if data.replaced(do_id):
            raise not_allowed("MNA011", "Er bestaat al een vervanging")
        del data.interruptions[do_id]
        data.api_interruptions.discard(do_id)
        for key, attachment in list(data.attachments.items()):
            attachment["links"].discard(do_id)
            if not attachment["links"]:
                del data.attachments[key]
        return 204, None

    def _attachment_ids(self, data: PersonnelInstitute, route: Route) -> tuple[str, str]:
        do_id, attachment = normalize_guid(route.ids[0]), normalize_guid(route.ids[1])
        problems: list[tuple[str | None, str]] = []
        if do_id is None:
            problems.append(("BR002", "Ongeldige InterruptionId"))
        if attachment is None:
            problems.append(("BR015", "Ongeldige AttachmentId"))
        if problems:
            raise ApiError(400, *problems)
        assert do_id is not None
        assert attachment is not None
        return do_id, attachment

    async def _save_attachment(self, request: web.Request, data: PersonnelInstitute,
                               route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
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
            raise ApiError(400, *problems)
        interruption = data.interruptions.get(do_id)
        if interruption is None:
            raise bad_request("BR018", "Geen dienstonderbreking gevonden voor deze ID")
        stored = data.attachments.get(attachment)
        if stored is not None and stored["personId"] != interruption["personId"]:
            raise not_allowed("MNA007", "Bijlage is al gekoppeld aan een ander personeelslid")
        links = stored["links"] if stored else set()
        links.add(do_id)
        data.attachments[attachment] = {"personId": interruption["personId"], "filename": name,
                                        "content": content, "links": links}
        return (204 if stored else 201), None

    async def _delete_attachment(self, request: web.Request, data: PersonnelInstitute,
                                 route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
        do_id, attachment = self._attachment_ids(data, route)
        stored = data.attachments.get(attachment)
        if stored is None or do_id not in stored["links"]:
            raise bad_request("BR019", "Geen geldige combinatie van onderbreking en bijlage")
        stored["links"].discard(do_id)
        if not stored["links"]:
            del data.attachments[attachment]
        return 204, None

    async def _signed_document(self, request: web.Request, data: PersonnelInstitute,
                               route: Route, query: Mapping[str, str]) -> tuple[int, Any]:
        number = self._document(data, route)
        if not request.content_type.startswith("multipart/form-data"):
            raise ApiError(415, (None, "multipart/form-data verwacht"))
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
            raise ApiError(400, *problems)
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
            dates[key] = day_of(text(key))
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
