"""The login throttle per network address: failures across any accounts
from one address first slow it down, then block it until the window ends;
the password is not even checked meanwhile. Successful logins never count,
and other addresses are not affected. (The per-account lockout, DOMAIN.md
§7, is tested in councils/tests/test_lockout.py and stays as it was.)"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings

from config.env import MissingSetting, env_int
from xieshang.accounts.models import AddressThrottle
from xieshang.accounts.tasks import forget_stale_login_records
from xieshang.accounts.tests.factories import PASSWORD, UserFactory
from xieshang.core.models import AuditEntry
from xieshang.core.testing import run_in_threads

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
ADDRESS = "10.0.0.9"
WRONG = "wrong-Password-1"
SMALL_LIMITS = {
    "LOGIN_ADDRESS_SLOWDOWN_AFTER": 3,
    "LOGIN_ADDRESS_BLOCK_AFTER": 6,
    "LOGIN_ADDRESS_WINDOW_MINUTES": 15,
}


def attempt(username: str, password: str = "", address: str = ADDRESS):
    password = password or WRONG
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def checked(username: str) -> bool:
    """Whether the password of username was checked (django-axes counted a failure)."""
    return AccessAttempt.objects.filter(username=username).exists()


def at(seconds: float):
    return time_machine.travel(START + dt.timedelta(seconds=seconds), tick=False)


def test_the_default_limits_are_the_documented_ones():
    assert (
        settings.LOGIN_ADDRESS_SLOWDOWN_AFTER,
        settings.LOGIN_ADDRESS_BLOCK_AFTER,
        settings.LOGIN_ADDRESS_WINDOW_MINUTES,
    ) == (10, 50, 15)


def test_by_default_ten_failures_on_ten_accounts_slow_the_address_down():
    with at(0):
        for i in range(10):
            assert attempt(f"guess{i}").status_code == 200
        slowed = attempt("guess10")
    assert slowed.status_code == 429
    assert not checked("guess10")


@override_settings(**SMALL_LIMITS)
def test_failures_across_accounts_slow_the_address_then_block_it():
    with at(0):
        for i in range(3):
            assert attempt(f"guess{i}").status_code == 200
        slowed = attempt("guess3")
        assert slowed.status_code == 429
        assert slowed["Retry-After"] == "1"
        assert "Wait 1 second, then try again." in slowed.content.decode()
        assert 'value="guess3"' in slowed.content.decode()
        assert not checked("guess3")
    with at(1):
        assert attempt("guess3").status_code == 200
        assert checked("guess3")
        assert "Wait 2 seconds" in attempt("guess4").content.decode()
    with at(3):
        assert attempt("guess4").status_code == 200
    with at(7):
        assert attempt("guess5").status_code == 200
        blocked = attempt("guess6")
        assert blocked.status_code == 429
        assert "paused for 15 minutes" in blocked.content.decode()
        assert not checked("guess6")


def fail_until_blocked() -> None:
    """Six failures from ADDRESS, a minute apart (past every slowdown)."""
    for i in range(6):
        with at(i * 60):
            assert attempt(f"guess{i}").status_code == 200


@override_settings(**SMALL_LIMITS)
def test_a_blocked_address_is_refused_even_the_right_password_and_others_are_not():
    UserFactory(username="zhangsan")
    fail_until_blocked()
    with at(6 * 60):
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
        )
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        # A colleague elsewhere logs in as usual.
        assert attempt("zhangsan", PASSWORD, address="10.0.0.10").status_code == 302
    refused = AuditEntry.objects.filter(action="login", outcome="address_blocked")
    assert list(refused.values_list("username", "ip")) == [("zhangsan", ADDRESS)]


@override_settings(**SMALL_LIMITS)
def test_the_block_ends_with_the_window():
    UserFactory(username="zhangsan")
    fail_until_blocked()
    with at(14 * 60 + 59):
        assert attempt("zhangsan", PASSWORD).status_code == 429
    with at(15 * 60):
        assert attempt("zhangsan", PASSWORD).status_code == 302


@override_settings(**SMALL_LIMITS)
def test_successful_logins_from_one_address_never_count():
    UserFactory(username="zhangsan")
    with at(0):
        for _ in range(10):
            assert attempt("zhangsan", PASSWORD).status_code == 302
    assert AddressThrottle.objects.get(address=ADDRESS).failures == 0


@override_settings(**SMALL_LIMITS)
def test_an_empty_form_is_no_attempt():
    with at(0):
        for _ in range(10):
            response = Client().post(
                "/accounts/login/", {"username": "", "password": ""}, REMOTE_ADDR=ADDRESS
            )
            assert response.status_code == 200
    assert not AddressThrottle.objects.filter(failures__gt=0).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_ADDRESS_SLOWDOWN_AFTER=0, LOGIN_ADDRESS_BLOCK_AFTER=5)
def test_parallel_attempts_from_one_address_stop_at_the_limit():
    """Each attempt is counted before its password is checked: twelve at once
    get five password checks, not twelve."""
    answers = run_in_threads([lambda i=i: attempt(f"guess{i}").status_code for i in range(12)])
    assert sorted(answers) == [200] * 5 + [429] * 7
    assert AccessAttempt.objects.count() == 5
    assert AddressThrottle.objects.get(address=ADDRESS).failures == 5


def test_a_limit_below_its_minimum_in_the_environment_fails_loudly(monkeypatch):
    monkeypatch.setenv("XIESHANG_LOGIN_ADDRESS_BLOCK_AFTER", "-1")
    with pytest.raises(MissingSetting, match="at least 0"):
        env_int("XIESHANG_LOGIN_ADDRESS_BLOCK_AFTER", 50, minimum=0)


@override_settings(**SMALL_LIMITS)
def test_address_rows_are_forgotten_a_day_after_their_window():
    for address in ("10.0.0.1", "10.0.0.2"):
        with at(0):
            attempt("guess", address=address)
    with at(60 * 60):
        attempt("guess", address="10.0.0.2")
    with at(24 * 3600 + 15 * 60 + 1):
        assert forget_stale_login_records.call() == 1
        assert forget_stale_login_records.call() == 0
    assert list(AddressThrottle.objects.values_list("address", flat=True)) == ["10.0.0.2"]
