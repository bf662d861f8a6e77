"""The Leerlingen API (students, registrations, photos, school history, pre-registrations).

Versioned by the path segment ``/1``; answers wrapped under a root key (``students``,
``photo``...), a bare array accepted for lists; errors as an ``errors`` list or object in
camelCase; a ``Timestamp`` on every request; two scope flavours: reads (``leerlingen``) and
pre-registration writes (``voorinschrijvingen``).
"""

from __future__ import annotations

from ..errors import CODE_CATALOGUE, read_informat_errors
from ..family import Family
from ..signing import SCOPE_PREFIX, unwrap

__all__ = ["LEERLINGEN"]

LEERLINGEN = Family(
    name="leerlingen",
    default_url="https://leerlingenapi.informatsoftware.be",
    url_env="INFORMAT_API_URL",
    version_path="/1",
    institute_header="InstituteNo",
    timestamp=True,
    scopes={
        "leerlingen": f"{SCOPE_PREFIX}.leerlingen.{{institute}}",
        "voorinschrijvingen": f"{SCOPE_PREFIX}.voorinschrijvingen.{{institute}}",
    },
    unwrap=unwrap,
    read_error=read_informat_errors,
    catalogue=CODE_CATALOGUE,
)
