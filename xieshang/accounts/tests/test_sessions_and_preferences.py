"""Idle sessions end after 30 minutes; elder mode and the language follow
the person; the account page shows who they are and where."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from xieshang.accounts.tests.factories import PASSWORD, UserFactory
from xieshang.core.models import AuditEntry

pytestmark = pytest.mark.django_db

BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_activity_keeps_the_session_and_31_idle_minutes_end_it():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(T0, tick=False) as clock:
        client = logged_in(UserFactory())
        # Each visit within 30 minutes pushes the end of the session forward:
        # 75 minutes in all, never 30 idle.
        for _ in range(3):
            clock.shift(25 * 60)
            assert client.get("/accounts/profile/").status_code == 200
        clock.shift(31 * 60)
        response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def session_writes(client: Client, path: str = "/accounts/profile/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_a_request_within_the_minute_writes_no_session_and_a_later_one_does():
    with time_machine.travel(T0, tick=False) as clock:
        client = logged_in(UserFactory())
        # The login records the activity: requests within the minute read the
        # session and write nothing; the first after it writes once.
        assert session_writes(client) == []
        clock.shift(59)
        assert session_writes(client) == []
        clock.shift(2)
        assert len(session_writes(client)) == 1
        assert session_writes(client) == []


def test_thirty_idle_minutes_end_the_session_even_after_unrecorded_requests():
    with time_machine.travel(T0, tick=False) as clock:
        client = logged_in(UserFactory())
        clock.shift(30)
        assert session_writes(client) == []
        # 30 minutes after the last recorded activity the session is over.
        clock.shift(30 * 60 - 30 + 1)
        response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_recorded_request_pushes_the_end_forward_by_thirty_minutes():
    with time_machine.travel(T0, tick=False) as clock:
        client = logged_in(UserFactory())
        clock.shift(2 * 60)
        assert session_writes(client)
        clock.shift(29 * 60)
        assert client.get("/accounts/profile/").status_code == 200


def test_elder_mode_is_remembered_on_the_account_and_in_a_cookie():
    user = UserFactory()
    client = logged_in(user)
    response = client.post("/accounts/elder-mode/", {"on": "1", "next": "/accounts/profile/"})
    assert response["Location"] == "/accounts/profile/"
    assert response.cookies["elder_mode"].value == "1"
    user.refresh_from_db()
    assert user.prefers_elder_mode
    assert 'class="elder-mode">' in client.get("/accounts/profile/").content.decode()
    # On another device (no cookie) the account's choice still applies.
    assert 'class="elder-mode"' in logged_in(user).get("/accounts/profile/").content.decode()
    client.post("/accounts/elder-mode/", {"on": "0"})
    user.refresh_from_db()
    assert not user.prefers_elder_mode
    assert 'class="elder-mode"' not in client.get("/accounts/profile/").content.decode()
    assert AuditEntry.objects.filter(action="preference_changed", user_id_copy=user.pk).count() == 2


def test_elder_mode_before_login_uses_the_cookie():
    client = Client()
    response = client.post("/accounts/elder-mode/", {"on": "1", "next": "/accounts/login/"})
    assert response.cookies["elder_mode"].value == "1"
    assert 'class="elder-mode"' in client.get("/accounts/login/").content.decode()


@override_settings(LANGUAGE_CODE="zh-hans")  # the production default, so "en" must come from the account
def test_language_choice_is_stored_and_applied_at_next_login():
    user = UserFactory(username="qianyi")
    client = logged_in(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/profile/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    # A fresh device: logging in sets the language cookie from the account.
    other = Client()
    response = other.post("/accounts/login/", {"username": "qianyi", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in other.get("/accounts/profile/").content.decode()


def test_unknown_language_is_not_stored():
    user = UserFactory()
    logged_in(user).post("/i18n/setlang/", {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


def test_login_without_a_stored_language_leaves_the_cookie_alone():
    UserFactory(username="noneset")
    response = Client().post("/accounts/login/", {"username": "noneset", "password": PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_profile_shows_name_masked_mobile_councils_roles_and_links(cast, clients):
    cast.leader.mobile = "13812345678"
    cast.leader.full_name = "王主席"
    cast.leader.save()
    response = clients["leader"].get("/accounts/profile/")
    body = response.content.decode()
    assert "王主席" in body
    assert "138****5678" in body and "13812345678" not in body
    assert "某某市政协" in body and "主席" in body
    for url in ("/accounts/password/", "/accounts/second-factor/", "/accounts/tokens/"):
        assert f'href="{url}"' in body
