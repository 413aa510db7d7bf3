"""Where a council sets staff_second_factor_required, its staff and
administrators must confirm a second factor before any council page; others
are not asked."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.core.models import AuditEntry
from xieshang.councils.models import CouncilSetting

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def require_second_factor(council) -> None:
    CouncilSetting.objects.create(council=council, key="staff_second_factor_required", value=True)


def code(key_hex: str) -> str:
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_staff_and_admins_are_sent_to_set_up_a_second_factor(cast):
    require_second_factor(cast.city)
    for user in (cast.staff, cast.admin):
        response = login(user).get("/c/city/")
        assert response.status_code == 302, user
        assert response["Location"] == "/accounts/second-factor/?next=%2Fc%2Fcity%2F"


def test_other_roles_are_not_asked(cast):
    require_second_factor(cast.city)
    for user in (cast.member, cast.leader, cast.liaison, cast.oversight):
        assert login(user).get("/c/city/").status_code == 200, user


def test_without_the_setting_staff_are_not_asked(cast):
    assert login(cast.staff).get("/c/city/").status_code == 200


def test_the_setting_of_one_council_does_not_apply_in_another(cast):
    require_second_factor(cast.other_city)
    assert login(cast.staff).get("/c/city/").status_code == 200


def test_staff_who_set_up_the_app_reach_the_page_they_asked_for(cast):
    require_second_factor(cast.city)
    client = login(cast.staff)
    client.get("/accounts/second-factor/?next=/c/city/")
    key = client.session["totp_key_being_set_up"]
    response = client.post("/accounts/second-factor/?next=/c/city/", {"code": code(key)})
    assert response["Location"] == "/c/city/"
    assert client.get("/c/city/").status_code == 200
    assert AuditEntry.objects.filter(action="otp_enrolled", user_id_copy=cast.staff.pk).exists()


def test_staff_with_an_app_but_an_unconfirmed_session_must_enter_a_code(cast, clock):
    require_second_factor(cast.city)
    device = TOTPDevice.objects.create(user=cast.staff, name="app", confirmed=True)
    client = login(cast.staff)
    assert client.get("/c/city/").status_code == 302
    page = client.get("/accounts/second-factor/?next=/c/city/")
    assert page.context["mode"] == "verify"
    response = client.post("/accounts/second-factor/?next=/c/city/", {"code": code(device.key)})
    assert response["Location"] == "/c/city/"
    assert client.get("/c/city/").status_code == 200


def test_staff_logging_in_with_password_and_code_are_not_asked_again(cast, clock):
    require_second_factor(cast.city)
    device = TOTPDevice.objects.create(user=cast.staff, name="app", confirmed=True)
    client = Client()
    client.post("/accounts/login/", {"username": "staff", "password": "Xieshang-2026!"})
    client.post("/accounts/login/code/", {"code": code(device.key)})
    assert client.get("/c/city/").status_code == 200
