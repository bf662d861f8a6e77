"""Decoding a list answer of the older webservices, incrementally, into models.

The live service answers with XmlSerializer typed arrays (the primary shape)::

    <soap:Envelope><soap:Body><LlnResponse xmlns="http://InformatSoftware.be/...">
      <LlnResult>
        <wsInschrijving><p_persoon>1001</p_persoon><Naam>...</Naam>...</wsInschrijving>
        <wsInschrijving>...</wsInschrijving>
      </LlnResult>
    </LlnResponse></soap:Body></soap:Envelope>

(``ArrayOfWsInschrijving`` as the root for the HTTP GET/POST bindings). Three lists are
grouped per pupil: ``<WsRelaties><PPersoon/><Relaties><Relatie/>...</Relaties>
</WsRelaties>`` (likewise ``WsComnummers``/``Comnrs``/``Comnr`` and
``WsEmailadressen``/``Emails``/``Email``). They are flattened: **one record per item**,
carrying the pupil's ``PPersoon`` (and any other scalar field of the per-pupil element)
as ``p_persoon``; a pupil without items gives no record. A .NET DataSet (``xs:schema`` +
``diffgr:diffgram``) is still read, as a fallback.

The decoder never invents records: there is exactly one record per row element (per item
element for the nested lists) whatever the count, 0, 1 or many; an ``xsi:nil`` row is a
null entry of the array and gives none. An answer it cannot recognise (row elements of
another name than the operation's, rows of several names, rows that are bare text,
nested rows of a flat list, rows none of whose elements the model knows) is a
:class:`~informat_async.errors.ResponseValidationError` naming the operation, never a
list of empty records.

Rows are parsed with expat in feed mode and structured into models as soon as each row
element closes, so that memory holds the answer's bytes and the models, never a tree of
the whole document. The client decodes on the event loop in slices of 16 KiB
(:func:`decode_list_async`), handing the loop back to other tasks after each slice, so a
big answer never freezes it (see ``benchmarks/fig_legacy_decode.py``). Slices rather than
a worker thread: on a loaded machine the interpreter lock made the loop wait up to
175 ms behind a CPU-bound thread, against a few milliseconds per slice.

The cyclic garbage collector is paused while a big answer (:data:`PAUSE_GC_FROM`) is
decoded: each full collection walks every record decoded so far while holding the
interpreter lock, and with 100,000 records that froze the loop for 130-190 ms at a time
(the decoding itself makes no reference cycles, so nothing is left uncollected). When the
last such decoding ends, the objects it made are moved to the oldest generation without
a walk (``gc.freeze()`` + ``gc.unfreeze()``, skipped when the application keeps objects
frozen itself) and the collector is enabled again if it was. The pause
(:data:`.._gc_pause.collector_paused`) is the one the JSON decoder takes in its worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import cattrs

from .._gc_pause import collector_paused
from ..errors import ResponseValidationError
from ._convert import fold, structure_one
from ._operations import Operation
from ._protocol import NAMESPACE, SOAP_ENV, Row, fault_error
from ._xml import MAX_DEPTH, Node, is_nil, looks_like_html, new_parser, not_xml, split, translate

__all__ = ["CHUNK", "PAUSE_GC_FROM", "SLICE", "Decoded", "ListDecoder", "decode_list",
           "decode_list_async"]

#: Bytes handed to expat at a time by :func:`decode_list`.
CHUNK = 64 * 1024
#: Bytes decoded between two turns of the event loop by :func:`decode_list_async`
#: (a few milliseconds of work).
SLICE = 16 * 1024
#: Answers from this size on are decoded with the cyclic garbage collector paused.
PAUSE_GC_FROM = 4 * 2**20
#: Values up to this length are shared between records (codes, names, dates repeat).
_SHARE_UP_TO = 32
_SCHEMA_NS = "http://www.w3.org/2001/XMLSchema"
_DIFFGRAM_SKIP = frozenset({"before", "errors"})


@attrs.frozen
class Decoded:
    """The records of one answer, the error paths of rows that did not decode, and how
    many row (item) elements the answer held."""

    items: list[Any]
    errors: list[str]
    rows: int


class _Unrecognised(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class _RowReader:
    """Expat callbacks building one small tree per row and handing it on when it closes."""

    def __init__(self, op: Operation, converter: cattrs.Converter, *, strict_row: bool) -> None:
        self.op = op
        self.converter = converter
        self.expected = op.row.casefold() if op.row is not None and strict_row else None
        self.item = op.nested.item.casefold() if op.nested is not None else None
        self.wrapper = op.nested.wrapper.casefold() if op.nested is not None else None
        self.known = frozenset(fold(f.name) for f in attrs.fields(op.model))
        self.stack: list[Node] = []
        self.roles: list[str] = []
        self.root: Node | None = None
        self.result_seen = False
        self.response_seen = False
        self.fault: Node | None = None
        self.row_name: str | None = None
        self.items: list[Any] = []
        self.errors: list[str] = []
        self.rows = 0
        self.strings: dict[str, str] = {}

    # -- expat callbacks

    def start(self, qname: str, attributes: dict[str, str]) -> None:
        depth = len(self.stack)
        if depth >= MAX_DEPTH:
            raise _Unrecognised(f"elements nested deeper than {MAX_DEPTH} levels")
        ns, local = split(qname)
        node = Node(ns, local, is_nil(attributes))
        parent_role = self.roles[-1] if self.roles else ""
        role = ""
        if depth == 0:
            self.root = node
            if local == "Envelope" and ns == SOAP_ENV:
                role = "envelope"
            elif ns == NAMESPACE:
                role = "result"  # an HTTP GET/POST answer: ArrayOf<Row> (or a DataSet)
                self.result_seen = True
            else:
                raise _Unrecognised(
                    f"neither a SOAP envelope nor a wsInformat document (root element "
                    f"{local[:40]})"
                )
        elif parent_role == "envelope" and local == "Body":
            role = "body"
        elif parent_role == "body":
            response = f"{self.op.name}Response".casefold()
            if local == "Fault":
                role = "fault"
            elif not self.response_seen and local.casefold() == response:
                role = "response"
                self.response_seen = True
            else:
                raise _Unrecognised(f"the SOAP answer has no {self.op.name}Response")
        elif parent_role == "response" and local.casefold() == f"{self.op.name}Result".casefold():
            role = "result"
            self.result_seen = True
        elif parent_role == "result" and local == "diffgram":
            role = "diffgram"
        elif parent_role == "diffgram" and local not in _DIFFGRAM_SKIP:
            role = "dataset"
        if self.stack:
            self.stack[-1].children.append(node)
        self.stack.append(node)
        self.roles.append(role)

    def end(self, _qname: str) -> None:
        node = self.stack.pop()
        self.roles.pop()
        parent_role = self.roles[-1] if self.roles else ""
        if parent_role == "result":
            self.stack[-1].children.pop()
            if node.name == "schema" and node.ns == _SCHEMA_NS:
                return  # the DataSet's schema
            if node.name != "diffgram":
                self._typed_row(node)
        elif parent_role == "dataset":
            self.stack[-1].children.pop()
            self._dataset_row(node)
        elif parent_role == "body" and node.name == "Fault":
            self.fault = node

    def chars(self, data: str) -> None:
        # only inside rows and faults: the whitespace between 100,000 rows of a
        # pretty-printed answer is not kept
        if self.stack and self.roles[-1] in ("", "fault"):
            self.stack[-1].parts.append(data)

    # -- rows

    def _value(self, node: Node) -> str | None:
        if node.nil:
            return None
        text = node.text
        if not text.strip():
            return None
        if len(text) <= _SHARE_UP_TO:
            text = self.strings.setdefault(text, text)
        return text

    def _leaves(self, node: Node) -> Row:
        fields: Row = {}
        for cell in node.children:
            if not cell.children:
                fields.setdefault(cell.name, self._value(cell))
        return fields

    def _typed_row(self, node: Node) -> None:
        name = node.name.casefold()
        if self.row_name is None:
            self.row_name = node.name
        elif name != self.row_name.casefold():
            raise _Unrecognised(f"rows of several kinds ({self.row_name[:40]}, {node.name[:40]})")
        if node.nil:
            return  # a null entry of the array
        if not node.children and node.text.strip():
            raise _Unrecognised(f"{node.name[:40]} holds text, not a record")
        if self.item is not None:
            has_list = any(c.name.casefold() == self.wrapper for c in node.children)
            if name == self.item and not has_list:
                self._emit(self._leaves(node))  # items sent flat, not grouped per pupil
                return
            if self.expected is not None and name != self.expected:
                raise _Unrecognised(f"expected {self.op.row} rows, got {node.name[:40]}")
            self._nested_row(node)
            return
        if self.expected is not None and name != self.expected:
            raise _Unrecognised(f"expected {self.op.row} rows, got {node.name[:40]}")
        if node.children and all(c.children for c in node.children):
            raise _Unrecognised(f"{node.name[:40]} holds nested elements only, not a record")
        self._emit(self._leaves(node))

    def _nested_row(self, node: Node) -> None:
        assert self.op.nested is not None
        parent = self._leaves(node)
        wrapper = next((c for c in node.children if c.name.casefold() == self.wrapper), None)
        if wrapper is None or wrapper.nil:
            return  # a pupil without items
        for item in wrapper.children:
            if item.name.casefold() != self.item:
                raise _Unrecognised(
                    f"expected {self.op.nested.item} in {self.op.nested.wrapper}, got "
                    f"{item.name[:40]}"
                )
            if item.nil:
                continue
            fields = self._leaves(item)
            for key, value in parent.items():
                fields.setdefault(key, value)
            self._emit(fields)

    def _dataset_row(self, node: Node) -> None:
        self._emit(self._leaves(node))

    def _emit(self, fields: Row) -> None:
        if fields and not any(fold(key) in self.known for key in fields):
            raise _Unrecognised(
                f"a row none of whose elements a {self.op.model.__name__} has"
            )
        index = self.rows
        self.rows += 1
        item, errors = structure_one(fields, self.op.model, self.converter,
                                     path=f"$.{self.op.name}[{index}]")
        if errors:
            self.errors.extend(errors)
        else:
            self.items.append(item)


class ListDecoder:
    """Decodes one list answer fed to it slice by slice (:meth:`feed`, then
    :meth:`close`); every failure is raised as its typed error."""

    def __init__(
        self,
        op: Operation,
        converter: cattrs.Converter,
        *,
        status: int = 200,
        institute: str | None = None,
        endpoint: str | None = None,
        secrets: Iterable[str] = (),
        strict_row: bool = True,
    ) -> None:
        self._op = op
        self._status = status
        self._institute = institute
        self._endpoint = endpoint
        self._secrets = tuple(secrets)
        self._where = " ".join(
            x for x in (endpoint, f"institute {institute}" if institute else None) if x
        )
        self._reader = _RowReader(op, converter, strict_row=strict_row)
        self._parser = new_parser()
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._reader.start
        self._parser.EndElementHandler = self._reader.end
        self._parser.CharacterDataHandler = self._reader.chars

    def _parse(self, data: bytes, final: bool) -> None:
        op = self._op
        try:
            self._parser.Parse(data, final)
        except _Unrecognised as exc:
            raise ResponseValidationError(
                f"{self._where or op.name}: unrecognised {op.name} answer: {exc.why}",
                errors=[f"$.{op.name}: {exc.why}"],
                institute=self._institute,
                endpoint=self._endpoint,
            ) from None
        except Exception as exc:
            error = translate(exc, self._where, institute=self._institute,
                              endpoint=self._endpoint)
            if error is None:
                raise
            try:
                raise error from None
            finally:
                del error  # no reference cycle through this frame

    def feed(self, data: bytes) -> None:
        """Parse the next slice of the answer; rows are decoded as they close."""
        self._parse(data, False)

    def close(self) -> Decoded:
        """End the answer: the records, or the typed error of what it held."""
        self._parse(b"", True)
        reader, op = self._reader, self._op
        where, institute, endpoint = self._where, self._institute, self._endpoint
        if reader.fault is not None:
            code = reader.fault.find("faultcode")
            text = reader.fault.find("faultstring")
            raise fault_error(
                code.text.strip() if code is not None else "",
                text.text if text is not None else "",
                status=self._status, institute=institute, endpoint=endpoint,
                secrets=self._secrets,
            )
        if reader.root is None:
            raise ResponseValidationError(f"{where or op.name}: the answer holds no XML element",
                                          institute=institute, endpoint=endpoint)
        if not reader.result_seen and not reader.response_seen:
            raise ResponseValidationError(
                f"{where or op.name}: the SOAP answer has no {op.name}Response",
                errors=[f"$.Body: expected {op.name}Response"],
                institute=institute,
                endpoint=endpoint,
            )
        # a response without its Result element is a null array: no rows
        return Decoded(reader.items, reader.errors, reader.rows)


def _start(
    body: bytes,
    op: Operation,
    converter: cattrs.Converter,
    *,
    status: int,
    headers: Mapping[str, str] | None,
    institute: str | None,
    endpoint: str | None,
    secrets: Iterable[str],
    strict_row: bool,
) -> ListDecoder:
    content_type = next((v for k, v in (headers or {}).items()
                         if k.lower() == "content-type"), None)
    if looks_like_html(body, content_type):
        where = " ".join(
            x for x in (endpoint, f"institute {institute}" if institute else None) if x
        )
        raise not_xml(where, status, institute=institute, endpoint=endpoint)
    return ListDecoder(op, converter, status=status, institute=institute, endpoint=endpoint,
                       secrets=secrets, strict_row=strict_row)


def _pause_for(body: bytes) -> contextlib.AbstractContextManager[None]:
    return collector_paused() if len(body) >= PAUSE_GC_FROM else contextlib.nullcontext()


def decode_list(
    body: bytes,
    op: Operation,
    converter: cattrs.Converter,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    institute: str | None = None,
    endpoint: str | None = None,
    secrets: Iterable[str] = (),
    strict_row: bool = True,
) -> Decoded:
    """Decode a 2xx list answer into ``op.model`` records, all at once (see the module
    docstring; the client uses :func:`decode_list_async`).

    ``strict_row=False`` takes rows of any one element name (for an operation renamed
    with ``operation_names``, whose row element may differ). Raises the typed error of
    a SOAP fault, :class:`~informat_async.legacy.UnsafeXMLError` for a DTD or entities,
    and :class:`~informat_async.errors.ResponseValidationError` for an HTML page ("not
    an XML answer"), XML that is not well-formed, or an answer it does not recognise.
    """
    decoder = _start(body, op, converter, status=status, headers=headers,
                     institute=institute, endpoint=endpoint, secrets=secrets,
                     strict_row=strict_row)
    view = memoryview(body)
    with _pause_for(body):
        for offset in range(0, len(view), CHUNK):
            decoder.feed(view[offset:offset + CHUNK].tobytes())
        return decoder.close()


async def decode_list_async(
    body: bytes,
    op: Operation,
    converter: cattrs.Converter,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    institute: str | None = None,
    endpoint: str | None = None,
    secrets: Iterable[str] = (),
    strict_row: bool = True,
) -> Decoded:
    """:func:`decode_list` on the event loop, :data:`SLICE` bytes at a time, handing the
    loop back to other tasks after each slice (an answer of one slice or less is decoded
    at once). A cancelled call stops decoding at the next slice."""
    decoder = _start(body, op, converter, status=status, headers=headers,
                     institute=institute, endpoint=endpoint, secrets=secrets,
                     strict_row=strict_row)
    view = memoryview(body)
    with _pause_for(body):
        for offset in range(0, len(view), SLICE):
            decoder.feed(view[offset:offset + SLICE].tobytes())
            if len(view) > SLICE:
                await asyncio.sleep(0)
        return decoder.close()
