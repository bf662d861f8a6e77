"""Fault injection settings of the fake Informat server."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection

from ._personnel_data import PERSONNEL_KINDS

#: Endpoint kinds a :class:`Faults` ``endpoints`` filter can name (also the keys of
#: ``Stats.endpoints``), and ``"legacy"`` for the older webservices (``wsInformat.asmx``).
#: The identity endpoint is governed by ``apply_to_token_endpoint``.
ENDPOINT_KINDS = frozenset(
    {
        "students",
        "student",
        "photo",
        "registrations",
        "school_history",
        "student_school_history",
        "preregistration_save",
        "preregistration_delete",
        "preregistration_status",
        "legacy",
        "enrollment_create",
        "link_class",
        "save_absence",
    }
) | PERSONNEL_KINDS  # the personnel API's kinds (``employees``, ``employee_photo``...)

#: Fault kinds counted in ``Stats.faults``.
FAULT_KINDS = ("latency", "500", "502", "503", "429", "reset", "truncate", "revoked")


@dataclasses.dataclass(frozen=True, slots=True)
class Faults:
    """What goes wrong, and how often, on the fake server.

    Assign a new instance at any time (``server.faults = Faults(p_503=0.2)``); the next request
    uses it. All random draws come from one ``random.Random`` seeded from the server's ``seed``
    (or from ``seed`` here, which re-seeds it when the instance is assigned), so a run that sends
    the same requests in the same order sees the same faults.

    Where faults sit in the pipeline, per request:

    1. the server-side ``rate_limit`` of :class:`FakeInformat` (not a fault: always on when set);
    2. ``latency`` (a sleep);
    3. one draw decides at most one of ``p_500``, ``p_502``, ``p_503``, ``p_429``, ``p_reset`` and
       ``p_truncate`` (their sum must not exceed 1). 500/502/503/429 and reset happen *before*
       authentication and processing, like a proxy or load balancer in front of the API would;
       so does ``revoke_every`` (it is part of authentication);
    4. authentication, headers, scope and the endpoint itself;
    5. ``p_truncate`` is applied to the real response: its headers announce the full
       ``Content-Length`` but only half of the body is sent before the connection closes, so
       the client gets ``aiohttp.ClientPayloadError``.

    Attributes:
        latency: extra seconds before each answer: a fixed float or a ``(min, max)`` range drawn
            uniformly.
        p_500: probability of ``500`` with an Informat-style JSON error body.
        p_502: probability of ``502`` with an HTML page of a proxy (``text/html``).
        p_503: probability of ``503`` with an HTML page (``text/html``).
        p_429: probability of ``429`` with a ``Retry-After`` header.
        retry_after: seconds put in ``Retry-After`` of injected 429s.
        retry_after_http_date: send ``Retry-After`` as an HTTP-date instead of seconds.
        p_reset: probability that the connection is aborted without any response (the client
            sees ``ServerDisconnectedError`` or ``ClientOSError``). Note that aiohttp's client
            silently retries an idempotent request once when this happens on a reused
            connection, so one client call may count two resets.
        p_truncate: probability of a truncated body (see above).
        revoke_every: when set, every token is revoked this many seconds after it was issued
            (earlier than its ``expires_in``), so a client holding a "valid" token gets 401.
        apply_to_token_endpoint: also inject latency/5xx/429/reset/truncate on
            ``POST /connect/token``.
        endpoints: only inject into these API endpoint kinds (see :data:`ENDPOINT_KINDS`);
            ``None`` means every API endpoint. Requests to unknown paths never get faults; the
            token endpoint only gets them with ``apply_to_token_endpoint``.
        seed: re-seed the fault random generator with this value when the instance is assigned.
    """

    latency: float | tuple[float, float] = 0.0
    p_500: float = 0.0
    p_502: float = 0.0
    p_503: float = 0.0
    p_429: float = 0.0
    retry_after: int = 1
    retry_after_http_date: bool = False
    p_reset: float = 0.0
    p_truncate: float = 0.0
    revoke_every: float | None = None
    apply_to_token_endpoint: bool = False
    endpoints: Collection[str] | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        probabilities = self.probabilities()
        for name, value in probabilities:
            if not 0.0 <= value <= 1.0 or math.isnan(value):
                raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
        if sum(value for _, value in probabilities) > 1.0 + 1e-9:
            raise ValueError("the fault probabilities must not add up to more than 1")
        low, high = self.latency_range()
        if low < 0 or high < low:
            raise ValueError(f"invalid latency {self.latency!r}")
        if self.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        if self.revoke_every is not None and self.revoke_every <= 0:
            raise ValueError("revoke_every must be positive")
        if self.endpoints is not None:
            unknown = set(self.endpoints) - ENDPOINT_KINDS
            if unknown:
                raise ValueError(f"unknown endpoint kinds: {sorted(unknown)}")
            object.__setattr__(self, "endpoints", frozenset(self.endpoints))

    def probabilities(self) -> list[tuple[str, float]]:
        """The per-request fault probabilities, in the order they are drawn."""
        return [
            ("p_500", self.p_500),
            ("p_502", self.p_502),
            ("p_503", self.p_503),
            ("p_429", self.p_429),
            ("p_reset", self.p_reset),
            ("p_truncate", self.p_truncate),
        ]

    def latency_range(self) -> tuple[float, float]:
        """``latency`` as a ``(min, max)`` pair."""
        if isinstance(self.latency, tuple):
            return float(self.latency[0]), float(self.latency[1])
        return float(self.latency), float(self.latency)

    def applies_to(self, kind: str | None) -> bool:
        """Whether faults may be injected into a request of this endpoint kind."""
        if kind is None:
            return False
        if kind == "token":
            return self.apply_to_token_endpoint
        return self.endpoints is None or kind in self.endpoints
