"""A small XML reader that refuses DTDs, so no entity is ever expanded or fetched.

Why not ``xml.etree.ElementTree``: the standard library's parsers expand internal
entities (the "billion laughs" document) and their safety depends on the expat version
the interpreter was built with. Why not defusedxml: it would be a new runtime dependency
for something the standard library's ``xml.parsers.expat`` does in a few lines once a
handler rejects the document type declaration.

How: the expat parser gets a ``StartDoctypeDeclHandler`` that raises before anything of
the DTD is read, so no entity (internal or external, general or parameter) can be
declared; entity, notation and external-entity handlers raise as well (belt and braces),
parameter entities are never parsed, and a reference to an undeclared entity is a plain
expat error. SOAP forbids a DTD anyway (SOAP 1.1 section 3), so a valid answer never has
one. Every refusal and parse error becomes :class:`UnsafeXMLError` or
:class:`~informat_async.errors.ResponseValidationError`; nothing of the document is
echoed into the message.
"""

from __future__ import annotations

from typing import NoReturn
from xml.parsers import expat

from ..errors import ResponseValidationError

__all__ = ["MAX_DEPTH", "Node", "UnsafeXMLError", "is_nil", "looks_like_html", "new_parser",
           "not_xml", "parse", "split", "translate"]

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NIL = f"{_XSI} nil"
#: Deeper documents are refused (a DataSet is about 8 levels deep inside the envelope).
MAX_DEPTH = 64


class UnsafeXMLError(ResponseValidationError):
    """The answer declared a DTD or entities (billion laughs, external entities, ...);
    it was refused before anything was expanded or fetched."""


class _Refused(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _Html(Exception):
    """The document declared ``<!DOCTYPE html>``: a web page, not an XML answer."""


_HTML_STARTS = (b"<!doctype html", b"<html")


def looks_like_html(body: bytes, content_type: str | None = None) -> bool:
    """Whether an answer is an HTML page (a proxy's or a login portal's), judged by its
    ``Content-Type`` or its first bytes; such a page is "not an XML answer", never an
    XML attack."""
    if content_type and content_type.split(";", 1)[0].strip().lower() in (
        "text/html", "application/xhtml+xml"
    ):
        return True
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip() if b"?>" in head else head
    return head.startswith(_HTML_STARTS)


def not_xml(where: str, status: int | None = None, *, institute: str | None = None,
            endpoint: str | None = None) -> ResponseValidationError:
    """The error of an answer that is an HTML page rather than XML."""
    code = f", HTTP {status}" if status is not None else ""
    return ResponseValidationError(
        f"{where or 'the answer'}: not an XML answer (an HTML page{code})",
        errors=["$: not an XML answer (HTML)"],
        institute=institute,
        endpoint=endpoint,
    )


def _refuse_doctype(name: str | None, *_: object) -> NoReturn:
    if name is not None and name.strip().lower() == "html":
        raise _Html
    raise _Refused("a document type declaration (DTD)")


def _refuse(what: str) -> NoReturn:
    raise _Refused(what)


def new_parser() -> expat.XMLParserType:
    """An expat parser (namespaces split by a space) that refuses DTDs, entity and
    notation declarations and external entities before anything is expanded; a
    ``<!DOCTYPE html>`` raises the (private) HTML marker instead."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = lambda *_: _refuse("an entity declaration")
    parser.UnparsedEntityDeclHandler = lambda *_: _refuse("an unparsed entity declaration")
    parser.NotationDeclHandler = lambda *_: _refuse("a notation declaration")
    parser.ExternalEntityRefHandler = lambda *_: _refuse("an external entity reference")
    return parser


def translate(exc: BaseException, where: str, *, institute: str | None,
              endpoint: str | None) -> ResponseValidationError | None:
    """The typed error of a parser failure (None: not a parser failure)."""
    if isinstance(exc, _Html):
        return not_xml(where, institute=institute, endpoint=endpoint)
    if isinstance(exc, _Refused):
        return UnsafeXMLError(
            f"{where or 'the answer'}: refused XML with {exc.what}; entities are never "
            "expanded or fetched",
            errors=[f"$: {exc.what}"],
            institute=institute,
            endpoint=endpoint,
        )
    if isinstance(exc, expat.ExpatError):
        reason = expat.errors.messages.get(exc.code, "not well-formed") if exc.code else str(exc)
        return ResponseValidationError(
            f"{where or 'the answer'} is not well-formed XML ({reason}, line {exc.lineno})",
            errors=[f"$: {reason}"],
            institute=institute,
            endpoint=endpoint,
        )
    return None


class Node:
    """An element: namespace, local name, child elements and text."""

    __slots__ = ("children", "name", "nil", "ns", "parts")

    def __init__(self, ns: str, name: str, nil: bool) -> None:
        self.ns = ns
        self.name = name
        self.nil = nil
        self.children: list[Node] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        """The element's own character data (not its children's)."""
        return "".join(self.parts)

    def find(self, name: str) -> Node | None:
        """The first child with this local name (case-insensitive), or None."""
        folded = name.lower()
        for child in self.children:
            if child.name.lower() == folded:
                return child
        return None

    def __repr__(self) -> str:
        return f"<Node {self.name} children={len(self.children)}>"


def is_nil(attributes: dict[str, str]) -> bool:
    """Whether an element's attributes carry ``xsi:nil="true"``."""
    if not attributes:
        return False
    return attributes.get(_NIL, "").strip().lower() in ("true", "1")


def split(qname: str) -> tuple[str, str]:
    """(namespace, local name) of an expat name split by a space."""
    ns, sep, local = qname.rpartition(" ")
    return (ns, local) if sep else ("", qname)


def parse(body: bytes, *, institute: str | None = None, endpoint: str | None = None) -> Node:
    """Parse a whole document and return its root element.

    Raises :class:`UnsafeXMLError` for a DTD, an entity declaration or an external
    entity, and :class:`~informat_async.errors.ResponseValidationError` for anything that
    is not well-formed XML.
    """
    parser = new_parser()
    stack: list[Node] = []
    roots: list[Node] = []

    def start(qname: str, attributes: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            _refuse(f"elements nested deeper than {MAX_DEPTH} levels")
        ns, local = split(qname)
        node = Node(ns, local, is_nil(attributes))
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)

    def end(_qname: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    where = " ".join(x for x in (endpoint, f"institute {institute}" if institute else None) if x)
    if looks_like_html(body):
        raise not_xml(where, institute=institute, endpoint=endpoint)
    try:
        parser.Parse(body, True)
    except (_Html, _Refused, expat.ExpatError) as exc:
        error = translate(exc, where, institute=institute, endpoint=endpoint)
        assert error is not None
        try:
            raise error from None
        finally:
            del error  # no reference cycle through this frame
    if not roots:
        raise ResponseValidationError(
            f"{where or 'the answer'} holds no XML element", institute=institute,
            endpoint=endpoint,
        )
    return roots[0]
