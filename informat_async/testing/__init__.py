"""A fake Informat server for testing code that talks to the "Leerlingen" API.

:class:`FakeInformat` runs, on a local port, both the identity server (``POST /connect/token``,
client-credentials grant) and every endpoint of the API (``/1/students``, ``/1/registrations``,
``/1/schoolHistory``, ``/1/students/{id}/photo``, ``/1/preregistrations/...``). It checks what
the real service checks (bearer token, token scopes per institute, the ``InstituteNo`` and
``Timestamp`` headers, HTTP methods) and answers with the payload shapes and error bodies of the
specification, including its quirks (``errors`` as an object for BR001, a bare list for
``/schoolHistory``, GUIDs in any case and with braces, two date formats).

It is independent of the rest of ``informat_async``: it works on plain JSON dicts, so it can be
used as ground truth for any client, including your own sync job::

    import aiohttp
    from informat_async.testing import FakeInformat, Faults

    async def test_my_sync_job():
        async with FakeInformat(institutes=("123456",), students_per_institute=50) as server:
            await my_sync_job(
                api_url=server.api_url,
                identity_url=server.identity_url,
                client_id=server.client_id,
                client_secret=server.client_secret,
            )
            expected = set(server.data.student_ids("123456"))
            assert expected == set(ids_stored_by_my_job())

            # change a student: the next changedSince run must pick it up
            student_id = server.data.student_ids("123456")[0]
            server.touch_student("123456", student_id, naam="Janssens")

            # make the network unreliable and check the job retries
            server.faults = Faults(p_503=0.2, p_reset=0.05, latency=(0.0, 0.05))
            await my_sync_job(...)
            print(server.stats.faults, server.stats.statuses)

Without ``async with``: ``await server.start()`` ... ``await server.close()``. From a shell,
``python -m informat_async.testing`` serves until Ctrl-C and prints what to pass: the
``api_url``, ``identity_url``, client id and secret as ``InformatClient`` takes them, the
``export INFORMAT_...`` lines and a ready-to-paste ``informat-async sync`` line. The data is
for the current school year (from 1 September) unless ``school_year=`` says otherwise, as
the command line's default; the helpers take ids as ``uuid.UUID`` or strings.

The data (:class:`FakeData`, ``server.data``) is generated deterministically from ``seed``:
Flemish names and addresses, valid national register numbers and IBANs, relations, classes
with teachers, school history with certificates, a small JPEG photo per student. Everything is
kept as the exact wire payload, by canonical lower-case id:
``server.data.institutes["123456"].students[student_id]``. ``spec_examples=True`` adds
institute ``"999999"`` serving the specification's example payloads verbatim, and
``key_case="random"`` randomizes the case of every JSON key to test case-tolerant decoding.

Faults (:class:`Faults`) inject latency, 500/502/503/429 answers, connection resets, truncated
bodies and token revocation; ``rate_limit`` makes the server answer 429 above a request rate.
``server.stats`` counts what happened and ``server.request_log`` keeps the recent requests.

The older webservices (``wsInformat.asmx``, SOAP 1.1 and the HTTP POST/GET forms) are served
on the same port: ``server.legacy_url``, ``server.legacy_login``, ``server.legacy_password``;
their ground truth is ``server.legacy.data`` (pupils derived from ``server.data``, generated
staff, boarders and Smartschool users) and their counters ``server.legacy.stats``. Faults
apply to them too (endpoint kind ``"legacy"``).

The personnel ("Personeel") API is served on the same port too: ``server.personnel_url``
(paths ``/employees...``, scope ``api_informat_sas_personeel.personeel.{institute}``). Its
employees are the legacy ``Leerkrachten`` staff (same ``pPersoon``), with assignments,
interruptions, diplomas, own fields, photos and RL documents derived from the same source;
``server.personnel.institute(number)`` is the ground truth (a :class:`PersonnelInstitute`),
``server.personnel.stats`` counts requests. It enforces the write rules (only interruptions
created through the API may be deleted, overlaps refused) and answers errors with
PascalCase ``Code``/``Message`` bodies; faults apply (endpoint kinds in
:data:`PERSONNEL_KINDS`).
"""

from __future__ import annotations

from ._data import FakeData
from ._data_store import InstituteData, PhotoStore, PreRegistration
from ._faults import ENDPOINT_KINDS, FAULT_KINDS, Faults
from ._legacy import LegacyService, LegacyStats
from ._legacy_data import LegacyData
from ._legacy_generate import LegacyInstitute
from ._legacy_values import LegacyFault
from ._personnel import PersonnelService, PersonnelStats
from ._personnel_data import PERSONNEL_KINDS, PersonnelInstitute
from ._server import FakeInformat, KeyCase, LoggedRequest, Stats
from ._student_api import InjectedFault, StoredAbsence, StudentApiService

__all__ = [
    "ENDPOINT_KINDS",
    "FAULT_KINDS",
    "PERSONNEL_KINDS",
    "FakeData",
    "FakeInformat",
    "Faults",
    "InjectedFault",
    "InstituteData",
    "KeyCase",
    "LegacyData",
    "LegacyFault",
    "LegacyInstitute",
    "LegacyService",
    "LegacyStats",
    "LoggedRequest",
    "PersonnelInstitute",
    "PersonnelService",
    "PersonnelStats",
    "PhotoStore",
    "PreRegistration",
    "Stats",
    "StoredAbsence",
    "StudentApiService",
]
