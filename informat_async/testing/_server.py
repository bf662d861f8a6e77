"""The fake Informat server: every API family on one port, assembled from the core
(:mod:`._core`: identity, tokens, faults, the request log) and one module per family."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Literal

from ._core import KeyCase, LoggedRequest, ServerCore, Stats
from ._data import FakeData
from ._data_store import InstituteData
from ._faults import Faults
from ._leerlingen import PREREG_STATUSES, LeerlingenService
from ._legacy import LEGACY_PATH, LegacyService
from ._personnel import PersonnelService
from ._student_api import STUDENT_API_PATH, StudentApiService
from ._util import current_school_year, normalize_guid, set_ci, utcnow

__all__ = ["FakeInformat", "KeyCase", "LoggedRequest", "Stats"]


class FakeInformat(ServerCore):
    """A fake Informat identity server + "Leerlingen" API on a local port.

    Use it as an async context manager, or call :meth:`start` and :meth:`close`::

        async with FakeInformat(institutes=("123456",), students_per_institute=50) as server:
            ...  # point your client at server.api_url / server.identity_url

    Args:
        institutes: institute numbers to serve, or a count of numbers to generate.
        students_per_institute: generated students (with one registration each) per institute.
        school_year: the school year the data is for (``"2025-26"``); others answer empty lists.
            Default: the current one (it starts on 1 September; taken from ``today`` when
            given), which is also the default of the ``informat-async`` command line.
        seed: makes the generated data, the fault draws and the random key case reproducible.
        faults: fault injection (:class:`Faults`); can be replaced later via ``server.faults``.
        rate_limit: requests per second the API accepts (token bucket, see ``_TokenBucket``:
            bursts of at most ``rate_limit`` requests, ``rate_limit`` per second on average);
            above it the answer is 429 with ``Retry-After: 1``. ``None``: unlimited. Counts
            every API request, also unauthorized ones; not the token endpoint.
        token_lifetime: seconds an access token lives (``expires_in``). Fractions (handy for
            fast expiry tests) are sent as they are; the real identity server sends integers.
        spec_examples: also serve institute ``"999999"`` with the spec's example payloads.
        key_case: ``"spec"`` sends keys spelled as the spec examples; ``"random"`` randomizes
            the case of every key of every API JSON answer (reproducible per ``seed``).
        host: interface to bind.
        port: port to bind; 0 picks a free one.
        photo_size: approximate size in bytes of generated photos (padding), for memory tests.
        client_id: the client id accepted by ``/connect/token`` (generated when ``None``).
        client_secret: its secret (generated when ``None``).
        request_log_size: how many requests :attr:`request_log` keeps.
        today: the date taken as "today" for the default reference date (``None``: the real
            UTC date).
        legacy_login: the login of the older webservices (``wsInformat.asmx``, see
            :attr:`legacy`); generated when ``None``.
        legacy_password: its password; generated when ``None``.
    """

    def __init__(
        self,
        institutes: Sequence[str] | int = ("123456", "654321"),
        students_per_institute: int = 25,
        school_year: str | None = None,
        seed: int = 0,
        faults: Faults | None = None,
        rate_limit: float | None = None,
        token_lifetime: float = 3600,
        spec_examples: bool = False,
        key_case: KeyCase = "spec",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        photo_size: int | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        request_log_size: int = 10_000,
        today: dt.date | None = None,
        legacy_login: str | None = None,
        legacy_password: str | None = None,
    ) -> None:
        if school_year is None:
            school_year = current_school_year(today)
        super().__init__(
            data=FakeData.generate(
                institutes=institutes,
                students_per_institute=students_per_institute,
                school_year=school_year,
                seed=seed,
                spec_examples=spec_examples,
                photo_size=photo_size,
            ),
            seed=seed, school_year=school_year, token_lifetime=token_lifetime,
            key_case=key_case, host=host, port=port, today=today, client_id=client_id,
            client_secret=client_secret, request_log_size=request_log_size, faults=faults,
            rate_limit=rate_limit,
        )
        self.leerlingen = LeerlingenService(self)
        """The Leerlingen API under ``/1/`` (see :mod:`._leerlingen`)."""
        self.legacy = LegacyService(self, login=legacy_login, password=legacy_password)
        """The older webservices (``wsInformat.asmx``): ground truth in ``legacy.data``,
        counters in ``legacy.stats`` (see :mod:`informat_async.testing._legacy`)."""
        self.student_api = StudentApiService(self)
        """The Student API at :attr:`student_api_url` (see :mod:`._student_api`)."""
        self.personnel = PersonnelService(self)
        """The personnel API at :attr:`personnel_url`: ground truth ``personnel.institute(n)``
        (the legacy staff), counters ``personnel.stats`` (see ``testing._personnel``)."""
        for service in (self.leerlingen, self.student_api, self.personnel, self.legacy):
            self._register(service)

    def __repr__(self) -> str:
        where = self.url if self._bound_port is not None else (
            f"not started, {self.host}:{self.port or 'any port'}")
        counts = ", ".join(f"{n}: {len(i.students)}" for n, i in self.data.institutes.items())
        return (
            f"<FakeInformat {where} school_year={self.school_year!r} "
            f"students={{{counts}}} client_id={self.client_id!r} seed={self.seed}>"
        )

    @property
    def api_url(self) -> str:
        """Base URL of the API (paths start with ``/1/``)."""
        return self.url

    @property
    def personnel_url(self) -> str:
        """Base URL of the personnel API (paths start with ``/employees``)."""
        return self.url + self.personnel.path

    @property
    def student_api_url(self) -> str:
        """Base URL of the Student API (``.../api/v1``)."""
        return self.url + STUDENT_API_PATH

    @property
    def legacy_url(self) -> str:
        """URL of the older webservices (``.../wsInfSoft/wsInformat.asmx``)."""
        return self.url + LEGACY_PATH

    @property
    def legacy_login(self) -> str:
        """The login the older webservices accept."""
        return self.legacy.login

    @property
    def legacy_password(self) -> str:
        """The password of :attr:`legacy_login`."""
        return self.legacy.password


    # ------------------------------------------------------------------ control

    def scopes_for(self, institute: str) -> list[str]:
        """Both Leerlingen scope names of an institute (leerlingen and voorinschrijvingen);
        the personnel scope is ``server.personnel.scope_for(institute)``."""
        return self.leerlingen.scopes(institute)

    def _institute(self, institute: str) -> InstituteData:
        found = self.data.institutes.get(institute)
        if found is None:
            raise KeyError(f"unknown institute {institute!r}")
        return found

    def touch_student(
        self, institute: str, student_id: str | uuid.UUID, **changes: Any
    ) -> dict[str, Any]:
        """Change wire fields of a student (``naam="X"``) and mark it changed now.

        ``student_id`` is a ``uuid.UUID`` (as the client returns) or a GUID string. Keys
        match existing keys case-insensitively. Returns the updated payload.
        """
        data = self._institute(institute)
        key = normalize_guid(student_id)
        if key is None or key not in data.students:
            raise KeyError(f"unknown student {student_id!r} in {institute}")
        payload = data.students[key]
        for name, value in changes.items():
            set_ci(payload, name, value)
        data.student_changed[key] = utcnow()
        return payload

    def touch_registration(
        self, institute: str, registration_id: str | uuid.UUID, **changes: Any
    ) -> dict[str, Any]:
        """Change wire fields of a registration and mark it changed now."""
        data = self._institute(institute)
        key = normalize_guid(registration_id)
        if key is None or key not in data.registrations:
            raise KeyError(f"unknown registration {registration_id!r} in {institute}")
        payload = data.registrations[key]
        for name, value in changes.items():
            set_ci(payload, name, value)
        data.registration_changed[key] = utcnow()
        return payload

    def set_preregistration_status(
        self,
        institute: str,
        prereg_id: str | uuid.UUID,
        status: Literal["open", "accepted", "refused"],
    ) -> None:
        """Set the status of a saved pre-registration, as the school's administration would."""
        if status not in PREREG_STATUSES:
            raise ValueError(f"status must be one of {PREREG_STATUSES}")
        data = self._institute(institute)
        key = normalize_guid(prereg_id)
        if key is None or key not in data.preregistrations:
            raise KeyError(f"unknown pre-registration {prereg_id!r} in {institute}")
        data.preregistrations[key].status = status
        data.preregistrations[key].changed = utcnow()

