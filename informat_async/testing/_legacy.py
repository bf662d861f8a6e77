"""The fake older webservices: ``wsInformat.asmx`` on the fake server's port.

Served the way the live ASP.NET service answers (``shared/reference/legacy-wire.md``):

* ``POST /wsInfSoft/wsInformat.asmx`` with a SOAP 1.1 envelope (``Content-Type:
  text/xml``), routed by the ``SOAPAction`` header
  (``"http://InformatSoftware.be/wsInfSoft/wsInformat/{Method}"``); an operation it does
  not know is a ``soap:Client`` fault ("Server did not recognize the value of HTTP Header
  SOAPAction"). Parameters are the child elements of the method element, matched
  case-sensitively like XmlSerializer does; a missing one counts as empty, an unknown one
  is ignored, as ASMX does, but counted in :attr:`LegacyStats.unknown_parameters` (and
  the names of each call are kept in :attr:`LegacyStats.parameter_names`), so a test can
  assert that the client sends only known names. Errors are HTTP 500 with a
  ``soap:Fault``.
* ``POST /wsInfSoft/wsInformat.asmx/{Method}`` with form fields, and ``GET`` with query
  parameters (the HTTP POST/GET protocols): every parameter must be present (empty when
  unused), else HTTP 500 ``Missing parameter``. Answers are a bare ``ArrayOf{Row}`` (or
  ``boolean``) document; errors are HTTP 500 ``text/plain`` with the exception text.

Answers are XmlSerializer typed arrays: ``<{Op}Result>`` holds one element per row,
named after the row type (``wsInschrijving``, ``WsRelaties``, ``User``: see
:data:`~informat_async.testing._legacy_data.ROW_ELEMENTS`); ``Relaties``,
``ComnummersRelatie`` and ``EmailRelatie`` nest per pupil (``<WsRelaties><PPersoon/>
<Relaties><Relatie/>...</Relaties></WsRelaties>``, a pupil without items included with
an empty list). Null values are ``xsi:nil="true"``, except the fields the live service
leaves out (``PRelatie``, ``Lpv``, ``Klastitularis``...); empty strings are empty
elements. Set :attr:`LegacyService.shape` to ``"dataset"`` for the older .NET DataSet
shape instead (``xs:schema`` + ``diffgr:diffgram``, flat rows, null columns left out).
Each call checks the login and password first
(``Ongeldige login of paswoord.``), then the school year, then the institute (served
institutes only: ``Geen toegang tot instellingsnummer ...``), as SOAP faults. The same
fault injection as the REST endpoints applies (``Faults``, endpoint kind ``"legacy"``).
Request bodies are never kept.
"""

from __future__ import annotations

import collections
import dataclasses
import random
import secrets
from collections.abc import Mapping
from typing import Any, Literal, NoReturn
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from ._core import LoggedRequest, ServerCore
from ._legacy_data import NESTED, OPERATION_PARAMS, ROW_ELEMENTS, LegacyData
from ._legacy_values import LegacyFault, Row
from ._util import _random_case

__all__ = ["LEGACY_PATH", "NAMESPACE", "AnswerShape", "LegacyService", "LegacyStats"]

AnswerShape = Literal["typed", "dataset"]
"""``"typed"``: XmlSerializer typed arrays, as the live service; ``"dataset"``: .NET
DataSets."""

LEGACY_PATH = "/wsInfSoft/wsInformat.asmx"
NAMESPACE = "http://InformatSoftware.be/wsInfSoft/wsInformat"
_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
_AUTHENTICATE = "AuthenticateUser"
_AUTH_PARAMS = ("sUserName", "sPassword")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XSD = "http://www.w3.org/2001/XMLSchema"
#: Fields the live service leaves out when null (the others are xsi:nil).
_OMITTED_WHEN_NULL = frozenset({
    "PRelatie", "NaamRelatie", "VoornaamRelatie", "Lpv", "Klastitularis", "nickname",
    "dlpostnr", "dlgem", "Klasnr",
})


def _fields(row: Row, case: random.Random | None) -> str:
    parts = []
    for name, value in row.items():
        tag = _random_case(name, case) if case is not None else name
        if value is None:
            if name not in _OMITTED_WHEN_NULL:
                parts.append(f'<{tag} xsi:nil="true" />')
        elif value:
            parts.append(f"<{tag}>{escape(value)}</{tag}>")
        else:
            parts.append(f"<{tag} />")
    return "".join(parts)


