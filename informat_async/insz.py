"""Belgian national register numbers (rijksregisternummer) and bis numbers (INSZ).

An INSZ is 11 digits ``yymmddsssCC``:

* ``yymmdd`` is the birth date. Bis numbers add 20 to the month when the gender was
  unknown when the number was attributed, and 40 when it was known. Month ``00`` and
  day ``00`` are used when (part of) the birth date is unknown.
* ``sss`` is a sequence number: odd for men, even for women (001..998).
* ``CC`` is the check number: ``97 - (yymmddsss mod 97)``. For people born in or after
  2000 the digit ``2`` is put in front of the nine digits before taking the modulus.

Informat's ``/preregistrations/save`` "validates the number, no check on date of birth or
gender", so :func:`is_valid_insz` accepts a number that is valid under either century rule
and checks the date part only loosely, the way the registers themselves hand numbers out
(month 0..12 after removing the bis offset, day 0..31).

Only the bare 11-digit form is valid: that is the format the API documents
(``"yymmddxxxxx"``). The printed form ``85.07.31-150.25`` is *not* accepted by
:func:`is_valid_insz`; turn it into the bare form with :func:`normalize_insz` first.

Never log an INSZ: use :func:`mask_insz`.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "generate_insz",
    "insz_checksum",
    "is_valid_insz",
    "mask_insz",
    "normalize_insz",
]

_DIGITS_11 = re.compile(r"[0-9]{11}")
_SEPARATORS = re.compile(r"[\s.\-/]")
_BIS_GENDER_UNKNOWN = 20
_BIS_GENDER_KNOWN = 40
_MASKED_UNPARSEABLE = "*" * 11


def insz_checksum(base: str, *, born_in_2000s: bool = False) -> int:
    """The two-digit check number (1..97) of the first nine digits ``base`` (``yymmddsss``).

    ``born_in_2000s`` selects the rule for people born in or after 2000, which puts a ``2``
    in front of the nine digits before taking the modulus.

    Raises ``ValueError`` if ``base`` is not nine ASCII digits.
    """
    if len(base) != 9 or not base.isascii() or not base.isdigit():
        raise ValueError("base must be the first nine digits of an INSZ")
    number = int(("2" if born_in_2000s else "") + base)
    return 97 - number % 97


def is_valid_insz(value: object) -> bool:
    """Whether ``value`` is a valid national register or bis number (11 bare digits).

    The check number must match under the 19xx or the 20xx rule (the birth date is not
    known here, so either century is accepted). After removing a bis offset of 20 or 40,
    the month must be 0..12; the day must be 0..31 (0 means unknown). No calendar check
    is done beyond that, and the gender is not checked. Anything that is not a ``str``
    is invalid.
    """
    if not isinstance(value, str) or not _DIGITS_11.fullmatch(value):
        return False
    month = int(value[2:4])
    day = int(value[4:6])
    if month >= _BIS_GENDER_KNOWN:
        month -= _BIS_GENDER_KNOWN
    elif month >= _BIS_GENDER_UNKNOWN:
        month -= _BIS_GENDER_UNKNOWN
    if not (0 <= month <= 12 and 0 <= day <= 31):
        return False
    check = int(value[9:])
    base = value[:9]
    return check in (insz_checksum(base), insz_checksum(base, born_in_2000s=True))


def normalize_insz(value: str) -> str:
    """Strip the separators of a printed INSZ (``"85.07.31-150.25"`` -> ``"85073115025"``).

    Dots, dashes, slashes and whitespace are removed. The result is *not* validated
    beyond being 11 digits: call :func:`is_valid_insz` on it. Raises ``ValueError``
    (without echoing the value) when the remaining text is not 11 digits.
    """
    bare = _SEPARATORS.sub("", value)
    if not _DIGITS_11.fullmatch(bare):
        raise ValueError("an INSZ must consist of 11 digits (separators . - / are allowed)")
    return bare


def generate_insz(
    birth_date: dt.date,
    sequence: int,
    *,
    bis: bool = False,
    gender_known: bool = True,
    birth_date_unknown: bool = False,
) -> str:
    """Build a valid INSZ for test and fake data.

    ``sequence`` is 1..998: odd for a man, even for a woman. With ``bis=True`` a bis
    number is made: the month gets +40 when ``gender_known`` (the default) and +20
    otherwise. With ``birth_date_unknown=True`` month and day are written as ``00``
    (only the year of ``birth_date`` is used, it still selects the century rule).
    ``birth_date`` must be in 1900..2099, the range the two century rules cover.
    """
    if not 1900 <= birth_date.year <= 2099:
        raise ValueError("birth_date must be in 1900..2099")
    if isinstance(sequence, bool) or not 1 <= sequence <= 998:
        raise ValueError("sequence must be 1..998")
    month = 0 if birth_date_unknown else birth_date.month
    day = 0 if birth_date_unknown else birth_date.day
    if bis:
        month += _BIS_GENDER_KNOWN if gender_known else _BIS_GENDER_UNKNOWN
    base = f"{birth_date.year % 100:02d}{month:02d}{day:02d}{sequence:03d}"
    check = insz_checksum(base, born_in_2000s=birth_date.year >= 2000)
    return f"{base}{check:02d}"


def mask_insz(value: object) -> str:
    """A log-safe form of an INSZ: the year and the check number only (``"85*******25"``).

    Birth month and day and the sequence number (which gives the gender) are hidden.
    Anything that is not 11 digits, once separators are removed, is masked completely
    (``"***********"``) so that a malformed number is not leaked either; ``None`` gives
    ``"None"``.
    """
    if value is None:
        return "None"
    if not isinstance(value, str):
        return _MASKED_UNPARSEABLE
    try:
        bare = normalize_insz(value)
    except ValueError:
        return _MASKED_UNPARSEABLE
    return f"{bare[:2]}{'*' * 7}{bare[9:]}"
