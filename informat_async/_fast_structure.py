"""Generated structuring functions: one plain Python function per model, built at import.

The cattrs hooks of :mod:`informat_async.convert` are the converter of record. This module
only makes the common case fast: a JSON object whose keys are the usual spellings and whose
values have the usual types. For each model it generates (``exec``) a function that

* when the object has exactly the model's usual keys (as many keys, each found), fetches
  every value with one C call (``operator.itemgetter``) and checks no key: the shape of
  nearly every record of an answer;
* otherwise checks that the object's keys are a subset of the model's usual spellings (one
  set operation instead of a loop over the keys); keys that are unknown to the model
  (fields Informat added later) keep that fast path, while other spellings of known keys
  (any key case) are first folded to the usual spelling, the last one winning as with
  cattrs;
* converts each field with a function picked at build time for its type: enum members from
  a dict, ``Decimal`` straight from an ``int``, a GUID built from its validated hex digits
  without parsing it again, ISO dates with ``date.fromisoformat``;
* creates the instance without calling the frozen attrs ``__init__`` and sets its slots
  through their descriptors (the frozen class stays frozen for everyone else).

A null (or missing) value gives the field's attrs default (``None``, or ``[]`` for lists);
a required field without a value, or any value the fast converters do not take as it is,
raises, and the caller falls back to the cattrs hook of the whole record, which decodes the
odd value or raises with the precise path. A model whose shape the generator does not know
(validators, converters, an unsupported field type) gets no fast function at all.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, get_origin

import attrs

from ._uuids import uuid_from_int

__all__ = ["FastFunction", "build_fast_function"]

FastFunction = Callable[[Any], Any]
#: The slow, tolerant converter of one scalar type: ``hook(value, type) -> value``.
ScalarHook = Callable[[Any, Any], Any]

_new_object = object.__new__
_date_fromisoformat = dt.date.fromisoformat


class _NotFast(Exception):
    """The fast path does not take this value; the cattrs hook decides."""


def _make_uuid(slow: ScalarHook) -> FastFunction:
    def to_uuid(value: Any) -> uuid.UUID:
        if type(value) is str:
            digits = (value if len(value) == 36 else value.strip("{}")).replace("-", "")
            # the same digits uuid.UUID(value.strip()) would read; isalnum() keeps out the
            # signs, underscores and blanks int() would also accept
            if len(digits) == 32 and digits.isalnum():
                try:
                    number = int(digits, 16)
                except ValueError:
                    pass
                else:
                    return uuid_from_int(number)
        result: uuid.UUID = slow(value, uuid.UUID)
        return result

    return to_uuid


def _make_date(slow: ScalarHook) -> FastFunction:
    def to_date(value: Any) -> dt.date:
        if type(value) is str:
            # the slow hook reads value.strip()[:10]; when value[:10] parses, there is no
            # blank at either end of those ten characters, so both read the same date
            try:
                return _date_fromisoformat(value[:10])
            except ValueError:
                pass
        result: dt.date = slow(value, dt.date)
        return result

    return to_date


def _make_decimal(slow: ScalarHook) -> FastFunction:
    def to_decimal(value: Any) -> Decimal:
        if type(value) is int:
            return Decimal(value)
        result: Decimal = slow(value, Decimal)
        return result

    return to_decimal


def _make_enum(tp: type[enum.Enum], slow: ScalarHook) -> FastFunction:
    base: type = int if issubclass(tp, int) else str
    members: dict[Any, Any] = {member.value: member for member in tp}
    get = members.get

    def to_enum(value: Any) -> Any:
        if type(value) is base:
            member = get(value)
            if member is not None:
                return member
        return slow(value, tp)

    return to_enum


def _unwrap_optional(tp: Any) -> Any:
    args = getattr(tp, "__args__", ())
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return tp


def _field_code(
    name: str, tp: Any, env: dict[str, Any], scalars: Mapping[Any, ScalarHook],
    fast: Mapping[type[Any], FastFunction], special: FastFunction | None,
) -> str | None:
    """Code that turns the local ``v`` (not None) into the field's value, or None if the
    generator does not support the type."""
    conv = f"_c_{name}"
    if special is not None:
        env[conv] = special
        return f"v = {conv}(v)"
    tp = _unwrap_optional(tp)
    if get_origin(tp) is list:
        (item,) = tp.__args__
        if item not in fast:
            return None
        env[conv] = fast[item]
        return f"if type(v) is not list: raise _NotFast\n        v = _list(_map({conv}, v))"
    if tp is str or tp is int:
        env[conv] = scalars[tp]
        return f"if type(v) is not {tp.__name__}: v = {conv}(v, {tp.__name__})"
    if tp is bool:
        env[conv] = scalars[bool]
        return f"if v is not True and v is not False: v = {conv}(v, bool)"
    makers: dict[Any, Callable[[ScalarHook], FastFunction]] = {
        uuid.UUID: _make_uuid, dt.date: _make_date, Decimal: _make_decimal,
    }
    if tp in makers:
        env[conv] = makers[tp](scalars[tp])
    elif tp is dt.datetime:
        slow_datetime = scalars[dt.datetime]
        env[conv] = lambda value: slow_datetime(value, dt.datetime)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        hook = next((scalars[base] for base in tp.__mro__ if base in scalars), None)
        if hook is None:
            return None
        env[conv] = _make_enum(tp, hook)
    elif isinstance(tp, type) and tp in fast:
        env[conv] = fast[tp]
    else:
        return None
    return f"v = {conv}(v)"


def build_fast_function(
    cls: type[Any],
    spelling: Callable[[str], str],
    scalars: Mapping[Any, ScalarHook],
    fast: Mapping[type[Any], FastFunction],
    special: Mapping[str, FastFunction],
) -> FastFunction | None:
    """Generate the fast structuring function of ``cls``, or None if it has no fast path.

    ``spelling(field)`` is the usual wire spelling of a field; a key matches a field when
    its lower case is that spelling's lower case (the rule of the cattrs hooks).
    ``scalars`` maps a type (str, int, bool, UUID, date, datetime, Decimal, and the base
    classes of the enums) to its slow hook; ``fast`` holds the functions of the models built before
    (innermost first); ``special`` gives a field's own converter (``Photo.foto``).
    """
    if not attrs.has(cls) or hasattr(cls, "__attrs_post_init__"):
        return None
    fields = attrs.fields(attrs.resolve_types(cls))
    if set(getattr(cls, "__slots__", ())) - {"__weakref__"} != {f.name for f in fields}:
        return None  # not slotted, or slots beyond the fields (a cached hash, ...)
    env: dict[str, Any] = {
        "_cls": cls, "_new": _new_object, "_NotFast": _NotFast, "_list": list, "_map": map,
    }
    usual: dict[str, str] = {}
    exact: list[str] = []  # the body when the keys are exactly the usual ones
    general: list[str] = []  # the body otherwise
    for index, f in enumerate(fields):
        if f.validator is not None or f.converter is not None or not f.init:
            return None
        key = spelling(f.name)
        usual[key] = f.name
        code = _field_code(f.name, f.type, env, scalars, fast, special.get(f.name))
        if code is None:
            return None
        setter = f"_s_{f.name}"
        env[setter] = cls.__dict__[f.name].__set__
        if f.default is attrs.NOTHING:
            missing = "raise _NotFast"
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            if f.default.factory is not list or f.default.takes_self:
                return None
            missing = f"{setter}(o, [])"
        else:
            env[f"_d_{f.name}"] = f.default
            missing = f"{setter}(o, _d_{f.name})"
        nullable_required = f.default is attrs.NOTHING and _unwrap_optional(f.type) is not f.type
        for body, fetch in ((exact, f"v = t[{index}]"), (general, f"v = d.get({key!r})")):
            if nullable_required:  # required, but may be null
                if body is general:
                    fetch = f"v = d.get({key!r}, _NotFast)\n    if v is _NotFast: raise _NotFast"
                body += [
                    f"    {fetch}",
                    "    if v is not None:",
                    f"        {code}",
                    f"    {setter}(o, v)",
                ]
            elif f.default is None and "\n" not in code:  # null or absent: None, as is
                guard, convert = code.split(": ", 1) if code.startswith("if ") else ("", code)
                guard = f"{guard} and v is not None" if guard else "if v is not None"
                body += [f"    {fetch}", f"    {guard}: {convert}", f"    {setter}(o, v)"]
            else:
                body += [
                    f"    {fetch}",
                    "    if v is None:",
                    f"        {missing}",
                    "    else:",
                    f"        {code}",
                    f"        {setter}(o, v)",
                ]
    lines = ["def fast(d):", "    if type(d) is not dict: raise _NotFast"]
    if len(fields) > 1 and len(usual) == len(fields):
        # Keys exactly the usual ones (as many keys, and each found): one C call fetches
        # the values, and no key needs checking. Otherwise (a key missing, unknown keys,
        # other spellings), the general body below.
        env["_fetch_all"] = operator.itemgetter(*usual)
        lines += [
            f"    if len(d) == {len(fields)}:",
            "        try:",
            "            t = _fetch_all(d)",
            "        except KeyError:",
            "            pass",
            "        else:",
            "            o = _new(_cls)",
            *("        " + line for line in "\n".join(exact).split("\n")),
            "            return o",
        ]
    lines += ["    if not d.keys() <= _usual: d = _prepare(d)", "    o = _new(_cls)", *general]
    lines.append("    return o")
    env["_usual"] = frozenset(usual)
    env["_prepare"] = _make_prepare(frozenset(usual), {k.lower(): k for k in usual})
    exec("\n".join(lines), env)  # noqa: S102 - source built above from the models only
    function: FastFunction = env["fast"]
    function.__name__ = function.__qualname__ = f"fast_structure_{cls.__name__}"
    return function


def _make_prepare(
    usual: frozenset[str], by_lower: Mapping[str, str]
) -> Callable[[dict[Any, Any]], dict[Any, Any]]:
    def prepare(d: dict[Any, Any]) -> dict[Any, Any]:
        """``d`` itself if its other keys are unknown to the model, else ``d`` with every
        known key in its usual spelling (the last of two spellings wins)."""
        for key in d.keys() - usual:
            if type(key) is not str or key.lower() in by_lower:
                break
        else:
            return d
        folded: dict[Any, Any] = {}
        for key, value in d.items():
            if type(key) is str:
                name = by_lower.get(key.lower())
                if name is not None:
                    folded[name] = value
        return folded

    return prepare
