"""Ground truth of the fake older webservices (``wsInformat.asmx``): DataSet rows as dicts.

A row maps Informat's element names (as the seed document spells them: ``p_persoon``,
``Naam``, ``Stamnr_kort``, ``Privé``) to text; ``None`` is a null value (the element is
left out, as a .NET DataSet does for DBNull) and ``""`` an empty element.

* Pupil lists are derived at request time from the REST ground truth (``server.data``),
  so the same pupils of the same institutes appear in both APIs, with the same
  ``pPersoon``, names, registrations and classes (a ``touch_student`` shows up in both).
* Staff are the class teachers of the REST data plus a head, a secretary and a
  caretaker, with assignments, interruptions, replacements, free fields, trainings,
  appointments and diplomas.
* Every served institute has a boarding school with a number of its own
  (:meth:`LegacyData.boarding_school`): a deterministic quarter of its pupils are
  boarders, and the pupil operations called with that number answer for them.
* ``Relaties``, ``ComnummersRelatie`` and ``EmailRelatie`` are grouped per pupil
  (:meth:`LegacyData.answer`); :meth:`LegacyData.rows` flattens them with ``PPersoon``.
* Smartschool users are the pupils with generated initial passwords.

Everything derives from ``(seed, institute number)`` only, like :class:`FakeData`.

This module holds the operation tables and the service (:class:`LegacyData`); the rest is
split by job: :mod:`._legacy_values` (wire values, parameters, faults),
:mod:`._legacy_generate` (the legacy-only data), :mod:`._legacy_source` (institutes and
pupils), and the rows of each group of operations in :mod:`._legacy_pupil_rows`,
:mod:`._legacy_contact_rows` and :mod:`._legacy_own_rows`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _legacy_contact_rows, _legacy_own_rows, _legacy_pupil_rows
from ._legacy_source import Builder, LegacySource
from ._legacy_values import LegacyFault, Row
from ._util import parse_school_year

_BASE = ("schooljaar", "instelnr")
_BOARDERS = (*_BASE, "referentiedatum")

#: Every operation with the parameters it takes besides ``login`` and ``paswoord``, in
#: order: the names of ``shared/reference/legacy-wire.md`` section 6 (guesses where it
#: has no evidence). The boarder lists are these operations with a boarding school's
#: institute number (:meth:`LegacyData.boarding_school`).
OPERATION_PARAMS: Mapping[str, tuple[str, ...]] = {
    "Lln": (*_BASE, "referentiedatum", "hoofdstructuur"),
    "LlnExtra": (*_BASE, "referentiedatum", "hoofdstructuur"),
    "Subgroepen": (*_BASE, "hoofdstructuur"),
    "Adressen": (*_BASE, "hoofdstructuur"),
    "Emailadressen": (*_BASE, "hoofdstructuur"),
    "Rekeningnummers": _BASE,
    "ComnummersRelatie": (*_BASE, "hoofdstructuur", "gewijzigdSinds"),
    "LlnComnummers": _BASE,
    "Relaties": (*_BASE, "hoofdstructuur", "gewijzigdSinds"),
    "Inschrijvingen": (*_BASE, "hoofdstructuur", "preRegistrationId"),
    "EmailRelatie": (*_BASE, "referentiedatum", "hoofdstructuur", "gewijzigdSinds"),
    "AdressenEmail": (*_BASE, "hoofdstructuur"),
    "Leerkrachten": (*_BASE, "personeelsgroep_is_een_optie"),
    "LeerkrachtenDienstonderbrekingen": _BASE,
    "LeerkrachtenOpdrachten": (*_BASE, "ReferentiedatumNPRE", "Met_NSU_Uren"),
    "LeerkrachtenVrijevelden": _BASE,
    "LeerkrachtenNascholingen": (*_BASE, "begindatum", "einddatum"),
    "LeerkrachtenBenoemingen": _BASE,
    "LeerkrachtenDiplomas": _BASE,
    "Vervangingen": _BASE,
    "InternaatInschrijvingen": _BOARDERS,
    "SmartschoolUsers": ("smartschoolplatform", "schooljaar", "instelnr",
                         "discimusVestigingsnr", "referentiedatum"),
}

#: The row element of each operation's typed-array answer (the live names where the
#: reference has them, guesses otherwise).
ROW_ELEMENTS: Mapping[str, str] = {
    "Lln": "wsInschrijving",
    "LlnExtra": "wsLeerling",
    "Subgroepen": "wsKlasgroep",
    "Adressen": "wsAdres",
    "Emailadressen": "wsEmailadressen",
    "Rekeningnummers": "wsRekeningnummer",
    "ComnummersRelatie": "WsComnummers",
    "LlnComnummers": "wsLlnComnummer",
    "Relaties": "WsRelaties",
    "Inschrijvingen": "WsInschrijvingen",
    "EmailRelatie": "WsEmailadressen",
    "AdressenEmail": "WsAdressenEmail",
    "Leerkrachten": "wsPersoneelslid",
    "LeerkrachtenDienstonderbrekingen": "wsDienstonderbreking",
    "LeerkrachtenOpdrachten": "wsOpdracht",
    "LeerkrachtenVrijevelden": "wsPersoneelVrijVeld",
    "LeerkrachtenNascholingen": "wsNascholing",
    "LeerkrachtenBenoemingen": "wsBenoeming",
    "LeerkrachtenDiplomas": "wsDiploma",
    "Vervangingen": "wsVervanging",
    "InternaatInschrijvingen": "wsInternaatInschrijving",
    "SmartschoolUsers": "User",
}

#: The answers grouped per pupil: (list wrapper, item element) inside the row element,
#: which holds the pupil's ``PPersoon``.
NESTED: Mapping[str, tuple[str, str]] = {
    "Relaties": ("Relaties", "Relatie"),
    "ComnummersRelatie": ("Comnrs", "Comnr"),
    "EmailRelatie": ("Emails", "Email"),
}

#: Staff groups (``personeelsgroep``).
STAFF_GROUPS = ("Leerkrachten", "Directie", "Secretariaat", "Onderhoud")


class LegacyData(LegacySource):
    """The fake older webservices' ground truth, on top of the REST :class:`FakeData`.

    :meth:`rows` answers exactly what the service serves for an operation and its
    parameters, so tests can ask for expectations; :meth:`institute` holds the generated
    staff, boarders and Smartschool data.
    """

    def rows(self, operation: str, params: Mapping[str, str]) -> list[Row]:
        """What ``operation`` answers for ``params`` (wire names, values as sent; the
        login is checked by the server before), one row per record: the items of a
        nested answer carry their pupil's ``PPersoon``. Raises :class:`LegacyFault`."""
        answer = self.answer(operation, params)
        if operation not in NESTED:
            return answer
        return [{**item, "PPersoon": p_persoon}
                for p_persoon, items in answer for item in items]

    def answer(self, operation: str, params: Mapping[str, str]) -> list[Any]:
        """The answer as the service shapes it: rows, or per-pupil groups
        (:data:`~._legacy_values.Group`) for the operations in :data:`NESTED`. Raises
        :class:`LegacyFault`."""
        builder = _BUILDERS.get(operation)
        if builder is None:
            raise LegacyFault("operation", f"Onbekende methode {operation}", client=True)
        school_year = params.get("schooljaar", "")
        if parse_school_year(school_year) is None:
            raise LegacyFault("input", f"Ongeldig schooljaar '{school_year}'")
        number = params.get("instelnr", "")
        if operation == "SmartschoolUsers":
            if not params.get("smartschoolplatform", "").strip():
                raise LegacyFault("input", "Parameter smartschoolplatform is verplicht")
            numbers = [number] if number else list(self.data.institutes)
        else:
            numbers = [number]
        for each in numbers:
            if each not in self.data.institutes and each not in self._boarding:
                raise LegacyFault(
                    "institute", f"Geen toegang tot instellingsnummer '{each}' voor deze login"
                )
        if school_year != self.data.school_year:
            return []
        rows: list[Any] = []
        for each in numbers:
            rows.extend(builder(self, each, params))
        return rows


_BUILDERS: Mapping[str, Builder] = {
    **_legacy_pupil_rows.BUILDERS,
    **_legacy_contact_rows.BUILDERS,
    **_legacy_own_rows.BUILDERS,
}
