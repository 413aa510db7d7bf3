"""The API for online deliberations (public read, members post and
support), legislative comments and themes across years."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.actions import legislative
from xieshang.consultations.models import DeliberationComment
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.consultations.tests.test_deliberation_pages import open_one
from xieshang.consultations.tests.test_legislative import DRAFT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BASE = "/api/v1/c/city"


def login(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.cast.user(name), backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    return client


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def test_the_public_read_a_public_deliberation_without_logging_in_but_not_hidden_comments(
    world: World,
) -> None:
    item = open_one(world)
    members_only = open_one(world, public=False)
    member = actions.Poster.of_actor(world.actor("member"))
    actions.post_comment(item, text="加装电梯", poster=member)
    hidden = actions.post_comment(item, text="广告", poster=member)
    actions.hide_comment(hidden, reason="广告", actor=world.actor("staff"))
    anonymous = Client()
    assert anonymous.get(f"{BASE}/deliberations/{item.pk}/public").json()["topic"] == item.topic
    texts = [
        o["text"] for o in anonymous.get(f"{BASE}/deliberations/{item.pk}/public/comments").json()["items"]
    ]
    assert texts == ["加装电梯"]
    assert anonymous.get(f"{BASE}/deliberations/{members_only.pk}/public").status_code == 404
    assert anonymous.get(f"{BASE}/deliberations/{item.pk}/comments").status_code in (401, 403)


def test_members_post_and_support_over_the_api_with_the_same_rules(world: World) -> None:
    item = open_one(world)
    member = login(world, "member")
    created = post(member, f"/deliberations/{item.pk}/comments", {"text": "公开施工预算"})
    assert created.status_code == 201
    refused = post(member, f"/deliberations/{item.pk}/comments", {"text": "王八蛋"})
    assert refused.status_code == 400 and DeliberationComment.objects.count() == 1
    own = post(member, f"/deliberations/{item.pk}/comments/{created.json()['id']}/support")
    assert own.status_code == 409
    staff = login(world, "staff")
    supported = post(staff, f"/deliberations/{item.pk}/comments/{created.json()['id']}/support")
    assert supported.status_code == 200 and supported.json()["support_count"] == 1
    outsider = login(world, "outsider")
    assert post(outsider, f"/deliberations/{item.pk}/comments", {"text": "x"}).status_code == 404


def test_comments_on_articles_over_the_api_and_a_missing_article_is_404(world: World) -> None:
    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    draft = legislative.add_draft(consultation, title="条例草案", text=DRAFT, actor=world.actor("staff"))
    member = login(world, "member")
    assert len(member.get(f"{BASE}/drafts/{draft.pk}").json()["articles"]) == 6
    assert post(member, f"/drafts/{draft.pk}/articles/4/comments", {"text": "意见"}).status_code == 404
    ok = post(member, f"/drafts/{draft.pk}/articles/11/comments", {"text": "网上登记"})
    assert ok.status_code == 201 and ok.json()["article_number"] == 11
    rows = login(world, "staff").get(f"{BASE}/drafts/{draft.pk}/comments").json()
    assert [(r["article_number"], r["text"]) for r in rows] == [(11, "网上登记")]


def test_theme_continuity_over_the_api(world: World) -> None:
    from xieshang.themes.models import Theme

    theme = Theme.objects.create(council=world.cast.city, name="乡村振兴")
    for year in (2024, 2025, 2026):
        ConsultationFactory(council=world.cast.city, created_by=world.cast.staff, year=year).themes.add(theme)
    body = login(world, "staff").get(f"{BASE}/themes/continuity").json()
    assert body["themes"][0]["name"] == "乡村振兴" and body["themes"][0]["longest_run"] == 3
    assert login(world, "member").get(f"{BASE}/themes/continuity").status_code == 403
