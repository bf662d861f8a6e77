"""``InformatLegacyClient``: one method per operation of the older webservices."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from ..errors import InvalidInputError
from . import _protocol
from ._base import DEFAULT_LEGACY_URL, DateLike, LegacyClientBase
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

__all__ = ["DEFAULT_LEGACY_URL", "DateLike", "InformatLegacyClient"]


class InformatLegacyClient(LegacyClientBase):
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
        operation_names: replace ASMX operation names (``{"vervangingen": "..."}``), for
            services that name an operation differently. The names without public
            evidence (see :mod:`informat_async.legacy._operations`) are best guesses.
            A renamed operation's answer may use any one row element name.
        allow_insecure_http: allow an ``http://`` URL to a host other than loopback (off by
            default: the password would travel in clear text).
        proxy: an HTTP proxy URL for the session the client creates; without it that
            session follows ``HTTPS_PROXY``/``HTTP_PROXY`` and ``NO_PROXY``.
    """


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
        """The pupils' e-mail addresses, one row per pupil (``Emailadressen``).

        Unconfirmed: no public evidence of this operation's name, parameters or row
        element; remap it with ``operation_names={"emailadressen": ...}``."""
        return await self._list("emailadressen", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur)

    async def rekeningnummers(self, instelnr: str, schooljaar: str) -> list[Rekeningnummer]:
        """The pupils' bank accounts (``Rekeningnummers``). Unconfirmed operation name
        (no public evidence); remappable with ``operation_names``."""
        return await self._list("rekeningnummers", instelnr, schooljaar)

    async def comnummers(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Comnummer]:
        """Phone numbers of the pupils and their relations (``ComnummersRelatie``).

        The service groups them per pupil; this returns one record per number, with the
        pupil's ``p_persoon`` filled in (``p_relatie`` is None for the pupil's own)."""
        return await self._list("comnummers", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur, gewijzigd_sinds=gewijzigd_sinds)

    async def leerling_comnummers(
        self, instelnr: str, schooljaar: str
    ) -> list[LeerlingComnummer]:
        """The pupils' own phone numbers (``LlnComnummers``). Unconfirmed operation
        name (no public evidence); remappable with ``operation_names``."""
        return await self._list("leerling_comnummers", instelnr, schooljaar)

    async def relaties(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Relatie]:
        """The pupils' relations (``Relaties``); with ``gewijzigd_sinds`` only those
        changed since then (aware date-times are sent in Belgian time).

        The service groups them per pupil; this returns one record per relation, with
        the pupil's ``p_persoon`` filled in."""
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

    async def emailrelaties(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None,
        hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Emailrelatie]:
        """E-mail addresses of the pupils and their relations (``EmailRelatie``).

        The service groups them per pupil; this returns one record per address, with the
        pupil's ``p_persoon`` filled in (``p_relatie`` is None for the pupil's own)."""
        return await self._list("emailrelaties", instelnr, schooljaar,
                                referentiedatum=referentiedatum, hoofdstructuur=hoofdstructuur,
                                gewijzigd_sinds=gewijzigd_sinds)

    async def adressen_email(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None
    ) -> list[AdresEmail]:
        """E-mail addresses linked to the pupils' addresses (``AdressenEmail``)."""
        return await self._list("adressen_email", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur)

    # --- staff (personeelsadministratie) ----------------------------------------------

    async def leerkrachten(
        self, instelnr: str, schooljaar: str, *, personeelsgroep: str | None = None
    ) -> list[Leerkracht]:
        """Active staff members (``Leerkrachten``), optionally of one ``personeelsgroep``
        (sent as ``personeelsgroep_is_een_optie``)."""
        return await self._list("leerkrachten", instelnr, schooljaar,
                                personeelsgroep=personeelsgroep)

    async def leerkrachten_dienstonderbrekingen(
        self, instelnr: str, schooljaar: str
    ) -> list[Dienstonderbreking]:
        """Service interruptions of the staff (``LeerkrachtenDienstonderbrekingen``).
        Unconfirmed operation name (no public evidence); remappable."""
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
        """Free fields of the staff (``LeerkrachtenVrijevelden``)."""
        return await self._list("leerkrachten_vrijevelden", instelnr, schooljaar)

    async def leerkrachten_nascholingen(
        self, instelnr: str, schooljaar: str, *, begindatum: DateLike | None = None,
        einddatum: DateLike | None = None,
    ) -> list[Nascholing]:
        """In-service trainings of the staff (``LeerkrachtenNascholingen``), optionally
        only those between ``begindatum`` and ``einddatum``. Unconfirmed: no public
        evidence of the operation name or of its two date parameters' names."""
        return await self._list("leerkrachten_nascholingen", instelnr, schooljaar,
                                begindatum=begindatum, einddatum=einddatum)

    async def leerkrachten_benoemingen(self, instelnr: str, schooljaar: str) -> list[Benoeming]:
        """Permanent appointments of the staff (``LeerkrachtenBenoemingen``).
        Unconfirmed operation name (no public evidence); remappable."""
        return await self._list("leerkrachten_benoemingen", instelnr, schooljaar)

    async def leerkrachten_diplomas(self, instelnr: str, schooljaar: str) -> list[Diploma]:
        """Diplomas of the staff (``LeerkrachtenDiplomas``). Unconfirmed operation name
        (no public evidence); remappable."""
        return await self._list("leerkrachten_diplomas", instelnr, schooljaar)

    async def vervangingen(self, instelnr: str, schooljaar: str) -> list[Vervanging]:
        """Replacements: assignments taken over during interruptions (``Vervangingen``).
        Unconfirmed operation name (no public evidence); remappable."""
        return await self._list("vervangingen", instelnr, schooljaar)

    # --- boarders (internen) ----------------------------------------------------------
    # The boarder lists are the pupil operations called with the boarding school's
    # institute number (inferred from seed 001, unconfirmed; remappable).

    async def internen(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None,
        hoofdstructuur: str | None = None,
    ) -> list[Intern]:
        """Boarders of the boarding school ``instelnr`` with their personal details
        (``LlnExtra`` with the boarding school's number: inferred, unconfirmed)."""
        return await self._list("internen", instelnr, schooljaar, referentiedatum=referentiedatum,
                                hoofdstructuur=hoofdstructuur)

    async def internaat_inschrijvingen(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None
    ) -> list[InternaatInschrijving]:
        """Boarding registrations with the room (``InternaatInschrijvingen``).
        Unconfirmed operation name (no public evidence); remappable."""
        return await self._list("internaat_inschrijvingen", instelnr, schooljaar,
                                referentiedatum=referentiedatum)

    async def internen_adressen_email(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None
    ) -> list[AdresEmail]:
        """E-mail addresses linked to the boarders' addresses (``AdressenEmail`` with the
        boarding school's number: inferred, unconfirmed)."""
        return await self._list("internen_adressen_email", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur)

    async def internen_comnummers(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Comnummer]:
        """Phone numbers of the boarders and their relations (``ComnummersRelatie`` with
        the boarding school's number: inferred, unconfirmed), one record per number."""
        return await self._list("internen_comnummers", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur, gewijzigd_sinds=gewijzigd_sinds)

    async def internen_relaties(
        self, instelnr: str, schooljaar: str, *, hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Relatie]:
        """The boarders' relations (``Relaties`` with the boarding school's number:
        inferred, unconfirmed), one record per relation."""
        return await self._list("internen_relaties", instelnr, schooljaar,
                                hoofdstructuur=hoofdstructuur, gewijzigd_sinds=gewijzigd_sinds)

    async def internen_emailrelaties(
        self, instelnr: str, schooljaar: str, *, referentiedatum: DateLike | None = None,
        hoofdstructuur: str | None = None,
        gewijzigd_sinds: DateLike | dt.datetime | None = None,
    ) -> list[Emailrelatie]:
        """E-mail addresses of the boarders and their relations (``EmailRelatie`` with the
        boarding school's number: inferred, unconfirmed), one record per address."""
        return await self._list("internen_emailrelaties", instelnr, schooljaar,
                                referentiedatum=referentiedatum, hoofdstructuur=hoofdstructuur,
                                gewijzigd_sinds=gewijzigd_sinds)

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

        async def decode(status: int, answer_headers: Mapping[str, str], answer: bytes
                         ) -> bool:
            result = _protocol.read_answer(
                status, answer_headers, answer, operation=operation,
                now=dt.datetime.now(dt.UTC), endpoint=endpoint, secrets=secrets,
            )
            return _protocol.boolean_result(result, endpoint=endpoint)

        return await transport.post(body, headers, decode, endpoint=endpoint, institute=None)

