"""The protocol without I/O: request headers, scopes, and reading an answer.

Pure functions, so the protocol can be tested without a server and the aiohttp part of
:mod:`informat_async.transport` stays a thin adapter.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal

from . import _offload
from .errors import (
    CODE_CATALOGUE,
    APIStatusError,
    ErrorReader,
    IncompleteResponseError,
    ResponseValidationError,
    error_for_status,
    read_informat_errors,
)

__all__ = [
    "SCOPE_PREFIX",
    "AnswerShape",
    "ApiFamily",
    "bare",
    "check_person",
    "current_timestamp",
    "decode_json",
    "error_from_answer",
    "format_timestamp",
    "parse_retry_after",
    "request_headers",
    "scope_for",
    "unwrap",
]

ApiFamily = Literal["leerlingen", "voorinschrijvingen"]
"""The two scope flavours: pupil reads, and pre-registration writes."""

SCOPE_PREFIX = "api_informat_sas_leerlingen"


def scope_for(institute: str, family: ApiFamily) -> str:
    """The OAuth2 scope that grants ``family`` calls for ``institute``."""
    return f"{SCOPE_PREFIX}.{family}.{institute}"


def format_timestamp(now: dt.datetime) -> str:
    """``Timestamp`` header value: UTC as ``yyyy-MM-ddTHH:mm:ss.fff`` (the current time's
    goes the cheaper way of :func:`current_timestamp`)."""
    utc = now if now.tzinfo is None or now.tzinfo is dt.UTC else now.astimezone(dt.UTC)
    # isoformat and a slice: 2 µs against strftime's 4.5
    return utc.isoformat(timespec="milliseconds")[:23]


#: ``(second, "yyyy-MM-ddTHH:mm:ss.")`` of the last :func:`current_timestamp`, replaced as
#: one tuple (threads may share it).
_SECOND: tuple[int, str] = (-1, "")


def current_timestamp() -> str:
    """``format_timestamp(datetime.now(UTC))``, from ``time.time_ns()``: the text of the
    second is made once per second, and only the milliseconds per call (0.4 µs against
    1.4; once per request, photos included)."""
    return _timestamp_of_ns(time.time_ns())


def _timestamp_of_ns(ns: int) -> str:
    """The ``Timestamp`` of ``ns`` nanoseconds since the epoch (see :func:`current_timestamp`)."""
    global _SECOND
    second, rest = divmod(ns, 1_000_000_000)
    known = _SECOND
    if known[0] != second:
        known = _SECOND = (second, time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(second)))
    return f"{known[1]}{rest // 1_000_000:03d}"


def request_headers(
    access_token: str,
    institute: str,
    now: dt.datetime | None,
    *,
    has_body: bool = False,
    institute_header: str = "InstituteNo",
    timestamp: bool = True,
    extra: tuple[str, str] | None = None,
) -> dict[str, str]:
    """Every header a request carries: bearer token, the institute header (once), a
    ``Timestamp`` where the family wants one, ``Accept``, and a version header if any.

    ``now=None``: the ``Timestamp`` is the current time (:func:`current_timestamp`). The
    defaults are the Leerlingen API's.
    """
    headers = {
        "Authorization": f"Bearer {access_token}",
        institute_header: institute,
        "Accept": "application/json",
    }
    if timestamp:
        headers["Timestamp"] = current_timestamp() if now is None else format_timestamp(now)
    if extra is not None:
        headers[extra[0]] = extra[1]
    if has_body:
        headers["Content-Type"] = "application/json"
    return headers


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - now).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def decode_json(
    body: bytes,
    *,
    institute: str | None = None,
    endpoint: str | None = None,
    give_way: bool = False,
) -> Any:
    """Parse a successful answer's JSON body.

    ``give_way=True`` (for a big answer parsed in a worker thread): ``json.loads`` calls a
    Python function per JSON object, which returns it unchanged after
    :func:`._offload.turn_taker` (the worker's turns with the event loop). The parse is one C
    call that would hold the interpreter lock all along (~25-50 ms per 2.4 MB here, an
    event loop stall as long); this way the loop gets its turn every few milliseconds.

    An empty body, or one that is not JSON (a cut-off answer, a proxy's page), raises
    :class:`IncompleteResponseError`, which is retried; so does JSON nested too deeply to
    parse. Lone UTF-16 surrogates (``"\\ud800"`` is valid JSON but no text) become U+FFFD, so
    one bad name costs nothing downstream.
    """
    where = endpoint or "response"
    if not body.strip():
        raise IncompleteResponseError(
            f"{where} answered 2xx with an empty body", institute=institute, endpoint=endpoint
        )
    try:
        data = json.loads(body, object_hook=_hook()) if give_way else json.loads(body)
    except (ValueError, RecursionError) as exc:
        what = "nested too deeply" if isinstance(exc, RecursionError) else "not JSON"
        raise IncompleteResponseError(
            f"{where} answered 2xx with a body that is {what} ({len(body)} bytes)",
            institute=institute,
            endpoint=endpoint,
        ) from None
    # the cheap byte searches first: the regex scan of every body cost ~160 µs per 20 KB.
    # Searches for one byte (memchr) only: a body without a backslash or a 0xED byte, such
    # as every photo, holds no surrogate; a three-byte search (b"\\ud") cost ~13 µs per
    # 20 KB of base64, whose letters keep matching its last byte.
    if (b"\\" in body or b"\xed" in body) and _MAY_HOLD_SURROGATE.search(body):
        data = _replace_surrogates(data)
    return data


def _hook() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The ``object_hook`` of :func:`decode_json` with ``give_way``: the object unchanged,
    after the worker's turn (:func:`._offload.turn_taker`; entering a Python function is also
    where the interpreter can let another thread run)."""
    turn = _offload.turn_taker()
    if turn is None:
        return _unchanged

    def hook(obj: dict[str, Any]) -> dict[str, Any]:
        turn()
        return obj

    return hook


def _unchanged(obj: dict[str, Any]) -> dict[str, Any]:
    return obj


#: A JSON escape of a UTF-16 surrogate, or one encoded raw (json.loads passes those through).

_MAY_HOLD_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


AnswerShape = Literal["list", "object", "string"]

_SHAPES: Mapping[str, type] = {"list": list, "object": dict, "string": str}
_SHAPE_NAMES = {"list": "array", "object": "object", "string": "string"}


def unwrap(
    data: Any,
    key: str | None,
    shape: AnswerShape,
    *,
    institute: str | None = None,
    endpoint: str | None = None,
) -> Any:
    """The payload under the root ``key`` (matched case-insensitively), checked for ``shape``.

    A bare list passes for a list answer (the seed's school history examples are bare, and
    peers met bare arrays). An answer without the root key, with it ``null``, or of the wrong
    JSON type raises :class:`IncompleteResponseError`: it is never taken for "no records".
    With ``key=None`` the whole answer is the payload (see :func:`bare`).
    """
    value = data
    # ``type(...) is dict`` first: the Mapping check goes through the ABC machinery
    if key is not None and (type(data) is dict or isinstance(data, Mapping)):
        value = _get_key(data, key)
        if value is _MISSING:
            keys = ", ".join(map(str, data))[:200]
            raise IncompleteResponseError(
                f"{endpoint or 'response'} answered without {key!r} (keys: {keys})",
                errors=[f"$.{key}: missing"], institute=institute, endpoint=endpoint,
            )
        if value is None:
            raise IncompleteResponseError(
                f"{endpoint or 'response'} answered {key}: null",
                errors=[f"$.{key}: null"], institute=institute, endpoint=endpoint,
            )
    if not isinstance(value, _SHAPES[shape]):
        where = f"{key!r}" if key else "the answer"
        raise IncompleteResponseError(
            f"{endpoint or 'response'} answered {_json_type(value)} where {where} should be "
            f"a JSON {_SHAPE_NAMES[shape]}",
            errors=[f"$.{key or ''}: {_json_type(value)}"], institute=institute,
            endpoint=endpoint,
        )
    return value


def bare(
    data: Any,
    key: str | None,
    shape: AnswerShape,
    *,
    institute: str | None = None,
    endpoint: str | None = None,
) -> Any:
    """The whole answer is the payload (bare arrays, objects and strings), checked for
    ``shape``; ``key`` only names it in errors. ``null`` or the wrong type raises
    :class:`IncompleteResponseError`."""
    return unwrap(data, None, shape, institute=institute, endpoint=endpoint)


_MISSING = object()


def _get_key(data: Mapping[Any, Any], key: str) -> Any:
    if key in data:
        return data[key]
    folded = key.lower()
    for k, v in data.items():
        if isinstance(k, str) and k.lower() == folded:
            return v
    return _MISSING


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def error_from_answer(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: dt.datetime,
    institute: str | None = None,
    endpoint: str | None = None,
    read: ErrorReader = read_informat_errors,
    catalogue: Mapping[str, str] = CODE_CATALOGUE,
    family: str | None = None,
) -> APIStatusError:
    """The typed error of an answer that is not a success, its body read with ``read`` and
    ``catalogue`` (the Leerlingen API's by default).

    A body that is not JSON (a proxy's HTML page) is summarised, never parsed as data.
    """
    decoded: object
    try:
        decoded = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        decoded = body.decode("utf-8", "replace")
    return error_for_status(
        status,
        decoded,
        institute=institute,
        endpoint=endpoint,
        retry_after=parse_retry_after(headers.get("Retry-After"), now),
        read=read,
        catalogue=catalogue,
        family=family,
    )


def check_person(
    got: object, asked: uuid.UUID, *, path: str, key: str, institute: str | None,
    endpoint: str,
) -> None:
    """An answer about another person than the one asked for is never taken for theirs:
    ``got`` (the answer's ``key`` at ``path``) must equal ``asked``, else
    :class:`ResponseValidationError` (not retried: the server answered, wrongly)."""
    # the numbers first: UUID's own __eq__ is a Python function, called once per photo
    if not (type(got) is uuid.UUID and got.int == asked.int) and got != asked:
        how = "missing" if got is None else "differs"
        raise ResponseValidationError(
            f"{endpoint} for institute {institute}: the answer is not about the person asked "
            f"for ({key} {how} at {path})",
            errors=[f"{path}.{key}: {'null' if got is None else 'differs'}"],
            institute=institute, endpoint=endpoint,
        )
