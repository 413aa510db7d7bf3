"""The API keeps a council's "staff must use a second factor" rule as the
pages do: a staff session without a confirmed code, or a token not created
from such a session, is refused there and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.models import ApiToken
from xieshang.accounts.tokens import create_token
from xieshang.councils.models import CouncilSetting, Member

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"
MEMBERS = "/api/v1/c/city/members"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def require_second_factor(council) -> None:
    CouncilSetting.objects.create(council=council, key="staff_second_factor_required", value=True)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def code_login(user) -> Client:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": "Xieshang-2026!"})
    client.post("/accounts/login/code/", {"code": f"{totp(bytes.fromhex(device.key)):06d}"})
    return client


def test_a_staff_session_without_a_code_is_refused_and_creates_nothing(cast):
    require_second_factor(cast.city)
    client = Client()
    client.force_login(cast.staff, backend=BACKEND)
    before = Member.objects.count()
    assert client.get(MEMBERS).status_code == 403
    response = client.post(
        MEMBERS, {"full_name": "新委员", "gender": "female"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Member.objects.count() == before


def test_a_staff_session_that_entered_its_code_is_served(cast):
    require_second_factor(cast.city)
    assert code_login(cast.staff).get(MEMBERS).status_code == 200


def test_a_token_created_without_a_second_factor_is_refused_where_required(cast):
    require_second_factor(cast.city)
    _token, secret = create_token(user=cast.staff, name="export")
    assert Client().get(MEMBERS, **bearer(secret)).status_code == 403


def test_a_token_created_after_a_second_factor_is_served(cast):
    require_second_factor(cast.city)
    _token, secret = create_token(user=cast.staff, name="export", with_second_factor=True)
    assert Client().get(MEMBERS, **bearer(secret)).status_code == 200


def test_without_the_setting_any_staff_token_is_served(cast):
    _token, secret = create_token(user=cast.staff, name="export")
    assert Client().get(MEMBERS, **bearer(secret)).status_code == 200


def test_members_are_not_asked_for_a_second_factor(cast):
    require_second_factor(cast.city)
    _token, secret = create_token(user=cast.member, name="phone")
    assert Client().get("/api/v1/c/city", **bearer(secret)).status_code == 200


def test_the_token_page_records_whether_the_session_confirmed_a_code(cast):
    verified = code_login(cast.staff)
    verified.post("/accounts/tokens/", {"name": "with code"})
    plain = Client()
    plain.force_login(cast.admin, backend=BACKEND)
    plain.post("/accounts/tokens/", {"name": "without code"})
    assert ApiToken.objects.get(name="with code").created_with_second_factor
    assert not ApiToken.objects.get(name="without code").created_with_second_factor
