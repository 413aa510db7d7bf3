"""The API: the same permissions and errors as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from xieshang.councils.tests.factories import OversightOfficeFactory
from xieshang.opinions.actions.forwarding import forward_report
from xieshang.opinions.models import Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.tests.conftest import World

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/opinions"


def post(client: Client, url: str, data: dict[str, object]) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


REPORT = {"title": "关于改善公交接驳的建议", "problem": "问题", "analysis": "分析", "suggestion": "建议"}


def test_member_files_and_staff_adopt_then_forward_upward(world: World, clients: dict[str, Client]) -> None:
    filed = post(clients["member"], BASE, REPORT)
    assert filed.status_code == 201  # type: ignore[attr-defined]
    report_id = filed.json()["id"]  # type: ignore[attr-defined]
    assert post(clients["member"], f"{BASE}/{report_id}/adopt", {}).status_code == 403  # type: ignore[attr-defined]
    early = post(clients["staff"], f"{BASE}/{report_id}/forward", {"target": "parent"})
    assert early.status_code == 409  # type: ignore[attr-defined]
    assert post(clients["staff"], f"{BASE}/{report_id}/adopt", {}).status_code == 200  # type: ignore[attr-defined]
    wrong = post(
        clients["staff"], f"{BASE}/{report_id}/forward", {"target": "parent", "to_council_slug": "othercity"}
    )
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "to_council" in wrong.json()["errors"]  # type: ignore[attr-defined]
    done = post(clients["staff"], f"{BASE}/{report_id}/forward", {"target": "parent"})
    assert done.status_code == 200  # type: ignore[attr-defined]
    assert Forwarding.objects.get().council == world.cast.province
    listed = clients["leader"].get(f"{BASE}?status=adopted").json()  # type: ignore[attr-defined]
    assert [row["id"] for row in listed["items"]] == [report_id]


def test_over_long_report_is_a_400(world: World, clients: dict[str, Client]) -> None:
    response = post(clients["member"], BASE, {**REPORT, "problem": "问" * 1600})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not OpinionReport.objects.exists()


def test_only_the_receiving_office_records_instructions(world: World, clients: dict[str, Client]) -> None:
    [sent] = forward_report(
        world.adopted(), actor=world.actor("staff"), target="oversight", offices=[world.city_office]
    )
    data = {"leader_name": "王书记", "level": "city", "text": "请研究。", "instructed_on": "2026-01-05"}
    url = f"{BASE}/office/{sent.pk}/instructions"
    assert post(clients["staff"], url, data).status_code == 403  # type: ignore[attr-defined]
    assert (
        post(
            clients["outsider"], f"/api/v1/c/othercity/opinions/office/{sent.pk}/instructions", data
        ).status_code
        == 403
    )  # type: ignore[attr-defined]
    assert not ReportInstruction.objects.exists()
    assert post(clients["oversight"], url, data).status_code == 201  # type: ignore[attr-defined]


def test_detail_is_404_across_councils(world: World, clients: dict[str, Client]) -> None:
    report = world.filed()
    assert clients["outsider"].get(f"/api/v1/c/othercity/opinions/{report.pk}").status_code == 404
    assert clients["member"].get(f"{BASE}/{report.pk}").json()["title"] == report.title


def test_another_councils_office_is_refused_like_an_unknown_one(
    world: World, clients: dict[str, Client]
) -> None:
    report = world.adopted()
    theirs = OversightOfficeFactory(council=world.cast.other_city)
    url = f"{BASE}/{report.pk}/forward"
    foreign = post(clients["staff"], url, {"target": "oversight", "office_ids": [theirs.pk]})
    unknown = post(clients["staff"], url, {"target": "oversight", "office_ids": [10**9]})
    assert foreign.status_code == unknown.status_code == 400  # type: ignore[attr-defined]
    assert foreign.json() == unknown.json()  # type: ignore[attr-defined]
    assert not Forwarding.objects.exists()


def test_a_council_other_than_the_parent_is_refused_like_an_unknown_one(
    world: World, clients: dict[str, Client]
) -> None:
    report = world.adopted()
    url = f"{BASE}/{report.pk}/forward"
    sibling = post(clients["staff"], url, {"target": "parent", "to_council_slug": "othercity"})
    unknown = post(clients["staff"], url, {"target": "parent", "to_council_slug": "no-such-council"})
    assert sibling.status_code == unknown.status_code == 400  # type: ignore[attr-defined]
    assert sibling.json() == unknown.json()  # type: ignore[attr-defined]
    assert not Forwarding.objects.exists()
