"""The interface speaks Chinese first: only an explicit choice switches it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from config import settings as production

# The suite runs in English (config/test_settings.py); these tests put the
# production default back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_language")]


@pytest.fixture
def production_language():
    with override_settings(LANGUAGE_CODE=production.LANGUAGE_CODE):
        yield


def test_production_default_is_chinese():
    assert production.LANGUAGE_CODE == "zh-hans"


def test_an_english_browser_still_gets_chinese_pages_by_default():
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-CN"' in response.content.decode()


def test_the_language_cookie_switches_to_english():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_chinese_pages_are_translated():
    body = Client().get("/accounts/login/").content.decode()
    assert "用户名或手机号" in body
    assert "Username or mobile number" not in body


def test_an_unknown_language_in_the_cookie_falls_back_to_chinese():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/accounts/login/").headers["Content-Language"] == "zh-hans"
