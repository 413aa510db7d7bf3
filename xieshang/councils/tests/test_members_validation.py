"""The personal-number rules shared by the member form and the Excel import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from xieshang.councils.forms.members import (
    check_birth_date_agrees,
    id_check_character,
    normalize_id_number,
    normalize_mobile,
)


def make_id(birth: str = "19700101", sequence: str = "001", area: str = "110105") -> str:
    """A valid 18-character ID number for the given birth date."""
    base = area + birth + sequence
    return base + id_check_character(base)


def code_of(call, value):
    with pytest.raises(ValidationError) as raised:
        call(value)
    return raised.value.code


def test_a_published_sample_id_number_passes_its_checksum():
    # The worked example of GB 11643-1999 (check character X).
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


def test_id_number_keeps_digits_and_upper_case_x_without_spaces():
    number = make_id()
    assert normalize_id_number(f" {number[:6]} {number[6:]} ") == number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1101051970010100", "id_length"),
        ("1101051970010100123", "id_length"),
        ("11010519700101A01X", "id_characters"),
        ("110105197013010011", "id_birth_date"),
        ("110105299901010011", "id_birth_date"),
    ],
)
def test_malformed_id_numbers_are_refused_with_a_reason(value, code):
    assert code_of(normalize_id_number, value) == code


def test_one_mistyped_digit_fails_the_checksum():
    number = make_id()
    # A sequence digit, so that the birth date inside stays a real date.
    wrong = number[:15] + str((int(number[15]) + 1) % 10) + number[16:]
    assert code_of(normalize_id_number, wrong) == "id_checksum"


@given(
    st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2005, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_every_generated_id_number_is_accepted(birth, sequence):
    number = make_id(birth.strftime("%Y%m%d"), f"{sequence:03d}")
    assert normalize_id_number(number) == number


def test_birth_date_must_agree_with_the_id_number():
    number = make_id("19800215")
    check_birth_date_agrees(number, dt.date(1980, 2, 15))
    check_birth_date_agrees(number, None)
    with pytest.raises(ValidationError) as raised:
        check_birth_date_agrees(number, dt.date(1980, 2, 16))
    assert raised.value.code == "birth_date_mismatch"


@pytest.mark.parametrize("value", ["13812345678", "138 1234 5678", "+8613812345678", "138-1234-5678"])
def test_mobile_numbers_in_common_notations_are_normalised(value):
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize("value", ["1381234567", "138123456789", "23812345678", "1381234567a"])
def test_mobile_numbers_must_be_eleven_digits_starting_with_one(value):
    assert code_of(normalize_mobile, value) == "mobile_format"


def test_empty_numbers_are_allowed_and_stay_empty():
    assert normalize_id_number("  ") == ""
    assert normalize_mobile("") == ""
