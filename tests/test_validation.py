"""Input checks: ASCII digits only, and institute numbers zero-padded to six digits."""

from __future__ import annotations

import pytest

from informat_async import InvalidInputError
from informat_async.testing import FakeInformat
from informat_async.validation import check_institute, check_school_year
from tests.conftest import SCHOOL_YEAR, make_client

NON_ASCII_DIGITS = [
    "١٢٣٤٥٦",  # Arabic-Indic
    "１２３４５６",  # fullwidth
    "۱۲۳۴۵۶",  # Extended Arabic-Indic (Persian)
    "१२३४५६",  # Devanagari
    "12345٦",  # one foreign digit among ASCII ones
]


@pytest.mark.parametrize("value", NON_ASCII_DIGITS)
def test_institute_takes_ascii_digits_only(value: str) -> None:
    with pytest.raises(InvalidInputError, match="6 digits"):
        check_institute(value)


@pytest.mark.parametrize("value", ["٢٠٢٥-٢٦", "２０２５-２６", "2025-２６", "२०२५-26"])
def test_school_year_takes_ascii_digits_only(value: str) -> None:
    with pytest.raises(InvalidInputError):
        check_school_year(value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [(30569, "030569"), ("30569", "030569"), ("030569", "030569"), (123456, "123456"),
     (1234, "001234"), ("1234", "001234"), (0, "000000")],
)
def test_institute_numbers_are_zero_padded(given: object, expected: str) -> None:
    assert check_institute(given) == expected


@pytest.mark.parametrize("bad", [1_000_000, -1, True, 12.0, "1234567", "", " 30569", "30569\n"])
def test_institute_padding_does_not_accept_everything(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        check_institute(bad)


async def test_nothing_with_foreign_digits_goes_out() -> None:
    async with FakeInformat(institutes=("123456",), students_per_institute=1,
                            school_year=SCHOOL_YEAR) as server:
        async with make_client(server) as client:
            for value in NON_ASCII_DIGITS:
                with pytest.raises(InvalidInputError):
                    await client.students(value, SCHOOL_YEAR)
            with pytest.raises(InvalidInputError):
                await client.registrations("123456", "２０２５-26")
        assert server.stats.token_requests == 0
        assert server.stats.requests == 0


async def test_padded_institute_reaches_the_server_with_six_digits() -> None:
    async with FakeInformat(institutes=("030569",), students_per_institute=3,
                            school_year=SCHOOL_YEAR) as server:
        async with make_client(server) as client:
            from_int = await client.students(30569, SCHOOL_YEAR)  # type: ignore[arg-type]
            from_str = await client.registrations("30569", SCHOOL_YEAR)
        assert len(from_int) == 3
        assert len(from_str) == len(server.data.registration_ids("030569"))
        sent = {value for request in server.request_log for name, value in request.headers
                if name.lower() == "instituteno"}
        assert sent == {"030569"}


async def test_legacy_client_pads_institute_numbers_too() -> None:
    from informat_async.legacy import InformatLegacyClient

    async with FakeInformat(institutes=("030569",), students_per_institute=3,
                            school_year=SCHOOL_YEAR) as server:
        async with InformatLegacyClient(
            server.legacy_login, server.legacy_password, url=server.legacy_url,
            rate_limit=None,
        ) as legacy:
            padded = await legacy.leerkrachten(30569, SCHOOL_YEAR)  # type: ignore[arg-type]
            exact = await legacy.leerkrachten("030569", SCHOOL_YEAR)
            with pytest.raises(InvalidInputError):
                await legacy.leerkrachten("０３０５６９", SCHOOL_YEAR)
    assert padded == exact
    assert len(exact) > 0
