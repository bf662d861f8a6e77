"""Tests of the fake Informat server (``informat_async.testing``) with a raw aiohttp client."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email.utils
import json
import sys
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict

from informat_async.testing import FakeData, FakeInformat, Faults, PreRegistration
from informat_async.testing._data_numbers import is_valid_iban, is_valid_insz, make_iban, make_insz
from informat_async.testing._spec_examples import (
    example_photo,
    example_preregistration,
    example_registration,
    example_school_history,
    example_student,
)
from informat_async.testing._util import normalize_guid, parse_datetime

INST = "123456"
OTHER = "654321"
YEAR = "2025-26"  # the school year of the URLs below
LL = "api_informat_sas_leerlingen.leerlingen."
VI = "api_informat_sas_leerlingen.voorinschrijvingen."


def now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def api_headers(token: str, institute: str = INST, **extra: str) -> dict[str, str]:
    headers = {
        "Authorization": f"BEARER {token}",
        "InstituteNo": institute,
        "Timestamp": now_stamp(),
        "Accept": "application/json",
    }
    headers.update(extra)
    return headers


async def get_token(
    session: aiohttp.ClientSession,
    server: FakeInformat,
    scope: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
) -> str:
    form = {
        "grant_type": "client_credentials",
        "client_id": client_id or server.client_id,
        "client_secret": client_secret or server.client_secret,
    }
    if scope is not None:
        form["scope"] = scope
    async with session.post(f"{server.identity_url}/connect/token", data=form) as response:
        assert response.status == 200, await response.text()
        body = await response.json()
    token: str = body["access_token"]
    return token


async def get_json(
    session: aiohttp.ClientSession,
    server: FakeInformat,
    token: str,
    path: str,
    institute: str = INST,
    method: str = "GET",
    **kwargs: Any,
) -> tuple[int, Any]:
    async with session.request(
        method, f"{server.api_url}{path}", headers=api_headers(token, institute), **kwargs
    ) as response:
        text = await response.text()
        return response.status, json.loads(text) if text else None


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def server() -> AsyncIterator[FakeInformat]:
    async with FakeInformat(
        institutes=(INST, OTHER), students_per_institute=12, seed=7, spec_examples=True,
        school_year=YEAR,
    ) as fake:
        yield fake


@pytest.fixture
async def token(session: aiohttp.ClientSession, server: FakeInformat) -> str:
    return await get_token(session, server)


# ---------------------------------------------------------------------------- identity


async def test_token_issue(session: aiohttp.ClientSession, server: FakeInformat) -> None:
    scope = f"{LL}{INST} {LL}{OTHER}"
    form = {
        "grant_type": "client_credentials",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "scope": scope,
    }
    async with session.post(f"{server.identity_url}/connect/token", data=form) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-store"
        body = await response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == scope
    assert isinstance(body["access_token"], str)
    assert len(body["access_token"]) > 20
    assert server.stats.token_requests == 1
    assert server.stats.tokens_issued == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"client_secret": "wrong"}, "invalid_client"),
        ({"client_id": "nobody"}, "invalid_client"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"scope": f"{LL}111111"}, "invalid_scope"),
        ({"scope": f"{LL}{INST} api_other.scope"}, "invalid_scope"),
    ],
)
async def test_token_errors(
    session: aiohttp.ClientSession, server: FakeInformat, change: dict[str, str], error: str
) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "scope": f"{LL}{INST}",
    }
    form.update(change)
    async with session.post(f"{server.identity_url}/connect/token", data=form) as response:
        assert response.status == 400
        assert await response.json() == {"error": error}


async def test_token_without_scope_basic_auth_and_method(
    session: aiohttp.ClientSession, server: FakeInformat
) -> None:
    basic = base64.b64encode(f"{server.client_id}:{server.client_secret}".encode()).decode()
    auth = {"Authorization": f"Basic {basic}"}
    url = f"{server.identity_url}/connect/token"
    data = {"grant_type": "client_credentials"}
    async with session.post(url, data=data, headers=auth) as resp:
        assert resp.status == 200
        granted = set((await resp.json())["scope"].split())
    # every scope the client may have: pupils, pre-registrations and personnel
    assert granted == {
        f"{p}{n}" for p in (LL, VI, "api_informat_sas_personeel.personeel.")
        for n in (INST, OTHER, "999999")
    }
    async with session.get(url) as resp:
        assert resp.status == 405
        assert resp.headers["Allow"] == "POST"
    async with session.post(url, json={"grant_type": "client_credentials"}) as resp:
        assert resp.status == 400
        assert await resp.json() == {"error": "invalid_request"}


async def test_add_client_with_restricted_scopes(
    session: aiohttp.ClientSession, server: FakeInformat
) -> None:
    server.add_client("school-a", "s3cret", scopes=[f"{LL}{INST}", f"{LL}222222"])
    token = await get_token(session, server, f"{LL}222222", "school-a", "s3cret")
    status, body = await get_json(
        session, server, token, "/1/students?schoolYear=2025-26", institute="222222"
    )
    assert (status, body) == (200, {"students": []})
    form = {
        "grant_type": "client_credentials",
        "client_id": "school-a",
        "client_secret": "s3cret",
        "scope": f"{LL}{OTHER}",
    }
    async with session.post(f"{server.identity_url}/connect/token", data=form) as response:
        assert response.status == 400
        assert await response.json() == {"error": "invalid_scope"}


# ---------------------------------------------------------------------------- API checks


async def test_401_variants(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    url = f"{server.api_url}/1/students?schoolYear=2025-26"
    cases: list[dict[str, str]] = [
        {"InstituteNo": INST, "Timestamp": now_stamp()},
        api_headers("not-a-token"),
        {**api_headers(token), "Authorization": f"Basic {token}"},
    ]
    for headers in cases:
        async with session.get(url, headers=headers) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"] == "Bearer"
            assert await response.read() == b""
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 200
    headers = {**api_headers(token), "Authorization": f"Bearer {token}"}
    async with session.get(url, headers=headers) as response:
        assert response.status == 200
    server.revoke_tokens()
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_expired_token(session: aiohttp.ClientSession) -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=1, token_lifetime=0.2,
                            school_year=YEAR) as s:
        form = {
            "grant_type": "client_credentials",
            "client_id": s.client_id,
            "client_secret": s.client_secret,
        }
        async with session.post(f"{s.identity_url}/connect/token", data=form) as response:
            body = await response.json()
        assert body["expires_in"] == 0.2
        url = f"{s.api_url}/1/registrations?schoolYear=2025-26"
        headers = api_headers(body["access_token"])
        async with session.get(url, headers=headers) as response:
            assert response.status == 200
        await asyncio.sleep(0.25)
        async with session.get(url, headers=headers) as response:
            assert response.status == 401


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({"InstituteNo": None}, "InstituteNo"),
        ({"InstituteNo": f"{INST}, {OTHER}"}, "InstituteNo"),
        ({"InstituteNo": "12345"}, "InstituteNo"),
        ({"Timestamp": None}, "Timestamp"),
        ({"Timestamp": "yesterday"}, "Timestamp"),
        ({"Timestamp": "2025-10-15"}, "Timestamp"),
    ],
)
async def test_400_headers(
    session: aiohttp.ClientSession,
    server: FakeInformat,
    token: str,
    headers: dict[str, str | None],
    fragment: str,
) -> None:
    sent = api_headers(token)
    for name, value in headers.items():
        if value is None:
            del sent[name]
        else:
            sent[name] = value
    url = f"{server.api_url}/1/students?schoolYear=2025-26"
    async with session.get(url, headers=sent) as response:
        assert response.status == 400
        body = await response.json()
    assert body["status"] == 400
    assert fragment in body["message"]


async def test_institute_header_twice(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    headers = CIMultiDict(api_headers(token))
    headers.add("InstituteNo", OTHER)
    url = f"{server.api_url}/1/students?schoolYear=2025-26"
    async with session.get(url, headers=headers) as response:
        assert response.status == 400


@pytest.mark.parametrize(
    "stamp",
    ["2019-10-15T15:30:22.000", "2019-10-15T15:30:22.000Z", "2019-10-15T15:30:22+0100"],
)
async def test_timestamp_formats(
    session: aiohttp.ClientSession, server: FakeInformat, token: str, stamp: str
) -> None:
    url = f"{server.api_url}/1/registrations?schoolYear=2025-26"
    async with session.get(url, headers=api_headers(token, Timestamp=stamp)) as response:
        assert response.status == 200


async def test_403_scope(session: aiohttp.ClientSession, server: FakeInformat) -> None:
    token = await get_token(session, server, f"{LL}{INST}")
    status, _ = await get_json(session, server, token, "/1/students?schoolYear=2025-26")
    assert status == 200
    async with session.get(
        f"{server.api_url}/1/students?schoolYear=2025-26", headers=api_headers(token, OTHER)
    ) as response:
        assert response.status == 403
    async with session.get(
        f"{server.api_url}/1/preregistrations/{'1' * 32}/status", headers=api_headers(token)
    ) as response:
        assert response.status == 403
    prereg_token = await get_token(session, server, f"{VI}{INST}")
    async with session.get(
        f"{server.api_url}/1/registrations?schoolYear=2025-26", headers=api_headers(prereg_token)
    ) as response:
        assert response.status == 403


async def test_405_and_path_matching(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    async with session.delete(
        f"{server.api_url}/1/students?schoolYear=2025-26", headers=api_headers(token)
    ) as response:
        assert response.status == 405
        assert response.headers["Allow"] == "GET, POST"
    async with session.get(
        f"{server.api_url}/1/preregistrations/save", headers=api_headers(token)
    ) as response:
        assert response.status == 405
        assert response.headers["Allow"] == "POST"
    async with session.get(
        f"{server.api_url}/1/preregistrations/{'a' * 32}", headers=api_headers(token)
    ) as response:
        assert response.status == 405
        assert response.headers["Allow"] == "DELETE"
    status, body = await get_json(
        session, server, token, "/1/students?schoolYear=2025-26", method="POST"
    )
    assert status == 200
    assert len(body["students"]) == 12
    status, body = await get_json(
        session, server, token, "/1/SchoolHistory?schoolyear=2025-26&CertificateSource=1"
    )
    assert status == 200
    assert isinstance(body, list)
    status, body = await get_json(session, server, token, "/1/nothing-here")
    assert status == 404


# ---------------------------------------------------------------------------- endpoints


async def test_students_list_and_single(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    status, body = await get_json(session, server, token, "/1/students?schoolYear=2025-26")
    assert status == 200
    truth = server.data.institutes[INST].students
    assert {normalize_guid(s["persoonId"]) for s in body["students"]} == set(truth)
    for student in body["students"]:
        assert student == truth[normalize_guid(student["persoonId"]) or ""]
        assert {"fietsnummer", "overigeadressen", "relaties", "bankrek"} <= set(student)
    student_id = server.data.student_ids(INST)[0]
    for form in (student_id, student_id.upper(), "{" + student_id.upper() + "}"):
        status, body = await get_json(
            session, server, token, f"/1/students/{form}?schoolYear=2025-26"
        )
        assert status == 200
        assert body == {"student": truth[student_id]}
    status, body = await get_json(session, server, token, "/1/students?schoolYear=2024-25")
    assert (status, body) == (200, {"students": []})
    status, body = await get_json(
        session, server, token, "/1/students?schoolYear=2025-26", institute="111111"
    )
    assert status == 403


async def test_unknown_institute_with_scope_is_empty(session: aiohttp.ClientSession) -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=2,
                            school_year=YEAR) as fake:
        fake.add_client("c", "s", scopes=[f"{LL}333333"])
        token = await get_token(session, fake, None, "c", "s")
        for path in ("/1/students?schoolYear=2025-26", "/1/registrations?schoolYear=2025-26"):
            status, body = await get_json(session, fake, token, path, institute="333333")
            assert status == 200
            assert next(iter(body.values())) == []
        status, body = await get_json(
            session, fake, token, "/1/schoolHistory?schoolYear=2025-26", institute="333333"
        )
        assert (status, body) == (200, [])


async def test_student_errors(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    path = "/1/students/not-a-guid?schoolYear=2025-26"
    status, body = await get_json(session, server, token, path)
    assert status == 400
    assert body["errors"] == [{"code": "BR002", "message": "Invalid student id"}]
    status, body = await get_json(
        session, server, token, f"/1/students/{'0' * 32}?schoolYear=2025-26"
    )
    assert (status, body) == (
        404,
        {"errors": [], "status": 404, "message": "Data not found exception"},
    )
    student_id = server.data.student_ids(INST)[0]
    status, body = await get_json(session, server, token, f"/1/students/{student_id}")
    assert status == 400
    assert body["errors"]["code"] == "BR001"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("/1/students", ""),
        ("/1/students?schoolYear=2025-27", "2025-27"),
        ("/1/registrations?schoolYear=2025", "2025"),
        ("/1/schoolHistory", ""),
    ],
)
async def test_br001_single_object(
    session: aiohttp.ClientSession, server: FakeInformat, token: str, path: str, value: str
) -> None:
    status, body = await get_json(session, server, token, path)
    assert status == 400
    assert body == {
        "errors": {"code": "BR001", "message": f"Invalid school year '{value}'"},
        "status": 400,
        "message": "Invalid school year",
    }


async def test_photo(session: aiohttp.ClientSession, server: FakeInformat, token: str) -> None:
    institute = server.data.institutes[INST]
    with_photo = next(iter(institute.photos))
    status, body = await get_json(session, server, token, f"/1/students/{with_photo}/photo")
    assert status == 200
    photo = body["photo"]
    assert set(photo) == {"id", "persoonId", "foto"}
    assert normalize_guid(photo["persoonId"]) == with_photo
    raw = base64.b64decode(photo["foto"])
    assert raw == institute.photos[with_photo]
    assert raw.startswith(b"\xff\xd8")
    assert raw.endswith(b"\xff\xd9")
    assert with_photo.encode() in raw
    others = {normalize_guid(p) for p in institute.photos}
    assert len({institute.photos[p] for p in institute.photos}) == len(others)
    institute.photos.remove(with_photo)
    status, body = await get_json(session, server, token, f"/1/students/{with_photo}/photo")
    assert status == 404
    status, body = await get_json(session, server, token, "/1/students/xyz/photo")
    assert status == 400
    assert body["errors"][0]["code"] == "BR002"


async def test_photo_size() -> None:
    data = FakeData.generate((INST,), 3, seed=1, photo_size=50_000)
    photos = data.institutes[INST].photos
    for student_id in photos:
        assert 49_000 <= len(photos[student_id]) <= 51_000
        assert photos[student_id].endswith(b"\xff\xd9")


async def test_registrations(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    status, body = await get_json(session, server, token, "/1/registrations?schoolYear=2025-26")
    assert status == 200
    truth = server.data.institutes[INST].registrations
    assert len(body["registrations"]) == len(truth) == 12
    for registration in body["registrations"]:
        assert registration == truth[normalize_guid(registration["inschrijvingsId"]) or ""]
        assert registration["instelnr"] == INST
        classes = registration["inschrKlassen"]
        assert any(c["groepType"] == 0 for c in classes)
        for klas in classes:
            assert "pKlas" in klas
            assert klas["klassenleraars"]
            assert {"persoonId", "naam", "voornaam"} == set(klas["klassenleraars"][0])


async def test_school_history(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    institute = server.data.institutes[INST]
    seen = []
    for source in (0, 1):
        path = f"/1/schoolHistory?schoolYear=2025-26&certificateSource={source}"
        status, body = await get_json(session, server, token, path)
        assert status == 200
        assert isinstance(body, list)
        assert body == institute.list_school_history("2025-26", source)
        seen.extend(body)
    status, body = await get_json(session, server, token, "/1/schoolHistory?schoolYear=2025-26")
    assert body == institute.list_school_history("2025-26", 0)
    status, body = await get_json(
        session, server, token, "/1/schoolHistory?schoolYear=2025-26&certificateSource=2"
    )
    assert status == 400
    assert body["errors"][0]["code"] == "BR000"
    person = normalize_guid(institute.school_history[0]["persoonId"])
    source = institute.school_history_sources[0]
    status, body = await get_json(
        session, server, token, f"/1/schoolHistory/{person}?certificateSource={source}"
    )
    assert status == 200
    assert body
    assert all(normalize_guid(item["persoonId"]) == person for item in body)
    assert all("studiebewijzen" in item for item in body)


# ---------------------------------------------------------------------------- pre-registrations


def prereg_body(prereg_id: str, institute: str = INST, admgrp: str = "040102") -> dict[str, Any]:
    """The spec's example body, made valid for 2025-26 (its own INSZ fails the checksum)."""
    body = example_preregistration()
    body.update(
        insz=make_insz(dt.date(2010, 4, 1), 155),
        preRegistrationId=prereg_id,
        schoolyear="2025-26",
        institute=institute,
        admgrpId=admgrp,
        preRegistrationDate="2025-06-05T10:15",
        startDate="2025-09-01",
    )
    return body


