"""The authenticator-app second factor: set up with a code, required at every
login once set up, removed only with the password from a confirmed session."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.tests.factories import PASSWORD, UserFactory
from xieshang.core.models import AuditEntry

pytestmark = pytest.mark.django_db

BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"
T0 = dt.datetime(2026, 11, 30, 9, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at T0 unless a test moves it (sessions and codes
    are both time-bound)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def code_for(key_hex: str, *, step_offset: int = 0) -> str:
    """The code the app shows now (or step_offset 30-second steps away)."""
    return f"{totp(bytes.fromhex(key_hex), drift=step_offset):06d}"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def enrol(client: Client) -> TOTPDevice:
    client.get("/accounts/second-factor/")
    key = client.session["totp_key_being_set_up"]
    response = client.post("/accounts/second-factor/", {"code": code_for(key)})
    assert response.status_code == 302
    return TOTPDevice.objects.get(key=key)


def test_enrolment_page_shows_a_qr_image_and_the_key_without_inline_style():
    client = logged_in(UserFactory())
    response = client.get("/accounts/second-factor/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in body
    key = client.session["totp_key_being_set_up"]
    manual = base64.b32encode(bytes.fromhex(key)).decode()
    assert response.context["manual_key"].replace(" ", "") == manual
    assert " style=" not in body and "<script>" not in body
    # Looking at the page writes nothing.
    assert not TOTPDevice.objects.exists()


def test_enrolment_with_the_right_code_confirms_the_device_and_this_session():
    user = UserFactory()
    client = logged_in(user)
    device = enrol(client)
    assert device.user == user and device.confirmed
    assert AuditEntry.objects.filter(action="otp_enrolled", user_id_copy=user.pk).count() == 1
    # The session counts as confirmed: the page now offers removal.
    assert client.get("/accounts/second-factor/").context["mode"] == "active"


def test_enrolment_with_a_wrong_code_creates_nothing():
    client = logged_in(UserFactory())
    client.get("/accounts/second-factor/")
    key = client.session["totp_key_being_set_up"]
    response = client.post("/accounts/second-factor/", {"code": code_for(key, step_offset=10)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.exists()


def password_step(client: Client, username: str):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_login_with_a_device_asks_for_a_code_before_logging_in(clock):
    user = UserFactory(username="sunqi")
    device = enrol(logged_in(user))
    clock.shift(60)
    client = Client()
    response = password_step(client, "sunqi")
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/profile/").status_code == 302
    response = client.post("/accounts/login/code/", {"code": code_for(device.key)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["otp_device_id"] == device.persistent_id
    assert AuditEntry.objects.filter(action="login", outcome="ok", data={"second_factor": True}).count() == 1


def test_wrong_code_does_not_log_in_and_is_audited(clock):
    user = UserFactory(username="zhouba")
    device = enrol(logged_in(user))
    clock.shift(60)
    client = Client()
    password_step(client, "zhouba")
    response = client.post("/accounts/login/code/", {"code": code_for(device.key, step_offset=10)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="otp_verify", outcome="failed", user_id_copy=user.pk).exists()


def test_a_code_works_only_once(clock):
    user = UserFactory(username="wujiu")
    device = enrol(logged_in(user))
    clock.shift(60)
    code = code_for(device.key)
    first = Client()
    password_step(first, "wujiu")
    first.post("/accounts/login/code/", {"code": code})
    assert "_auth_user_id" in first.session
    second = Client()
    password_step(second, "wujiu")
    second.post("/accounts/login/code/", {"code": code})
    assert "_auth_user_id" not in second.session


def test_code_step_expires_after_five_minutes(clock):
    user = UserFactory(username="zhengshi")
    device = enrol(logged_in(user))
    clock.shift(60)
    client = Client()
    password_step(client, "zhengshi")
    clock.shift(6 * 60)
    response = client.post("/accounts/login/code/", {"code": code_for(device.key)})
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_code_page_without_a_password_step_goes_back_to_login():
    response = Client().get("/accounts/login/code/")
    assert response["Location"] == "/accounts/login/"


def test_removing_the_device_needs_the_password_and_is_audited():
    user = UserFactory()
    client = logged_in(user)
    enrol(client)
    response = client.post("/accounts/second-factor/remove/", {"password": "not-my-Password-1"})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    response = client.post("/accounts/second-factor/remove/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="otp_removed", outcome="ok", user_id_copy=user.pk).count() == 1
    assert (
        AuditEntry.objects.filter(action="otp_removed", outcome="failed", user_id_copy=user.pk).count() == 1
    )


def test_an_unconfirmed_session_cannot_remove_the_device_even_with_the_password():
    user = UserFactory()
    enrol(logged_in(user))
    # A session that knows only the password (as a thief would).
    client = logged_in(user)
    response = client.post("/accounts/second-factor/remove/", {"password": PASSWORD})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/accounts/second-factor/").context["mode"] == "verify"


def test_unconfirmed_session_confirms_with_a_code_and_returns_to_next(clock):
    user = UserFactory()
    device = enrol(logged_in(user))
    clock.shift(60)
    client = logged_in(user)
    response = client.post("/accounts/second-factor/?next=/accounts/tokens/", {"code": code_for(device.key)})
    assert response["Location"] == "/accounts/tokens/"
    assert client.session["otp_device_id"] == device.persistent_id


def test_enrolment_without_a_started_setup_asks_to_scan_again():
    client = logged_in(UserFactory())
    response = client.post("/accounts/second-factor/", {"code": "123456"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.exists()
