"""The API token page: create (secret shown once), list, revoke with confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from xieshang.accounts.models import ApiToken
from xieshang.accounts.tests.factories import UserFactory
from xieshang.accounts.tokens import authenticate_token, create_token

pytestmark = pytest.mark.django_db

BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_anonymous_is_sent_to_login():
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_created_token_secret_is_shown_once_and_works():
    user = UserFactory()
    client = logged_in(user)
    response = client.post("/accounts/tokens/", {"name": "月度统计", "expires_on": ""})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert authenticate_token(secret) == user
    again = client.get("/accounts/tokens/")
    assert secret not in again.content.decode()
    assert "月度统计" in again.content.decode()


def test_token_with_expiry_date_is_valid_through_that_day():
    user = UserFactory()
    client = logged_in(user)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    client.post("/accounts/tokens/", {"name": "临时", "expires_on": tomorrow.isoformat()})
    token = ApiToken.objects.get(user=user)
    assert token.expires_at is not None
    assert token.expires_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == tomorrow + dt.timedelta(
        days=1
    )


def test_past_expiry_date_is_refused_next_to_the_field_and_keeps_the_name():
    user = UserFactory()
    response = logged_in(user).post("/accounts/tokens/", {"name": "旧的", "expires_on": "2020-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"]
    assert 'value="旧的"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_asks_for_confirmation_before_revoking():
    user = UserFactory()
    token, secret = create_token(user=user, name="报表")
    client = logged_in(user)
    page = client.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert page.status_code == 200
    assert "报表" in page.content.decode()
    assert authenticate_token(secret) == user
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert authenticate_token(secret) is None


def test_someone_elses_token_is_not_found_and_stays_valid():
    owner, other = UserFactory(), UserFactory()
    token, secret = create_token(user=owner, name="报表")
    client = logged_in(other)
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.get("/accounts/tokens/999999/revoke/").status_code == 404
    assert authenticate_token(secret) == owner


def test_token_list_query_count_does_not_grow_with_tokens(django_assert_num_queries):
    user = UserFactory()
    client = logged_in(user)
    for n in range(3):
        create_token(user=user, name=f"令牌{n}")
    client.get("/accounts/tokens/")  # warm up
    with django_assert_num_queries(5) as few:
        client.get("/accounts/tokens/")
    for n in range(3, 10):
        create_token(user=user, name=f"令牌{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/accounts/tokens/")
    assert len(response.context["tokens"]) == 10


def test_the_page_creates_a_token_limited_to_reading_or_one_app():
    user = UserFactory()
    client = logged_in(user)
    page = client.get("/accounts/tokens/").content.decode()
    assert 'name="scope"' in page and 'value="proposals"' in page
    client.post("/accounts/tokens/", {"name": "只读", "expires_on": "", "scope": "read"})
    client.post("/accounts/tokens/", {"name": "提案脚本", "expires_on": "", "scope": "proposals"})
    client.post("/accounts/tokens/", {"name": "全部", "expires_on": ""})
    scopes = dict(ApiToken.objects.filter(user=user).values_list("name", "scope"))
    assert scopes == {"只读": "read", "提案脚本": "proposals", "全部": "all"}
