"""Boarder (internen) lists of the older webservices.

Boarders are pupils with a registration in a boarding school (internaat), asked for
with the boarding school's institute number. Their personal details have the same
fields as :class:`~informat_async.legacy.pupils.LeerlingExtra`; addresses with e-mail,
phone numbers, relations and relation e-mail addresses use the pupil models
(:class:`~informat_async.legacy.pupils.AdresEmail`, ``Comnummer``, ``Relatie``,
``Emailrelatie``).
"""

from __future__ import annotations

import datetime as dt

import attrs

from .pupils import LeerlingExtra

__all__ = ["Intern", "InternaatInschrijving"]


@attrs.frozen
class Intern(LeerlingExtra):
    """A boarder's personal details, address, parents and contact data (``LlnExtra`` of
    the internen service); ``pointer`` is the boarder's integer id."""


@attrs.frozen
class InternaatInschrijving:
    """A boarder's registration in a boarding school, with the room
    (``InternaatInschrijvingen``)."""

    p_persoon: int | None = None
    """Integer id of the boarder."""
    begindatum: dt.date | None = None
    """First day of the boarding registration."""
    einddatum: dt.date | None = None
    """Last day (None: open-ended)."""
    internaat: str | None = None
    """Name of the boarding school."""
    straat: str | None = None
    """Street of the boarding school."""
    nr: str | None = None
    """House number."""
    bus: str | None = None
    """Box number."""
    hoofd_postnr: str | None = None
    """Postal code of the main municipality."""
    hoofd_gemeente: str | None = None
    """Main municipality."""
    deel_postnr: str | None = None
    """Postal code of the sub-municipality."""
    deel_gemeente: str | None = None
    """Sub-municipality."""
    financierbaarheid: str | None = None
    """Fundability code."""
    blok: str | None = None
    """Building block."""
    verdiep: str | None = None
    """Floor."""
    kamer: str | None = None
    """Room."""
