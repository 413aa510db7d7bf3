"""The check-in code: signed, bound to a sitting, valid for its own
30-second window and the next one only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from xieshang.meetings.codes import CodeState, check_code, code_for, seconds_left, window_of

T0 = dt.datetime(2026, 3, 10, 1, 0, 0, tzinfo=dt.UTC)  # the start of a window


def test_code_changes_every_thirty_seconds_and_not_within_a_window() -> None:
    assert code_for(7, T0) == code_for(7, T0 + dt.timedelta(seconds=29))
    assert code_for(7, T0) != code_for(7, T0 + dt.timedelta(seconds=30))
    assert seconds_left(T0) == 30
    assert seconds_left(T0 + dt.timedelta(seconds=25)) == 5


def test_code_is_valid_in_its_window_and_the_next_only() -> None:
    code = code_for(7, T0)
    assert check_code(code, T0 + dt.timedelta(seconds=10)) == (check := check_code(code, T0))
    assert check.state == CodeState.VALID and check.sitting_id == 7
    assert check_code(code, T0 + dt.timedelta(seconds=59)).state == CodeState.VALID
    assert check_code(code, T0 + dt.timedelta(seconds=60)).state == CodeState.EXPIRED


def test_code_from_the_future_is_invalid() -> None:
    assert check_code(code_for(7, T0 + dt.timedelta(seconds=30)), T0).state == CodeState.INVALID


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c.replace("7-", "8-", 1),  # moved to another sitting
        lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),  # signature changed
        lambda c: (
            c.split("-")[0] + "-" + str(int(c.split("-")[1]) + 1) + "-" + c.split("-")[2]
        ),  # window moved
        lambda c: "",
        lambda c: "7-x-abc",
        lambda c: c + "0",
    ],
)
def test_tampered_codes_are_invalid(mangle) -> None:
    code = code_for(7, T0)
    assert check_code(mangle(code), T0 + dt.timedelta(seconds=31)).state == CodeState.INVALID


def test_codes_depend_on_the_secret_key() -> None:
    code = code_for(7, T0)
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        assert check_code(code, T0).state == CodeState.INVALID
    assert window_of(T0) == int(T0.timestamp()) // 30
