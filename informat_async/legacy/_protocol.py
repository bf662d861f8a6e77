"""The older webservices' protocol without I/O: SOAP 1.1 requests, answers, faults.

Pure functions, so everything here is tested without a server:

* :func:`soap_request` builds the headers and the envelope of one call. Credentials go in
  the body, never in the URL; every parameter of the operation is sent, empty when unused,
  as the integrations in use do.
* :func:`read_answer` turns an HTTP answer into the result element, or raises the typed
  error (:func:`error_from_answer`).
* :func:`boolean_result` reads ``AuthenticateUser``; list answers are decoded
  incrementally by :mod:`informat_async.legacy._decode`.

How answers map to the error tree (``informat_async.errors``):

==========================================  =========================================
answer                                      exception
==========================================  =========================================
SOAP fault refusing the login or password   ``AuthenticationError`` (``error="invalid_login"``)
SOAP fault naming the institute, or access  ``ForbiddenError`` (not retried)
SOAP fault about a parameter or school
year, or ``faultcode`` Client               ``BadRequestError`` (not retried)
any other SOAP fault                        ``ServerError`` (retried like a 500)
non-SOAP 5xx (proxy pages), 429, 408        ``ServerError``/``RateLimitError``/... (retried)
other statuses                              the class of ``error_for_status``
connection trouble, timeouts                ``InformatConnectionError``/``InformatTimeoutError``
DTD or entities in the answer               ``UnsafeXMLError`` (a ``ResponseValidationError``)
an HTML page (even with ``<!DOCTYPE html>``)  ``ResponseValidationError`` "not an XML answer"
2xx that does not read as expected          ``ResponseValidationError``
==========================================  =========================================

The ``status`` of these errors is the real HTTP status (ASMX answers every fault with
500); the class says what it means. A fault is a refused login only when it says the
login or password is wrong ("Ongeldige login of paswoord", "invalid password", "login
failed"), not when it merely mentions one ("Missing parameter: paswoord", a stack trace
naming ``paswoord``). Messages never contain the password: any occurrence in a fault
text is replaced by ``***``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

from ..errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ErrorDetail,
    ForbiddenError,
    InformatError,
    ResponseValidationError,
    ServerError,
    error_for_status,
)
from ..signing import parse_retry_after
from ._xml import Node, parse

__all__ = [
    "NAMESPACE",
    "SOAP_ENV",
    "Row",
    "boolean_result",
    "error_from_answer",
    "fault_error",
    "read_answer",
    "redact",
    "soap_action",
    "soap_request",
]

NAMESPACE = "http://InformatSoftware.be/wsInfSoft/wsInformat"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"

Row = dict[str, str | None]
"""One DataSet row: element name as sent -> text, or None for an empty or absent value."""

_INSTITUTE_WORDS = ("instel", "institu", "internaat")
_CREDENTIAL = (r"(?:login|paswoord|wachtwoord|password|passwd|gebruikers?(?:naam)?|"
               r"user(?:name)?|credentials?|aanmeldingsgegevens)")
_WRONG = (r"(?:ongeldig|verkeerd|onjuist|fout(?:ief)?|incorrect|invalid|wrong|bad|"
          r"onbekend|unknown|niet (?:correct|geldig|gekend|juist))")
#: A fault that says the login was refused (not one that merely mentions "paswoord").
_REFUSED_LOGIN = re.compile(
    rf"\b{_WRONG}e?\s+{_CREDENTIAL}\b"  # "Ongeldige login of paswoord", "invalid password"
    rf"|\b{_CREDENTIAL}\s+(?:of\s+{_CREDENTIAL}\s+|or\s+{_CREDENTIAL}\s+)?"
    rf"(?:is\s+|zijn\s+|was\s+|are\s+)?{_WRONG}\b"  # "login of paswoord is ongeldig"
    r"|\b(?:login|aanmelden|aanmelding|authenticatie|authentication|logon)\s+"
    r"(?:is\s+|was\s+)?(?:failed|mislukt|geweigerd|refused|denied)\b"
    r"|\b(?:not|niet)\s+(?:authenticated|geauthenticeerd)\b",
    re.IGNORECASE,
)
_ACCESS_WORDS = ("toegang", "access", "denied", "geweigerd")
#: Whole words only: "format" must not match "wsInformat" in a stack trace.
_INPUT_WORDS = re.compile(r"\b(?:schooljaar|parameter|\w*datum|hoofdstructuur|ongeldig\w*|"
                          r"did not recognize|format)\b", re.IGNORECASE)


def soap_action(operation: str) -> str:
    """The ``SOAPAction`` header of an operation (quoted, as .NET clients send it)."""
    return f'"{NAMESPACE}/{operation}"'


def soap_request(operation: str, params: Sequence[tuple[str, str]]) -> tuple[dict[str, str], bytes]:
    """Headers and body of a SOAP 1.1 call with the parameters in the given order."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
        "<soap:Body>",
        f'<{operation} xmlns="{NAMESPACE}">',
    ]
    for name, value in params:
        parts.append(f"<{name}>{escape(value)}</{name}>" if value else f"<{name} />")
    parts += [f"</{operation}>", "</soap:Body>", "</soap:Envelope>"]
    headers = {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": soap_action(operation),
        "Accept": "text/xml",
    }
    return headers, "".join(parts).encode("utf-8")


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of a secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _where(endpoint: str | None, institute: str | None) -> str:
    return " ".join(x for x in (endpoint, f"institute {institute}" if institute else None) if x)