def typed_array(operation: str, answer: list[Any], case: random.Random | None = None) -> str:
    """The rows of an answer as XmlSerializer writes a typed array (the content of
    ``{Op}Result`` or of ``ArrayOf{Row}``); ``answer`` as :meth:`LegacyData.answer`."""
    row = ROW_ELEMENTS[operation]
    tag = _random_case(row, case) if case is not None else row
    nested = NESTED.get(operation)
    parts: list[str] = []
    for entry in answer:
        if nested is None:
            parts.append(f"<{tag}>{_fields(entry, case)}</{tag}>")
            continue
        wrapper, item = (_random_case(n, case) if case is not None else n for n in nested)
        p_persoon, items = entry
        key = _random_case("PPersoon", case) if case is not None else "PPersoon"
        inner = "".join(f"<{item}>{_fields(i, case)}</{item}>" for i in items)
        lst = f"<{wrapper}>{inner}</{wrapper}>" if items else f"<{wrapper} />"
        parts.append(f"<{tag}><{key}>{escape(p_persoon)}</{key}>{lst}</{tag}>")
    return "".join(parts)


@dataclasses.dataclass
class LegacyStats:
    """What the fake older webservices saw.

    Attributes:
        requests: requests to ``wsInformat.asmx`` (any method, any protocol).
        operations: requests per operation (``"Lln"``, ``"Leerkrachten"``...).
        protocols: requests per protocol (``"soap"``, ``"form"``, ``"get"``).
        statuses: answers per HTTP status (injected faults included).
        faults: SOAP faults and errors answered, per kind (``"login"``, ``"institute"``,
            ``"input"``, ``"operation"``, ``"request"``).
        unknown_parameters: parameters an operation does not take, per ``(operation,
            name)``: ignored, as ASMX does, but counted.
        parameter_names: the parameter names of the last SOAP call of each operation,
            in the order sent.
    """

    requests: int = 0
    operations: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    protocols: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    statuses: collections.Counter[int] = dataclasses.field(default_factory=collections.Counter)
    faults: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    unknown_parameters: collections.Counter[tuple[str, str]] = dataclasses.field(
        default_factory=collections.Counter
    )
    parameter_names: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def reset(self) -> None:
        """Zero every counter."""
        self.requests = 0
        for counter in (self.operations, self.protocols, self.statuses, self.faults,
                        self.unknown_parameters):
            counter.clear()
        self.parameter_names.clear()


class _BadRequest(Exception):
    pass


