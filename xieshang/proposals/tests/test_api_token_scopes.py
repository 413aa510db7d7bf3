"""API tokens held to their scope, in the one place tokens are authenticated:
a reading token writes nothing, an app's token reaches only its app (and
reads the shared lists); refusals are 403s in Chinese that change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.accounts.scopes import TokenScope, app_of_path
from xieshang.accounts.tokens import create_token
from xieshang.core.models import AuditEntry
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_api import body

pytestmark = pytest.mark.django_db
API = "/api/v1"
BASE = f"{API}/c/city/proposals"
OK, REFUSED = "ok", "refused"

# scope → (read in proposals, write in proposals, read in meetings, read shared)
MATRIX = {
    TokenScope.ALL: (OK, OK, OK, OK),
    TokenScope.READ: (OK, REFUSED, OK, OK),
    TokenScope.PROPOSALS: (OK, OK, REFUSED, OK),
    TokenScope.MEETINGS: (REFUSED, REFUSED, OK, OK),
}


def _call(world: World, secret: str, which: int) -> Any:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    if which == 0:
        return client.get(BASE)
    if which == 1:
        return client.post(BASE, json.dumps(body(world)), content_type="application/json")
    if which == 2:
        return client.get(f"{API}/c/city/meetings/mine")
    return client.get(f"{API}/me")


@pytest.mark.parametrize("scope", list(MATRIX))
def test_a_token_reaches_what_its_scope_allows_and_refusals_change_nothing(
    world: World, scope: TokenScope
) -> None:
    secret = create_token(user=world.cast.member, name="脚本", scope=scope)[1]
    for which, expected in enumerate(MATRIX[scope]):
        before = list(Proposal.objects.values())
        response = _call(world, secret, which)
        if expected == OK:
            assert response.status_code in (200, 201), (scope, which, response.content)
            continue
        assert response.status_code == 403, (scope, which, response.content)
        # The sentence names the token (令牌 once translated).
        assert "API" in response.json()["detail"]
        assert list(Proposal.objects.values()) == before
        denial = AuditEntry.objects.filter(action="permission_denied").latest("pk")
        assert denial.user_id_copy == world.cast.member.pk


def test_the_paths_of_each_app_are_told_apart() -> None:
    assert app_of_path("/api/v1/c/city/proposals/12/accept") == "proposals"
    assert app_of_path("/api/v1/c/city/theme-tags/opinion/3") == "opinions"
    assert app_of_path("/api/v1/c/city/themes/continuity") == "consultations"
    assert app_of_path("/api/v1/c/city/consultation-plans") == "consultations"
    assert app_of_path("/api/v1/c/city/members") is None
    assert app_of_path("/api/v1/me") is None


def test_a_session_creates_a_scoped_token_once_and_the_creation_is_audited(world: World) -> None:
    client = Client()
    client.force_login(world.cast.member, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    created = client.post(
        f"{API}/tokens", json.dumps({"name": "只读统计", "scope": "read"}), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["scope"] == "read" and answer["secret"].startswith(answer["prefix"])
    entry = AuditEntry.objects.get(action="api_token_created")
    assert entry.user_id_copy == world.cast.member.pk and entry.data["scope"] == "read"
    listed = client.get(f"{API}/tokens").json()
    assert [row["id"] for row in listed] == [answer["id"]]
    assert "secret" not in listed[0]
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {answer['secret']}").post(
        BASE, json.dumps(body(world)), content_type="application/json"
    )
    assert refused.status_code == 403 and not Proposal.objects.exists()


def test_a_token_cannot_mint_list_or_revoke_tokens(world: World) -> None:
    token, secret = create_token(user=world.cast.member, name="全部")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    minted = client.post(f"{API}/tokens", json.dumps({"name": "再来一个"}), content_type="application/json")
    assert minted.status_code == 401
    assert client.get(f"{API}/tokens").status_code == 401
    assert (
        client.post(f"{API}/tokens/{token.pk}/revoke", "{}", content_type="application/json").status_code
        == 401
    )
    assert list(world.cast.member.api_tokens.values_list("pk", "revoked_at")) == [(token.pk, None)]


def test_a_session_cannot_revoke_another_user_s_token(world: World) -> None:
    token, _secret = create_token(user=world.cast.staff, name="别人的")
    client = Client()
    client.force_login(world.cast.member, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    gone = client.post(f"{API}/tokens/{token.pk}/revoke", "{}", content_type="application/json")
    assert gone.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
