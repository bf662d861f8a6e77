"""Every operation of the older webservices: ASMX name, parameters, answer shape, evidence.

One table, so the client's methods, the decoder, the fan-out and the command line agree.
Names come from ``shared/reference/legacy-wire.md`` (section 6): the operation names,
parameter names, row elements and nesting that Informat's own help pages or integrations
calling the live service show. :attr:`Operation.confirmed` tells which are backed by public
evidence. The others are the best guess from seed 001's list names and are **unconfirmed**:
``Emailadressen``, ``Rekeningnummers``, ``LlnComnummers``,
``LeerkrachtenDienstonderbrekingen``, ``LeerkrachtenNascholingen`` (and its ``begindatum``
/ ``einddatum`` parameters), ``LeerkrachtenBenoemingen``, ``LeerkrachtenDiplomas``,
``Vervangingen``, ``InternaatInschrijvingen``; and the boarder lists, which call the pupil
operations with the boarding school's institute number (inferred). Pass
``operation_names={...}`` to the client if your service names one of them differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

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

__all__ = ["OPERATIONS", "OPTION_WIRE_NAMES", "Evidence", "Family", "Nesting", "Operation",
           "find_operation"]

Family = Literal["pupils", "personnel", "boarders", "smartschool"]
Evidence = Literal["OFF", "MULTI", "ONE", "INF", "none"]
"""Evidence labels of the wire reference: Informat's own text, several integrations, one
integration, inferred, none."""


@attrs.frozen
class Operation:
    """One list operation of the older webservices."""

    method: str
    """The client's method name, e.g. ``"leerkrachten"``."""
    name: str
    """The ASMX operation name, e.g. ``"Leerkrachten"``."""
    model: type[Any]
    """The attrs class of its rows."""
    options: tuple[str, ...] = ()
    """The method's optional keyword arguments, in the order they are sent."""
    family: Family = "pupils"
    """Which application the login needs access to."""
    row: str | None = None
    """The row element of the answer (``wsInschrijving``; for a nested answer the
    per-pupil element, ``WsRelaties``); None where no public evidence names it (the
    decoder then takes any one element name)."""
    nested: Nesting | None = None
    """For answers grouped per pupil: the list wrapper and item elements."""
    evidence: Evidence = "none"
    """How certain the operation and parameter names are (see the module docstring)."""
    order: tuple[str, ...] | None = None
    """The wire parameters after ``login`` and ``paswoord`` when they are not
    ``schooljaar, instelnr`` followed by the options (``SmartschoolUsers``)."""

    @property
    def confirmed(self) -> bool:
        """Whether public evidence confirms the operation and parameter names."""
        return self.evidence in ("OFF", "MULTI", "ONE")

    @property
    def wire_params(self) -> tuple[str, ...]:
        """Every parameter sent after ``login`` and ``paswoord``, in order."""
        if self.order is not None:
            return self.order
        return ("schooljaar", "instelnr", *(OPTION_WIRE_NAMES[o] for o in self.options))


@attrs.frozen
class Nesting:
    """How an answer nests its items per pupil: ``<WsRelaties><PPersoon/><Relaties>
    <Relatie/>...</Relaties></WsRelaties>``."""

    wrapper: str
    """The list wrapper inside the per-pupil element (``Relaties``)."""
    item: str
    """One item of the list (``Relatie``)."""


#: The wire name of each optional keyword argument.
OPTION_WIRE_NAMES: Mapping[str, str] = {
    "referentiedatum": "referentiedatum",
    "hoofdstructuur": "hoofdstructuur",
    "gewijzigd_sinds": "gewijzigdSinds",
    "pre_registration_id": "preRegistrationId",
    "personeelsgroep": "personeelsgroep_is_een_optie",
    "referentiedatum_npre": "ReferentiedatumNPRE",
    "met_nsu_uren": "Met_NSU_Uren",
    "begindatum": "begindatum",
    "einddatum": "einddatum",
    "smartschoolplatform": "smartschoolplatform",
    "discimus_vestigingsnr": "discimusVestigingsnr",
}

_REF = ("referentiedatum", "hoofdstructuur")
_HFD = ("hoofdstructuur",)
_CHANGED = ("hoofdstructuur", "gewijzigd_sinds")
_EMAIL = ("referentiedatum", "hoofdstructuur", "gewijzigd_sinds")
_RELATIES = Nesting("Relaties", "Relatie")
_COMNRS = Nesting("Comnrs", "Comnr")
_EMAILS = Nesting("Emails", "Email")

