"""The Student API (Public) 1.0.0: Informat's write API for secondary schools.

Creating an enrollment, linking a class to it, saving an absence. Its base URL carries the
version (``.../api/v1``); the institute header is spelled ``instituteNo``; no ``Timestamp``
header; the token is the Leerlingen read scope's (so one cached token serves both families);
answers are bare JSON (a quoted UUID string), 204 means "nothing changed"; errors are RFC 7807
ProblemDetails with ``validationErrors``, read against this family's own code catalogue
(``BR034A`` or ``MNA006`` here do not mean what they mean elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import read_problem_details
from ..family import Family
from ..signing import SCOPE_PREFIX, bare

__all__ = ["STUDENT_API", "STUDENT_API_CATALOGUE"]

#: Every BR, DNF and MNA code of the Student API's OpenAPI document.
STUDENT_API_CATALOGUE: Mapping[str, str] = {
    "BR017": "Invalid religion code",
    "BR034A": "School year is required",
    "BR034B": "School year format invalid; expected yyyy-yy (e.g. 2025-26)",
    "BR038A": "Admin group number is required",
    "BR038B": "Admin group number must be exactly 6 characters",
    "BR043A": "Main structure is required",
    "BR043B": "Main structure must be 311 (secondary education)",
    "BR044": "Person ID is required",
    "BR045": "Admin group number may not be HBO5 (043905), 1A (006246) or 1B (006247)",
    "BR046A": "Start date is required",
    "BR046B": "Start date must be within the school year (1 September - 30 June)",
    "BR046C": "Start date may not be on a weekend unless it is 1 September",
    "BR046D": "Start date must be within the enrollment's year boundaries",
    "BR047A": "Name of external provider is required",
    "BR047B": "Name of external provider must not exceed 50 characters",
    "BR048": "Enrollment ID is required",
    "BR049A": "Class code is required",
    "BR050": "Absence code is required",
    "BR051A": "Date is required",
    "BR051B": "Date must be within the school year (1 September - 30 June)",
    "BR052": "Part of day is required",
    "BR052B": "Part of day must be VM or NM",
    "BR053A": "Timestamp is required",
    "BR053B": "Timestamp must not be in the future (compared to Western European Time)",
    "DNF002": "No student exists with this person ID",
    "DNF003": "The student's age must be between 11 and 25 years on 31 December of the "
              "school year",
    "DNF004": "No school found for this institute number and school year",
    "DNF005": "No (unique) department year found for this admin group number",
    "DNF006": "No (unique) class found for this class code",
    "DNF007": "No enrollment with this ID for the institute",
    "DNF008": "No location for this Discimus location ID, institute and school year",
    "DNF009": "No Instruction or Evaluation day for this date and part of day",
    "DNF010": "No allowed absence code for this code on this date",
    "DNF011": "No active enrollment in an official class for the student at this location",
    "MNA006": "The student is already enrolled in this admin group for the school year",
    "MNA007": "Update refused: a more recent registration of this absence already exists",
}


def _ok(status: int) -> bool:
    """200 (a UUID answered) and 204 (nothing needed changing) are the documented successes."""
    return status in (200, 204)


STUDENT_API = Family(
    name="student_api",
    default_url="https://studentapi.informatsoftware.be/api/v1",
    url_env="INFORMAT_STUDENT_API_URL",
    version_path="",
    institute_header="instituteNo",
    timestamp=False,
    scopes={"leerlingen": f"{SCOPE_PREFIX}.leerlingen.{{institute}}"},
    unwrap=bare,
    read_error=read_problem_details,
    catalogue=STUDENT_API_CATALOGUE,
    success=_ok,
)
