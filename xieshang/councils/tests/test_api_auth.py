"""How the API authenticates (tokens, sessions with CSRF), what it answers
when it does not, its schema, and its documentation page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from xieshang.accounts.tokens import create_token, revoke_token
from xieshang.councils.models import Member

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def staff_token(cast) -> str:
    return create_token(user=cast.staff, name="报表脚本")[1]


# --- Tokens ----------------------------------------------------------------------------


def test_a_valid_token_authenticates_its_user(cast, staff_token):
    response = Client().get(f"{API}/me", **bearer(staff_token))
    assert response.status_code == 200
    assert response.json()["username"] == "staff"


def test_a_token_may_write_without_a_csrf_token(cast, staff_token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{API}/c/city/members",
        json.dumps({"full_name": "令牌新增", "gender": "male"}),
        content_type="application/json",
        **bearer(staff_token),
    )
    assert response.status_code == 201, response.content
    assert Member.objects.filter(full_name="令牌新增").exists()


def test_a_token_reaches_only_its_users_councils(cast):
    secret = create_token(user=cast.outsider, name="外市")[1]
    assert Client().get(f"{API}/c/city/members", **bearer(secret)).status_code == 404


def test_a_revoked_token_is_refused(cast, staff_token):
    token = cast.staff.api_tokens.get()
    revoke_token(token, user=cast.staff)
    response = Client().get(f"{API}/me", **bearer(staff_token))
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_expired_token_is_refused(cast):
    secret = create_token(user=cast.staff, name="短期", expires_at=timezone.now() + dt.timedelta(days=1))[1]
    assert Client().get(f"{API}/me", **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert Client().get(f"{API}/me", **bearer(secret)).status_code == 401


def test_a_deactivated_users_token_is_refused(cast, staff_token):
    cast.staff.is_active = False
    cast.staff.save()
    assert Client().get(f"{API}/me", **bearer(staff_token)).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer xs_not-a-real-token",
        "Token {secret}",
        "Basic c3RhZmY6cGFzcw==",
        "{secret}",
    ],
)
def test_malformed_or_unknown_credentials_get_401(cast, staff_token, header):
    response = Client().get(f"{API}/me", HTTP_AUTHORIZATION=header.format(secret=staff_token))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_is_refused_even_with_a_valid_session(clients):
    response = clients["staff"].get(f"{API}/me", HTTP_AUTHORIZATION="Bearer xs_wrong")
    assert response.status_code == 401


# --- Sessions --------------------------------------------------------------------------


def test_anonymous_requests_get_401_json(clients):
    for method, url in (("get", "/me"), ("get", "/c/city/members"), ("post", "/c/city/members")):
        response = getattr(clients["anonymous"], method)(API + url)
        assert response.status_code == 401, url
        assert "detail" in response.json()


def session_client(cast) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    return client


def test_a_session_reads_without_a_csrf_token(cast):
    assert session_client(cast).get(f"{API}/c/city/members").status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(cast):
    response = session_client(cast).post(
        f"{API}/c/city/members",
        json.dumps({"full_name": "无令牌", "gender": "male"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Member.objects.filter(full_name="无令牌").exists()


def test_a_session_write_with_the_csrf_token_is_accepted(cast):
    client = session_client(cast)
    page = client.get(f"{API}/docs")  # any page sets the CSRF cookie
    token = re.search(r'data-csrf-token="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(
        f"{API}/c/city/members",
        json.dumps({"full_name": "有令牌", "gender": "male"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token.group(1),
    )
    assert response.status_code == 201, response.content


# --- Schema and documentation ------------------------------------------------------------


def test_the_openapi_schema_is_3_1_and_names_both_ways_to_authenticate(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert "/api/v1/c/{council_slug}/members/{member_id}" in schema["paths"]
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/c/{council_slug}/members/{member_id}"])


def test_the_docs_page_loads_only_local_files_and_no_inline_script(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/js/api-docs.js" in sources
    for source in sources:
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), f"{source} is not a static file"
    scripts: list[Any] = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in scripts:
        # Only data blocks may have content: executable code comes from files.
        assert not body.strip() or 'type="application/json"' in attributes
    assert " style=" not in html
    assert "cdn" not in html.lower()


def test_the_docs_settings_point_at_the_schema(client):
    html = client.get(f"{API}/docs").content.decode()
    settings = re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', html, re.S)
    assert settings is not None
    assert json.loads(settings.group(1))["url"] == "/api/v1/openapi.json"


def test_token_requests_read_the_token_once_and_write_nothing_after_the_first(
    cast, staff_token, django_assert_num_queries
):
    client = Client()
    client.get(f"{API}/c/city/members", **bearer(staff_token))  # records last use
    # token with its user, council, roles, the council's second-factor
    # setting (staff token created without a code), count, page
    with django_assert_num_queries(6):
        response = client.get(f"{API}/c/city/members", **bearer(staff_token))
    assert response.status_code == 200


def test_every_operation_has_a_short_unique_id(client):
    schema = client.get(f"{API}/openapi.json").json()
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert "list_members" in ids


# The first word of every operation id: what the operation does. A new
# endpoint names its verb here only when none of these says it.
# fmt: off
OPERATION_VERBS = frozenset({
    "accept", "add", "adjust", "adopt", "answer", "approve", "ask", "assign", "attach", "authorise",
    "change", "check", "close", "comment", "conclude", "convert", "create", "decide", "decline",
    "download", "export", "extend", "file", "find", "forward", "get", "instruct", "invite", "issue", "list",
    "mark", "merge", "move", "note", "object", "open", "post", "preview", "publish", "rate", "read",
    "record", "rehandle", "release", "remove", "replace", "report", "resolve", "return", "revoke",
    "search", "send", "set", "start", "submit", "suggest", "support", "tag", "untag", "update",
    "upload", "write"
})
# fmt: on


def test_every_operation_id_is_a_verb_then_what_it_acts_on(client):
    # Generated clients name their methods after these ids: get_council,
    # not council_detail or getpublic_deliberation.
    schema = client.get(f"{API}/openapi.json").json()
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    odd = [
        i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z]+)+", i) or i.split("_")[0] not in OPERATION_VERBS
    ]
    assert odd == []
