"""The cattrs converter between Informat's JSON and the attrs models.

Models know nothing of the wire; everything about it lives here:

* key case is not trusted: incoming keys are folded to lower case and matched against the
  field's wire name without underscores (``fietsNummer``, ``fietsnummer`` and ``FIETSNUMMER``
  all fill ``fiets_nummer``);
* unknown keys are ignored (the API gains fields in most minor versions);
* dates come as ``yyyy-MM-dd`` or ``yyyy-MM-ddT00:00:00``; GUIDs in any case, with or
  without braces; ``null`` lists become empty lists; booleans may come as ``"true"``/``1``;
* photos arrive base64-encoded and leave as bytes;
* closed code lists are open enums (see :mod:`informat_async.models._enums`).

:func:`make_converter` builds a converter; ``forbid_extra_keys=True`` gives the strict one the
test suite runs over the spec's examples, so that a field the models miss fails loudly.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import traceback
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, TypeVar, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _offload, models
from ._fast_structure import FastFunction, ScalarHook, build_fast_function
from .errors import ResponseValidationError

__all__ = [
    "converter",
    "fast_function",
    "make_converter",
    "structure",
    "structure_many",
    "unstructure_preregistration",
]

T = TypeVar("T")

_READ_MODELS: tuple[type[Any], ...] = (
    models.Address,
    models.CommunicationNumber,
    models.Email,
    models.Relation,
    models.BankAccount,
    models.Student,
    models.ClassTeacher,
    models.ClassRegistration,
    models.Registration,
    models.Photo,
    models.Certificate,
    models.SchoolHistory,
    models.PreRegistrationStatus,
    models.PreRegistrationAddress,
    models.PreRegistrationRelationship,
    models.PreRegistration,
)

#: Wire names that are not the plain camelCase of the field name.
_WIRE_NAMES: Mapping[tuple[type[Any], str], str] = {
    (models.PreRegistration, "relationships"): "Relationships",
    (models.PreRegistrationRelationship, "address"): "Address",
}


def wire_name(cls: type[Any], field: str) -> str:
    """The exact wire name of a model field (``persoon_id`` -> ``persoonId``)."""
    special = _WIRE_NAMES.get((cls, field))
    if special is not None:
        return special
    head, *rest = field.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


#: Keys the answers spell otherwise than :func:`wire_name` (see the reference "Leerlingen in
#: practice"): the fast path expects these spellings first; every key case still decodes.
_READ_SPELLINGS: Mapping[tuple[type[Any], str], str] = {
    (models.Student, "fiets_nummer"): "fietsnummer",
    (models.Student, "overige_adressen"): "overigeadressen",
}


def _read_spelling(cls: type[Any], field: str) -> str:
    """The spelling of a field's key the fast path expects (its lower case is the rule)."""
    return _READ_SPELLINGS.get((cls, field)) or wire_name(cls, field)


def _folded(field: str) -> str:
    return field.replace("_", "").lower()


# --- scalar hooks -------------------------------------------------------------------


