"""Shared fixtures: the fake Informat server on loopback and clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from informat_async import InformatClient, RetryPolicy
from informat_async.testing import FakeInformat

SCHOOL_YEAR = "2025-26"


@pytest.fixture
async def server() -> AsyncIterator[FakeInformat]:
    async with FakeInformat(
        institutes=("123456", "654321"),
        students_per_institute=12,
        school_year=SCHOOL_YEAR,
        seed=7,
        spec_examples=True,
    ) as srv:
        yield srv


@pytest.fixture
async def client(server: FakeInformat) -> AsyncIterator[InformatClient]:
    async with InformatClient(
        server.client_id,
        server.client_secret,
        api_url=server.api_url,
        identity_url=server.identity_url,
        rate_limit=None,
        retry=RetryPolicy.no_wait(),
    ) as c:
        yield c
