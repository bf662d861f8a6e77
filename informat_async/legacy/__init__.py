"""Informat's older webservices (``wsInformat.asmx``): pupils, staff, boarders, Smartschool.

::

    from informat_async.legacy import InformatLegacyClient

    async with InformatLegacyClient(login, password) as legacy:
        staff = await legacy.leerkrachten("012345", "2025-26")
        boarders = await legacy.internen("012345", "2025-26")

One typed method per webservice, each returning a list of frozen attrs models whose
fields are the snake_case of Informat's element names. The client speaks SOAP 1.1: the
login and password travel in the POST body only, never in a URL; they are never logged
and never part of ``repr`` or an exception message. Model fields holding passwords
(``Leerkracht.wachtwoord``, ``wachtwoord_ad``, ``SmartschoolUser.wachtwoord1..3``) are
left out of ``repr`` and never logged; :func:`without_passwords` blanks them before you
store or print records.

Answers are parsed without ever expanding or fetching an entity (a DTD is refused,
:class:`UnsafeXMLError`). SOAP faults map onto the package's error tree: a refused login
is :class:`~informat_async.errors.AuthenticationError`, an institute the login may not
read is :class:`~informat_async.errors.ForbiddenError`, bad parameters are
:class:`~informat_async.errors.BadRequestError`, other faults and 5xx answers are
:class:`~informat_async.errors.ServerError` and are retried like the REST API's, as are
connection errors and timeouts (then :class:`~informat_async.errors.TransportError`).

Pass ``share_with=informat_client`` to put both APIs under one rate limit, retry budget
and set of statistics; :meth:`InformatLegacyClient.fetch_many` pulls one list for many
institutes in parallel with a failure report.
"""

from typing import Any, TypeVar

import attrs

from ._client import DEFAULT_LEGACY_URL, DateLike, InformatLegacyClient
from ._fanout import LegacyEvent, LegacyFetched, LegacyReport, LegacyResult, LegacyRun
from ._fields import PASSWORD, PERSONAL_NUMBER
from ._operations import OPERATIONS, Operation, find_operation
from ._params import PreparedCall
from ._xml import UnsafeXMLError
from .boarders import Intern, InternaatInschrijving
from .personnel import (
    Benoeming,
    Dienstonderbreking,
    Diploma,
    Leerkracht,
    Nascholing,
    Opdracht,
    Vervanging,
    VrijVeld,
)
from .pupils import (
    AdresEmail,
    Comnummer,
    Emailrelatie,
    Inschrijving,
    Leerling,
    LeerlingAdres,
    LeerlingComnummer,
    LeerlingEmailadressen,
    LeerlingExtra,
    Rekeningnummer,
    Relatie,
    Subgroep,
)
from .smartschool import SmartschoolUser

__all__ = [
    "DEFAULT_LEGACY_URL",
    "OPERATIONS",
    "PASSWORD",
    "PERSONAL_NUMBER",
    "AdresEmail",
    "Benoeming",
    "Comnummer",
    "DateLike",
    "Dienstonderbreking",
    "Diploma",
    "Emailrelatie",
    "InformatLegacyClient",
    "Inschrijving",
    "Intern",
    "InternaatInschrijving",
    "Leerkracht",
    "Leerling",
    "LeerlingAdres",
    "LeerlingComnummer",
    "LeerlingEmailadressen",
    "LeerlingExtra",
    "LegacyEvent",
    "LegacyFetched",
    "LegacyReport",
    "LegacyResult",
    "LegacyRun",
    "Nascholing",
    "Opdracht",
    "Operation",
    "PreparedCall",
    "Rekeningnummer",
    "Relatie",
    "SmartschoolUser",
    "Subgroep",
    "UnsafeXMLError",
    "Vervanging",
    "VrijVeld",
    "find_operation",
    "password_fields",
    "without_passwords",
]

_T = TypeVar("_T")


def password_fields(cls: type[Any]) -> tuple[str, ...]:
    """Names of the fields of a legacy model that hold passwords."""
    return tuple(f.name for f in attrs.fields(cls) if f.metadata.get(PASSWORD))


def without_passwords(record: _T) -> _T:
    """A copy of a legacy record with every password field set to None (anything that
    is not an attrs record is returned as it is)."""
    if not attrs.has(type(record)):
        return record
    names = password_fields(type(record))
    return attrs.evolve(record, **dict.fromkeys(names)) if names else record  # type: ignore[misc]
