"""The declarations of Informat's REST API families (see :mod:`informat_async.family`).

One module per family, each a page: the points it declares, nothing else. The SOAP
webservices (:mod:`informat_async.legacy`) have a protocol of their own and share only the
transport, limiter and error tree.
"""

from __future__ import annotations

from .leerlingen import LEERLINGEN
from .personnel import PERSONNEL
from .student_api import STUDENT_API

__all__ = ["LEERLINGEN", "PERSONNEL", "STUDENT_API"]