def _structure_uuid(value: Any, _: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a GUID string, got {type(value).__name__}")
    return uuid.UUID(value.strip())


def _structure_date(value: Any, _: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a date string, got {type(value).__name__}")
    return dt.date.fromisoformat(value.strip()[:10])


def _structure_datetime(value: Any, _: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a date-time string, got {type(value).__name__}")
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # 2019-09-30T15:30:22+0100
        text = text[:-2] + ":" + text[-2:]
    return dt.datetime.fromisoformat(text)


def _structure_decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a number, got bool")
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError("not a decimal number") from None


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("true", "1"):
            return True
        if folded in ("false", "0"):
            return False
    raise ValueError("expected a boolean")


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("expected an integer, got bool")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_enum(value: Any, tp: Any) -> Any:
    if isinstance(value, bool):
        raise TypeError("expected a code, got bool")
    return tp(value)


def _structure_photo_bytes(value: Any, _: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected base64 text, got {type(value).__name__}")
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except binascii.Error:
        raise ValueError("foto is not valid base64") from None


def _fast_photo_bytes(value: Any) -> bytes:
    """:func:`_structure_photo_bytes` without its copies in the usual case: canonical base64
    without blanks, checked by ``a2b_base64`` in strict mode (whatever it refuses goes the
    tolerant way, which also decides what is an error)."""
    if type(value) is str:
        try:
            return binascii.a2b_base64(value, strict_mode=True)
        except (binascii.Error, ValueError):
            pass
    return _structure_photo_bytes(value, bytes)


def _unstructure_datetime(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%S")


# --- the converter -------------------------------------------------------------------


def _is_list(tp: Any) -> bool:
    return tp is list or get_origin(tp) is list


def make_converter(*, forbid_extra_keys: bool = False, fast: bool = True) -> cattrs.Converter:
    """Build a converter for the models.

    ``forbid_extra_keys=True`` makes an unknown key an error; production code leaves it off
    so that fields added by Informat later never break decoding. ``fast=False`` leaves out
    the generated structuring functions (only the cattrs hooks: the reference the tests
    compare the fast path with); they are always left out with ``forbid_extra_keys``.
    """
    return _make_converter(forbid_extra_keys, fast)[0]


def _make_converter(
    forbid_extra_keys: bool, fast: bool
) -> tuple[cattrs.Converter, dict[type[Any], FastFunction]]:
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=True)
    conv.register_structure_hook(uuid.UUID, _structure_uuid)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook(Decimal, _structure_decimal)
    # cattrs looks these up by class (singledispatch) before any predicate hook, so the
    # open enums get hooks of their own: they come before int/str in the enums' MRO.
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(models.OpenIntEnum, _structure_enum)
    conv.register_structure_hook(models.OpenStrEnum, _structure_enum)
    conv.register_unstructure_hook(uuid.UUID, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_unstructure_hook(Decimal, str)

    def list_factory(tp: Any, c: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
        inner = list_structure_factory(tp, c)

        def structure_list(value: Any, t: Any) -> Any:
            return [] if value is None else inner(value, t)

        return structure_list

    conv.register_structure_hook_factory(_is_list, list_factory)

    scalars: dict[Any, ScalarHook] = {
        str: _structure_str, int: _structure_int, bool: _structure_bool,
        uuid.UUID: _structure_uuid, dt.date: _structure_date, dt.datetime: _structure_datetime,
        Decimal: _structure_decimal,
        models.OpenIntEnum: _structure_enum, models.OpenStrEnum: _structure_enum,
    }
    fast_functions: dict[type[Any], FastFunction] = {}
    for cls in _READ_MODELS:  # innermost first, so that outer functions find inner ones
        overrides: dict[str, Any] = {
            f.name: override(rename=_folded(f.name)) for f in attrs.fields(cls)
        }
        special: dict[str, FastFunction] = {}
        if cls is models.Photo:
            overrides["foto"] = override(rename="foto", struct_hook=_structure_photo_bytes)
            special["foto"] = _fast_photo_bytes
        defaulted = frozenset(
            _folded(f.name) for f in attrs.fields(cls) if f.default is not attrs.NOTHING
        )
        slow = _case_insensitive(make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys, **overrides
        ), defaulted)
        function = build_fast_function(
            cls, partial(_read_spelling, cls), scalars, fast_functions, special
        ) if fast and not forbid_extra_keys else None
        if function is None:
            conv.register_structure_hook(cls, slow)
        else:
            fast_functions[cls] = function
            conv.register_structure_hook(cls, _with_fallback(function, slow))

    for cls in (  # innermost first: a generated hook captures its fields' hooks
        models.PreRegistrationAddress,
        models.PreRegistrationRelationship,
        models.PreRegistration,
    ):
        renames: dict[str, Any] = {
            f.name: override(rename=wire_name(cls, f.name)) for f in attrs.fields(cls)
        }
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, conv, **renames))
    _register_personnel(conv, forbid_extra_keys)
    return conv, fast_functions


# --- the personnel API's models ---------------------------------------------------------

_PERSONNEL_READ_MODELS: tuple[type[Any], ...] = (  # innermost first
    models.EmployeeAddress,
    models.EmployeeComnr,
    models.EmployeeEmail,
    models.StaffGroup,
    models.Child,
    models.Partner,
    models.EmployeeBank,
    models.MainOffice,
    models.Employee,
    models.Replacement,
    models.Assignment,
    models.Interruption,
    models.Diploma,
    models.OwnField,
    models.EmployeePhoto,
    models.PersonnelDocument,
)


def _register_personnel(conv: cattrs.Converter, forbid_extra_keys: bool) -> None:
    """Personnel models: keys in any case; ``null``, and the literal string ``"null"``
    some answers carry, leave a field at its default; fields typed ``Any`` (an own
    field's ``waarde``) keep their JSON type; a plain string ``hoofdAmbt`` is its code."""
    for cls in _PERSONNEL_READ_MODELS:
        overrides: dict[str, Any] = {
            f.name: override(rename=_folded(f.name)) for f in attrs.fields(cls)
        }
        if cls is models.EmployeePhoto:
            overrides["photo"] = override(rename="photo", struct_hook=_structure_photo_bytes)
        hook = _without_nulls(_case_insensitive(make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys, **overrides
        )))
        if cls is models.MainOffice:
            hook = _code_if_string(hook)
        conv.register_structure_hook(cls, hook)


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "null")


def _without_nulls(fn: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    def structure(value: Any, tp: Any) -> T:
        if isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if not _is_null(v)}
        return fn(value, tp)

    return structure


def _code_if_string(fn: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    def structure(value: Any, tp: Any) -> T:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return fn({"code": str(value)}, tp)
        return fn(value, tp)

    return structure


# --- the fast path ----------------------------------------------------------------------
#
# cattrs' generated hooks dispatch every field through the converter, which is most of the
# decoding time of a large student list. Each model also gets a generated function (see
# :mod:`informat_async._fast_structure`) that handles the usual shapes; anything it does not
# take falls back to the cattrs hook of that record, which then raises with full paths or
# returns the value.


def _with_fallback(
    fast: FastFunction, slow: Callable[[Any, Any], Any]
) -> Callable[[Any, Any], Any]:
    def structure(value: Any, tp: Any) -> Any:
        try:
            return fast(value)
        except Exception:  # let cattrs say precisely what is wrong, with paths
            return slow(value, tp)

    return structure


def _case_insensitive(
    fn: Callable[[Any, Any], T], defaulted: frozenset[str] = frozenset()
) -> Callable[[Any, Any], T]:
    """Fold the keys to lower case (the last of two spellings wins) and drop the nulls of
    the fields in ``defaulted`` (folded names of fields with a default), so that a null
    gives the default, as on the fast path, even where the type does not admit None."""

    def structure(value: Any, tp: Any) -> T:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        folded = {k.lower() if isinstance(k, str) else k: v for k, v in value.items()}
        for name in defaulted:
            if name in folded and folded[name] is None:
                del folded[name]
        return fn(folded, tp)

    return structure


#: The production converter: tolerant of unknown keys.
converter, _FAST_FUNCTIONS = _make_converter(False, True)
#: The production converter's structuring hook per class, looked up once (see structure()).
_HOOKS: dict[Any, Callable[[Any, Any], Any]] = {}


def fast_function(cls: type[T]) -> Callable[[Any], T] | None:
    """The generated structuring function of a model (no fallback: it raises on anything
    unusual), or None if the model has none. For tests and benchmarks."""
    function: Callable[[Any], T] | None = _FAST_FUNCTIONS.get(cls)
    return function


def _error_paths(exc: BaseException, path: str) -> list[str]:
    """The precise paths of what did not decode; ``exc`` is spent afterwards (its frames'
    locals are cleared, see :func:`_forget_frames`)."""
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        paths = cattrs.transform_error(exc, path=path)
    else:
        paths = [f"{type(exc).__name__} at {path}"]
    _forget_frames(exc)
    return paths


def _forget_frames(exc: BaseException) -> None:
    """Clear the locals of the finished frames in the tracebacks of ``exc`` and of its
    sub-exceptions. cattrs' generated functions keep the exceptions they collect in a
    local list, and those exceptions' tracebacks refer to that very frame: a reference
    cycle (of the record being decoded too) that only the cyclic collector frees. Frames
    still running are left alone (``traceback.clear_frames``), and so are the causes and
    contexts: those may be a caller's exception, whose frames are not ours to clear."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        error = stack.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        stack.extend(getattr(error, "exceptions", ()))


def structure(
    data: Any,
    cls: type[T],
    *,
    path: str = "$",
    conv: cattrs.Converter | None = None,
    institute: str | None = None,
    endpoint: str | None = None,
) -> T:
    """Structure one object, wrapping any failure in :class:`ResponseValidationError`."""
    try:
        if conv is None:  # once per request: the production hooks without cattrs' dispatch
            fast = _FAST_FUNCTIONS.get(cls)
            if fast is not None:
                try:
                    made: T = fast(data)
                    return made
                except Exception:  # noqa: S110 - refused: the hook (fast path, then cattrs) decides
                    pass
            hook = _HOOKS.get(cls)
            if hook is None:
                hook = _HOOKS[cls] = converter.get_structure_hook(cls)
            result: T = hook(data, cls)
            return result
        return conv.structure(data, cls)
    except Exception as exc:  # cattrs raises many types; all mean "does not decode"
        errors = _error_paths(exc, path)
        raise ResponseValidationError(
            f"{endpoint or 'response'} did not decode into {cls.__name__}: " + "; ".join(errors),
            errors=errors,
            institute=institute,
            endpoint=endpoint,
        ) from None


def structure_many(
    data: Any,
    cls: type[T],
    *,
    path: str = "$",
    conv: cattrs.Converter | None = None,
) -> tuple[list[T], list[str]]:
    """Structure a list item by item: return the decoded items and the errors of the rest.

    One malformed record must not cost the other thousand, and must not vanish either:
    callers get both and decide (the client raises with the partial result attached).
    """
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [f"{path}: expected a JSON list, got {type(data).__name__}"]
    hook = (conv or converter).get_structure_hook(cls)
    items: list[T] = []
    errors: list[str] = []
    turn = _offload.turn_taker()  # in the decoding worker thread: take turns with the loop
    for index, raw in enumerate(data):
        if turn is not None:
            turn()
        try:
            items.append(hook(raw, cls))
        except Exception as exc:  # see structure()
            errors.extend(_error_paths(exc, f"{path}[{index}]"))
    return items, errors


def unstructure_preregistration(prereg: models.PreRegistration) -> dict[str, Any]:
    """The JSON body of ``POST /preregistrations/save`` with the spec's exact wire names."""
    body: dict[str, Any] = converter.unstructure(prereg)
    return body
