"""Tests of the INSZ (national register / bis number) helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from informat_async.insz import (
    generate_insz,
    insz_checksum,
    is_valid_insz,
    mask_insz,
    normalize_insz,
)

birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
sequences = st.integers(min_value=1, max_value=998)


@st.composite
def generated(draw: st.DrawFn) -> tuple[str, dt.date]:
    birth = draw(birth_dates)
    number = generate_insz(
        birth,
        draw(sequences),
        bis=draw(st.booleans()),
        gender_known=draw(st.booleans()),
        birth_date_unknown=draw(st.booleans()),
    )
    return number, birth


def test_spec_examples() -> None:
    # The spec's field description uses "85073115025": its check number should be 75
    # (19xx) or 07 (20xx), so the documented example is NOT a valid number.
    assert not is_valid_insz("85073115025")
    assert insz_checksum("850731150") == 75
    assert is_valid_insz("85073115075")
    # The example request's pupil number is invalid too (check 52 or 81, not 70) ...
    assert not is_valid_insz("10040115670")
    assert insz_checksum("100401156", born_in_2000s=True) == 81
    assert is_valid_insz("10040115681")
    # ... and its father's number is valid.
    assert is_valid_insz("80031516717")


def test_known_numbers() -> None:
    assert generate_insz(dt.date(1985, 7, 31), 150) == "85073115075"
    assert generate_insz(dt.date(2010, 4, 1), 156) == "10040115681"
    # Bis numbers: month + 40 (gender known) or + 20 (unknown).
    assert generate_insz(dt.date(1985, 7, 31), 150, bis=True)[2:4] == "47"
    assert generate_insz(dt.date(1985, 7, 31), 150, bis=True, gender_known=False)[2:4] == "27"
    assert generate_insz(dt.date(1985, 7, 31), 150, birth_date_unknown=True)[:6] == "850000"


def test_century_blind_spot() -> None:
    # Both century rules are accepted, so a 1989 number with its year digit lowered by 6
    # reads as a valid number of someone born in 2083 (see the one-digit test below).
    number = generate_insz(dt.date(1989, 3, 4), 17)
    assert is_valid_insz("83" + number[2:])
    assert insz_checksum("83" + number[2:9], born_in_2000s=True) == int(number[9:])


@given(generated())
def test_generated_numbers_are_valid(case: tuple[str, dt.date]) -> None:
    number, birth = case
    assert len(number) == 11
    assert number.isdigit()
    assert number[:2] == f"{birth.year % 100:02d}"
    assert is_valid_insz(number)


@given(birth_dates, sequences)
def test_sequence_parity_is_kept(birth: dt.date, sequence: int) -> None:
    number = generate_insz(birth, sequence)
    assert int(number[6:9]) == sequence
    assert int(number[6:9]) % 2 == sequence % 2


@given(generated(), st.integers(min_value=0, max_value=10), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_makes_it_invalid(
    case: tuple[str, dt.date], position: int, delta: int
) -> None:
    number, birth = case
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert changed != number
    # Accepting both century rules has one blind spot: 2 * 10**9 = -6 * 10**7 (mod 97),
    # so lowering the second year digit of a 19xx number by 6 gives a number that is
    # valid under the 20xx rule (and raising it by 6 does the reverse). No other single
    # digit change can keep a number valid.
    century_swap = position == 1 and (
        (birth.year < 2000 and int(changed[1]) == int(number[1]) - 6)
        or (birth.year >= 2000 and int(changed[1]) == int(number[1]) + 6)
    )
    if century_swap:
        assert is_valid_insz(changed)
    else:
        assert not is_valid_insz(changed)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "8507311507",  # 10 digits
        "850731150755",  # 12 digits
        "85.07.31-150.75",  # printed form: normalise first
        "85073115O75",  # letter O
        "８５０７３１１５０７５",  # full-width digits
        "85133115075",  # month 13
        "85333115075",  # bis month 33 (13 + 20)
        "85603115075",  # month 60
        "85073215075",  # day 32
        None,
        85073115075,
    ],
)
def test_invalid_shapes(value: object) -> None:
    assert not is_valid_insz(value)


def test_unknown_birth_date_parts_are_allowed() -> None:
    for base in ("850000150", "852000150", "854000150", "850700150", "850031150"):
        assert is_valid_insz(f"{base}{insz_checksum(base):02d}")


def test_normalize() -> None:
    assert normalize_insz("85.07.31-150.75") == "85073115075"
    assert normalize_insz(" 850731 150 75 ") == "85073115075"
    with pytest.raises(ValueError, match="11 digits") as info:
        normalize_insz("85.07.31-150")
    assert "850731" not in str(info.value)


def test_checksum_rejects_bad_base() -> None:
    with pytest.raises(ValueError, match="nine"):
        insz_checksum("12345678")


@pytest.mark.parametrize(
    ("birth", "sequence"),
    [
        (dt.date(1899, 12, 31), 1),
        (dt.date(2100, 1, 1), 1),
        (dt.date(2000, 1, 1), 0),
        (dt.date(2000, 1, 1), 999),
    ],
)
def test_generate_rejects_out_of_range(birth: dt.date, sequence: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        generate_insz(birth, sequence)


@given(generated())
def test_mask_hides_the_middle(case: tuple[str, dt.date]) -> None:
    number, _ = case
    masked = mask_insz(number)
    assert len(masked) == 11
    assert masked[:2] == number[:2]
    assert masked[-2:] == number[-2:]
    assert masked[2:9] == "*******"
    assert number[2:9] not in masked
    assert mask_insz(f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}") == (
        masked
    )


def test_mask_of_malformed_values() -> None:
    assert mask_insz("1234") == "***********"
    assert mask_insz(12345678901) == "***********"
    assert mask_insz(None) == "None"
