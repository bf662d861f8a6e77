"""``InformatLegacyClient``: one method per operation of the older webservices."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import attrs

from ..errors import InformatError, InvalidInputError, ResponseValidationError
from ..retry import RetryBudget, RetryPolicy
from ..transport import ClientStats, rate_limiter
from ..validation import check_institute, check_school_year, coerce_uuid
from . import _protocol
from ._convert import make_converter, parse_date, parse_datetime, structure_rows
from ._operations import MODELS, OPERATIONS, OPTION_WIRE_NAMES, Operation, find_operation
from ._transport import LegacyTransport
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

if TYPE_CHECKING:
    from ..client import InformatClient
    from ._fanout import LegacyRun

__all__ = ["DEFAULT_LEGACY_URL", "DateLike", "InformatLegacyClient"]

logger = logging.getLogger("informat_async")

DEFAULT_LEGACY_URL = "https://webservice.informatsoftware.be/wsInfSoft/wsInformat.asmx"

DateLike = dt.date | str
"""A ``datetime.date``, or text as ``dd/mm/yyyy`` (any separator) or ``yyyy-mm-dd``."""

T = TypeVar("T")

_CONVERTER = make_converter(MODELS)
_STRUCTURE = re.compile(r"\d{3}")
_PLATFORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")
_DIGITS = re.compile(r"\d{1,12}")


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPEN = "open"
    CLOSED = "closed"


@attrs.frozen
class PreparedCall:
    """A checked call, ready to send (credentials are added only when sending)."""

    operation: Operation
    institute: str | None
    params: tuple[tuple[str, str], ...]
    """Wire parameters after ``login`` and ``paswoord``."""


# --- input checks ---------------------------------------------------------------------


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
                f"{name} must be a date like '01/09/2025' or '2025-09-01', got {value!r}"
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
                f"'2025-09-01T08:00:00', got {value!r}"
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
                                f"got {value!r}")
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
    raise InvalidInputError(f"{name} must be True or False, got {value!r}")


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
        raise InvalidInputError(f"{name} must be a number such as '12345', got {value!r}")
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
    params: list[tuple[str, str]] = [("schooljaar", year), ("instelnr", institute or "")]
    for option in operation.options:
        value = options.get(option)
        wire = OPTION_WIRE_NAMES[option]
        params.append((wire, "" if value is None else _COERCE[option](value, option)))
    begin, end = options.get("begindatum"), options.get("einddatum")
    if begin is not None and end is not None:
        first, last = parse_date(dict(params)["begindatum"]), parse_date(dict(params)["einddatum"])
        if first > last:
            raise InvalidInputError("begindatum must not be after einddatum")
    return PreparedCall(operation, institute, tuple(params))


class InformatLegacyClient:
    """Async client of Informat's older webservices (``wsInformat.asmx``, SOAP 1.1).

    Use it as an async context manager::

        async with InformatLegacyClient(login, password) as legacy:
            staff = await legacy.leerkrachten("012345", "2025-26")

    Args:
        login: the webservices user (e.g. ``webservices@school.be``).
        password: its password: sent only in the SOAP body, never in a URL, never
            logged, never in ``repr`` or an exception message.
        url: the ``wsInformat.asmx`` address.
        session: an ``aiohttp.ClientSession`` to use; the client does not close a session
            it was given.
        rate_limit: requests per second, spaced evenly (``None``: no limiter). Ignored
            with ``share_with``.
        max_in_flight: requests in flight at once. Ignored with ``share_with``.
        retry: how each call retries; default: ``RetryPolicy()``, or the shared client's.
        retry_budget: retries shared by all calls; default: a fresh budget, or the shared
            client's.
        timeout: seconds for one HTTP request (DataSets of big schools take a while).
        share_with: an :class:`~informat_async.InformatClient` whose rate limiter,
            in-flight semaphore, retry policy, retry budget and statistics this client
            uses, so one rate limit covers both APIs. It is opened if needed, not closed.
        operation_names: replace ASMX operation names (``{"internen": "LlnExtra"}``), for
            services that name an operation differently.
        proxy: an HTTP proxy URL for the session the client creates; without it that
            session follows ``HTTPS_PROXY``/``HTTP_PROXY`` and ``NO_PROXY``.
    """

    def __init__(
        self,
        login: str,
        password: str,
        *,
        url: str = DEFAULT_LEGACY_URL,
        session: aiohttp.ClientSession | None = None,
        rate_limit: float | None = 10.0,
        max_in_flight: int = 10,
        retry: RetryPolicy | None = None,
        retry_budget: RetryBudget | None = None,
        timeout: float = 60.0,
        share_with: InformatClient | None = None,
        operation_names: Mapping[str, str] | None = None,
        proxy: str | None = None,
    ) -> None:
        if not isinstance(login, str) or not login:
            raise InvalidInputError("login must be a non-empty string")
        if not isinstance(password, str) or not password:
            raise InvalidInputError("password must be a non-empty string")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise InvalidInputError(f"url must be an http(s) URL, got {url!r}")
        if "?" in url:
            raise InvalidInputError("url must not carry a query string")
        if rate_limit is not None and not rate_limit > 0:
            raise InvalidInputError("rate_limit must be a positive number of requests/second")
        if max_in_flight < 1:
            raise InvalidInputError("max_in_flight must be at least 1")
        if not timeout > 0:
            raise InvalidInputError("timeout must be positive")
        names = dict(operation_names or {})
        unknown = sorted(set(names) - set(OPERATIONS))
        if unknown:
            raise InvalidInputError(f"operation_names: unknown methods {', '.join(unknown)}")
        for method, name in names.items():
            if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise InvalidInputError(f"operation_names[{method!r}] is not an operation name")
        self.login = login
        self._password = password
        self.url = url
        self.rate_limit = rate_limit
        self.max_in_flight = max_in_flight
        self._retry = retry
        self._retry_budget = retry_budget
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._share_with = share_with
        self._operations: dict[str, Operation] = {
            method: attrs.evolve(op, name=names[method]) if method in names else op
            for method, op in OPERATIONS.items()
        }
        self._given_session = session
        if proxy is not None and not (isinstance(proxy, str) and proxy.startswith("http")):
            raise InvalidInputError("proxy must be an http(s) URL such as 'http://proxy:3128'")
        self.proxy = proxy
        self._session: aiohttp.ClientSession | None = None
        self._transport: LegacyTransport | None = None
        self._state = _State.UNOPENED
        self._open_lock = asyncio.Lock()
        self._own_stats = ClientStats()

    @classmethod
    def from_env(cls, **kwargs: Any) -> Self:
        """Build a client from ``INFORMAT_LEGACY_LOGIN``, ``INFORMAT_LEGACY_PASSWORD`` and
        the optional ``INFORMAT_LEGACY_URL``; ``kwargs`` go to the constructor."""
        env = os.environ
        missing = [n for n in ("INFORMAT_LEGACY_LOGIN", "INFORMAT_LEGACY_PASSWORD")
                   if not env.get(n)]
        if missing:
            raise InvalidInputError("missing environment variable(s): " + ", ".join(missing))
        if env.get("INFORMAT_LEGACY_URL"):
            kwargs.setdefault("url", env["INFORMAT_LEGACY_URL"])
        return cls(env["INFORMAT_LEGACY_LOGIN"], env["INFORMAT_LEGACY_PASSWORD"], **kwargs)

    def __repr__(self) -> str:
        return (f"<InformatLegacyClient login={self.login!r} url={self.url!r} "
                f"state={self._state.value}>")

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def open(self) -> None:
        """Create the session (or take the given one) and the limiter (``async with``
        does this)."""
        async with self._open_lock:
            if self._state is _State.CLOSED:
                raise InformatError("this InformatLegacyClient is closed; create a new one")
            if self._state is _State.OPEN:
                return
            if self._share_with is not None:
                shared = await self._share_with._get_transport()
                limiter, in_flight = shared.limiter, shared.in_flight
                retry = self._retry or shared.retry
                budget = self._retry_budget or shared.budget
                stats = shared.stats
            else:
                limiter = None if self.rate_limit is None else rate_limiter(self.rate_limit)
                in_flight = asyncio.Semaphore(self.max_in_flight)
                retry = self._retry or RetryPolicy()
                budget = self._retry_budget or RetryBudget()
                stats = self._own_stats
            session = self._given_session or aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.max_in_flight),
                raise_for_status=False, trust_env=True, proxy=self.proxy,
            )
            self._session = session
            self._transport = LegacyTransport(
                session=session, url=self.url, limiter=limiter, in_flight=in_flight,
                retry=retry, budget=budget, timeout=self._timeout, stats=stats,
            )
            self._state = _State.OPEN

    async def aclose(self) -> None:
        """Close the session if the client created it. A closed client cannot reopen."""
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        if self._session is not None and self._given_session is None:
            await self._session.close()
        self._session = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._state is _State.CLOSED

    @property
    def stats(self) -> ClientStats:
        """Counters of requests and retries (the shared client's with ``share_with``)."""
        if self._transport is not None:
            return self._transport.stats
        if self._share_with is not None:
            return self._share_with.stats
        return self._own_stats

    @property
    def retry_budget(self) -> RetryBudget | None:
        """The retry budget in use (None until the client is open)."""
        return None if self._transport is None else self._transport.budget

    async def _get_transport(self) -> LegacyTransport:
        if self._state is not _State.OPEN:
            await self.open()
        if self._transport is None or self._state is not _State.OPEN:
            raise InformatError("this InformatLegacyClient is closed; create a new one")
        return self._transport

    def operation(self, method: str) -> Operation:
        """The operation behind a method name or ASMX name (with ``operation_names``
        applied); raises :class:`InvalidInputError` when unknown."""
        found = find_operation(method)
        if found is None:
            # an ASMX name that operation_names introduced
            for op in self._operations.values():
                if op.name.lower() == method.strip().lower():
                    return op
            raise InvalidInputError(
                f"unknown legacy list {method!r}; one of: {', '.join(OPERATIONS)}"
            )
        return self._operations[found.method]

    def prepare(
        self, method: str, instelnr: str | None, schooljaar: str, /, **options: object
    ) -> PreparedCall:
        """Check a call's arguments without sending anything (the fan-out checks every
        institute's call this way before the first request)."""
        return prepare_call(self.operation(method), instelnr, schooljaar, options)

    # --- sending -----------------------------------------------------------------------

    async def _call(self, prepared: PreparedCall, budget: RetryBudget | None = None) -> list[Any]:
        transport = await self._get_transport()
        op = prepared.operation
        endpoint = f"legacy {op.name}"
        headers, body = _protocol.soap_request(
            op.name, (("login", self.login), ("paswoord", self._password), *prepared.params)
        )
        secrets = (self._password,)
        institute = prepared.institute

        def decode(status: int, answer_headers: Mapping[str, str], answer: bytes
                   ) -> list[_protocol.Row]:
            result = _protocol.read_answer(
                status, answer_headers, answer, operation=op.name, now=dt.datetime.now(dt.UTC),
                institute=institute, endpoint=endpoint, secrets=secrets,
            )
            return _protocol.dataset_rows(result)

        started = time.monotonic()
        rows = await transport.post(body, headers, decode, endpoint=endpoint,
                                    institute=institute, budget=budget)
        items, errors = structure_rows(rows, op.model, _CONVERTER, path=f"$.{op.name}")
        logger.debug("%s institute %s: %d rows in %.3fs", endpoint, institute or "-",
                     len(rows), time.monotonic() - started)
        if errors:
            raise ResponseValidationError(
                f"{endpoint} for institute {institute or '-'}: {len(errors)} problem(s) "
                f"decoding {op.model.__name__} rows: " + "; ".join(errors[:5]),
                errors=errors, institute=institute, endpoint=endpoint, partial=items,
            )
        return items

    async def _list(self, method: str, instelnr: str | None, schooljaar: str,
                    **options: object) -> list[Any]:
        return await self._call(self.prepare(method, instelnr, schooljaar, **options))

    async def call(
        self, method: str, instelnr: str | None, schooljaar: str, /, **options: object
    ) -> list[object]:
        """Call a list by name (``"leerkrachten"`` or ``"Leerkrachten"``) with its options
        as keyword arguments: what the command line uses. Prefer the typed methods."""
        return await self._call(self.prepare(method, instelnr, schooljaar, **options))

    # --- pupils (leerlingenadministratie) ----------------------------------------------

    async def leerlingen(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None,
        hoofdstructuur: str | None = None,
    ) -> list[Leerling]:
        """Pupils registered in ``schooljaar`` at ``instelnr`` (``Lln``). With
        ``referentiedatum`` only those registered on that day; with ``hoofdstructuur``
        (e.g. ``"311"``) only registrations in that main structure."""
        return await self._list("leerlingen", instelnr, schooljaar,
                                referentiedatum=referentiedatum, hoofdstructuur=hoofdstructuur)

    async def leerlingen_extra(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None,
        hoofdstructuur: str | None = None,
    ) -> list[LeerlingExtra]:
        """Personal details, address, parents and contact data of the pupils (``LlnExtra``)."""
        return await self._list("leerlingen_extra", instelnr, schooljaar,
                                referentiedatum=referentiedatum, hoofdstructuur=hoofdstructuur)

    async def subgroepen(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None
    ) -> list[Subgroep]:
        """Every class and group membership of the pupils (``Subgroepen``)."""
        return await self._list("subgroepen", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur)

    async def adressen(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None
    ) -> list[LeerlingAdres]:
        """The pupils' addresses (``Adressen``)."""
        return await self._list("adressen", instelnr, schooljaar, hoofdstructuur=hoofdstructuur)

    async def emailadressen(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None
    ) -> list[LeerlingEmailadressen]:
        """The pupils' e-mail addresses, one row per pupil (``Emailadressen``)."""
        return await self._list("emailadressen", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur)

    async def rekeningnummers(self, instelnr: str, schooljaar: str) -> list[Rekeningnummer]:
        """The pupils' bank accounts (``Rekeningnummers``)."""
        return await self._list("rekeningnummers", instelnr, schooljaar)

    async def comnummers(self, instelnr: str, schooljaar: str) -> list[Comnummer]:
        """Phone numbers of the pupils' relations (``Comnummers``)."""
        return await self._list("comnummers", instelnr, schooljaar)

    async def leerling_comnummers(
        self, instelnr: str, schooljaar: str
    ) -> list[LeerlingComnummer]:
        """The pupils' own phone numbers (``LlnComnummers``)."""
        return await self._list("leerling_comnummers", instelnr, schooljaar)

    async def relaties(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Relatie]:
        """The pupils' relations (``Relaties``); with ``gewijzigd_sinds`` only those
        changed since then (aware date-times are sent in Belgian time)."""
        return await self._list("relaties", instelnr, schooljaar, hoofdstructuur=hoofdstructuur,
                                gewijzigd_sinds=gewijzigd_sinds)

    async def inschrijvingen(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None,
        pre_registration_id: str | uuid.UUID | None = None,
    ) -> list[Inschrijving]:
        """Registrations (``Inschrijvingen``); ``pre_registration_id`` (a GUID) picks the
        registration that came from that pre-registration."""
        return await self._list("inschrijvingen", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur,
                                pre_registration_id=pre_registration_id)

    async def emailrelaties(self, instelnr: str, schooljaar: str) -> list[Emailrelatie]:
        """E-mail addresses of the pupils' relations (``Emailrelatie``)."""
        return await self._list("emailrelaties", instelnr, schooljaar)

    async def adressen_email(self, instelnr: str, schooljaar: str) -> list[AdresEmail]:
        """E-mail addresses linked to the pupils' addresses (``Adressenemail``)."""
        return await self._list("adressen_email", instelnr, schooljaar)

    # --- staff (personeelsadministratie) ----------------------------------------------

    async def leerkrachten(
        self, instelnr: str, schooljaar: str, *, personeelsgroep: str | None = None
    ) -> list[Leerkracht]:
        """Active staff members (``Leerkrachten``), optionally of one ``personeelsgroep``."""
        return await self._list("leerkrachten", instelnr, schooljaar,
                                personeelsgroep=personeelsgroep)

    async def leerkrachten_dienstonderbrekingen(
        self, instelnr: str, schooljaar: str
    ) -> list[Dienstonderbreking]:
        """Service interruptions of the staff (``LeerkrachtenDienstonderbrekingen``)."""
        return await self._list("leerkrachten_dienstonderbrekingen", instelnr, schooljaar)

    async def leerkrachten_opdrachten(
        self, instelnr: str, schooljaar: str, *,
        referentiedatum_npre: DateLike | None = None, met_nsu_uren: bool = False,
    ) -> list[Opdracht]:
        """Assignments of the staff (``LeerkrachtenOpdrachten``). With
        ``referentiedatum_npre``, ``in_npre`` tells whether the assignment is not performed
        on that day; ``met_nsu_uren=True`` adds the non-subsidised hours."""
        return await self._list("leerkrachten_opdrachten", instelnr, schooljaar,
                                referentiedatum_npre=referentiedatum_npre,
                                met_nsu_uren=met_nsu_uren)

    async def leerkrachten_vrijevelden(self, instelnr: str, schooljaar: str) -> list[VrijVeld]:
        """Free fields of the staff (``LeerkrachtenVrijeVelden``)."""
        return await self._list("leerkrachten_vrijevelden", instelnr, schooljaar)

    async def leerkrachten_nascholingen(
        self, instelnr: str, schooljaar: str, *, begindatum: DateLike | None = None,
        einddatum: DateLike | None = None,
    ) -> list[Nascholing]:
        """In-service trainings of the staff (``LeerkrachtenNascholingen``), optionally
        only those between ``begindatum`` and ``einddatum``."""
        return await self._list("leerkrachten_nascholingen", instelnr, schooljaar,
                                begindatum=begindatum, einddatum=einddatum)

    async def leerkrachten_benoemingen(self, instelnr: str, schooljaar: str) -> list[Benoeming]:
        """Permanent appointments of the staff (``LeerkrachtenBenoemingen``)."""
        return await self._list("leerkrachten_benoemingen", instelnr, schooljaar)

    async def leerkrachten_diplomas(self, instelnr: str, schooljaar: str) -> list[Diploma]:
        """Diplomas of the staff (``LeerkrachtenDiplomas``)."""
        return await self._list("leerkrachten_diplomas", instelnr, schooljaar)

    async def vervangingen(self, instelnr: str, schooljaar: str) -> list[Vervanging]:
        """Replacements: assignments taken over during interruptions (``Vervangingen``)."""
        return await self._list("vervangingen", instelnr, schooljaar)

    # --- boarders (internen) ----------------------------------------------------------

    async def internen(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[Intern]:
        """Boarders of the boarding school ``instelnr`` with their personal details."""
        return await self._list("internen", instelnr, schooljaar, referentiedatum=referentiedatum)

    async def internaat_inschrijvingen(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[InternaatInschrijving]:
        """Boarding registrations with the room (``InternaatInschrijvingen``)."""
        return await self._list("internaat_inschrijvingen", instelnr, schooljaar,
                                referentiedatum=referentiedatum)

    async def internen_adressen_email(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[AdresEmail]:
        """E-mail addresses linked to the boarders' addresses."""
        return await self._list("internen_adressen_email", instelnr, schooljaar,
                                referentiedatum=referentiedatum)

    async def internen_comnummers(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[Comnummer]:
        """Phone numbers of the boarders' relations."""
        return await self._list("internen_comnummers", instelnr, schooljaar,
                                referentiedatum=referentiedatum)

    async def internen_relaties(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[Relatie]:
        """The boarders' relations."""
        return await self._list("internen_relaties", instelnr, schooljaar,
                                referentiedatum=referentiedatum)

    async def internen_emailrelaties(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[Emailrelatie]:
        """E-mail addresses of the boarders' relations."""
        return await self._list("internen_emailrelaties", instelnr, schooljaar,
                                referentiedatum=referentiedatum)

    # --- Smartschool ------------------------------------------------------------------

    async def smartschool_users(
        self, instelnr: str | None, schooljaar: str, *, smartschoolplatform: str,
        discimus_vestigingsnr: str | int | None = None,
        referentiedatum: DateLike | None = None,
    ) -> list[SmartschoolUser]:
        """Smartschool accounts of the pupils of ``smartschoolplatform`` (e.g.
        ``"myschool.smartschool.be"``); ``instelnr`` (may be None), the Discimus location
        number and ``referentiedatum`` narrow the list."""
        return await self._list("smartschool_users", instelnr, schooljaar,
                                smartschoolplatform=smartschoolplatform,
                                discimus_vestigingsnr=discimus_vestigingsnr,
                                referentiedatum=referentiedatum)

    # --- authentication ---------------------------------------------------------------

    async def authenticate_user(self, user_name: str, password: str) -> bool:
        """Whether Informat accepts ``user_name`` and ``password`` (``AuthenticateUser``).

        The password travels in the SOAP body only and never appears in logs or errors.
        """
        if not isinstance(user_name, str) or not user_name:
            raise InvalidInputError("user_name must be a non-empty string")
        if not isinstance(password, str) or not password:
            raise InvalidInputError("password must be a non-empty string")
        transport = await self._get_transport()
        operation = "AuthenticateUser"
        endpoint = f"legacy {operation}"
        headers, body = _protocol.soap_request(
            operation, (("sUserName", user_name), ("sPassword", password))
        )
        secrets = (password, self._password)

        def decode(status: int, answer_headers: Mapping[str, str], answer: bytes) -> bool:
            result = _protocol.read_answer(
                status, answer_headers, answer, operation=operation,
                now=dt.datetime.now(dt.UTC), endpoint=endpoint, secrets=secrets,
            )
            return _protocol.boolean_result(result, endpoint=endpoint)

        return await transport.post(body, headers, decode, endpoint=endpoint, institute=None)

    # --- fan-out ----------------------------------------------------------------------

    @overload
    def fetch_many(
        self,
        method: Callable[..., Awaitable[list[T]]],
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        **options: object,
    ) -> LegacyRun[T]: ...

    @overload
    def fetch_many(
        self,
        method: str,
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        **options: object,
    ) -> LegacyRun[object]: ...

    def fetch_many(
        self,
        method: str | Callable[..., Awaitable[list[Any]]],
        institutes: Iterable[str],
        schooljaar: str,
        *,
        concurrency: int | None = None,
        retry_budget: RetryBudget | None = None,
        **options: object,
    ) -> LegacyRun[Any]:
        """Pull one list for many institutes in parallel, under this client's (possibly
        shared) rate limit; one institute's failure never stops the others.

        ``method`` is a method name (``"leerkrachten"``), an ASMX name, or a bound method
        of this client (``legacy.leerkrachten``); ``options`` are its keyword arguments,
        the same for every institute. Every institute's call is checked before anything is
        sent. ``concurrency`` (default ``max_in_flight``) workers take institutes from a
        queue; ``retry_budget`` (default: a fresh one per run) bounds the run's retries.

        Use ``async with legacy.fetch_many(...) as run: async for result in run: ...``
        (each result is a :class:`~informat_async.legacy.LegacyFetched` or a
        :class:`~informat_async.bulk.Failure`), then read ``run.report``; or
        ``result = await legacy.fetch_many(...).gather()``.
        """
        from ._fanout import LegacyRun

        return LegacyRun(self, method, institutes, schooljaar, concurrency=concurrency,
                         retry_budget=retry_budget, options=options)
