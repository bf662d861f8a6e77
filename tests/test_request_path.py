"""The cheap pieces of a request's path give what the slow ones gave: the URL handed to
aiohttp, the environment's proxy per origin and session, GUIDs read from text and their
text for a URL, and the ``Timestamp`` header."""

from __future__ import annotations

import datetime as dt
import uuid

import aiohttp
import pytest
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st

from informat_async import InformatClient, _http, signing
from informat_async.testing import FakeInformat
from informat_async.validation import coerce_guid, coerce_uuid


class _Session:
    """Stands for a session not made by ``new_session`` (no proxy of the environment)."""


_NOT_OURS = _Session()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/1/students/0F8FAD5B-D9CB-469F-A165-70867728950E/photo",
    "https://leerlingenapi.informatsoftware.be/1/students",
    "https://h.example/",
    "http://[::1]:8080/a/b.c~d_e-f",
    "https://H.Example:443/Mixed/Case",
])
def test_a_plain_path_becomes_the_url_aiohttp_would_parse(url: str) -> None:
    target, _ = _http._route(_NOT_OURS, url)  # type: ignore[arg-type]
    assert isinstance(target, yarl.URL)
    assert target == yarl.URL(url)
    assert str(target) == str(yarl.URL(url))


@pytest.mark.parametrize("url", [
    "https://h.example/employees/documents?schoolYear=2025-26&rlType=1",
    "https://h.example/a%20b",
    "https://h.example/a b",
    "https://h.example/caf\u00e9",
    "https://h.example/a#b",
    "https://h.example/a/../b",
    "https://h.example/a//b",
    "not a url",
])
def test_anything_else_is_left_to_aiohttp(url: str) -> None:
    target, proxy = _http._route(_NOT_OURS, url)  # type: ignore[arg-type]
    assert target == url
    assert proxy == {}


@given(st.text(alphabet="abcXYZ019._~/-%?# é", max_size=30))
@settings(max_examples=500)
def test_the_url_handed_over_always_means_the_same(path: str) -> None:
    url = "https://h.example/" + path
    target, _ = _http._route(_NOT_OURS, url)  # type: ignore[arg-type]
    if isinstance(target, yarl.URL):
        assert target == yarl.URL(url)
    else:
        assert target == url


async def test_each_session_keeps_its_own_proxy_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
                 "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    ours = _http.new_session(["http://api.example"], limit=2, proxy=None)
    theirs = aiohttp.ClientSession()
    try:
        url = "http://api.example/1/students"
        for _ in range(2):  # alternating sessions must not take each other's choice
            assert _http._route(ours, url)[1] == {"proxy": yarl.URL("http://proxy.example:3128")}
            assert _http._route(theirs, url)[1] == {}
        monkeypatch.setenv("NO_PROXY", "other.example")
        assert _http._route(ours, "http://other.example/x")[1] == {}
    finally:
        await ours.close()
        await theirs.close()


@given(st.uuids(), st.sampled_from(["plain", "upper", "braces", "hex", "blanks"]))
def test_a_guid_read_from_text_is_the_uuid_of_the_standard_library(
    value: uuid.UUID, form: str
) -> None:
    text = {
        "plain": str(value), "upper": str(value).upper(), "braces": "{" + str(value) + "}",
        "hex": value.hex, "blanks": f"  {value}\n",
    }[form]
    made = coerce_uuid(text, name="x")
    assert coerce_guid(text, name="x") == (made, str(value))
    assert coerce_guid(value, name="x") == (value, str(value))
    assert type(made) is uuid.UUID
    assert made == value == uuid.UUID(text.strip())
    assert (str(made), made.version, made.is_safe, hash(made)) == (
        str(value), value.version, uuid.SafeUUID.unknown, hash(value)
    )


@given(st.integers(min_value=0, max_value=4_102_444_800 * 10**9 - 1))  # up to 2100
@settings(max_examples=500)
def test_the_timestamp_of_a_moment_is_the_one_datetime_formatting_gives(ns: int) -> None:
    moment = dt.datetime.fromtimestamp(ns // 10**9, dt.UTC).replace(
        microsecond=ns % 10**9 // 1000
    )
    assert signing._timestamp_of_ns(ns) == signing.format_timestamp(moment)


def test_moments_in_one_second_and_the_next_get_their_own_timestamps() -> None:
    second = 1_764_000_000 * 10**9
    assert [signing._timestamp_of_ns(second + ms * 10**6) for ms in (0, 7, 999)] == [
        "2025-11-24T16:00:00.000", "2025-11-24T16:00:00.007", "2025-11-24T16:00:00.999"
    ]
    assert signing._timestamp_of_ns(second + 10**9) == "2025-11-24T16:00:01.000"
    assert signing._timestamp_of_ns(second - 1) == "2025-11-24T15:59:59.999"


async def test_a_request_carries_the_current_time_and_a_given_clock_is_still_used(
    server: FakeInformat, client: InformatClient
) -> None:
    def stamp() -> str:
        entry = server.request_log[-1]
        assert entry.path.endswith("/photo")
        return dict(entry.headers)["Timestamp"]

    sid = next(iter(server.data.institutes["123456"].students))
    before = signing.format_timestamp(dt.datetime.now(dt.UTC))
    await client.student_photo("123456", sid)
    after = signing.format_timestamp(dt.datetime.now(dt.UTC))
    assert before <= stamp() <= after  # the same format sorts as the time does

    transport = await client._get_transport()
    fixed = dt.datetime(2025, 11, 3, 14, 5, 9, 123456, tzinfo=dt.UTC)
    transport._clock = lambda: fixed
    await client.student_photo("123456", sid)
    assert stamp() == "2025-11-03T14:05:09.123"