async def test_preregistration_flow(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    prereg_id = "EA840317-856F-4280-BE8F-DE0A46E2935F"
    save = "/1/preregistrations/save"
    status, body = await get_json(
        session, server, token, save, method="POST", json=prereg_body(prereg_id)
    )
    assert (status, body) == (
        200,
        {
            "preRegistrationStatus": {"preRegistrationId": prereg_id, "status": "open"},
            "status": 200,
            "message": None,
        },
    )
    assert prereg_id.lower() in server.data.institutes[INST].preregistrations
    status, body = await get_json(
        session, server, token, f"/1/preregistrations/{{{prereg_id}}}/status"
    )
    assert status == 200
    assert body["preRegistrationStatus"] == {
        "preRegistrationId": prereg_id.lower(),
        "status": "open",
    }
    # update of an open one is fine, turning it into "update personal details" is not
    status, _ = await get_json(
        session, server, token, save, method="POST", json=prereg_body(prereg_id)
    )
    assert status == 200
    status, body = await get_json(
        session, server, token, save, method="POST", json=prereg_body(prereg_id, admgrp="000000")
    )
    assert status == 405
    assert body["errors"][0]["code"] == "MNA005"
    assert body["message"] == "Not allowed exception"

    server.set_preregistration_status(INST, prereg_id, "accepted")
    status, body = await get_json(
        session, server, token, save, method="POST", json=prereg_body(prereg_id)
    )
    assert (status, body["errors"][0]["code"]) == (405, "MNA001")
    status, body = await get_json(
        session, server, token, f"/1/preregistrations/{prereg_id}", method="DELETE"
    )
    assert (status, body["errors"][0]["code"]) == (405, "MNA003")

    server.set_preregistration_status(INST, prereg_id, "refused")
    status, body = await get_json(
        session, server, token, save, method="POST", json=prereg_body(prereg_id)
    )
    assert (status, body["errors"][0]["code"]) == (405, "MNA002")
    status, body = await get_json(
        session, server, token, f"/1/preregistrations/{prereg_id}", method="DELETE"
    )
    assert status == 405
    assert body == {
        "errors": [
            {
                "code": "MNA004",
                "message": "This Pre-Registration has been refused, and can no longer be deleted",
            }
        ],
        "status": 405,
        "message": "Not allowed exception",
    }

    server.set_preregistration_status(INST, prereg_id, "open")
    status, body = await get_json(
        session, server, token, f"/1/preregistrations/{prereg_id}", method="DELETE"
    )
    assert (status, body) == (200, {"preRegistrationStatus": None, "status": 200, "message": None})
    status, body = await get_json(session, server, token, f"/1/preregistrations/{prereg_id}/status")
    assert status == 404
    assert body["errors"] == [
        {
            "code": "DNF001",
            "message": f"No registration found for Pre-Registration Id {prereg_id.lower()}",
        }
    ]
    status, body = await get_json(
        session, server, token, f"/1/preregistrations/{prereg_id}", method="DELETE"
    )
    assert (status, body["errors"][0]["code"]) == (404, "DNF001")


async def test_preregistration_save_errors(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    save = "/1/preregistrations/save"
    for data in (b"{not json", b"[1, 2]", b""):
        status, body = await get_json(
            session,
            server,
            token,
            save,
            method="POST",
            data=data,
        )
        assert status == 400
        assert body["errors"][0]["code"] == "BR000"
        assert body["message"].startswith("One or more validation errors")
    status, body = await get_json(
        session, server, token, save, method="POST", json=prereg_body("nope")
    )
    assert status == 400
    assert "BR033" in {error["code"] for error in body["errors"]}
    body = prereg_body(str(uuid.uuid4()), institute=OTHER)
    status, body = await get_json(session, server, token, save, method="POST", json=body)
    assert status == 400
    assert body["errors"][0]["code"].startswith("BR035")
    status, body = await get_json(session, server, token, "/1/preregistrations/zzz/status")
    assert status == 400


# ---------------------------------------------------------------------------- spec examples


async def test_spec_examples_verbatim(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    get = "/1/students?schoolYear=2025-26"
    status, body = await get_json(session, server, token, get, institute="999999")
    assert status == 200
    assert body == {"students": [example_student()]}
    student = body["students"][0]
    assert (student["naam"], student["voornaam"]) == ("Van Damme", "Thomas")
    assert student["nickname"] == " Van Damme Tom"
    assert student["relaties"][0]["adressen"][0]["gemeente"] == " DIKSMUIDE "
    assert "landcode" not in student["relaties"][1]["adressen"][0]
    assert student["bankrek"] == [{"type": 2, "iban": "BE12378901230178", "bic": "BNAGBEBB"}]
    path = "/1/students/5B8F64C5-3968-4B13-B962-E4ACDA9601BC?schoolYear=2025-26"
    status, body = await get_json(session, server, token, path, institute="999999")
    assert body == {"student": example_student()}
    status, body = await get_json(
        session, server, token, "/1/registrations?schoolYear=2025-26", institute="999999"
    )
    assert body == {"registrations": [example_registration()]}
    assert body["registrations"][0]["inschrKlassen"][0]["klassenleraars"][0]["persoonId"] == (
        "96CBbe89-f442-48b1-845c-b18e4Aceeae9"
    )
    status, body = await get_json(
        session,
        server,
        token,
        "/1/SchoolHistory?schoolYear=2025-26&certificateSource=0",
        institute="999999",
    )
    assert body == example_school_history()
    assert len(body) == 2
    status, body = await get_json(
        session,
        server,
        token,
        "/1/students/c5806777-4bce-4d50-afc5-9cb47f1a5f14/photo",
        institute="999999",
    )
    assert body == {"photo": example_photo()}
    assert body["photo"]["foto"].startswith("/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAgGBgcGBQgHBwcJ")
    assert body["photo"]["foto"].endswith("RAxEAPwD3+iiigD//2QA=")


# ---------------------------------------------------------------------------- data


def test_determinism_and_validity() -> None:
    first = FakeData.generate((INST, OTHER), 30, seed=3)
    again = FakeData.generate((INST, OTHER), 30, seed=3)
    other = FakeData.generate((INST, OTHER), 30, seed=4)
    for number in (INST, OTHER):
        assert first.institutes[number].students == again.institutes[number].students
        assert first.institutes[number].registrations == again.institutes[number].registrations
        assert first.institutes[number].school_history == again.institutes[number].school_history
        assert first.student_ids(number) != other.student_ids(number)
    # an institute's data does not depend on the other institutes served
    alone = FakeData.generate((OTHER,), 30, seed=3)
    assert alone.institutes[OTHER].students == first.institutes[OTHER].students
    assert (
        FakeData.generate(3, 1, seed=5).institutes.keys()
        == FakeData.generate(3, 1, seed=5).institutes.keys()
    )

    styles = set()
    bis_count = 0
    data = FakeData.generate(4, 100, seed=11)
    for institute in data.institutes.values():
        for student_id, student in institute.students.items():
            assert normalize_guid(student["persoonId"]) == student_id
            styles.add(
                "brace"
                if student["persoonId"].startswith("{")
                else "lower"
                if student["persoonId"] == student_id
                else "upper"
                if student["persoonId"] == student_id.upper()
                else "mixed"
            )
            number = student["rijksregisternr"] or student["bisnr"]
            assert is_valid_insz(number)
            if student["bisnr"]:
                bis_count += 1
                assert student["rijksregisternr"] is None
                assert int(number[2:4]) > 20
            birth = parse_datetime(student["geboortedatum"])
            assert birth is not None
            assert number[:2] == f"{birth.year % 100:02d}"
            assert (int(number[6:9]) % 2 == 1) == (student["geslacht"] == "M")
            assert 5 <= 2025 - birth.year <= 19
            for account in student["bankrek"] or []:
                assert is_valid_iban(account["iban"])
                assert len(account["iban"]) == 16
            for relation in student["relaties"]:
                assert relation["type"] in {"Vader", "Moeder", "Plusvader", "Voogd", "Grootmoeder"}
                if relation["insz"] is not None:
                    assert is_valid_insz(relation["insz"])
    assert styles == {"brace", "lower", "upper", "mixed"}
    assert bis_count > 0


def test_identification_numbers() -> None:
    assert is_valid_insz("80031516717")  # the spec's relation example
    assert make_insz(dt.date(1980, 3, 15), 167) == "80031516717"
    born_2010 = make_insz(dt.date(2010, 4, 1), 156)
    assert born_2010[:9] == "100401156"
    assert int(born_2010[9:]) == 97 - int("2100401156") % 97
    assert make_insz(dt.date(2012, 2, 3), 5, bis_offset=40)[2:4] == "42"
    assert is_valid_iban("BE68539007547034")
    assert is_valid_iban(make_iban("734", 1234567))
    assert not is_valid_iban("BE69539007547034")


def test_generation_of_many_institutes() -> None:
    # how fast it is belongs in benchmarks/, not in a timed assertion here
    data = FakeData.generate(20, 200, seed=1)
    assert sum(len(i.students) for i in data.institutes.values()) == 4000


# ---------------------------------------------------------------------------- changes


async def test_changed_since_and_touch(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%S")
    path = f"/1/students?schoolYear=2025-26&changedSince={since}"
    status, body = await get_json(session, server, token, path)
    assert (status, body) == (200, {"students": []})
    student_id = server.data.student_ids(INST)[3]
    server.touch_student(INST, student_id.upper(), naam="Gewijzigd")
    status, body = await get_json(session, server, token, path)
    assert [s["naam"] for s in body["students"]] == ["Gewijzigd"]
    assert server.data.institutes[INST].students[student_id]["naam"] == "Gewijzigd"
    # a date-only changedSince and an old one return everything
    status, body = await get_json(
        session, server, token, "/1/students?schoolYear=2025-26&changedSince=2020-01-01"
    )
    assert len(body["students"]) == 12

    reg_path = f"/1/registrations?schoolYear=2025-26&changedSince={since}.000"
    status, body = await get_json(session, server, token, reg_path)
    assert body == {"registrations": []}
    registration_id = server.data.registration_ids(INST)[0]
    server.touch_registration(INST, registration_id, afdCode="X")
    status, body = await get_json(session, server, token, reg_path)
    assert [r["afdCode"] for r in body["registrations"]] == ["X"]
    status, body = await get_json(
        session, server, token, "/1/registrations?schoolYear=2025-26&changedSince=gisteren"
    )
    assert status == 400
    assert body["errors"][0]["code"] == "BR000"


async def test_refdate(session: aiohttp.ClientSession, server: FakeInformat, token: str) -> None:
    institute = server.data.institutes[INST]
    student_id = next(
        sid for sid, student in institute.students.items() if student["inschrijvingsId"] is not None
    )
    registration_id = institute.student_registration[student_id]
    server.touch_registration(INST, registration_id, einddatum="2025-12-31T00:00:00")
    ids = {
        normalize_guid(s["persoonId"])
        for s in (
            await get_json(
                session, server, token, "/1/students?schoolYear=2025-26&refdate=2026-01-15"
            )
        )[1]["students"]
    }
    assert student_id not in ids
    assert len(ids) == 11
    _, body = await get_json(
        session, server, token, "/1/students?schoolYear=2025-26&refdate=2025-10-01"
    )
    assert len(body["students"]) == 12
    # before the school year: clamped to 1 September
    _, body = await get_json(
        session, server, token, "/1/students?schoolYear=2025-26&refdate=2020-01-01"
    )
    assert len(body["students"]) == 12
    _, body = await get_json(
        session, server, token, f"/1/students/{student_id}?schoolYear=2025-26&refdate=2026-02-01"
    )
    assert body["student"]["inschrijvingsId"] is None
    _, body = await get_json(
        session, server, token, f"/1/students/{student_id}?schoolYear=2025-26&refdate=2025-11-01"
    )
    assert normalize_guid(body["student"]["inschrijvingsId"]) == registration_id


def lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


async def test_key_case_random(session: aiohttp.ClientSession) -> None:
    bodies = []
    for _ in range(2):
        async with FakeInformat(
            institutes=(INST,), students_per_institute=5, seed=2, key_case="random",
            school_year=YEAR,
        ) as fake:
            token = await get_token(session, fake)
            status, body = await get_json(session, fake, token, "/1/students?schoolYear=2025-26")
            assert status == 200
            truth = list(fake.data.institutes[INST].students.values())
            assert lower_keys(body) == lower_keys({"students": truth})
            assert body != {"students": truth}
            bodies.append(body)
            status, body = await get_json(session, fake, token, "/1/students")
            assert lower_keys(body)["errors"]["code"] == "BR001"
    assert bodies[0] == bodies[1]  # reproducible per seed


# ---------------------------------------------------------------------------- faults


async def test_fault_statuses(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    url = f"{server.api_url}/1/registrations?schoolYear=2025-26"
    server.faults = Faults(p_500=1.0)
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 500
        assert (await response.json())["status"] == 500
    server.faults = Faults(p_502=1.0)
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 502
        assert response.content_type == "text/html"
        assert "Bad Gateway" in await response.text()
    server.faults = Faults(p_503=1.0)
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 503
        assert response.content_type == "text/html"
    server.faults = Faults(p_429=1.0, retry_after=3)
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "3"
    server.faults = Faults(p_429=1.0, retry_after=5, retry_after_http_date=True)
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 429
        when = email.utils.parsedate_to_datetime(response.headers["Retry-After"])
        assert 3 <= when.timestamp() - time.time() <= 6
    # faults come before authentication, like a proxy in front of the API
    server.faults = Faults(p_503=1.0)
    async with session.get(url, headers=api_headers("bad-token")) as response:
        assert response.status == 503
    assert server.stats.faults["500"] == 1
    assert server.stats.faults["429"] == 2
    assert server.stats.faults["503"] == 2
    assert server.stats.statuses[502] == 1
    server.faults = Faults()
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 200


async def test_fault_reset(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    server.faults = Faults(p_reset=1.0)
    url = f"{server.api_url}/1/registrations?schoolYear=2025-26"
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        async with session.get(url, headers=api_headers(token)) as response:
            await response.read()
    assert server.stats.faults["reset"] >= 1
    server.faults = Faults()
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 200


async def test_fault_truncate(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    server.faults = Faults(p_truncate=1.0)
    url = f"{server.api_url}/1/students?schoolYear=2025-26"
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 200
        assert int(response.headers["Content-Length"]) > 100
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()
    assert server.stats.faults["truncate"] == 1


async def test_fault_latency_filter_and_token_endpoint(
    session: aiohttp.ClientSession, server: FakeInformat, token: str
) -> None:
    server.faults = Faults(latency=0.2, p_503=1.0, endpoints={"photo"})
    url = f"{server.api_url}/1/registrations?schoolYear=2025-26"
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 200
    assert server.stats.faults["latency"] == 0, "the filter spares other endpoints"
    student_id = next(iter(server.data.institutes[INST].photos))
    started = time.perf_counter()
    async with session.get(
        f"{server.api_url}/1/students/{student_id}/photo", headers=api_headers(token)
    ) as response:
        assert response.status == 503
    assert time.perf_counter() - started >= 0.2
    assert server.stats.faults["latency"] == 1
    # the token endpoint is spared unless asked for
    await get_token(session, server)
    server.faults = Faults(p_503=1.0, apply_to_token_endpoint=True)
    form = {
        "grant_type": "client_credentials",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
    }
    async with session.post(f"{server.identity_url}/connect/token", data=form) as response:
        assert response.status == 503


async def test_fault_revoke_every(session: aiohttp.ClientSession, server: FakeInformat) -> None:
    server.faults = Faults(revoke_every=0.2)
    token = await get_token(session, server)
    url = f"{server.api_url}/1/registrations?schoolYear=2025-26"
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 200
    await asyncio.sleep(0.25)
    async with session.get(url, headers=api_headers(token)) as response:
        assert response.status == 401
    assert server.stats.faults["revoked"] == 1
    fresh = await get_token(session, server)
    async with session.get(url, headers=api_headers(fresh)) as response:
        assert response.status == 200


async def test_fault_draws_are_reproducible(session: aiohttp.ClientSession) -> None:
    outcomes = []
    for _ in range(2):
        async with FakeInformat(
            institutes=(INST,), students_per_institute=1, faults=Faults(p_503=0.5, seed=9),
            school_year=YEAR,
        ) as fake:
            token = await get_token(session, fake)
            run = []
            for _ in range(20):
                async with session.get(
                    f"{fake.api_url}/1/registrations?schoolYear=2025-26",
                    headers=api_headers(token),
                ) as response:
                    run.append(response.status)
            outcomes.append(run)
    assert outcomes[0] == outcomes[1]
    assert set(outcomes[0]) == {200, 503}


def test_faults_validation() -> None:
    with pytest.raises(ValueError, match="add up"):
        Faults(p_500=0.6, p_503=0.6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(p_429=-0.1)
    with pytest.raises(ValueError, match="unknown endpoint"):
        Faults(endpoints={"nope"})
    with pytest.raises(ValueError, match="latency"):
        Faults(latency=(0.5, 0.1))


async def test_rate_limit(session: aiohttp.ClientSession) -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=1, rate_limit=5,
                            school_year=YEAR) as fake:
        token = await get_token(session, fake)
        url = f"{fake.api_url}/1/registrations?schoolYear=2025-26"

        async def one() -> tuple[int, str | None]:
            async with session.get(url, headers=api_headers(token)) as response:
                await response.read()
                return response.status, response.headers.get("Retry-After")

        results = await asyncio.gather(*(one() for _ in range(12)))
        statuses = [status for status, _ in results]
        # a burst of at most `rate` passes (one more only if the burst took > 180 ms)
        assert statuses.count(200) in (5, 6)
        assert statuses.count(429) == 12 - statuses.count(200)
        assert {after for status, after in results if status == 429} == {"1"}
        assert fake.stats.rate_limited == statuses.count(429)
        await asyncio.sleep(0.45)
        assert (await one())[0] == 200


# ---------------------------------------------------------------------------- bookkeeping


async def test_stats_log_and_manual_lifecycle(session: aiohttp.ClientSession) -> None:
    fake = FakeInformat(institutes=(INST,), students_per_institute=2, request_log_size=3,
                        school_year=YEAR)
    await fake.start()
    try:
        token = await get_token(session, fake)
        for path in (
            "/1/students?schoolYear=2025-26",
            "/1/registrations?schoolYear=2025-26",
            "/1/schoolHistory?schoolYear=2025-26",
            "/1/students",
        ):
            await get_json(session, fake, token, path)
        assert fake.stats.requests == 4
        assert fake.stats.endpoints == {
            "students": 2,
            "registrations": 1,
            "school_history": 1,
        }
        assert fake.stats.statuses == {200: 3, 400: 1}
        assert len(fake.request_log) == 3
        last = fake.request_log[-1]
        assert (last.method, last.path, last.status, last.endpoint) == (
            "GET",
            "/1/students",
            400,
            "students",
        )
        assert ("InstituteNo", INST) in last.headers
        assert fake.request_log[0].query == {"schoolYear": "2025-26"}
        fake.stats.reset()
        assert fake.stats.requests == 0
        assert not fake.stats.statuses
    finally:
        await fake.close()
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.api_url


# ---------------------------------------------------------------------------- usability


async def test_default_school_year_is_the_command_lines() -> None:
    from informat_async.validation import current_school_year

    fake = FakeInformat(institutes=(INST,), students_per_institute=1)
    assert fake.school_year == current_school_year()
    assert fake.data.school_year == current_school_year()
    assert FakeData.generate((INST,), 1).school_year == current_school_year()
    dated = FakeInformat(institutes=(INST,), students_per_institute=1, today=dt.date(2031, 8, 31))
    assert dated.school_year == "2030-31"


async def test_helpers_take_uuids_as_the_client_returns_them(server: FakeInformat) -> None:
    sid = uuid.UUID(server.data.student_ids(INST)[0])
    assert server.touch_student(INST, sid, naam="Uuid")["naam"] == "Uuid"
    rid = uuid.UUID(server.data.registration_ids(INST)[0])
    server.touch_registration(INST, rid, status=1)
    assert server.data.institutes[INST].photos[sid] == server.data.institutes[INST].photos[str(sid)]
    assert server.data.institutes[INST].get_student(sid, YEAR) is not None
    prereg_id = uuid.uuid4()
    server.data.institutes[INST].preregistrations[str(prereg_id)] = PreRegistration(
        body={}, status="open")
    server.set_preregistration_status(INST, prereg_id, "accepted")
    assert server.data.institutes[INST].preregistrations[str(prereg_id)].status == "accepted"
    server.data.institutes[INST].photos.remove(sid)
    assert sid not in server.data.institutes[INST].photos


async def test_repr_is_useful_and_keeps_the_secret_out() -> None:
    fake = FakeInformat(institutes=(INST,), students_per_institute=3, school_year=YEAR,
                        legacy_password="geheim-wachtwoord")
    before = repr(fake)
    assert "not started" in before
    assert INST in before
    assert YEAR in before
    assert fake.client_id in before
    async with fake:
        running = repr(fake)
        assert fake.url in running
    for text in (before, running):
        assert fake.client_secret not in text
        assert "geheim-wachtwoord" not in text


async def test_a_port_in_use_is_a_clear_error() -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=1) as first:
        port = int(first.url.rsplit(":", 1)[1])
        second = FakeInformat(institutes=(INST,), students_per_institute=1, port=port)
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            await second.start()
        assert "not started" in repr(second)


async def run_module(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "informat_async.testing", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_module_port_in_use_is_one_line() -> None:
    async with FakeInformat(institutes=(INST,), students_per_institute=1) as first:
        port = first.url.rsplit(":", 1)[1]
        code, _out, err = await run_module("--port", port)
    assert code == 2
    assert err.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_describe_prints_what_the_client_takes() -> None:
    from informat_async.testing.__main__ import describe

    fake = FakeInformat(institutes=(INST,), students_per_institute=1, legacy_login="me@school",
                        legacy_password="pw-123", client_secret="s3cr3t")
    fake._bound_port = 8123  # describe() reads the URL of a started server
    text = describe(fake)
    assert "api_url:       http://127.0.0.1:8123\n" in text
    assert "identity_url:  http://127.0.0.1:8123\n" in text
    assert "/1/" not in text
    assert "/connect/token" not in text
    assert "export INFORMAT_CLIENT_SECRET=s3cr3t" in text
    assert f"informat-async sync {INST} --school-year {fake.school_year}" in text
    assert "export INFORMAT_LEGACY_PASSWORD=pw-123" in text
    assert "export INFORMAT_LEGACY_LOGIN=me@school" in text
