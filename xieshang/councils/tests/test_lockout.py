"""Login lockout (django-axes) with the limits of the user's councils:
by default 5 failures lock the account for 15 minutes, whether the person
typed their username or their mobile number."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from xieshang.core.models import AuditEntry
from xieshang.councils.models import CouncilSetting

pytestmark = pytest.mark.django_db

PASSWORD = "Xieshang-2026!"
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def attempt(client: Client, login: str, password: str):
    return client.post("/accounts/login/", {"username": login, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_account_and_the_right_password_is_refused(cast):
    client = Client()
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            assert attempt(client, "member", "wrong-Password-1").status_code == 200
        locked = attempt(client, "member", "wrong-Password-1")
        assert locked.status_code == 429
        assert "15" in locked.content.decode()
        refused = attempt(Client(), "member", PASSWORD)
        assert refused.status_code == 429
        assert not logged_in(client)


def test_lockout_ends_after_fifteen_minutes(cast):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(Client(), "member", "wrong-Password-1")
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert attempt(Client(), "member", PASSWORD).status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        client = Client()
        assert attempt(client, "member", PASSWORD).status_code == 302
        assert logged_in(client)


def test_mobile_number_failures_count_against_the_same_account(cast):
    cast.member.mobile = "13912345678"
    cast.member.save()
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            attempt(Client(), "member", "wrong-Password-1")
        for _ in range(2):
            attempt(Client(), "13912345678", "wrong-Password-1")
        assert attempt(Client(), "member", PASSWORD).status_code == 429
        assert attempt(Client(), "13912345678", PASSWORD).status_code == 429


def test_failures_on_one_account_do_not_lock_another(cast):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(Client(), "member", "wrong-Password-1")
        assert attempt(Client(), "staff", PASSWORD).status_code == 302


def test_success_before_the_limit_resets_the_count(cast):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            attempt(Client(), "member", "wrong-Password-1")
        assert attempt(Client(), "member", PASSWORD).status_code == 302
        for _ in range(4):
            attempt(Client(), "member", "wrong-Password-1")
        assert attempt(Client(), "member", PASSWORD).status_code == 302


def test_council_setting_lowers_the_limit_and_lengthens_the_lockout(cast):
    CouncilSetting.objects.create(council=cast.city, key="lockout_failures", value=3)
    CouncilSetting.objects.create(council=cast.city, key="lockout_minutes", value=60)
    with time_machine.travel(START, tick=False):
        for _ in range(2):
            assert attempt(Client(), "member", "wrong-Password-1").status_code == 200
        assert attempt(Client(), "member", "wrong-Password-1").status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        locked = attempt(Client(), "member", PASSWORD)
        assert locked.status_code == 429
        assert "60" in locked.content.decode()
    with time_machine.travel(START + dt.timedelta(minutes=61), tick=False):
        assert attempt(Client(), "member", PASSWORD).status_code == 302


def test_the_strictest_council_of_a_person_applies(cast):
    """A person in two councils gets the lower limit of the two."""
    CouncilSetting.objects.create(council=cast.province, key="lockout_failures", value=3)
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            attempt(Client(), "upper", "wrong-Password-1")
        assert attempt(Client(), "upper", PASSWORD).status_code == 429
        # The city keeps the default of 5.
        for _ in range(3):
            attempt(Client(), "staff", "wrong-Password-1")
        assert attempt(Client(), "staff", PASSWORD).status_code == 302


def test_failures_and_lockouts_are_audited(cast):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(Client(), "member", "wrong-Password-1")
        attempt(Client(), "member", PASSWORD)
    failed = AuditEntry.objects.filter(action="login", outcome="failed", username="member")
    locked = AuditEntry.objects.filter(action="login", outcome="locked_out", username="member")
    assert failed.count() == 4
    assert locked.count() == 2
