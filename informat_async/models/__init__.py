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
from .student_api import Absence, AbsenceSaved, ClassLinked, NewEnrollment
from .students import Address, BankAccount, CommunicationNumber, Email, Relation, Student

__all__ = [
    "Absence",
    "AbsenceSaved",
    "Address",
    "BankAccount",
    "BankAccountType",
    "Certificate",
    "CertificateSource",
    "ClassLinked",
    "ClassRegistration",
    "ClassTeacher",
    "CommunicationNumber",
    "Email",
    "GroupType",
    "NewEnrollment",
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
