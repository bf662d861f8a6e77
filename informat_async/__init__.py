"""informat-async: an asyncio client for Informat's "Leerlingen" Web API.

Public surface (everything else is private to its module)::

    from informat_async import InformatClient
    from informat_async import InformatLegacyClient     # the older wsInformat.asmx webservices
    from informat_async.testing import FakeInformat   # a faithful fake server for tests
"""

from importlib.metadata import PackageNotFoundError, version

from ._preregistration_rules import new_preregistration_id, validate_preregistration
from .client import DEFAULT_API_URL, DEFAULT_IDENTITY_URL, InformatClient
from .errors import (
    CODE_CATALOGUE,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    ForbiddenError,
    IncompleteResponseError,
    InformatConnectionError,
    InformatError,
    InformatTimeoutError,
    InvalidInputError,
    MethodNotAllowedError,
    NotFoundError,
    PreRegistrationValidationError,
    Problem,
    RateLimitError,
    RedirectError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from .insz import is_valid_insz, mask_insz
from .legacy import DEFAULT_LEGACY_URL, InformatLegacyClient
from .models import (
    Address,
    BankAccount,
    BankAccountType,
    Certificate,
    CertificateSource,
    ClassRegistration,
    ClassTeacher,
    CommunicationNumber,
    Email,
    GroupType,
    Photo,
    PreRegistration,
    PreRegistrationAddress,
    PreRegistrationRegistrationStatus,
    PreRegistrationRelationship,
    PreRegistrationSex,
    PreRegistrationState,
    PreRegistrationStatus,
    PriorityGroup,
    ReasonForRefusal,
    Registration,
    RegistrationStatus,
    Relation,
    RelationshipType,
    Religion,
    SchoolHistory,
    Sex,
    Student,
)
from .retry import RetryBudget, RetryPolicy
from .transport import ClientStats
from .validation import current_school_year, school_year_bounds

try:
    __version__ = version("informat-async")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "CODE_CATALOGUE",
    "DEFAULT_API_URL",
    "DEFAULT_IDENTITY_URL",
    "DEFAULT_LEGACY_URL",
    "APIStatusError",
    "Address",
    "AuthenticationError",
    "BadRequestError",
    "BankAccount",
    "BankAccountType",
    "Certificate",
    "CertificateSource",
    "ClassRegistration",
    "ClassTeacher",
    "ClientStats",
    "CommunicationNumber",
    "ConflictError",
    "Email",
    "ErrorDetail",
    "ForbiddenError",
    "GroupType",
    "IncompleteResponseError",
    "InformatClient",
    "InformatConnectionError",
    "InformatError",
    "InformatLegacyClient",
    "InformatTimeoutError",
    "InvalidInputError",
    "MethodNotAllowedError",
    "NotFoundError",
    "Photo",
    "PreRegistration",
    "PreRegistrationAddress",
    "PreRegistrationRegistrationStatus",
    "PreRegistrationRelationship",
    "PreRegistrationSex",
    "PreRegistrationState",
    "PreRegistrationStatus",
    "PreRegistrationValidationError",
    "PriorityGroup",
    "Problem",
    "RateLimitError",
    "ReasonForRefusal",
    "RedirectError",
    "Registration",
    "RegistrationStatus",
    "Relation",
    "RelationshipType",
    "Religion",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryBudget",
    "RetryPolicy",
    "SchoolHistory",
    "ServerError",
    "Sex",
    "Student",
    "TransportError",
    "UnauthorizedError",
    "__version__",
    "current_school_year",
    "is_valid_insz",
    "mask_insz",
    "new_preregistration_id",
    "school_year_bounds",
    "validate_preregistration",
]
