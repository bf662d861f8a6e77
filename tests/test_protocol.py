"""The protocol without I/O: headers, error mapping, Retry-After, retry policy, input checks."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from informat_async import (
    CODE_CATALOGUE,
    BadRequestError,
    ForbiddenError,
    InvalidInputError,
    MethodNotAllowedError,
    NotFoundError,
    RateLimitError,
    RetryBudget,
    RetryPolicy,
    ServerError,
    UnauthorizedError,
    current_school_year,
    school_year_bounds,
)
from informat_async.errors import error_for_status, parse_error_details
from informat_async.signing import (
    decode_json,
    error_from_answer,
    format_timestamp,
    parse_retry_after,
    request_headers,
    scope_for,
)
from informat_async.validation import check_institute, check_school_year, coerce_uuid

NOW = dt.datetime(2025, 11, 3, 14, 5, 9, 123456, tzinfo=dt.UTC)


def test_headers_carry_everything_once() -> None:
    headers = request_headers("tok", "123456", NOW)
    assert headers == {
        "Authorization": "Bearer tok",
        "InstituteNo": "123456",
        "Timestamp": "2025-11-03T14:05:09.123",
        "Accept": "application/json",
    }
    assert request_headers("tok", "123456", NOW, has_body=True)["Content-Type"] == (
        "application/json"
    )


def test_timestamp_is_utc() -> None:
    brussels = dt.timezone(dt.timedelta(hours=1))
    assert format_timestamp(NOW.astimezone(brussels)) == "2025-11-03T14:05:09.123"


def test_scopes() -> None:
    assert scope_for("123456", "leerlingen") == "api_informat_sas_leerlingen.leerlingen.123456"
    assert scope_for("123456", "voorinschrijvingen") == (
        "api_informat_sas_leerlingen.voorinschrijvingen.123456"
    )


def test_errors_as_list_and_as_single_object() -> None:
    as_list = {"errors": [{"code": "BR010A", "message": "Invalid Insz"},
                          {"code": "BR035B", "message": "Institute ..."}],
               "status": 400, "message": "One or more validation errors occurred."}
    as_object = {"errors": {"code": "BR001", "message": "Invalid school year ''"},
                 "status": 400, "message": "Invalid school year"}
    assert [d.code for d in parse_error_details(as_list)] == ["BR010A", "BR035B"]
    assert [d.code for d in parse_error_details(as_object)] == ["BR001"]
    err = error_for_status(400, as_object, institute="123456", endpoint="GET /students")
    assert isinstance(err, BadRequestError)
    assert err.codes == ("BR001",)
    assert err.status == 400
    assert err.result_code == 400
    assert err.institute == "123456"
    assert err.endpoint == "GET /students"
    assert "BR001" in str(err)
    assert err.details[0].description == "Invalid school year"


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, BadRequestError), (401, UnauthorizedError), (403, ForbiddenError),
     (404, NotFoundError), (405, MethodNotAllowedError), (429, RateLimitError),
     (500, ServerError), (502, ServerError), (503, ServerError)],
)
def test_status_maps_to_class(status: int, cls: type[Exception]) -> None:
    assert type(error_for_status(status, None)) is cls


def test_mna_body() -> None:
    body = json.dumps({"errors": [{"code": "MNA004", "message": "refused"}], "status": 405,
                       "message": "Not allowed exception"}).encode()
    err = error_from_answer(405, {}, body, now=NOW)
    assert isinstance(err, MethodNotAllowedError)
    assert err.codes == ("MNA004",)


def test_html_proxy_page_gives_a_typed_error() -> None:
    body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    err = error_from_answer(502, {"Retry-After": "3"}, body, now=NOW)
    assert isinstance(err, ServerError)
    assert "HTML" in str(err)
    assert err.retry_after == 3.0


def test_catalogue_is_complete() -> None:
    for code in ("BR000", "BR001A", "BR023B", "BR037C", "BR042", "BR043A", "DNF001"):
        assert code in CODE_CATALOGUE
    assert [f"MNA00{i}" in CODE_CATALOGUE for i in range(1, 6)] == [True] * 5


def test_retry_after_forms() -> None:
    assert parse_retry_after("7", NOW) == 7.0
    assert parse_retry_after("Mon, 03 Nov 2025 14:05:19 GMT", NOW) == pytest.approx(9.877, 0.01)
    assert parse_retry_after("Mon, 03 Nov 2025 14:00:00 GMT", NOW) == 0.0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


@given(retry=st.integers(1, 30), after=st.none() | st.floats(0, 1000))
def test_backoff_is_bounded(retry: int, after: float | None) -> None:
    policy = RetryPolicy(base_backoff=0.5, max_backoff=10, max_retry_after=30)
    wait = policy.backoff(retry, after)
    assert 0 <= wait <= 30
    if after is None:
        assert wait <= min(10, 0.5 * 2 ** (retry - 1))
    else:
        assert wait >= min(after, 30)


def test_no_wait_policy() -> None:
    assert RetryPolicy.no_wait().backoff(5, 20.0) == 0.0


def test_retry_budget_bounds_retries() -> None:
    budget = RetryBudget(ratio=0.1, initial=3, capacity=10)
    granted = 0
    for _ in range(100):
        budget.deposit()
        while budget.try_spend():
            granted += 1
    assert granted <= 3 + 0.1 * 100
    assert budget.refused > 0


@pytest.mark.parametrize("bad", ["1234567", "12345a", 1234567, 123456.0, None, " 123456"])
def test_institute_must_be_six_digits(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        check_institute(bad)


@pytest.mark.parametrize("bad", ["2025-2026", "2025-27", "25-26", "2025/26", 2025, ""])
def test_school_year_format(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        check_school_year(bad)


def test_school_year_helpers() -> None:
    assert check_school_year("2099-00") == "2099-00"
    assert current_school_year(dt.date(2025, 8, 31)) == "2024-25"
    assert current_school_year(dt.date(2025, 9, 1)) == "2025-26"
    assert school_year_bounds("2025-26") == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))


@given(u=st.uuids())
def test_guid_input_forms(u: uuid.UUID) -> None:
    assert coerce_uuid(u, name="x") == u
    assert coerce_uuid(str(u).upper(), name="x") == u
    assert coerce_uuid("{" + str(u) + "}", name="x") == u


@given(text=st.text(max_size=40))
def test_garbage_is_never_a_guid(text: str) -> None:
    try:
        uuid.UUID(text.strip().strip("{}"))
    except ValueError:
        with pytest.raises(InvalidInputError):
            coerce_uuid(text, name="student_id")


def test_non_json_success_body_is_a_typed_error() -> None:
    from informat_async import ResponseValidationError
    from informat_async.signing import decode_json

    assert decode_json(b'{"a": 1}') == {"a": 1}
    with pytest.raises(ResponseValidationError):
        decode_json(b"  ")  # an empty 2xx body is not "nothing": it is an incomplete answer
    with pytest.raises(ResponseValidationError) as info:
        decode_json(b"<html>maintenance</html>", institute="123456", endpoint="GET /students")
    assert info.value.institute == "123456"
    assert "maintenance" not in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda v: check_institute(v),
        lambda v: check_school_year(v),
        lambda v: coerce_uuid(v, name="student_id"),
    ],
)
def test_a_national_number_passed_by_mistake_is_not_echoed(call: object) -> None:
    for value in ("85073115075", "85.07.31-150.75"):
        with pytest.raises(InvalidInputError) as info:
            call(value)  # type: ignore[operator]
        assert value not in str(info.value)
        assert "85073115075" not in str(info.value)
    with pytest.raises(InvalidInputError, match="'1234a'"):
        check_institute("1234a")


@pytest.mark.parametrize("body", [
    b'{"naam": "X\\ud800Y"}',
    b'{"naam": "X\\uD800Y"}',
    b'{"naam": "X\\uDbFfY"}',
    b'{"naam": "X\\udc00Y"}',
    b'{"naam": "X\xed\xa0\x80Y"}',  # a surrogate encoded raw, which json.loads passes through
])
def test_every_spelling_of_a_lone_surrogate_is_replaced(body: bytes) -> None:
    # decode_json looks for the pattern only in bodies holding a backslash or a 0xED byte
    assert decode_json(body) == {"naam": "X\ufffdY"}


def test_a_body_without_surrogates_is_left_as_parsed() -> None:
    assert decode_json(b'{"naam": "X\\u00e9\\/Y", "foto": "/9j/4AAQ+ud"}') == {
        "naam": "X\u00e9/Y", "foto": "/9j/4AAQ+ud"}
