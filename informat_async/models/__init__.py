"""attrs models of every object of the Leerlingen API (frozen, slotted, wire-agnostic)."""

from ._enums import (
    BankAccountType,
    CertificateSource,
    GroupType,
    OpenIntEnum,
    OpenStrEnum,
    PreRegistrationRegistrationStatus,
    PreRegistrationSex,
    PreRegistrationState,
    PriorityGroup,
    ReasonForRefusal,
    RegistrationStatus,
    RelationshipType,
    Religion,
    Sex,
)
from .photos import Photo
from .preregistrations import (
    PreRegistration,
    PreRegistrationAddress,
    PreRegistrationRelationship,
    PreRegistrationStatus,
)
from .registrations import ClassRegistration, ClassTeacher, Registration
from .school_history import Certificate, SchoolHistory
from .students import Address, BankAccount, CommunicationNumber, Email, Relation, Student

__all__ = [
    "Address",
    "BankAccount",
    "BankAccountType",
    "Certificate",
    "CertificateSource",
    "ClassRegistration",
    "ClassTeacher",
    "CommunicationNumber",
    "Email",
    "GroupType",
    "OpenIntEnum",
    "OpenStrEnum",
    "Photo",
    "PreRegistration",
    "PreRegistrationAddress",
    "PreRegistrationRegistrationStatus",
    "PreRegistrationRelationship",
    "PreRegistrationSex",
    "PreRegistrationState",
    "PreRegistrationStatus",
    "PriorityGroup",
    "ReasonForRefusal",
    "Registration",
    "RegistrationStatus",
    "Relation",
    "RelationshipType",
    "Religion",
    "SchoolHistory",
    "Sex",
    "Student",
]