OPERATIONS: Mapping[str, Operation] = {
    op.method: op
    for op in (
        # pupils (leerlingenadministratie)
        Operation("leerlingen", "Lln", Leerling, _REF, row="wsInschrijving", evidence="MULTI"),
        Operation("leerlingen_extra", "LlnExtra", LeerlingExtra, _REF, row="wsLeerling",
                  evidence="MULTI"),
        Operation("subgroepen", "Subgroepen", Subgroep, _HFD, row="wsKlasgroep",
                  evidence="MULTI"),
        Operation("adressen", "Adressen", LeerlingAdres, _HFD, row="wsAdres", evidence="ONE"),
        Operation("emailadressen", "Emailadressen", LeerlingEmailadressen, _HFD),
        Operation("rekeningnummers", "Rekeningnummers", Rekeningnummer),
        Operation("comnummers", "ComnummersRelatie", Comnummer, _CHANGED, row="WsComnummers",
                  nested=_COMNRS, evidence="OFF"),
        Operation("leerling_comnummers", "LlnComnummers", LeerlingComnummer),
        Operation("relaties", "Relaties", Relatie, _CHANGED, row="WsRelaties",
                  nested=_RELATIES, evidence="MULTI"),
        Operation("inschrijvingen", "Inschrijvingen", Inschrijving,
                  ("hoofdstructuur", "pre_registration_id"), evidence="ONE"),
        Operation("emailrelaties", "EmailRelatie", Emailrelatie, _EMAIL, row="WsEmailadressen",
                  nested=_EMAILS, evidence="OFF"),
        Operation("adressen_email", "AdressenEmail", AdresEmail, _HFD, row="WsAdressenEmail",
                  evidence="OFF"),
        # staff (personeelsadministratie)
        Operation("leerkrachten", "Leerkrachten", Leerkracht, ("personeelsgroep",),
                  "personnel", row="wsPersoneelslid", evidence="MULTI"),
        Operation("leerkrachten_dienstonderbrekingen", "LeerkrachtenDienstonderbrekingen",
                  Dienstonderbreking, (), "personnel"),
        Operation("leerkrachten_opdrachten", "LeerkrachtenOpdrachten", Opdracht,
                  ("referentiedatum_npre", "met_nsu_uren"), "personnel", evidence="ONE"),
        Operation("leerkrachten_vrijevelden", "LeerkrachtenVrijevelden", VrijVeld, (),
                  "personnel", row="wsPersoneelVrijVeld", evidence="MULTI"),
        Operation("leerkrachten_nascholingen", "LeerkrachtenNascholingen", Nascholing,
                  ("begindatum", "einddatum"), "personnel"),
        Operation("leerkrachten_benoemingen", "LeerkrachtenBenoemingen", Benoeming, (),
                  "personnel"),
        Operation("leerkrachten_diplomas", "LeerkrachtenDiplomas", Diploma, (), "personnel"),
        Operation("vervangingen", "Vervangingen", Vervanging, (), "personnel"),
        # boarders (internen): the pupil operations with the boarding school's number
        Operation("internen", "LlnExtra", Intern, _REF, "boarders", row="wsLeerling",
                  evidence="INF"),
        Operation("internaat_inschrijvingen", "InternaatInschrijvingen",
                  InternaatInschrijving, ("referentiedatum",), "boarders"),
        Operation("internen_adressen_email", "AdressenEmail", AdresEmail, _HFD, "boarders",
                  row="WsAdressenEmail", evidence="INF"),
        Operation("internen_comnummers", "ComnummersRelatie", Comnummer, _CHANGED, "boarders",
                  row="WsComnummers", nested=_COMNRS, evidence="INF"),
        Operation("internen_relaties", "Relaties", Relatie, _CHANGED, "boarders",
                  row="WsRelaties", nested=_RELATIES, evidence="INF"),
        Operation("internen_emailrelaties", "EmailRelatie", Emailrelatie, _EMAIL, "boarders",
                  row="WsEmailadressen", nested=_EMAILS, evidence="INF"),
        # Smartschool
        Operation("smartschool_users", "SmartschoolUsers", SmartschoolUser,
                  ("smartschoolplatform", "discimus_vestigingsnr", "referentiedatum"),
                  "smartschool", row="User", evidence="OFF",
                  order=("smartschoolplatform", "schooljaar", "instelnr",
                         "discimusVestigingsnr", "referentiedatum")),
    )
}

#: Every model of the older webservices.
MODELS: tuple[type[Any], ...] = tuple(dict.fromkeys(op.model for op in OPERATIONS.values()))


def find_operation(name: str) -> Operation | None:
    """An operation by method name (``leerkrachten``) or ASMX name (``Leerkrachten``),
    case-insensitively; None when unknown. An ASMX name that several methods share
    (``LlnExtra`` for pupils and boarders) finds the pupil list."""
    folded = name.strip().lower().replace("-", "_")
    for op in OPERATIONS.values():
        if folded in (op.method, op.name.lower()):
            return op
    return None
