"""Open enumerations for the closed code lists of the spec.

Informat adds codes over time (OLOD groups were added as class type 3 in API 1.19,
foster parents as relationship types 7 and 8 in 1.16). A code the client does not
know yet must never fail a whole sync, so every enum here is *open*: looking up an
unknown value returns a pseudo-member named ``UNKNOWN_<value>`` that keeps the raw
value (``member.value``) and compares equal to it, instead of raising ``ValueError``.
"""

from __future__ import annotations

import enum
from typing import Self, TypeVar


class OpenIntEnum(enum.IntEnum):
    """An ``IntEnum`` that accepts unknown integer values as pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return _pseudo_member(cls, int.__new__(cls, value), value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return cls(int(value.strip()))
        return None

    @property
    def is_known(self) -> bool:
        """Whether this value is one the spec documents."""
        return self._name_ in type(self).__members__


class OpenStrEnum(enum.StrEnum):
    """A ``StrEnum`` that matches case-insensitively and keeps unknown values."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        folded = value.strip().casefold()
        for member in cls:
            if member.value.casefold() == folded:
                return member
        return _pseudo_member(cls, str.__new__(cls, value), value)

    @property
    def is_known(self) -> bool:
        """Whether this value is one the spec documents."""
        return self._name_ in type(self).__members__


_E = TypeVar("_E", bound=enum.Enum)


def _pseudo_member(cls: type[_E], member: _E, value: object) -> _E:
    member._name_ = f"UNKNOWN_{value}"
    member._value_ = value
    return member


class Sex(OpenStrEnum):
    """Sex as the read endpoints return it (``geslacht``)."""

    MALE = "M"
    FEMALE = "V"


class PreRegistrationSex(OpenIntEnum):
    """Sex as ``/preregistrations/save`` expects it (``sex``)."""

    MALE = 1
    FEMALE = 2


class RegistrationStatus(OpenIntEnum):
    """Status of a registration (``status`` of ``/registrations``)."""

    REALIZED = 0
    """Gerealiseerd."""
    NOT_REALIZED = 1
    """Niet-gerealiseerd."""
    POSTPONED = 2
    """Uitgesteld."""
    PARALLEL = 3
    """Parallel."""
    APPLICATION = 4
    """Aanmelding."""


class PreRegistrationRegistrationStatus(OpenIntEnum):
    """``registrationStatus`` of a pre-registration: only 0 and 1 are accepted."""

    REALIZED = 0
    NOT_REALIZED = 1


class GroupType(OpenIntEnum):
    """Type of class group of a class registration (``groepType``)."""

    MAIN = 0
    """Official/main class."""
    SUB = 1
    """Sub class."""
    OLOD = 3
    """OLOD group (since API 1.19)."""


class CertificateSource(OpenIntEnum):
    """Source of certificates in the school history (``certificateSource``)."""

    INFORMAT = 0
    DISCIMUS = 1


class BankAccountType(OpenIntEnum):
    """Type of a student's bank account (``bankrek[].type``)."""

    PERSONAL = 1
    PARENTS = 2
    FATHER = 3
    MOTHER = 4
    GUARDIAN = 6
    OTHER = 8


class RelationshipType(OpenIntEnum):
    """Type of relationship of a pre-registration (``Relationships[].type``)."""

    PUPIL = 0
    """Leerling: only carries the address of an adult pupil, no names needed."""
    GUARDIAN = 2
    """Voogd."""
    STEPFATHER = 5
    """Plusvader."""
    STEPMOTHER = 6
    """Plusmoeder."""
    FOSTER_FATHER = 7
    """Pleegvader (since API 1.16)."""
    FOSTER_MOTHER = 8
    """Pleegmoeder (since API 1.16)."""
    GRANDFATHER = 9
    """Grootvader."""
    GRANDMOTHER = 10
    """Grootmoeder."""
    FATHER = 13
    """Vader."""
    MOTHER = 14
    """Moeder."""


class Religion(OpenIntEnum):
    """Religion or philosophy (levensbeschouwing) of a pre-registration."""

    CULTURAL_STUDIES = 52
    """Cultuurbeschouwing."""
    OWN_CULTURE_AND_RELIGION = 63
    """Eigen cultuur en religie."""
    ISLAM = 135
    """Islamitische godsdienst."""
    JUDAISM = 136
    """Israëlische godsdienst."""
    CATHOLIC = 140
    """Katholieke godsdienst."""
    NON_CONFESSIONAL_ETHICS = 187
    """Niet-confessionele zedenleer."""
    ORTHODOX = 194
    """Orthodoxe godsdienst."""
    PROTESTANT = 225
    """Protestants-evangelische godsdienst."""
    ANGLICAN = 418
    """Anglicaanse godsdienst."""
    EXEMPT = 9999
    """Vrijstelling of niet van toepassing."""


class PriorityGroup(OpenIntEnum):
    """Priority group (voorrangsgroep) of a pre-registration."""

    SAME_HOUSEHOLD = 1
    """Dezelfde leefentiteit."""
    CHILD_OF_STAFF = 2
    """Kind van personeelslid."""
    DUTCH_SPEAKING_PARENT = 3
    """Kind met minstens 1 ouder die het Nederlands machtig is."""
    CAMPUS_PUPIL = 4
    """Campusleerling."""
    INDICATOR = 5
    """Indicator- of niet-indicatorleerling."""
    NONE = 6
    """Geen."""


class ReasonForRefusal(OpenIntEnum):
    """Reason for refusal of a pre-registration."""

    CAPACITY = 19
    """Capaciteit."""


class PreRegistrationState(OpenStrEnum):
    """State of a pre-registration (``preRegistrationStatus.status``)."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REFUSED = "refused"
