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

__all__ = ["Node", "UnsafeXMLError", "parse"]

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Deeper documents are refused (a DataSet is about 8 levels deep inside the envelope).
MAX_DEPTH = 64


class UnsafeXMLError(ResponseValidationError):
    """The answer declared a DTD or entities (billion laughs, external entities, ...);
    it was refused before anything was expanded or fetched."""


class _Refused(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


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


def _split(qname: str) -> tuple[str, str]:
    ns, sep, local = qname.rpartition(" ")
    return (ns, local) if sep else ("", qname)


def parse(body: bytes, *, institute: str | None = None, endpoint: str | None = None) -> Node:
    """Parse a whole document and return its root element.

    Raises :class:`UnsafeXMLError` for a DTD, an entity declaration or an external
    entity, and :class:`~informat_async.errors.ResponseValidationError` for anything that
    is not well-formed XML.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    roots: list[Node] = []

    def refuse(what: str) -> NoReturn:
        raise _Refused(what)

    def start(qname: str, attributes: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            refuse(f"elements nested deeper than {MAX_DEPTH} levels")
        ns, local = _split(qname)
        nil = attributes.get(f"{_XSI} nil", "").strip().lower() in ("true", "1")
        node = Node(ns, local, nil)
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
    parser.StartDoctypeDeclHandler = lambda *_: refuse("a document type declaration (DTD)")
    parser.EntityDeclHandler = lambda *_: refuse("an entity declaration")
    parser.UnparsedEntityDeclHandler = lambda *_: refuse("an unparsed entity declaration")
    parser.NotationDeclHandler = lambda *_: refuse("a notation declaration")
    parser.ExternalEntityRefHandler = lambda *_: refuse("an external entity reference")
    where = " ".join(x for x in (endpoint, f"institute {institute}" if institute else None) if x)
    try:
        parser.Parse(body, True)
    except _Refused as exc:
        raise UnsafeXMLError(
            f"{where or 'the answer'}: refused XML with {exc.what}; entities are never "
            "expanded or fetched",
            errors=[f"$: {exc.what}"],
            institute=institute,
            endpoint=endpoint,
        ) from None
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, "not well-formed") if exc.code else str(exc)
        raise ResponseValidationError(
            f"{where or 'the answer'} is not well-formed XML ({reason}, line {exc.lineno})",
            errors=[f"$: {reason}"],
            institute=institute,
            endpoint=endpoint,
        ) from None
    if not roots:
        raise ResponseValidationError(
            f"{where or 'the answer'} holds no XML element", institute=institute,
            endpoint=endpoint,
        )
    return roots[0]
