"""The duty API: same permissions, same actions, same errors as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.core.testing import assert_nothing_changed
from xieshang.duty.actions import open_assessment, rebuild_duty_records
from xieshang.duty.models import DutyAssessment, DutyRecord, ScoringRule
from xieshang.duty.states import AssessmentStatus, DutyKind
from xieshang.duty.tests.conftest import YEAR, DutyWorld

BASE = "/api/v1/c/city/duty"


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def test_members_list_only_their_own_records_staff_any(world: DutyWorld, clients: dict[str, Client]) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    own = clients["member"].get(f"{BASE}/records", {"year": YEAR})
    assert own.status_code == 200
    assert {r["member_id"] for r in own.json()["items"]} == {world.member.pk}
    assert (
        clients["member"].get(f"{BASE}/records", {"year": YEAR, "member_id": world.cosigner.pk}).status_code
        == 404
    )
    staff = clients["staff"].get(f"{BASE}/records", {"year": YEAR, "member_id": world.cosigner.pk})
    assert staff.json()["count"] == 2
    assert clients["liaison"].get(f"{BASE}/records").status_code == 403
    assert clients["outsider"].get(f"{BASE}/records").status_code == 404
    kind = clients["member"].get(f"{BASE}/records", {"year": YEAR, "kind": DutyKind.PROPOSAL_FILED})
    assert [r["kind"] for r in kind.json()["items"]] == [DutyKind.PROPOSAL_FILED]


def manual_record(world: DutyWorld, reviewer: str = "leader") -> dict[str, Any]:
    return {
        "kind": DutyKind.OFFLINE,
        "points": 3,
        "occurred_on": f"{YEAR}-06-01",
        "description": "参加界别协商活动",
        "reviewer_id": getattr(world.cast, reviewer).pk,
    }


def records_path(world: DutyWorld) -> str:
    return f"{BASE}/members/{world.member.pk}/records"


@pytest.mark.parametrize("name", ["member", "admin"])
def test_only_staff_add_a_manual_record_over_the_api(
    world: DutyWorld, clients: dict[str, Client], name: str
) -> None:
    with assert_nothing_changed(world.member, DutyRecord, denied=True):
        response = send(clients[name], "post", records_path(world), manual_record(world))
    assert response.status_code == 403


def test_a_reviewer_who_is_not_a_leader_is_refused_over_the_api(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    with assert_nothing_changed(world.member, DutyRecord):
        bad = send(clients["staff"], "post", records_path(world), manual_record(world, reviewer="liaison"))
    assert bad.status_code == 400 and "reviewer" in bad.json()["errors"]


def test_staff_add_a_manual_record_over_the_api(world: DutyWorld, clients: dict[str, Client]) -> None:
    made = send(clients["staff"], "post", records_path(world), manual_record(world))
    assert made.status_code == 201
    assert made.json()["is_manual"] is True


def test_another_councils_reviewer_is_refused_like_an_unknown_one(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    # The outsider is staff of the other city: a reviewer there, not here.
    body = {"kind": DutyKind.OFFLINE, "points": 3, "occurred_on": f"{YEAR}-06-01", "description": "走访"}
    path = f"{BASE}/members/{world.member.pk}/records"
    foreign = send(clients["staff"], "post", path, {**body, "reviewer_id": world.cast.outsider.pk})
    unknown = send(clients["staff"], "post", path, {**body, "reviewer_id": 10**9})
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
    assert not DutyRecord.objects.exists()


def test_rules_read_defaults_refuse_negative_caps_preview_and_save(
    world: DutyWorld, clients: dict[str, Client]
) -> None:
    rebuild_duty_records(world.cast.city, YEAR)
    got = clients["staff"].get(f"{BASE}/rules", {"year": YEAR}).json()
    assert got["is_default"] is True
    rules = [
        {"kind": DutyKind.BASE, "points": 60},
        {"kind": DutyKind.SPEECH, "points": 5, "cap_per_year": -1},
    ]
    bad = send(clients["admin"], "put", f"{BASE}/rules?year={YEAR}", {"rules": rules})
    assert bad.status_code == 400
    assert "negative" in json.dumps(bad.json())
    rules[1]["cap_per_year"] = 10
    with assert_nothing_changed(ScoringRule, denied=True):
        refused = send(clients["staff"], "put", f"{BASE}/rules?year={YEAR}", {"rules": rules})
    assert refused.status_code == 403
    preview = send(clients["admin"], "post", f"{BASE}/rules/preview?year={YEAR}", {"rules": rules})
    assert preview.status_code == 200
    assert preview.json()["score_changes"] >= 2  # the proposal points vanish for 李 and 王
    assert not ScoringRule.objects.exists()
    saved = send(clients["admin"], "put", f"{BASE}/rules?year={YEAR}", {"rules": rules})
    assert saved.status_code == 200 and saved.json()["is_default"] is False
    assert ScoringRule.objects.count() == 2


def test_assessment_over_the_api(world: DutyWorld, clients: dict[str, Client]) -> None:
    with assert_nothing_changed(DutyAssessment, denied=True):
        refused = send(clients["member"], "post", f"{BASE}/assessments/{YEAR}/open")
    assert refused.status_code == 403
    opened = send(clients["staff"], "post", f"{BASE}/assessments/{YEAR}/open")
    assert opened.status_code == 200 and opened.json()["status"] == AssessmentStatus.DRAFT
    scores = clients["leader"].get(f"{BASE}/assessments/{YEAR}/scores").json()["items"]
    mine = next(s for s in scores if s["member_id"] == world.member.pk)
    assert clients["member"].get(f"{BASE}/my-result", {"year": YEAR}).status_code == 404
    no_reason = send(
        clients["staff"], "post", f"{BASE}/assessments/{YEAR}/scores/{mine['id']}/adjust", {"adjustment": 3}
    )
    assert no_reason.status_code == 400
    adjusted = send(
        clients["staff"],
        "post",
        f"{BASE}/assessments/{YEAR}/scores/{mine['id']}/adjust",
        {"adjustment": 3, "reason": "带头开展界别调研"},
    )
    assert adjusted.json()["score"] == mine["computed"] + 3
    assert send(clients["staff"], "post", f"{BASE}/assessments/{YEAR}/publish").status_code == 200
    assert send(clients["staff"], "post", f"{BASE}/assessments/{YEAR}/publish").status_code == 409
    result = clients["member"].get(f"{BASE}/my-result", {"year": YEAR})
    assert result.status_code == 200 and result.json()["score"] == mine["computed"] + 3
    assert clients["outsider"].get(f"{BASE}/assessments/{YEAR}").status_code == 404


def test_another_councils_assessment_is_not_found(world: DutyWorld, clients: dict[str, Client]) -> None:
    open_assessment(actor=world.actor("staff"), year=YEAR)
    before = list(DutyAssessment.objects.values_list("id", "status"))
    assert (
        send(clients["outsider"], "post", "/api/v1/c/city/duty/assessments/2026/publish").status_code == 404
    )
    assert list(DutyAssessment.objects.values_list("id", "status")) == before