def _safe_parse(body: bytes) -> tuple[str, str, dict[str, str]]:
    """(envelope's body element namespace, its local name, parameters) of a SOAP request.

    The fake refuses DTDs too: it never expands an entity a client sends.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    path: list[str] = []
    found: dict[str, str] = {}
    method: list[tuple[str, str]] = []
    text: list[str] = []

    def refuse(*_: object) -> NoReturn:
        raise _BadRequest("DTDs are not allowed")

    def start(name: str, _attributes: dict[str, str]) -> None:
        path.append(name)
        text.clear()
        if len(path) == 3:
            ns, _, local = name.rpartition(" ")
            method.append((ns, local))

    def end(name: str) -> None:
        if len(path) == 4:
            found.setdefault(name.rpartition(" ")[2], "".join(text))
        path.pop()
        text.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(body, True)
    except expat.ExpatError as exc:
        raise _BadRequest(str(exc)) from None
    if not method:
        raise _BadRequest("no method element in the SOAP body")
    return method[0][0], method[0][1], found


def _dataset(rows: list[Row], table: str, case: random.Random | None) -> str:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    schema = (
        '<xs:schema id="NewDataSet" xmlns="" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:msdata="urn:schemas-microsoft-com:xml-msdata">'
        '<xs:element name="NewDataSet" msdata:IsDataSet="true" msdata:UseCurrentLocale="true">'
        '<xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded">'
        f"<xs:element name={quoteattr(table)}><xs:complexType><xs:sequence>"
        + "".join(f'<xs:element name={quoteattr(c)} type="xs:string" minOccurs="0" />'
                  for c in columns)
        + "</xs:sequence></xs:complexType></xs:element></xs:choice></xs:complexType>"
        "</xs:element></xs:schema>"
    )
    diffgram = ('<diffgr:diffgram xmlns:msdata="urn:schemas-microsoft-com:xml-msdata" '
                'xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"')
    if not rows:
        return schema + diffgram + " />"
    parts = [schema, diffgram, '><NewDataSet xmlns="">']
    for index, row in enumerate(rows):
        parts.append(f'<{table} diffgr:id="{table}{index + 1}" msdata:rowOrder="{index}">')
        for name, value in row.items():
            if value is None:
                continue  # DBNull: the column is left out
            tag = _random_case(name, case) if case is not None else name
            parts.append(f"<{tag}>{escape(value)}</{tag}>" if value else f"<{tag} />")
        parts.append(f"</{table}>")
    parts.append("</NewDataSet></diffgr:diffgram>")
    return "".join(parts)


def _soap(content: str, status: int = 200) -> web.Response:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{_SOAP}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f"<soap:Body>{content}</soap:Body></soap:Envelope>"
    )
    return web.Response(status=status, body=body.encode("utf-8"), content_type="text/xml",
                        charset="utf-8")


def _plain_xml(content: str) -> web.Response:
    body = '<?xml version="1.0" encoding="utf-8"?>' + content
    return web.Response(body=body.encode("utf-8"), content_type="text/xml", charset="utf-8")


class LegacyService:
    """The ``wsInformat.asmx`` endpoints of a fake server: ``server.legacy``.

    Attributes:
        data: the ground truth (:class:`LegacyData`): ``data.rows(operation, params)``
            answers exactly what the service serves.
        login: the accepted login (``server.legacy_login``).
        password: its password (``server.legacy_password``).
        users: user names and passwords ``AuthenticateUser`` accepts (the login too).
        stats: counters (:class:`LegacyStats`).
        shape: the answer shape, ``"typed"`` (the live service's typed arrays, the
            default) or ``"dataset"`` (.NET DataSets); may be changed at any time.
    """

    prefix = LEGACY_PATH.lower()

    def __init__(
        self, server: ServerCore, *, login: str | None = None, password: str | None = None
    ) -> None:
        self._server = server
        self.data = LegacyData(server.data, server.seed)
        self.login = login or f"webservices@{secrets.token_hex(3)}.fake-informat.be"
        self.password = password or secrets.token_urlsafe(18)
        self.users: dict[str, str] = {self.login: self.password}
        self.stats = LegacyStats()
        self.shape: AnswerShape = "typed"
        self._case_rng = random.Random(f"{server.seed}:legacy-case")

    def __repr__(self) -> str:
        return f"<LegacyService login={self.login!r} requests={self.stats.requests}>"

    def add_user(self, user_name: str, password: str) -> None:
        """Let ``AuthenticateUser`` accept another user."""
        self.users[user_name] = password

    # -- HTTP

    def count(self, response: web.StreamResponse | None) -> None:
        """Count a request and its answer (``None``: the connection was reset)."""
        self.stats.requests += 1
        if response is not None:
            self.stats.statuses[response.status] += 1

    def scopes(self, institute: str) -> list[str]:
        """None: the webservices take a login and password, not tokens."""
        return []

    async def handle(
        self, request: web.Request, entry: LoggedRequest
    ) -> web.StreamResponse | None:
        """Answer one request, under the server's fault injection, and count it."""
        entry.endpoint = "legacy"
        response = await self._server._with_faults(request, "legacy", self._serve)
        self.count(response)
        return response

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        """Answer one request under ``/wsInfSoft/wsInformat.asmx``."""
        rest = request.path[len(LEGACY_PATH):].strip("/")
        if not rest:
            return await self._soap_call(request)
        return await self._form_call(request, rest)

    def _fault(self, kind: str, message: str, *, client: bool = False,
               operation: str = "") -> web.Response:
        self.stats.faults[kind] += 1
        code = "soap:Client" if client else "soap:Server"
        text = message if client else (
            "System.Web.Services.Protocols.SoapException: Server was unable to process "
            f"request. ---> System.Exception: {message}\n   at wsInformat.{operation}()"
        )
        return _soap(
            f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{escape(text)}"
            "</faultstring><detail /></soap:Fault>",
            status=500,
        )

    def _form_error(self, kind: str, message: str, exception: str = "System.Exception"
                    ) -> web.Response:
        self.stats.faults[kind] += 1
        return web.Response(status=500, text=f"{exception}: {message}\r\n   at wsInformat()",
                            content_type="text/plain")

    async def _soap_call(self, request: web.Request) -> web.Response:
        self.stats.protocols["soap"] += 1
        if request.method != "POST":
            return web.Response(status=200, text="<html><body>wsInformat Web Service</body>"
                                "</html>", content_type="text/html")
        if request.content_type != "text/xml":
            self.stats.faults["request"] += 1
            return web.Response(status=415, text="Unsupported Media Type")
        action = request.headers.get("SOAPAction", "").strip().strip('"')
        prefix = NAMESPACE + "/"
        operation = action[len(prefix):] if action.startswith(prefix) else ""
        if operation not in OPERATION_PARAMS and operation != _AUTHENTICATE:
            return self._fault(
                "operation",
                f"Server did not recognize the value of HTTP Header SOAPAction: {action}.",
                client=True,
            )
        try:
            ns, name, params = _safe_parse(await request.read())
        except _BadRequest:
            return self._fault("request", "Server was unable to read request.", client=True)
        if ns != NAMESPACE or name != operation:
            return self._fault("request", f"Unexpected method element {name}.", client=True)
        self.stats.operations[operation] += 1
        self.stats.parameter_names[operation] = tuple(params)
        known = _AUTH_PARAMS if operation == _AUTHENTICATE else (
            "login", "paswoord", *OPERATION_PARAMS[operation])
        for name in params:
            if name not in known:
                self.stats.unknown_parameters[(operation, name)] += 1
        try:
            if operation == _AUTHENTICATE:
                value = self._authenticate(params)
                return _soap(f'<{operation}Response xmlns="{NAMESPACE}"><{operation}Result>'
                             f"{value}</{operation}Result></{operation}Response>")
            answer = self._answer(operation, params)
        except LegacyFault as fault:
            return self._fault(fault.kind, fault.message, client=fault.client,
                               operation=operation)
        content = self._render(answer, operation)
        result = (f"<{operation}Result>{content}</{operation}Result>" if content
                  else f"<{operation}Result />")
        return _soap(f'<{operation}Response xmlns="{NAMESPACE}">{result}</{operation}Response>')

    async def _form_call(self, request: web.Request, operation: str) -> web.Response:
        protocol = "get" if request.method == "GET" else "form"
        self.stats.protocols[protocol] += 1
        if request.method not in ("GET", "POST"):
            return web.Response(status=405)
        names = _AUTH_PARAMS if operation == _AUTHENTICATE else (
            ("login", "paswoord", *OPERATION_PARAMS[operation])
            if operation in OPERATION_PARAMS else None
        )
        if names is None:
            return self._form_error(
                "operation",
                f"Request format is unrecognized for URL unexpectedly ending in '/{operation}'.",
                "System.InvalidOperationException",
            )
        given: Mapping[str, str]
        if request.method == "GET":
            given = dict(request.query.items())
        else:
            form = await request.post()
            given = {k: v for k, v in form.items() if isinstance(v, str)}
        for name in names:
            if name not in given:
                return self._form_error("request", f"Missing parameter: {name}.",
                                        "System.InvalidOperationException")
        self.stats.operations[operation] += 1
        params = {name: given[name] for name in names}
        try:
            if operation == _AUTHENTICATE:
                return _plain_xml(f'<boolean xmlns="{NAMESPACE}">{self._authenticate(params)}'
                                  "</boolean>")
            answer = self._answer(operation, params)
        except LegacyFault as fault:
            return self._form_error(fault.kind, fault.message)
        content = self._render(answer, operation)
        if self.shape == "dataset":
            return _plain_xml(f'<DataSet xmlns="{NAMESPACE}">{content}</DataSet>')
        row = ROW_ELEMENTS[operation]
        root = f"ArrayOf{row[:1].upper()}{row[1:]}"
        head = f'{root} xmlns:xsi="{_XSI}" xmlns:xsd="{_XSD}" xmlns="{NAMESPACE}"'
        return _plain_xml(f"<{head}>{content}</{root}>" if content else f"<{head} />")

    # -- the service

    def _authenticate(self, params: Mapping[str, str]) -> str:
        user = params.get("sUserName", "")
        known = self.users.get(user)
        ok = known is not None and secrets.compare_digest(known, params.get("sPassword", ""))
        return "true" if ok else "false"

    def _answer(self, operation: str, params: Mapping[str, str]) -> list[Any]:
        login, password = params.get("login", ""), params.get("paswoord", "")
        if login != self.login or not secrets.compare_digest(password, self.password):
            raise LegacyFault("login", "Ongeldige login of paswoord.")
        values = {name: params.get(name, "") for name in OPERATION_PARAMS[operation]}
        if self.shape == "dataset":
            return self.data.rows(operation, values)
        return self.data.answer(operation, values)

    def _render(self, answer: list[Any], operation: str) -> str:
        case = self._case_rng if self._server.key_case == "random" else None
        if self.shape == "dataset":
            return _dataset(answer, operation, case)
        return typed_array(operation, answer, case)
