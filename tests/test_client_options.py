"""Per-call options (``with_options``), proxies, and one client per event loop."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from informat_async import InformatClient, InformatError, InvalidInputError, RetryPolicy
from informat_async.errors import InformatTimeoutError, TransportError
from informat_async.testing import FakeInformat, Faults
from tests.conftest import SCHOOL_YEAR, make_client

INST = "123456"


@pytest.fixture
async def fake() -> AsyncIterator[FakeInformat]:
    async with FakeInformat(institutes=(INST,), students_per_institute=3,
                            school_year=SCHOOL_YEAR) as server:
        yield server


# ---------------------------------------------------------------------------- with_options


async def test_with_options_bounds_one_call_and_shares_the_rest(fake: FakeInformat) -> None:
    async with make_client(fake, retry=RetryPolicy.no_wait(max_attempts=8)) as client:
        assert len(await client.students(INST, SCHOOL_YEAR)) == 3  # token fetched here
        fake.faults = Faults(latency=5.0, endpoints=frozenset({"registrations"}))
        fake.stats.reset()
        tight = client.with_options(timeout=0.2, retry=RetryPolicy.never())
        with pytest.raises(InformatTimeoutError):
            await tight.registrations(INST, SCHOOL_YEAR)
        assert fake.stats.endpoints["registrations"] == 1  # one attempt, not eight
        assert fake.stats.token_requests == 0  # the client's token was reused
        assert client.stats.requests == 2  # the view counts into the client's stats
        assert tight.stats is client.stats
        assert tight.retry_budget is client.retry_budget
        # the view leaves the client's own settings alone
        assert client.retry.max_attempts == 8
        fake.faults = Faults()
        assert len(await client.registrations(INST, SCHOOL_YEAR)) > 0
        # a view of a view keeps what it does not override
        tighter = tight.with_options(timeout=3.0)
        assert tighter.retry == RetryPolicy.never()
        assert len(await tighter.students(INST, SCHOOL_YEAR)) == 3
        await tight.aclose()  # closing a view closes nothing
        assert not client.closed
        assert len(await client.students(INST, SCHOOL_YEAR)) == 3
        assert "view" in repr(tight)
    assert tight.closed


async def test_with_options_opens_the_client_and_checks_its_input(fake: FakeInformat) -> None:
    client = make_client(fake)
    view = client.with_options(timeout=5)
    assert len(await view.students(INST, SCHOOL_YEAR)) == 3
    assert not client.closed  # the view opened the client, which the caller closes
    await client.aclose()
    with pytest.raises(InformatError, match="closed"):
        await view.students(INST, SCHOOL_YEAR)
    for bad in ({"timeout": 0}, {"timeout": -1.0}, {"retry": 3}):
        with pytest.raises(InvalidInputError):
            client.with_options(**bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- proxies


class RecordingProxy:
    """A forward HTTP proxy on loopback that records every absolute URL it relays."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _relay(self, request: web.Request) -> web.Response:
        target = str(request.url) if request.url.is_absolute() else request.path_qs
        self.seen.append(f"{request.method} {request.url.path}")
        body = await request.read()
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "proxy-connection", "connection")}
        async with aiohttp.ClientSession() as session, session.request(
            request.method, target, headers=headers, data=body or None,
            allow_redirects=False,
        ) as answer:
            payload = await answer.read()
            return web.Response(status=answer.status, body=payload,
                                content_type=answer.content_type)

    async def __aenter__(self) -> RecordingProxy:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._relay)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.mark.usefixtures("no_proxy_env")
