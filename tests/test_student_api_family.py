"""The Student API's family declaration: URL, headers, scope, answers and errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from informat_async.errors import (
    CODE_CATALOGUE,
    BadRequestError,
    ConflictError,
    IncompleteResponseError,
    ServerError,
)
from informat_async.families import LEERLINGEN, STUDENT_API
from informat_async.families.student_api import STUDENT_API_CATALOGUE

NOW = dt.datetime(2025, 10, 15, 8, 30, tzinfo=dt.UTC)


def test_url_keeps_its_version_and_paths_follow() -> None:
    assert STUDENT_API.base_url("https://studentapi.informatsoftware.be/api/v1/") == (
        "https://studentapi.informatsoftware.be/api/v1"
    )
    assert STUDENT_API.default_url == "https://studentapi.informatsoftware.be/api/v1"
    assert STUDENT_API.url_env == "INFORMAT_STUDENT_API_URL"


def test_headers_lower_case_institute_no_timestamp() -> None:
    headers = STUDENT_API.headers("tok", "012345", NOW, has_body=True)
    assert headers["instituteNo"] == "012345"
    assert "InstituteNo" not in headers
    assert "Timestamp" not in headers
    assert headers["Authorization"] == "Bearer tok"
    assert headers["Content-Type"] == "application/json"


def test_scope_is_the_leerlingen_read_scope() -> None:
    assert STUDENT_API.scope("012345") == LEERLINGEN.scope("012345", "leerlingen")
    assert STUDENT_API.scope("012345") == "api_informat_sas_leerlingen.leerlingen.012345"


def test_success_is_200_and_204_only() -> None:
    assert STUDENT_API.success(200)
    assert STUDENT_API.success(204)
    assert not STUDENT_API.success(201)
    assert not STUDENT_API.success(409)


def test_bare_string_answer_is_the_payload() -> None:
    value = "a1b2c3d4-0000-4000-8000-000000000001"
    assert STUDENT_API.payload(value, None, "string", institute="1", endpoint="x") == value
    with pytest.raises(IncompleteResponseError):
        STUDENT_API.payload(None, None, "string", institute="1", endpoint="x")
    with pytest.raises(IncompleteResponseError):
        STUDENT_API.payload({"id": value}, None, "string", institute="1", endpoint="x")


def _problem(status: int, *entries: tuple[str, str, str | None]) -> bytes:
    return json.dumps({
        "title": "Conflict" if status == 409 else "One or more validation errors occurred.",
        "status": status, "detail": entries[0][1] if entries else None,
        "traceId": "00-0123456789abcdef0123456789abcdef-0123456789abcdef-00",
        "validationErrors": [{"name": n, "reason": r, "code": c} for n, r, c in entries],
    }).encode()


def test_problem_details_400_is_bad_request_with_structured_problems() -> None:
    body = _problem(400, ("schoolYear", "school year format invalid", "BR034B"),
                    ("admgrpNo", "must be 6 characters", "BR038B"))
    error = STUDENT_API.error(400, {}, body, now=NOW, institute="012345", endpoint="POST x")
    assert isinstance(error, BadRequestError)
    assert error.codes == ("BR034B", "BR038B")
    assert [d.name for d in error.details] == ["schoolYear", "admgrpNo"]
    assert error.details[0].message == "school year format invalid"
    assert error.family == "student_api"
    # the family's own catalogue: BR034B is described the Student API's way
    assert error.details[0].description == STUDENT_API_CATALOGUE["BR034B"]


def test_problem_details_409_is_conflict_and_codes_collide_with_other_families() -> None:
    body = _problem(409, ("admgrpNo", "already enrolled", "MNA006"))
    error = STUDENT_API.error(409, {}, body, now=NOW, institute="012345", endpoint="POST x")
    assert isinstance(error, ConflictError)
    assert error.codes == ("MNA006",)
    assert error.details[0].description == STUDENT_API_CATALOGUE["MNA006"]
    assert "MNA006" not in CODE_CATALOGUE
    assert STUDENT_API_CATALOGUE["BR043A"] != CODE_CATALOGUE["BR043A"]


def test_problem_details_null_code_and_fixed_500() -> None:
    body = _problem(400, ("classCode", "classCode is required", None))
    error = STUDENT_API.error(400, {}, body, now=NOW, institute="012345", endpoint="PUT x")
    assert error.codes == ()
    assert error.details[0].name == "classCode"
    body = json.dumps({"title": "Error", "status": 500,
                       "detail": "Unknown error occurred."}).encode()
    error = STUDENT_API.error(500, {}, body, now=NOW, institute="012345", endpoint="PUT x")
    assert isinstance(error, ServerError)
    assert "Unknown error occurred." in str(error)


def test_every_code_the_fake_answers_is_in_the_catalogue() -> None:
    import re
    from pathlib import Path

    import informat_async.testing as testing

    root = Path(testing.__file__).parent
    text = "".join((root / name).read_text(encoding="utf-8")
                   for name in ("_student_api.py", "_student_api_rules.py"))
    codes = set(re.findall(r'"((?:BR|DNF|MNA)\d{3}[A-D]?)"', text))
    assert len(codes) >= 30
    assert codes <= set(STUDENT_API_CATALOGUE)
