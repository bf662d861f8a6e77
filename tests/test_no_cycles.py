"""A failed call leaves no reference cycle behind.

An exception's traceback refers to the frames it passed through; a frame whose local still
names the exception makes a cycle of them all (the call's coroutines, closures, answer
headers), which only the cyclic collector frees, and in a bulk run usually only a full
collection. Each 404 photo of a sync left 57 such objects (the peak memory of a 20-institute
photo run grew with them). These tests run failing calls with the collector off and count
what a collection then frees.
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from informat_async import (
    APIStatusError,
    IncompleteResponseError,
    InformatClient,
    InformatError,
    NotFoundError,
    ResponseValidationError,
    RetryPolicy,
    models,
)
from informat_async import _offload as offload
from informat_async.convert import structure_many
from informat_async.legacy import InformatLegacyClient
from tests.conftest import SCHOOL_YEAR
from tests.misbehaving import Scripted, raw_json
from tests.test_trust import INST, YEAR, client_of


async def _cyclic_garbage_after(
    times: int, call: Callable[[], Awaitable[Any]], expected: type[BaseException] | None
) -> int:
    async def once() -> None:
        if expected is None:
            await call()
        else:
            with pytest.raises(expected):
                await call()

    await once()  # warm-up: token, connection, caches
    gc.collect()
    gc.disable()
    try:
        for _ in range(times):
            await once()
    finally:
        gc.enable()
    return gc.collect()


def _answer(status: int, body: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def answer(request: web.Request) -> web.StreamResponse:
        return raw_json(body, status=status)

    return answer


@pytest.mark.parametrize(("status", "body", "expected"), [
    (404, '{"errors": [{"code": "DNF", "message": "not found"}]}', NotFoundError),
    (400, '{"errors": [{"code": "X", "message": "bad"}]}', APIStatusError),
    (503, "", APIStatusError),  # retried, then given up
    (200, '{"students": null}', IncompleteResponseError),  # retried, then given up
])
async def test_a_failed_call_leaves_no_cyclic_garbage(
    status: int, body: str, expected: type[BaseException]
) -> None:
    async with Scripted() as home:
        async with client_of(home) as client:
            await client.students(INST, YEAR)  # token and connection
            home.api = _answer(status, body)
            freed = await _cyclic_garbage_after(
                5, lambda: client.students(INST, YEAR), expected)
    assert freed == 0


async def test_a_failed_large_decode_in_the_worker_leaves_no_cyclic_garbage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(offload, "DECODE_IN_THREAD_BYTES", 100)
    bad = json.dumps({"students": [{"persoonId": "not-a-guid"}] * 20})
    async with Scripted() as home:
        async with client_of(home) as client:
            await client.students(INST, YEAR)
            home.api = _answer(200, bad)
            freed = await _cyclic_garbage_after(
                5, lambda: client.students(INST, YEAR), ResponseValidationError)
    assert freed == 0


async def test_a_photo_that_is_not_there_leaves_no_cyclic_garbage(
    client: InformatClient,
) -> None:
    # the bulk run's case: a student without a photo answers 404, the run goes on
    missing = str(uuid.uuid4())
    await client.students("123456", SCHOOL_YEAR)
    freed = await _cyclic_garbage_after(
        5, lambda: client.student_photo("123456", missing), NotFoundError)
    assert freed == 0


async def test_a_successful_call_leaves_none_either(client: InformatClient) -> None:
    freed = await _cyclic_garbage_after(5, lambda: client.students("123456", SCHOOL_YEAR), None)
    assert freed == 0


@pytest.mark.parametrize("body", [
    b"<soap:Envelope><soap:Body><a><b></a>",  # not well-formed: expat's error, translated
    b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Boom"
    b"</faultstring></soap:Fault></soap:Body></soap:Envelope>",  # a SOAP fault
])
async def test_a_failed_legacy_call_leaves_no_cyclic_garbage(body: bytes) -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return web.Response(status=200 if b"Fault" not in body else 500, body=body,
                                content_type="text/xml")
        home.api = answer
        legacy = InformatLegacyClient("login@school.be", "legacy-password",
                                      url=home.url + "/wsInformat.asmx", rate_limit=None,
                                      retry=RetryPolicy.no_wait(1))
        async with legacy:
            freed = await _cyclic_garbage_after(
                5, lambda: legacy.leerlingen(INST, YEAR), InformatError)
    assert freed == 0


def test_a_record_that_does_not_decode_leaves_no_cyclic_garbage() -> None:
    raw = [{"persoonId": "not-a-guid", "relaties": [{"relatieId": "nope"}]}]
    structure_many(raw, models.Student)
    gc.collect()
    gc.disable()
    try:
        items, errors = structure_many(raw, models.Student)
    finally:
        gc.enable()
    assert items == []
    assert errors
    assert gc.collect() == 0


def test_decoding_in_an_except_block_leaves_the_callers_exception_alone() -> None:
    def fail() -> None:
        marker = "kept"  # noqa: F841 - looked up through the traceback below
        raise KeyError("x")

    try:
        fail()
    except KeyError as outer:  # the decoding's own exceptions get this one as context
        _, errors = structure_many([{"persoonId": "not-a-guid"}], models.Student)
        tb = outer.__traceback__
    assert errors
    assert tb is not None
    assert tb.tb_next is not None
    assert tb.tb_next.tb_frame.f_locals.get("marker") == "kept"
