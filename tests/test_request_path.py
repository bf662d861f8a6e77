"""The cheap pieces of a request's path give what the slow ones gave: the URL handed to
aiohttp, the environment's proxy per origin and session, and GUIDs read from text."""

from __future__ import annotations

import uuid

import aiohttp
import pytest
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st

from informat_async import _http
from informat_async.validation import coerce_uuid


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
    assert type(made) is uuid.UUID
    assert made == value == uuid.UUID(text.strip())
    assert (str(made), made.version, made.is_safe, hash(made)) == (
        str(value), value.version, uuid.SafeUUID.unknown, hash(value)
    )
