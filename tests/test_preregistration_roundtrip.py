"""The local validator and the fake server agree, through the real converter and real HTTP.

Hypothesis builds pre-registrations (valid ones, and ones broken in one or two fields with
values of the right type), the production converter turns them into the wire body, and the
body is POSTed to the fake server over loopback. The BR codes the server answers must be
exactly those :func:`validate_preregistration` finds locally.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

import aiohttp
import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from informat_async import (
    PreRegistration,
    PreRegistrationRelationship,
    PreRegistrationSex,
    RelationshipType,
    validate_preregistration,
)
from informat_async.convert import unstructure_preregistration
from informat_async.signing import request_headers
from informat_async.testing import FakeInformat
from tests.test_preregistration_rules import valid_preregistrations

INST = "123456"

Breakage = Callable[[PreRegistration], PreRegistration]


def _evolve(**changes: Any) -> Breakage:
    return lambda p: attrs.evolve(p, **changes)


BREAKAGES: list[Breakage] = [
    lambda p: p,
    _evolve(last_name=""),
    _evolve(first_name="x" * 51),
    _evolve(insz="12345678901"),
    _evolve(email="not-an-email@"),
    _evolve(country_of_birth_code="150"),
    _evolve(nationality_code=""),
    _evolve(sex=PreRegistrationSex(3)),
    _evolve(structure="31"),
    _evolve(admgrp_id="4010"),
    _evolve(schoolyear="2025-2026"),
    _evolve(e_id_no="1" * 13),
    _evolve(additional_names="y" * 161),
    lambda p: attrs.evolve(p, start_date=_next_saturday(p.start_date)),
    lambda p: attrs.evolve(p, relationships=[_relation()] * 3),
    lambda p: attrs.evolve(p, relationships=[attrs.evolve(_relation(), first_name="z" * 31)]),
    lambda p: attrs.evolve(p, relationships=[attrs.evolve(_relation(), insz="80031516718")]),
    lambda p: attrs.evolve(p, admgrp_id="040102", pre_registration_date=None),
]


def _relation() -> PreRegistrationRelationship:
    return PreRegistrationRelationship(type=RelationshipType.MOTHER, last_name="Peeters",
                                       first_name="An")


def _next_saturday(day: dt.date) -> dt.date:
    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)
    return saturday if (saturday.month, saturday.day) != (9, 1) else saturday + dt.timedelta(7)


async def _server_codes(bodies: list[dict[str, Any]]) -> list[set[str]]:
    async with FakeInformat(institutes=(INST,), students_per_institute=0, seed=1) as server:
        location = sorted(server.data.institutes[INST].location_ids)[0]
        async with aiohttp.ClientSession() as session:
            form = {"grant_type": "client_credentials", "client_id": server.client_id,
                    "client_secret": server.client_secret,
                    "scope": f"api_informat_sas_leerlingen.voorinschrijvingen.{INST}"}
            async with session.post(server.identity_url + "/connect/token", data=form) as resp:
                token = (await resp.json())["access_token"]
            results = []
            for body in bodies:
                body = {**body, "locationId": location}
                headers = request_headers(token, INST, dt.datetime.now(dt.UTC), has_body=True)
                async with session.post(server.api_url + "/1/preregistrations/save",
                                        json=body, headers=headers) as resp:
                    payload = await resp.json()
                    assert resp.status in (200, 400), payload
                    results.append({e["code"] for e in payload.get("errors") or []})
            return results


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(
        st.tuples(valid_preregistrations(), st.sampled_from(BREAKAGES)), min_size=4, max_size=8
    )
)
def test_local_validation_and_fake_server_agree(
    batch: list[tuple[PreRegistration, Breakage]],
) -> None:
    preregs = [breakage(attrs.evolve(p, institute=INST)) for p, breakage in batch]
    bodies = [unstructure_preregistration(p) for p in preregs]
    answered = asyncio.run(_server_codes(bodies))
    for prereg, codes in zip(preregs, answered, strict=True):
        local = {problem.code for problem in validate_preregistration(prereg)}
        assert local == codes, (local, codes)


def test_every_breakage_is_caught_by_both() -> None:
    from tests.test_preregistration_rules import base

    valid = attrs.evolve(base(), institute=INST)
    preregs = [breakage(valid) for breakage in BREAKAGES]
    answered = asyncio.run(_server_codes([unstructure_preregistration(p) for p in preregs]))
    assert answered[0] == set()
    for prereg, codes in zip(preregs[1:], answered[1:], strict=True):
        local = {problem.code for problem in validate_preregistration(prereg)}
        assert codes, prereg
        assert local == codes