def _fault_text(raw: str) -> str:
    """The useful line of an ASMX fault string: the inner exception's first line."""
    text = raw.strip()
    if "--->" in text:
        text = text.rsplit("--->", 1)[1].strip()
    text = text.splitlines()[0].strip() if text else ""
    for prefix in ("System.Web.Services.Protocols.SoapException:", "System.Exception:",
                   "System.ArgumentException:", "System.InvalidOperationException:"):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
    return text[:300]


def fault_error(
    faultcode: str,
    faultstring: str,
    *,
    status: int,
    institute: str | None = None,
    endpoint: str | None = None,
    secrets: Iterable[str] = (),
    retry_after: float | None = None,
) -> InformatError:
    """The typed error of a SOAP fault (see the module's table)."""
    secrets = tuple(secrets)
    message = redact(_fault_text(faultstring), secrets) or "(no fault string)"
    code = faultcode.rpartition(":")[2] or faultcode
    lower = message.lower()
    where = _where(endpoint, institute)
    cls: type[APIStatusError]
    if _REFUSED_LOGIN.search(message):
        return AuthenticationError(
            f"{where}: the webservice refused the login: {message}",
            error="invalid_login",
            status=status,
        )
    if any(word in lower for word in _INSTITUTE_WORDS):
        cls = ForbiddenError  # an unknown institute, or one the login has no access to
    elif any(word in lower for word in _ACCESS_WORDS):
        cls = ForbiddenError
    elif code.lower() == "client" or _INPUT_WORDS.search(message):
        cls = BadRequestError
    else:
        cls = ServerError if status >= 500 else APIStatusError
    return cls(
        f"SOAP fault ({code}) from {where}: {message}",
        status=status,
        details=(ErrorDetail(code=code, message=message),),
        institute=institute,
        endpoint=endpoint,
        retry_after=retry_after,
    )


def _fault_of(root: Node) -> tuple[str, str] | None:
    if root.name != "Envelope":
        return None
    body = root.find("Body")
    fault = body.find("Fault") if body is not None else None
    if fault is None:
        return None
    code = fault.find("faultcode")
    string = fault.find("faultstring")
    return (
        code.text.strip() if code is not None else "",
        string.text if string is not None else "",
    )


def error_from_answer(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: dt.datetime,
    institute: str | None = None,
    endpoint: str | None = None,
    secrets: Iterable[str] = (),
) -> InformatError:
    """The typed error of a non-2xx answer: a SOAP fault, or a status with a text body."""
    retry_after = parse_retry_after(headers.get("Retry-After"), now)
    if body.lstrip().startswith(b"<"):
        try:
            root = parse(body)
        except ResponseValidationError:
            root = None  # an HTML page or worse: summarised below, never parsed as data
        if root is not None:
            fault = _fault_of(root)
            if fault is not None:
                return fault_error(
                    fault[0], fault[1], status=status, institute=institute,
                    endpoint=endpoint, secrets=secrets, retry_after=retry_after,
                )
    text = redact(body.decode("utf-8", "replace"), tuple(secrets))
    return error_for_status(
        status, text, institute=institute, endpoint=endpoint, retry_after=retry_after
    )


def read_answer(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    operation: str,
    now: dt.datetime,
    institute: str | None = None,
    endpoint: str | None = None,
    secrets: Iterable[str] = (),
) -> Node:
    """The result element of an answer (``{operation}Result`` of a SOAP envelope, or the
    root of a form-POST answer); raises the typed error of a fault or an error status."""
    if not 200 <= status < 300:
        raise error_from_answer(
            status, headers, body, now=now, institute=institute, endpoint=endpoint,
            secrets=secrets,
        )
    root = parse(body, institute=institute, endpoint=endpoint)
    if root.name != "Envelope" or root.ns != SOAP_ENV:
        if root.ns == NAMESPACE:  # an HTTP POST/GET answer: DataSet or boolean
            return root
        raise ResponseValidationError(
            f"{_where(endpoint, institute)}: the answer is neither a SOAP envelope nor a "
            f"wsInformat document (root element {root.name[:40]})",
            errors=["$: unexpected root element"],
            institute=institute,
            endpoint=endpoint,
        )
    fault = _fault_of(root)
    if fault is not None:
        raise fault_error(fault[0], fault[1], status=status, institute=institute,
                          endpoint=endpoint, secrets=secrets)
    soap_body = root.find("Body")
    response = soap_body.children[0] if soap_body is not None and soap_body.children else None
    if response is None or response.name.lower() != f"{operation}Response".lower():
        raise ResponseValidationError(
            f"{_where(endpoint, institute)}: the SOAP answer has no {operation}Response",
            errors=[f"$.Body: expected {operation}Response"],
            institute=institute,
            endpoint=endpoint,
        )
    result = response.find(f"{operation}Result")
    return result if result is not None else Node(NAMESPACE, f"{operation}Result", True)


def boolean_result(result: Node, *, institute: str | None = None,
                   endpoint: str | None = None) -> bool:
    """The value of a ``boolean`` result (``AuthenticateUser``)."""
    text = result.text.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ResponseValidationError(
        f"{_where(endpoint, institute)}: expected true or false",
        errors=["$: expected a boolean"],
        institute=institute,
        endpoint=endpoint,
    )
