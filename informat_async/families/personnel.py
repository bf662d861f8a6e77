"""The personnel ("Personeel") API: staff, assignments, interruptions, diplomas, own
fields, photos and RL documents.

Versioned by the ``Api-Version: 2`` header (no path segment: paths start with
``employees``); answers are bare arrays and objects; errors an ``errors`` list of
PascalCase ``Code``/``Message`` objects (read in any key case); no ``Timestamp``; one
scope per institute; any 2xx is a success (the signed-document upload answers a
non-200 one). Its codes mean other things than the Leerlingen API's, hence
:data:`PERSONNEL_CATALOGUE`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import read_informat_errors
from ..family import Family
from ..signing import bare

__all__ = ["PERSONNEL", "PERSONNEL_CATALOGUE", "PERSONNEL_SCOPE_PREFIX"]

PERSONNEL_SCOPE_PREFIX = "api_informat_sas_personeel"

#: The personnel API's codes (English renderings of the descriptions integrations quote).
PERSONNEL_CATALOGUE: Mapping[str, str] = {
    "BR001": "Invalid PersonId",
    "BR002": "Invalid InterruptionId",
    "BR003A": "Institute number (instelnr) is required",
    "BR004A": "School year is required",
    "BR004B": "Invalid school year format",
    "BR005A": "Main structure (hfd) is required",
    "BR005B": "Main structure must be 3 characters",
    "BR006A": "Code is required",
    "BR006B": "Invalid code",
    "BR007A": "Start date (begindatum) is required",
    "BR008A": "End date (einddatum) is required",
    "BR008B": "End date may not be before start date",
    "BR009": "Remark (opmerking) at most 50 characters",
    "BR010": "Doctor's name (naamGeneesheer) at most 75 characters",
    "BR011": "Doctor's phone (telefoonGeneesheer) at most 20 characters",
    "BR012A": "Sender (afzender) is required",
    "BR012B": "Sender (afzender) at most 50 characters",
    "BR013": "Invalid combination of institute number, school year and structure",
    "BR014": "No employee found for the PersonId",
    "BR015": "Invalid AttachmentId",
    "BR016A": "File name is required",
    "BR016B": "File name at most 100 characters",
    "BR016C": "Invalid file extension",
    "BR017A": "File is required",
    "BR017B": "File at most 10 MB",
    "BR018": "No service interruption found for this ID",
    "BR019": "No valid combination of interruption and attachment",
    "BR_DOC_007": "Unsupported rlType filter value",
    "MNA001": "Interruption already linked to another school",
    "MNA002": "Interruption already linked to another employee",
    "MNA003": "Structure, code, start and end date can no longer change: "
              "the interruption was already sent to AgODi",
    "MNA004": "Structure, start and end date can no longer change: a replacement exists",
    "MNA005": "Cannot add: an overlapping interruption exists",
    "MNA006": "Cannot change: an overlapping interruption exists",
    "MNA007": "Attachment already linked to another employee",
    "MNA008": "Only interruptions added through the API can be deleted",
    "MNA009": "Cannot delete: already verified by the secretariat",
    "MNA010": "Cannot delete: already submitted to AgODi",
    "MNA011": "Cannot delete: a replacement already exists",
}

PERSONNEL = Family(
    name="personnel",
    default_url="https://personeelsapi.informatsoftware.be",
    url_env="INFORMAT_PERSONNEL_URL",
    version_header=("Api-Version", "2"),
    institute_header="InstituteNo",
    timestamp=False,
    scopes={"personeel": f"{PERSONNEL_SCOPE_PREFIX}.personeel.{{institute}}"},
    unwrap=bare,
    read_error=read_informat_errors,
    catalogue=PERSONNEL_CATALOGUE,
)