async def test_environment_proxy_is_honoured(
    fake: FakeInformat, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with RecordingProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with make_client(fake) as client:
            assert len(await client.students(INST, SCHOOL_YEAR)) == 3
        assert "POST /connect/token" in proxy.seen
        assert "GET /1/students" in proxy.seen

        proxy.seen.clear()
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        async with make_client(fake) as client:
            assert len(await client.students(INST, SCHOOL_YEAR)) == 3
        assert proxy.seen == []


@pytest.mark.usefixtures("no_proxy_env")
async def test_a_dead_proxy_in_the_environment_is_not_bypassed(
    fake: FakeInformat, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with RecordingProxy() as dead:
        dead_url = dead.url  # nothing listens there any more after the block
    monkeypatch.setenv("HTTP_PROXY", dead_url)
    async with make_client(fake, retry=RetryPolicy.never()) as client:
        with pytest.raises(TransportError):
            await client.students(INST, SCHOOL_YEAR)
    assert fake.stats.requests == 0
    assert fake.stats.token_requests == 0


@pytest.mark.usefixtures("no_proxy_env")
async def test_a_netrc_entry_for_the_host_does_not_break_requests(
    fake: FakeInformat, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # With aiohttp's trust_env on every request, a ~/.netrc entry for the host added Basic
    # credentials next to the bearer token, and aiohttp refused every request.
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password elsewhere\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    async with make_client(fake, retry=RetryPolicy.never()) as client:
        assert len(await client.students(INST, SCHOOL_YEAR)) == 3
    async with RecordingProxy() as proxy:  # the environment's proxy is still honoured
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with make_client(fake, retry=RetryPolicy.never()) as client:
            assert len(await client.students(INST, SCHOOL_YEAR)) == 3
        assert proxy.seen == ["POST /connect/token", "GET /1/students"]


@pytest.mark.usefixtures("no_proxy_env")
async def test_explicit_proxy(fake: FakeInformat) -> None:
    async with RecordingProxy() as proxy:
        async with make_client(fake, proxy=proxy.url) as client:
            assert len(await client.students(INST, SCHOOL_YEAR)) == 3
        assert proxy.seen == ["POST /connect/token", "GET /1/students"]
    with pytest.raises(InvalidInputError, match="proxy"):
        make_client(fake, proxy="proxy.school.be:3128")
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidInputError, match="session"):
            make_client(fake, proxy=proxy.url, session=session)


@pytest.mark.usefixtures("no_proxy_env")
async def test_legacy_client_takes_a_proxy(fake: FakeInformat) -> None:
    from informat_async.legacy import InformatLegacyClient

    async with RecordingProxy() as proxy:
        async with InformatLegacyClient(
            fake.legacy_login, fake.legacy_password, url=fake.legacy_url, proxy=proxy.url,
            retry=RetryPolicy.no_wait(),
        ) as legacy:
            await legacy.leerkrachten(INST, SCHOOL_YEAR)
        assert len(proxy.seen) == 1
        assert proxy.seen[0].startswith("POST ")
    with pytest.raises(InvalidInputError, match="proxy"):
        InformatLegacyClient("login", "password", proxy="proxy.school.be:3128")


# ---------------------------------------------------------------------------- event loops


@pytest.fixture
def threaded_fake() -> Iterator[FakeInformat]:
    """A fake server in a loop of its own, so tests can call ``asyncio.run`` twice."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = FakeInformat(institutes=(INST,), students_per_institute=2, school_year=SCHOOL_YEAR)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result()
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def test_a_client_from_a_closed_event_loop_fails_clearly(threaded_fake: FakeInformat) -> None:
    client = make_client(threaded_fake, rate_limit=5.0)

    async def use(c: InformatClient = client) -> int:
        return len(await c.students(INST, SCHOOL_YEAR))

    assert asyncio.run(use()) == 2  # opened in this loop, never closed
    with pytest.raises(InformatError, match="closed") as info:
        asyncio.run(use())
    assert "new" in str(info.value)
    view = client.with_options(timeout=1)
    with pytest.raises(InformatError, match="event loop"):
        asyncio.run(view.students(INST, SCHOOL_YEAR))
    # its connections belong to the dead loop; they cannot be closed cleanly any more
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        asyncio.run(client.aclose())
        del client, view
        gc.collect()


@pytest.mark.usefixtures("no_proxy_env")
@pytest.mark.parametrize("value", ["proxy.school.be:3128", "http://[::1", "not a url"])
async def test_a_malformed_proxy_in_the_environment_is_bad_input(
    fake: FakeInformat, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", value)
    client = make_client(fake)
    with pytest.raises(InvalidInputError, match="PROXY"):
        await client.students(INST, SCHOOL_YEAR)
    await client.aclose()
    assert fake.stats.token_requests == 0
