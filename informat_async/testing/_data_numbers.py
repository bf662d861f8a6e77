"""Identification numbers of the fake data: Belgian national numbers (INSZ) and IBANs.

Built valid (check digits computed as the live services check them) and checked; pure
functions, no randomness of their own.
"""

from __future__ import annotations

import datetime as dt


def insz_check_digits(base9: str, born_from_2000: bool) -> str:
    """The two check digits of a Belgian national number (INSZ) for its first nine digits.

    ``97 - (base % 97)``, where for births from 2000 on a ``2`` is put in front of the base.
    """
    number = int(("2" if born_from_2000 else "") + base9)
    return f"{97 - number % 97:02d}"


def make_insz(birth: dt.date, sequence: int, bis_offset: int = 0) -> str:
    """Build a valid INSZ: ``yymmdd`` + 3-digit sequence (odd: male, even: female) + check.

    ``bis_offset`` is 0 for a rijksregisternummer, 20 or 40 for a bisnummer (added to the month;
    40 when the sex is known).
    """
    if not 1 <= sequence <= 998:
        raise ValueError("sequence must be between 001 and 998")
    base = f"{birth.year % 100:02d}{birth.month + bis_offset:02d}{birth.day:02d}{sequence:03d}"
    return base + insz_check_digits(base, birth.year >= 2000)


def is_valid_insz(value: str) -> bool:
    """Check an INSZ's mod-97 check digits (either century)."""
    if len(value) != 11 or not value.isdigit():
        return False
    base, check = value[:9], value[9:]
    return check in (insz_check_digits(base, False), insz_check_digits(base, True))


def make_iban(bank_code: str, account: int) -> str:
    """Build a valid Belgian IBAN (``BEkk`` + 12 digits) from a 3-digit bank code and account."""
    body = f"{bank_code}{account:07d}"
    national = int(body) % 97 or 97
    bban = f"{body}{national:02d}"
    check = 98 - int(bban + "111400") % 97  # "BE" -> 11 14, followed by "00"
    return f"BE{check:02d}{bban}"


def is_valid_iban(value: str) -> bool:
    """Check an IBAN's ISO 7064 mod-97 check digits."""
    text = value.replace(" ", "").upper()
    if len(text) < 5 or not text.isalnum():
        return False
    moved = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
