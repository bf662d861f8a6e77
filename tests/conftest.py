"""Shared fixtures: the fake Informat server on loopback and clients pointed at it."""

from __future__ import annotations

import os
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from informat_async import InformatClient, RetryPolicy
from informat_async.testing import FakeInformat

SCHOOL_YEAR = "2025-26"


def make_client(server: FakeInformat, **kwargs: object) -> InformatClient:
    """A client of ``server``: no rate limit and retries without waiting, unless overridden."""
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("retry", RetryPolicy.no_wait())
    return InformatClient(
        server.client_id, server.client_secret, api_url=server.api_url,
        identity_url=server.identity_url, **kwargs,  # type: ignore[arg-type]
    )


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
    async with make_client(server) as c:
        yield c


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A umask that would leave new files world-readable, as on most servers."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)
