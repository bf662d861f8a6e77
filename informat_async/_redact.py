"""Masking of personal numbers in text that came from a server.

Error bodies and SOAP faults are the server's words: they may quote back a national register
or bis number, or an IBAN, that the request carried. Every exception message passes through
:func:`redact` (see :class:`~informat_async.errors.InformatError`), so none of those reach a
log line or a traceback.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "redact"]

MASK = "***"

#: 11 digits (yy mm dd nnn cc), with or without the usual dots, dashes or spaces, not part of
#: a longer run of digits: national register and bis numbers alike.
_NATIONAL_NUMBER = re.compile(
    r"(?<![0-9])[0-9]{2}[.\- ]?[0-9]{2}[.\- ]?[0-9]{2}[.\- ]?[0-9]{3}[.\- ]?[0-9]{2}(?![0-9])"
)
#: An IBAN: country, check digits, then 11 to 30 letters or digits, optionally in groups of 4.
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?"
    r"(?![A-Za-z0-9])"
)


def redact(text: str) -> str:
    """``text`` with anything shaped like a national register/bis number or IBAN masked."""
    if not any(c.isdigit() for c in text):
        return text
    return _IBAN.sub(MASK, _NATIONAL_NUMBER.sub(MASK, text))
