"""Refusals say why: the API answers JSON with a sentence in the user's
language, pages answer with a page of the platform's own (core/rejections.py,
the error handlers in config/urls.py, core.api's handlers).

The sentences are read in English here, as everywhere in the suite; their
Chinese comes from the translation catalogue.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from xieshang.accounts.tokens import create_token
from xieshang.core.rejections import csrf_failure
from xieshang.proposals.models import Proposal

pytestmark = pytest.mark.django_db

PROPOSALS_API = "/api/v1/c/city/proposals"
NEW_PROPOSAL_PAGE = "/c/city/proposals/new/"


@pytest.fixture
def api(cast: Any) -> Client:
    secret = create_token(user=cast.member, name="测试")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def is_platform_page(response: Any) -> bool:
    body = response.content.decode()
    return response["Content-Type"].startswith("text/html") and 'id="main"' in body


def test_a_json_body_over_the_limit_gets_413_json_naming_the_limit(api: Client) -> None:
    body = json.dumps({"title": "题" * (10 * 1024 * 1024 // 3)})
    response = api.post(PROPOSALS_API, body, content_type="application/json")
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert "too large" in detail and "5 MB" in detail
    assert not Proposal.objects.exists()


def test_a_form_over_the_limit_gets_413_on_a_platform_page(clients: dict[str, Client]) -> None:
    response = clients["member"].post(NEW_PROPOSAL_PAGE, {"title": "题" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert is_platform_page(response)
    assert "at most 5 MB" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_query_string_over_the_limit_gets_414_json_under_the_api(api: Client) -> None:
    response = api.get(PROPOSALS_API, {"q": "词" * (1024 * 1024)})
    assert response.status_code == 414
    detail = response.json()["detail"]
    assert "address is too long" in detail and str(settings.MAX_URL_LENGTH) in detail


def test_a_query_string_over_the_limit_gets_414_on_a_platform_page(clients: dict[str, Client]) -> None:
    response = clients["member"].get("/c/city/proposals/search/", {"q": "词" * (1024 * 1024)})
    assert response.status_code == 414
    assert is_platform_page(response)
    assert "address is too long" in response.content.decode()


def test_an_address_just_under_the_limit_is_answered_as_usual(api: Client) -> None:
    # A parameter the endpoint does not know and ignores.
    room = settings.MAX_URL_LENGTH - len(PROPOSALS_API) - len("unused=")
    response = api.get(PROPOSALS_API, {"unused": "a" * room})
    assert response.status_code == 200


def test_malformed_json_is_named_as_such_in_the_users_language(api: Client) -> None:
    response = api.post(PROPOSALS_API, '{"title": "题', content_type="application/json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("The request body is not valid JSON")
    assert "Cannot parse" not in detail


def test_schema_errors_give_our_field_messages_on_their_field_path(api: Client) -> None:
    body = {"title": 5, "situation": "情况" * 5001, "category_id": "first"}
    response = api.post(PROPOSALS_API, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["title"] == ["Enter text."]
    assert errors["category_id"] == ["Enter a whole number."]
    assert errors["situation"] == ["Enter at most 10000 characters."]


def test_a_failed_csrf_check_shows_the_platform_page_saying_why(cast: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.member, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    browser.get(NEW_PROPOSAL_PAGE)  # sets the CSRF cookie
    response = browser.post(NEW_PROPOSAL_PAGE, {"title": "标题", "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert is_platform_page(response)
    assert "security token has expired or is missing" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_form_without_the_csrf_cookie_is_told_to_allow_cookies(cast: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.member, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    response = browser.post(NEW_PROPOSAL_PAGE, {"title": "标题"})
    assert response.status_code == 403
    assert "Allow cookies for this site" in response.content.decode()


def test_a_csrf_failure_under_the_api_answers_json() -> None:
    request = RequestFactory().post(PROPOSALS_API)
    response = csrf_failure(request, reason="CSRF token missing.")
    assert response.status_code == 403
    assert "security token" in json.loads(response.content)["detail"]


def test_an_address_outside_the_api_answers_404_json(api: Client) -> None:
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert "not part of the API" in response.json()["detail"]


def test_a_method_the_endpoint_does_not_take_answers_405_json(api: Client) -> None:
    response = api.delete(PROPOSALS_API)
    assert response.status_code == 405
    assert response.json()["detail"].startswith("This address does not accept this method")
    assert "GET" in response["Allow"]
