"""Checking a legacy call's arguments and building its wire parameters (no I/O).

Every value is checked before anything is sent; a rejected value is shown in the error
as :mod:`informat_async.validation` shows it (a long digit run, maybe a national number
passed by mistake, only by its length). Digits are ASCII digits only (``[0-9]``, never
``\\d``, which also takes Arabic-Indic or fullwidth digits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ..errors import InvalidInputError
from ..validation import _shown as shown  # one rule for echoing rejected input
from ..validation import check_institute, check_school_year, coerce_uuid
from ._convert import parse_date, parse_datetime
from ._operations import OPTION_WIRE_NAMES, Operation

__all__ = ["PreparedCall", "prepare_call"]

_STRUCTURE = re.compile(r"[0-9]{3}")
_PLATFORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")
_DIGITS = re.compile(r"[0-9]{1,12}")


@attrs.frozen
class PreparedCall:
    """A checked call, ready to send (credentials are added only when sending)."""

    operation: Operation
    institute: str | None
    params: tuple[tuple[str, str], ...]
    """Wire parameters after ``login`` and ``paswoord``."""


# --- input checks ---------------------------------------------------------------------


def _echo(value: object) -> str:
    """A rejected value for an error message: text as ``validation`` shows it (a long
    digit run, maybe a national number, only by its length), anything else by type."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    return f"a {type(value).__name__}"


def _date_param(value: object, name: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = parse_date(value)
        except ValueError:
            raise InvalidInputError(
                f"{name} must be a date like '01/09/2025' or '2025-09-01', got {_echo(value)}"
            ) from None
    else:
        raise InvalidInputError(f"{name} must be a date or a date string, "
                                f"got {type(value).__name__}")
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _belgian_time(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(ZoneInfo("Europe/Brussels")).replace(tzinfo=None)
    except ZoneInfoNotFoundError:  # pragma: no cover - systems without time zone data
        return value.astimezone(dt.UTC).replace(tzinfo=None)


def _datetime_param(value: object, name: str) -> str:
    if isinstance(value, str):
        try:
            value = parse_datetime(value)
        except ValueError:
            raise InvalidInputError(
                f"{name} must be a date or date-time like '01/09/2025 08:00' or "
                f"'2025-09-01T08:00:00', got {_echo(value)}"
            ) from None
    if isinstance(value, dt.datetime):
        local = _belgian_time(value)
        if local.time() == dt.time():
            return _date_param(local, name)
        return _date_param(local, name) + local.strftime(" %H:%M:%S")
    return _date_param(value, name)


def _structure_param(value: object, name: str) -> str:
    if not isinstance(value, str) or not _STRUCTURE.fullmatch(value):
        raise InvalidInputError(f"{name} must be a 3-digit main structure such as '311', "
                                f"got {_echo(value)}")
    return value


def _text_param(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        raise InvalidInputError(f"{name} must be a non-empty string of at most 100 characters")
    return value.strip()


def _uuid_param(value: object, name: str) -> str:
    return str(coerce_uuid(value, name=name))


def _ja_param(value: object, name: str) -> str:
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("ja", "j", "true", "1", "yes"):
            return "Ja"
        if folded in ("nee", "n", "false", "0", "no", ""):
            return ""
    if isinstance(value, bool):
        return "Ja" if value else ""
    raise InvalidInputError(f"{name} must be True or False, got {_echo(value)}")


def _platform_param(value: object, name: str) -> str:
    if not isinstance(value, str) or not _PLATFORM.fullmatch(value.strip()):
        raise InvalidInputError(
            f"{name} must name a Smartschool platform such as 'myschool.smartschool.be'"
        )
    return value.strip()


def _digits_param(value: object, name: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise InvalidInputError(f"{name} must be a number such as '12345', got {_echo(value)}")
    return value


_COERCE: Mapping[str, Callable[[object, str], str]] = {
    "referentiedatum": _date_param,
    "hoofdstructuur": _structure_param,
    "gewijzigd_sinds": _datetime_param,
    "pre_registration_id": _uuid_param,
    "personeelsgroep": _text_param,
    "referentiedatum_npre": _date_param,
    "met_nsu_uren": _ja_param,
    "begindatum": _date_param,
    "einddatum": _date_param,
    "smartschoolplatform": _platform_param,
    "discimus_vestigingsnr": _digits_param,
}


def prepare_call(
    operation: Operation,
    instelnr: object,
    schooljaar: object,
    options: Mapping[str, object],
) -> PreparedCall:
    """Check every argument of a call and build its wire parameters (no I/O)."""
    unknown = sorted(set(options) - set(operation.options))
    if unknown:
        raise InvalidInputError(
            f"{operation.method} takes no option {', '.join(unknown)} (it takes: "
            f"{', '.join(operation.options) or 'none'})"
        )
    if operation.family == "smartschool":
        institute = None if instelnr is None else check_institute(instelnr, name="instelnr")
        if options.get("smartschoolplatform") is None:
            raise InvalidInputError("smartschool_users needs smartschoolplatform")
    else:
        institute = check_institute(instelnr, name="instelnr")
    year = check_school_year(schooljaar, name="schooljaar")
    values: dict[str, str] = {"schooljaar": year, "instelnr": institute or ""}
    for option in operation.options:
        value = options.get(option)
        values[OPTION_WIRE_NAMES[option]] = (
            "" if value is None else _COERCE[option](value, option)
        )
    begin, end = values.get("begindatum"), values.get("einddatum")
    if begin and end and parse_date(begin) > parse_date(end):
        raise InvalidInputError("begindatum must not be after einddatum")
    # every parameter of the operation, in its documented order, empty when unused
    return PreparedCall(operation, institute,
                        tuple((name, values[name]) for name in operation.wire_params))
