"""Trust: no silent loss, no leak, every failure typed and every wait bounded.

Each test talks to a loopback server that misbehaves in one precise way (tests/misbehaving.py)
and fails on the code before the trust changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import logging
import socket
import ssl
import uuid
from pathlib import Path

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from informat_async import (
    AuthenticationError,
    BadRequestError,
    InformatClient,
    InformatConnectionError,
    InformatError,
    InformatTimeoutError,
    InvalidInputError,
    RetryBudget,
    RetryPolicy,
    ServerError,
)
from informat_async.checkpoints import MemoryCheckpointStore
from informat_async.errors import (
    IncompleteResponseError,
    RedirectError,
    ResponseTooLargeError,
    ResponseValidationError,
)
from informat_async.legacy import InformatLegacyClient
from informat_async.sinks import DirectoryPhotoSink
from tests.misbehaving import RawServer, Scripted, raw_json, student_json

INST = "123456"
YEAR = "2025-26"
SECRET = "the-client-secret"
A = "0b7e7a8e-1f7a-4c53-a1a4-3cf1c7a0d001"
B = "0b7e7a8e-1f7a-4c53-a1a4-3cf1c7a0d002"
PHOTO_ID = "9d2a0c4e-0000-4000-8000-000000000001"
DATA = Path(__file__).parent / "data"


def client_of(api: Scripted | RawServer, identity: Scripted | None = None,
              **kwargs: object) -> InformatClient:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("retry", RetryPolicy.no_wait(3))
    return InformatClient(
        "client-id", SECRET, api_url=api.url,
        identity_url=(identity or api).url, **kwargs,  # type: ignore[arg-type]
    )


# --- 1. no redirects ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_token_endpoint_redirect_is_refused(status: int) -> None:
    async with Scripted() as home, Scripted() as elsewhere:
        async def redirect(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, headers={
                "Location": f"{elsewhere.url}/connect/token?code=query-secret"})
        home.token = redirect
        async with client_of(home) as client:
            with pytest.raises(RedirectError) as info:
                await client.students(INST, YEAR)
    assert info.value.status == status
    assert info.value.location_host == f"127.0.0.1:{elsewhere.port}"
    assert f"127.0.0.1:{elsewhere.port}" in str(info.value)
    assert "query-secret" not in str(info.value)
    assert elsewhere.seen == [], "the secret or a foreign token crossed to another origin"
    assert home.requests_to("/1/") == []
    assert len(home.requests_to("/connect/token")) == 1, "a redirect is not retried"


@pytest.mark.parametrize("status", [302, 307, 308])
async def test_api_redirect_is_refused(status: int) -> None:
    async with Scripted() as home, Scripted() as elsewhere:
        async def redirect(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, headers={"Location": f"{elsewhere.url}/1/x"})
        home.api = redirect
        async with client_of(home) as client:
            with pytest.raises(RedirectError):
                await client.students(INST, YEAR)
    assert elsewhere.seen == [], "the bearer token crossed to another origin"


async def test_soap_redirect_does_not_repost_the_password() -> None:
    async with Scripted() as home, Scripted() as elsewhere:
        async def redirect(request: web.Request) -> web.StreamResponse:
            return web.Response(status=307,
                                headers={"Location": f"{elsewhere.url}/wsInformat.asmx"})
        home.api = redirect
        legacy = InformatLegacyClient("login@school.be", "legacy-password",
                                      url=home.url + "/wsInformat.asmx", rate_limit=None,
                                      retry=RetryPolicy.no_wait(3))
        async with legacy:
            with pytest.raises(RedirectError):
                await legacy.leerlingen(INST, YEAR)
    assert elsewhere.seen == []
    assert len(home.seen) == 1


# --- 2. no plain http by accident ------------------------------------------------------


@pytest.mark.parametrize("name", ["api_url", "identity_url"])
def test_plain_http_to_a_remote_host_is_refused(name: str) -> None:
    kwargs = {name: "http://leerlingenapi.example.be"}
    with pytest.raises(InvalidInputError, match="http://"):
        InformatClient("id", SECRET, **kwargs)  # type: ignore[arg-type]
    client = InformatClient("id", SECRET, allow_insecure_http=True, **kwargs)  # type: ignore[arg-type]
    assert getattr(client, name) == "http://leerlingenapi.example.be"
    for url in ("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"):
        InformatClient("id", SECRET, api_url=url, identity_url=url)


def test_plain_http_legacy_url_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="http://"):
        InformatLegacyClient("login", "pw", url="http://webservice.example.be/ws.asmx")
    InformatLegacyClient("login", "pw", url="http://127.0.0.1:1/ws.asmx")
    InformatLegacyClient("login", "pw", url="http://webservice.example.be/ws.asmx",
                         allow_insecure_http=True)


def test_credentials_in_a_url_are_refused_without_echo() -> None:
    with pytest.raises(InvalidInputError) as info:
        InformatClient("id", SECRET, api_url="https://user:hunter2@api.example.be")
    assert "hunter2" not in str(info.value)


# --- 3. no poisoned token ----------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    '{"access_token": "abc\\r\\nX-Injected: 1", "expires_in": 3600}',
    '{"access_token": "two words", "expires_in": 3600}',
    '{"access_token": "ok", "expires_in": "3600"}',
    '{"access_token": "ok", "expires_in": 1' + "0" * 400 + "}",
    '{"access_token": "ok", "expires_in": 1e400}',
    '{"access_token": "ok", "expires_in": NaN}',
    '{"access_token": "ok", "expires_in": -5}',
    '{"access_token": "ok", "expires_in": true}',
])
async def test_insane_token_answer_is_refused_and_never_cached(answer: str) -> None:
    async with Scripted() as home:
        async def token(request: web.Request) -> web.StreamResponse:
            return raw_json(answer)
        home.token = token
        async with client_of(home) as client:
            for _ in range(2):
                with pytest.raises(AuthenticationError):
                    await client.students(INST, YEAR)
    assert len(home.requests_to("/connect/token")) == 2, "a refused token was cached"
    assert home.requests_to("/1/") == []


async def test_a_sane_token_of_b64token_characters_is_used() -> None:
    async with Scripted() as home:
        async def token(request: web.Request) -> web.StreamResponse:
            return raw_json('{"access_token": "eyJ.a-b_c~d+e/f==", "expires_in": 3600}')
        home.token = token
        async with client_of(home) as client:
            assert await client.students(INST, YEAR) == []
    assert home.requests_to("/1/")[0].headers["Authorization"] == "Bearer eyJ.a-b_c~d+e/f=="


# --- 4. server text is redacted ------------------------------------------------------------


async def test_messages_from_error_bodies_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="informat_async")
    body = {"message": "rekening BE68 5390 0754 7034 onbekend",
            "errors": [{"code": "BR010A", "message": "Insz 85.07.30-033.28 is ongeldig"},
                       {"code": "BR043A", "message": "bis 85473003328 bestaat niet"}]}
    async with Scripted() as home:
        async def bad(request: web.Request) -> web.StreamResponse:
            return web.json_response(body, status=400)
        home.api = bad
        async with client_of(home) as client:
            with pytest.raises(BadRequestError) as info:
                await client.students(INST, YEAR)
    text = str(info.value) + " ".join(info.value.messages) + caplog.text
    for secret in ("5390", "0754", "033.28", "85473003328"):
        assert secret not in text
    assert info.value.codes == ("BR010A", "BR043A")
    assert "***" in str(info.value)


async def test_soap_fault_text_is_redacted() -> None:
    fault = (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
        'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
        "<faultcode>soap:Server</faultcode><faultstring>Leerling 85073003328 met rekening "
        "BE68539007547034 onbekend</faultstring></soap:Fault></soap:Body></soap:Envelope>"
    )
    async with Scripted() as home:
        async def soap(request: web.Request) -> web.StreamResponse:
            return web.Response(status=500, text=fault, content_type="text/xml")
        home.api = soap
        legacy = InformatLegacyClient("login@school.be", "pw", url=home.url + "/ws.asmx",
                                      rate_limit=None, retry=RetryPolicy.never())
        async with legacy:
            with pytest.raises(InformatError) as info:
                await legacy.leerlingen(INST, YEAR)
    assert "85073003328" not in str(info.value)
    assert "BE68539007547034" not in str(info.value)


# --- 5. an empty answer is not a list --------------------------------------------------------


@pytest.mark.parametrize("text", [
    "", "   ", "null", "{}", '{"students": null}', '{"Students": null}', '{"students": {}}',
    '"students"', "12", '{"data": []}', '{"students": [',
])
async def test_an_incomplete_answer_is_retried_and_never_taken_for_no_students(
    text: str,
) -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(text)
        home.api = answer
        async with client_of(home) as client:
            with pytest.raises(IncompleteResponseError):
                await client.students(INST, YEAR)
    assert len(home.requests_to("/1/students")) == 3, "retried like a truncated body"


@pytest.mark.parametrize("text", ['{"students": []}', '{"STUDENTS": []}', "[]"])
async def test_an_empty_list_under_the_right_key_is_legitimate(text: str) -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(text)
        home.api = answer
        async with client_of(home) as client:
            assert await client.students(INST, YEAR) == []
    assert len(home.requests_to("/1/students")) == 1


async def test_an_incomplete_answer_never_advances_a_checkpoint() -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            key = "students" if request.path.endswith("students") else "registrations"
            return raw_json(json.dumps({key: None}))
        home.api = answer
        store = MemoryCheckpointStore()
        async with client_of(home) as client:
            result = await client.fetch_all([INST], YEAR, include=("students", "registrations"),
                                            checkpoints=store)
    assert store.values == {}
    report = result.report.institutes[INST]
    assert report.completed == set()
    assert {f.resource for f in report.failures} == {"students", "registrations"}
    assert all(isinstance(f.error, IncompleteResponseError) for f in report.failures)


# --- 6. a photo belongs to the student asked for -----------------------------------------


def photo_json(persoon_id: str | None) -> str:
    return json.dumps({"photo": {"id": PHOTO_ID, "persoonId": persoon_id, "foto": "aGVsbG8="}})


async def test_a_photo_of_the_student_asked_for_is_taken() -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(photo_json(A))
        home.api = answer
        async with client_of(home) as client:
            assert (await client.student_photo(INST, A)).foto == b"hello"


@pytest.mark.parametrize("answered", [B, None])
async def test_a_photo_of_another_student_is_refused(answered: str | None) -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(photo_json(answered))
        home.api = answer
        async with client_of(home) as client:
            with pytest.raises(ResponseValidationError) as info:
                await client.student_photo(INST, A)
    assert not isinstance(info.value, IncompleteResponseError)
    assert "persoonId" in str(info.value)
    assert len(home.seen) == 2, "one token request, one photo request: not retried"


async def test_student_must_be_the_one_asked_for() -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(json.dumps({"student": student_json(B)}))
        home.api = answer
        async with client_of(home) as client:
            with pytest.raises(ResponseValidationError):
                await client.student(INST, A, YEAR)


async def test_bulk_never_files_a_photo_under_the_wrong_student(tmp_path: Path) -> None:
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            if request.path.endswith("/students"):
                return raw_json(json.dumps({"students": [student_json(A), student_json(B)]}))
            asked = request.path.split("/")[-2]
            return raw_json(photo_json(B if asked == A else None))
        home.api = answer
        async with client_of(home) as client:
            result = await client.fetch_all([INST], YEAR, include=("students", "photos"),
                                            photo_sink=DirectoryPhotoSink(tmp_path))
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert files == []
    failed = {f.student_id for f in result.report.failures if f.resource == "photos"}
    assert failed == {uuid.UUID(A), uuid.UUID(B)}
    assert not result.report.ok


# --- 7. one bad string costs nothing ------------------------------------------------------


async def test_a_lone_surrogate_becomes_the_replacement_character() -> None:
    text = '{"students": [' + json.dumps(student_json(A, naam="X\ud800Y")) + "]}"
    assert "\\ud800" in text
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(text)
        home.api = answer
        async with client_of(home) as client:
            students = await client.students(INST, YEAR)
    assert students[0].naam == "X\ufffdY"
    students[0].naam.encode("utf-8")  # what SQLite, CSV and JSON writers do


# --- 9. only InformatError comes out --------------------------------------------------------

_MALFORMED = [
    b"",
    b"garbage\r\n\r\n",
    b"HTTP/1.1 abc\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{",
    b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nabcde",
    b"HTTP/1.1 302 Found\r\nLocation: ftp://elsewhere/x\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 200001\r\n\r\n" + b"[" * 100000 + b"]" * 100001,
    b"HTTP/1.1 400 Bad\r\nContent-Length: 200000\r\n\r\n" + b"[" * 100000 + b"]" * 100000,
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n\xff\xfe",
    b"HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n",
]


def _answers() -> st.SearchStrategy[bytes]:
    head = st.sampled_from([b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 500 X\r\n", b"HTTP/1.0 "])
    return st.one_of(
        st.sampled_from(_MALFORMED),
        st.binary(max_size=300),
        st.builds(lambda h, b: h + b, head, st.binary(max_size=300)),
    )


async def _only_informat_errors(answer: bytes) -> None:
    async with Scripted() as identity, RawServer(answer) as api:
        async with client_of(api, identity, retry=RetryPolicy.no_wait(2), timeout=5) as client:
            with contextlib.suppress(InformatError):
                await client.students(INST, YEAR)


@pytest.mark.parametrize("answer", _MALFORMED)
async def test_each_malformed_answer_is_a_typed_error(answer: bytes) -> None:
    await _only_informat_errors(answer)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=_answers())
def test_arbitrary_bytes_as_an_answer_only_raise_informat_errors(answer: bytes) -> None:
    asyncio.run(_only_informat_errors(answer))


# --- 10. the token call shares the caller's limits ----------------------------------------


async def test_identity_outage_costs_one_token_request_per_attempt() -> None:
    async with Scripted() as home:
        async def down(request: web.Request) -> web.StreamResponse:
            return web.Response(status=503)
        home.token = down
        async with client_of(home, retry=RetryPolicy.no_wait(4)) as client:
            with pytest.raises(ServerError):
                await client.students(INST, YEAR)
    assert len(home.requests_to("/connect/token")) == 4, "the retry loops multiplied"


async def test_silent_identity_server_is_bounded_by_the_call_deadline() -> None:
    async with Scripted() as identity, RawServer(silent=True) as silent:
        policy = RetryPolicy(deadline=1.0, base_backoff=0.0)
        client = InformatClient("id", SECRET, api_url=identity.url, identity_url=silent.url,
                                rate_limit=None, retry=policy, timeout=30)
        async with client:
            with pytest.raises(InformatTimeoutError) as info:
                # the guard only turns a hang into a failure; the deadline must end it first
                await asyncio.wait_for(client.students(INST, YEAR), 15)
    assert "127.0.0.1" in str(info.value)


async def test_bulk_run_during_identity_outage_stays_within_the_budget() -> None:
    institutes = [f"{n:06d}" for n in range(100001, 100011)]
    async with Scripted() as home:
        async def down(request: web.Request) -> web.StreamResponse:
            return web.Response(status=503)
        home.token = down
        async with client_of(home, retry=RetryPolicy.no_wait(8)) as client:
            result = await client.fetch_all(
                institutes, YEAR, include=("students", "registrations"),
                retry_budget=RetryBudget(),
            )
    lists = 20
    assert len(result.report.failures) == lists
    # first attempts * (1 + ratio) + initial, as RetryBudget documents; before: 8 x 8 per list
    assert len(home.requests_to("/connect/token")) <= lists * 1.2 + 20


async def test_untrusted_certificate_is_not_retried() -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(DATA / "selfsigned.crt", DATA / "selfsigned.key")
    app = web.Application()
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        url = f"https://127.0.0.1:{port}"
        client = InformatClient("id", SECRET, api_url=url, identity_url=url, rate_limit=None,
                                retry=RetryPolicy.no_wait(4))
        async with client:
            with pytest.raises(InformatConnectionError) as info:
                await client.students(INST, YEAR)
        assert not info.value.retryable
        assert client.stats.token_requests == 1
        assert f"127.0.0.1:{port}" in str(info.value)
    finally:
        await runner.cleanup()


async def test_a_name_that_does_not_resolve_is_not_retried() -> None:
    url = "https://informat-async-test.invalid"
    client = InformatClient("id", SECRET, api_url=url, identity_url=url, rate_limit=None,
                            retry=RetryPolicy.no_wait(4))
    async with client:
        with pytest.raises(InformatConnectionError) as info:
            await client.students(INST, YEAR)
    assert client.stats.token_requests == 1
    assert "informat-async-test.invalid" in str(info.value)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_unreachable_host_is_given_up_on_and_named() -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    policy = RetryPolicy(max_attempts=1000, base_backoff=0.01, max_backoff=0.02,
                         unreachable_after=0.3)
    client = InformatClient("id", SECRET, api_url=url, identity_url=url, rate_limit=None,
                            retry=policy, retry_budget=RetryBudget.unlimited())
    async with client:
        with pytest.raises(InformatConnectionError) as info:
            await client.students(INST, YEAR)
    assert info.value.unreachable
    assert url.removeprefix("http://") in str(info.value)
    assert client.stats.token_requests < 1000


def test_defaults_bound_an_unreachable_host_to_30_seconds() -> None:
    client = InformatClient("id", SECRET)
    connect = client._timeout.sock_connect
    assert connect is not None
    assert client.retry.unreachable_after is not None
    # the last attempt starts before unreachable_after and connects for at most `connect`
    assert client.retry.unreachable_after + connect <= 30


# --- 11. a 401 after a lost answer still gets a fresh token ---------------------------------


async def test_401_after_a_lost_answer_gets_a_fresh_token() -> None:
    script = ["401", "reset", "401", "ok"]
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            step = script.pop(0)
            if step == "401":
                return web.json_response({"errors": []}, status=401)
            if step == "reset":  # the head and half the body, then the connection drops
                assert request.transport is not None
                request.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json"
                                        b"\r\nContent-Length: 40\r\n\r\n{\"students\"")
                request.transport.close()
                return web.Response()
            return web.json_response({"students": []})
        home.api = answer
        async with client_of(home, retry=RetryPolicy.no_wait(5)) as client:
            assert await client.students(INST, YEAR) == []
    assert len(home.requests_to("/connect/token")) == 3


# --- 12. closing leaves nothing behind ----------------------------------------------------


async def test_aclose_cancels_a_token_fetch_in_flight() -> None:
    release = asyncio.Event()
    asked = asyncio.Event()
    async with Scripted() as home:
        async def slow(request: web.Request) -> web.StreamResponse:
            asked.set()
            await release.wait()
            return await home.good_token(request)
        home.token = slow
        client = client_of(home)
        await client.open()
        call = asyncio.create_task(client.students(INST, YEAR))
        await asyncio.wait_for(asked.wait(), 10)
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)
        await client.aclose()
        left = [t for t in asyncio.all_tasks()
                if "TokenProvider" in repr(t.get_coro())]
        release.set()
    assert left == []


# --- 13. bodies are bounded ---------------------------------------------------------------


async def test_a_decompression_bomb_stops_at_the_limit() -> None:
    bomb = gzip.compress(b"[" + b" " * (20 * 1024 * 1024) + b"]")
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return web.Response(body=bomb, headers={"Content-Encoding": "gzip",
                                                    "Content-Type": "application/json"})
        home.api = answer
        async with client_of(home, max_response_size=1024 * 1024) as client:
            with pytest.raises(ResponseTooLargeError) as info:
                await client.students(INST, YEAR)
    assert info.value.limit == 1024 * 1024
    assert len(home.requests_to("/1/")) == 1, "an oversize answer is not fetched again"


async def test_photo_answers_have_their_own_limit() -> None:
    big = json.dumps({"photo": {"id": PHOTO_ID, "persoonId": A, "foto": "QUJD" * 10000}})
    async with Scripted() as home:
        async def answer(request: web.Request) -> web.StreamResponse:
            return raw_json(big)
        home.api = answer
        async with client_of(home, max_photo_size=20_000) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.student_photo(INST, A)
        async with client_of(home) as client:
            assert (await client.student_photo(INST, A)).persoon_id == uuid.UUID(A)


def test_size_limits_have_documented_defaults() -> None:
    client = InformatClient("id", SECRET)
    assert client.max_response_size == 64 * 1024 * 1024
    assert client.max_photo_size == 16 * 1024 * 1024
    with pytest.raises(InvalidInputError):
        InformatClient("id", SECRET, max_response_size=0)
