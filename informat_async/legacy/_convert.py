"""Rows of the older webservices -> attrs models (a cattrs converter of its own).

The models know nothing of the wire; here:

* element names are matched case- and accent-insensitively and without underscores
  (``p_persoon``, ``PPersoon`` and ``P_PERSOON`` all fill ``p_persoon``; ``Privé`` fills
  ``prive``); unknown elements are ignored; when two elements fold to the same name
  (``Graad`` and ``graad`` in ``Lln``), the first non-empty one wins;
* dates come as ``dd/mm/yyyy`` (any separator: ``1-9-2025``, ``01.09.2025``), optionally
  followed by a time, as ``yyyy-mm-dd`` or as .NET ``2025-09-01T00:00:00+02:00``;
* date-times keep their offset when the service sends one (aware), else they are naive;
  .NET's seven fractional digits are cut to six;
* booleans are ``Ja``/``Nee``, ``J``/``N``, ``0``/``1``, ``true``/``false`` in any case;
* numbers accept a decimal comma; GUIDs any case, with or without braces.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from ._protocol import Row

__all__ = ["fold", "make_converter", "parse_date", "parse_datetime", "structure_one",
           "structure_rows"]

T = TypeVar("T")

# ASCII digits only ([0-9], never \d): other scripts' digits are not dates
_DMY = re.compile(
    r"^([0-9]{1,2})[^0-9]([0-9]{1,2})[^0-9]([0-9]{4})"
    r"(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?$"
)
_YMD = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_FRACTION = re.compile(r"(\.[0-9]{6})[0-9]+")
_TRUE = frozenset({"ja", "j", "true", "1", "waar", "yes", "y", "-1"})
_FALSE = frozenset({"nee", "n", "false", "0", "onwaar", "no"})


@functools.lru_cache(maxsize=4096)
def fold(name: str) -> str:
    """An element or field name folded for matching: no accents, case or underscores
    (cached: the same few hundred names come back in every row)."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("_", "").replace("-", "").replace(" ", "").casefold()


def parse_date(text: str) -> dt.date:
    """A date in any of the forms the service sends (see the module docstring)."""
    value = text.strip()
    match = _DMY.match(value)
    if match is not None:
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        return dt.date(year, month, day)
    match = _YMD.match(value)
    if match is not None:
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
        return dt.date(year, month, day)
    raise ValueError("not a date (expected dd/mm/yyyy or yyyy-mm-dd)")


def parse_datetime(text: str) -> dt.datetime:
    """A date-time: ISO 8601 with or without offset, or ``dd/mm/yyyy [HH:MM[:SS]]``."""
    value = text.strip()
    match = _DMY.match(value)
    if match is not None:
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
        return dt.datetime(year, month, day, hour, minute, second)
    value = _FRACTION.sub(r"\1", value)
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not a date-time (expected ISO 8601 or dd/mm/yyyy)") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _structure_date(value: Any, _: Any) -> dt.date:
    return parse_date(_text(value))


def _structure_datetime(value: Any, _: Any) -> dt.datetime:
    return parse_datetime(_text(value))


def _structure_bool(value: Any, _: Any) -> bool:
    folded = _text(value).strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError("expected Ja/Nee, 0/1 or true/false")


def _structure_int(value: Any, _: Any) -> int:
    text = _text(value).strip()
    try:
        return int(text)
    except ValueError:
        number = Decimal(text.replace(",", "."))  # "12.0" from a double column
        if number != number.to_integral_value():
            raise ValueError("expected a whole number") from None
        return int(number)


def _structure_decimal(value: Any, _: Any) -> Decimal:
    try:
        return Decimal(_text(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError("expected a number") from None


def _structure_uuid(value: Any, _: Any) -> uuid.UUID:
    text = _text(value).strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return uuid.UUID(text)


def _folded_keys(fn: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    def structure(value: Any, tp: Any) -> T:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a row, got {type(value).__name__}")
        folded: dict[str, Any] = {}
        for key, item in value.items():
            name = fold(key)
            if folded.get(name) is None:
                folded[name] = item
        return fn(folded, tp)

    return structure


def make_converter(models: Sequence[type[Any]], *, forbid_extra_keys: bool = False
                   ) -> cattrs.Converter:
    """A converter for the given models; ``forbid_extra_keys=True`` makes an element no
    field takes an error (the test suite uses it to prove the models miss nothing the
    fake server sends)."""
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=True)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(uuid.UUID, _structure_uuid)
    # Class hooks, not predicate hooks: cattrs dispatches bool/int/str directly, before any
    # predicate (a predicate hook for bool would be skipped and bool("Nee") be True).
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, lambda v, _: _text(v))
    for cls in models:
        overrides: dict[str, Any] = {
            f.name: override(rename=fold(f.name)) for f in attrs.fields(cls)
        }
        conv.register_structure_hook(cls, _folded_keys(make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys, **overrides
        )))
    return conv


def _error_paths(exc: BaseException, path: str) -> list[str]:
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return cattrs.transform_error(exc, path=path)
    return [f"{type(exc).__name__} at {path}"]


def structure_one(
    row: Row, cls: type[T], conv: cattrs.Converter, *, path: str = "$"
) -> tuple[T | None, list[str]]:
    """Structure one row: the item, or None and the error paths (never values)."""
    try:
        return conv.structure(row, cls), []
    except Exception as exc:  # cattrs raises many types; all mean "does not decode"
        return None, _error_paths(exc, path)


def structure_rows(
    rows: Sequence[Row], cls: type[T], conv: cattrs.Converter, *, path: str = "$"
) -> tuple[list[T], list[str]]:
    """Structure rows one by one: the decoded items, and the error paths of the rest
    (values are never part of an error, so no personal data or password leaks)."""
    items: list[T] = []
    errors: list[str] = []
    for index, row in enumerate(rows):
        try:
            items.append(conv.structure(row, cls))
        except Exception as exc:  # cattrs raises many types; all mean "does not decode"
            errors.extend(_error_paths(exc, f"{path}[{index}]"))
    return items, errors
