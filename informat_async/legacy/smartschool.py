"""Smartschool users of the older webservices (``SmartschoolUsers``).

The three passwords (the pupil's and two co-accounts') are left out of ``repr``, never
logged, and blanked by :func:`~informat_async.legacy.without_passwords` and, unless asked
otherwise, by the command line.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ._fields import password, personal_number

__all__ = ["SmartschoolUser"]


@attrs.frozen
class SmartschoolUser:
    """A pupil's Smartschool account with the initial passwords."""

    p_persoon: int | None = None
    """Integer id of the pupil."""
    naam: str | None = None
    """Last name."""
    voornaam: str | None = None
    """First name."""
    geboortedatum: dt.date | None = None
    """Date of birth."""
    insz: str | None = personal_number()
    """National register or bis number (kept out of ``repr``)."""
    gebruikersnaam: str | None = None
    """Smartschool user name."""
    status: int | None = None
    """Account status."""
    wachtwoord1: str | None = password()
    """Initial password of the pupil's account (kept out of ``repr``)."""
    wachtwoord2: str | None = password()
    """Initial password of the first co-account (kept out of ``repr``)."""
    wachtwoord3: str | None = password()
    """Initial password of the second co-account (kept out of ``repr``)."""
