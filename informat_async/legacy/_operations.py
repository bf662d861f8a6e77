"""Every operation of the older webservices: its ASMX name, model and optional parameters.

One table, so the client's methods, the fan-out and the command line agree. The
operation names of the pupil and staff lists are Informat's (the seed document and the
integrations in use). Those of the boarder lists are an assumption (``Internen...`` and
``InternaatInschrijvingen``): pass ``operation_names={...}`` to the client if your
service names them differently.
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

__all__ = ["OPERATIONS", "OPTION_WIRE_NAMES", "Family", "Operation", "find_operation"]

Family = Literal["pupils", "personnel", "boarders", "smartschool"]


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


#: The wire name of each optional keyword argument.
OPTION_WIRE_NAMES: Mapping[str, str] = {
    "referentiedatum": "referentiedatum",
    "hoofdstructuur": "hoofdstructuur",
    "gewijzigd_sinds": "gewijzigdSinds",
    "pre_registration_id": "preRegistrationId",
    "personeelsgroep": "personeelsgroep",
    "referentiedatum_npre": "ReferentiedatumNPRE",
    "met_nsu_uren": "Met_NSU_Uren",
    "begindatum": "begindatum",
    "einddatum": "einddatum",
    "smartschoolplatform": "smartschoolplatform",
    "discimus_vestigingsnr": "discimusVestigingsnr",
}

_REF = ("referentiedatum", "hoofdstructuur")
_HFD = ("hoofdstructuur",)

OPERATIONS: Mapping[str, Operation] = {
    op.method: op
    for op in (
        # pupils (leerlingenadministratie)
        Operation("leerlingen", "Lln", Leerling, _REF),
        Operation("leerlingen_extra", "LlnExtra", LeerlingExtra, _REF),
        Operation("subgroepen", "Subgroepen", Subgroep, _HFD),
        Operation("adressen", "Adressen", LeerlingAdres, _HFD),
        Operation("emailadressen", "Emailadressen", LeerlingEmailadressen, _HFD),
        Operation("rekeningnummers", "Rekeningnummers", Rekeningnummer),
        Operation("comnummers", "Comnummers", Comnummer),
        Operation("leerling_comnummers", "LlnComnummers", LeerlingComnummer),
        Operation("relaties", "Relaties", Relatie, ("hoofdstructuur", "gewijzigd_sinds")),
        Operation("inschrijvingen", "Inschrijvingen", Inschrijving,
                  ("hoofdstructuur", "pre_registration_id")),
        Operation("emailrelaties", "Emailrelatie", Emailrelatie),
        Operation("adressen_email", "Adressenemail", AdresEmail),
        # staff (personeelsadministratie)
        Operation("leerkrachten", "Leerkrachten", Leerkracht, ("personeelsgroep",),
                  "personnel"),
        Operation("leerkrachten_dienstonderbrekingen", "LeerkrachtenDienstonderbrekingen",
                  Dienstonderbreking, (), "personnel"),
        Operation("leerkrachten_opdrachten", "LeerkrachtenOpdrachten", Opdracht,
                  ("referentiedatum_npre", "met_nsu_uren"), "personnel"),
        Operation("leerkrachten_vrijevelden", "LeerkrachtenVrijeVelden", VrijVeld, (),
                  "personnel"),
        Operation("leerkrachten_nascholingen", "LeerkrachtenNascholingen", Nascholing,
                  ("begindatum", "einddatum"), "personnel"),
        Operation("leerkrachten_benoemingen", "LeerkrachtenBenoemingen", Benoeming, (),
                  "personnel"),
        Operation("leerkrachten_diplomas", "LeerkrachtenDiplomas", Diploma, (), "personnel"),
        Operation("vervangingen", "Vervangingen", Vervanging, (), "personnel"),
        # boarders (internen)
        Operation("internen", "InternenLlnExtra", Intern, ("referentiedatum",), "boarders"),
        Operation("internaat_inschrijvingen", "InternaatInschrijvingen",
                  InternaatInschrijving, ("referentiedatum",), "boarders"),
        Operation("internen_adressen_email", "InternenAdressenemail", AdresEmail,
                  ("referentiedatum",), "boarders"),
        Operation("internen_comnummers", "InternenComnummers", Comnummer,
                  ("referentiedatum",), "boarders"),
        Operation("internen_relaties", "InternenRelaties", Relatie, ("referentiedatum",),
                  "boarders"),
        Operation("internen_emailrelaties", "InternenEmailrelatie", Emailrelatie,
                  ("referentiedatum",), "boarders"),
        # Smartschool
        Operation("smartschool_users", "SmartschoolUsers", SmartschoolUser,
                  ("smartschoolplatform", "discimus_vestigingsnr", "referentiedatum"),
                  "smartschool"),
    )
}

#: Every model of the older webservices.
MODELS: tuple[type[Any], ...] = tuple(dict.fromkeys(op.model for op in OPERATIONS.values()))


def find_operation(name: str) -> Operation | None:
    """An operation by method name (``leerkrachten``) or ASMX name (``Leerkrachten``),
    case-insensitively; None when unknown."""
    folded = name.strip().lower().replace("-", "_")
    for op in OPERATIONS.values():
        if folded in (op.method, op.name.lower()):
            return op
    return None
