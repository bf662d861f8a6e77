"""Writes that are safe to retry: a create is retried only when it certainly did not reach the
server; PUTs are retried as reads; a lost answer never creates two enrollments."""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from informat_async import (
    ConflictError,
    InformatClient,
    InformatConnectionError,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from informat_async.testing import FakeInformat, Faults, InjectedFault

from .conftest import SCHOOL_YEAR, make_client
from .test_student_api import GRADE2, SECONDARY, absence, new_enrollment


@pytest.fixture
async def sa_client(server: FakeInformat) -> AsyncIterator[InformatClient]:
    async with make_client(server, student_api_url=server.student_api_url) as c:
        yield c


async def enrollments_of(client: InformatClient, person: str, admgrp: str) -> list[Any]:
    return [r for r in await client.registrations(SECONDARY, SCHOOL_YEAR)
            if r.persoon_id == uuid.UUID(person) and r.nr_admgrp == admgrp]


def creates(server: FakeInformat) -> int:
    return server.student_api.stats["enrollment_create"]


async def test_lost_answer_after_commit_is_outcome_unknown_and_never_duplicated(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    server.student_api.inject("lost")
    with pytest.raises(OutcomeUnknownError) as caught:
        await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    error = caught.value
    assert isinstance(error, TransportError)
    assert error.retryable is False
    assert "registrations(" in str(error)
    assert "may have been created" in str(error)
    assert creates(server) == 1  # not retried
    assert len(await enrollments_of(sa_client, GRADE2, "038505")) == 1

    # the caller retries anyway: MNA006, and the error says the first attempt went through
    with pytest.raises(ConflictError) as again:
        await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert again.value.codes == ("MNA006",)
    assert ("an earlier create_enrollment of this enrollment whose outcome was unknown "
            "probably succeeded") in str(again.value)
    assert len(await enrollments_of(sa_client, GRADE2, "038505")) == 1


async def test_reset_after_sending_is_outcome_unknown_and_a_retry_creates(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    server.student_api.inject("reset")
    with pytest.raises(OutcomeUnknownError):
        await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert creates(server) == 1
    assert await enrollments_of(sa_client, GRADE2, "038505") == []
    created = await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert [r.inschrijvings_id for r in await enrollments_of(sa_client, GRADE2, "038505")] == [
        created]


@pytest.mark.parametrize("fault", ["500", "502", "503-bare", "504"])
async def test_ambiguous_statuses_are_not_retried(
    sa_client: InformatClient, server: FakeInformat, fault: InjectedFault
) -> None:
    server.student_api.inject(fault)
    with pytest.raises(OutcomeUnknownError) as caught:
        await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert isinstance(caught.value.__cause__, ServerError)
    assert f"HTTP {fault[:3]}" in str(caught.value)
    assert creates(server) == 1
    assert sa_client.stats.retries == 0


@pytest.mark.parametrize("faults", [("429",), ("503",), ("429", "503", "429")])
async def test_create_is_retried_when_the_server_did_not_take_it(
    sa_client: InformatClient, server: FakeInformat, faults: tuple[InjectedFault, ...]
) -> None:
    server.student_api.inject(*faults)
    created = await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert creates(server) == len(faults) + 1
    assert sa_client.stats.retries == len(faults)
    assert [r.inschrijvings_id for r in await enrollments_of(sa_client, GRADE2, "038505")] == [
        created]


async def test_create_gives_up_on_429_without_pretending_the_outcome_is_unknown(
    server: FakeInformat,
) -> None:
    server.student_api.inject("429", "429")
    async with make_client(server, student_api_url=server.student_api_url,
                           retry=RetryPolicy.no_wait(max_attempts=2)) as client:
        with pytest.raises(RateLimitError):
            await client.student_api.create_enrollment(SECONDARY, new_enrollment())
        assert await enrollments_of(client, GRADE2, "038505") == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_connect_error_is_retried(server: FakeInformat) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api/v1"
    async with make_client(server, student_api_url=url,
                           retry=RetryPolicy.no_wait(max_attempts=3)) as client:
        with pytest.raises(InformatConnectionError) as caught:
            await client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert caught.value.unreachable
    assert client.stats.retries == 2


async def test_a_failed_token_request_is_retried_it_sent_nothing(server: FakeInformat) -> None:
    server.faults = Faults(p_503=1.0, apply_to_token_endpoint=True, endpoints=["students"])
    async with make_client(server, student_api_url=server.student_api_url,
                           retry=RetryPolicy.no_wait(max_attempts=3)) as client:
        with pytest.raises(Exception) as caught:  # noqa: PT011 - what matters is what it is not
            await client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert server.stats.faults["503"] == 3  # three token requests, each refused
    assert creates(server) == 0


async def test_the_server_s_own_faults_apply(
    sa_client: InformatClient, server: FakeInformat
) -> None:
    server.faults = Faults(p_500=1.0, endpoints=["enrollment_create"])
    with pytest.raises(OutcomeUnknownError):
        await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    assert server.stats.faults["500"] == 1


@pytest.mark.parametrize("fault", ["lost", "reset", "500", "502", "503-bare", "504"])
async def test_absences_are_retried_and_stored_once(
    sa_client: InformatClient, server: FakeInformat, fault: InjectedFault
) -> None:
    server.student_api.inject(fault)
    saved = await sa_client.student_api.save_absence(SECONDARY, GRADE2, absence())
    # a lost answer's retry finds the absence already there: "unchanged" (documented)
    assert saved.outcome == ("unchanged" if fault == "lost" else "created")
    # (aiohttp itself resends an idempotent request once after a reset: count on the server)
    assert server.student_api.stats["save_absence"] == 2
    assert server.student_api.absences_of(SECONDARY, GRADE2) == {
        (dt.date(2025, 10, 14), "VM"): "B"}


async def test_link_class_is_retried(sa_client: InformatClient, server: FakeInformat) -> None:
    created = await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    server.student_api.inject("reset", "502")
    linked = await sa_client.student_api.link_class(SECONDARY, created, "5B", "2025-11-03")
    assert linked.outcome == "linked"
    assert server.student_api.stats["link_class"] == 3
    (registration,) = await enrollments_of(sa_client, GRADE2, "038505")
    assert [k.klas_code for k in registration.inschr_klassen] == ["5A", "5B"]


async def test_an_answer_that_is_not_a_guid(sa_client: InformatClient,
                                            server: FakeInformat) -> None:
    # the answer of a committed create that cannot be read: the outcome is unknown too
    from informat_async.testing import _student_api as fake

    original = fake.StudentApiService._create

    def odd(self: Any, institute: str, body: Any) -> str:
        original(self, institute, body)
        return "created!"

    fake.StudentApiService._create = odd  # type: ignore[method-assign]
    try:
        with pytest.raises(OutcomeUnknownError, match="could not be read"):
            await sa_client.student_api.create_enrollment(SECONDARY, new_enrollment())
    finally:
        fake.StudentApiService._create = original  # type: ignore[method-assign]
    assert creates(server) == 1
