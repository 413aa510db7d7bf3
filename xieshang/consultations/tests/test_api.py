"""The consultation API: the same permissions and errors as the pages, and
the whole path from a plan item to an outcome's conversion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from xieshang.consultations.models import ConsultationPlan, OutcomeInstruction, PlanAmendment
from xieshang.consultations.tests.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

BASE = "/api/v1/c/city"


def login(world: World, name: str) -> Client:
    client = Client()
    user = {"gov": world.gov, "far_oversight": world.far_oversight}.get(name) or world.cast.user(name)
    client.force_login(user, backend="xieshang.accounts.backends.UsernameOrMobileBackend")
    return client


def post(client: Client, path: str, body: dict[str, Any] | None = None, base: str = BASE) -> Any:
    return client.post(f"{base}{path}", body or {}, content_type="application/json")


def put(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.put(f"{BASE}{path}", body, content_type="application/json")


ITEM = {"topic": "推进城乡融合发展", "kind": "topic", "quarter": 3, "themes": ["乡村振兴"]}


def issued_plan(world: World) -> tuple[int, int]:
    staff, leader = login(world, "staff"), login(world, "leader")
    plan = post(staff, "/consultation-plans", {"year": 2026})
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    detail = post(staff, f"/consultation-plans/{plan_id}/items", ITEM).json()
    assert post(staff, f"/consultation-plans/{plan_id}/revision").status_code == 200
    assert (
        post(leader, f"/consultation-plans/{plan_id}/approve", {"approved_on": "2026-08-28"}).status_code
        == 200
    )
    assert post(staff, f"/consultation-plans/{plan_id}/issue", {"issued_on": "2026-09-01"}).status_code == 200
    return plan_id, detail["items"][0]["id"]


def test_from_plan_item_to_converted_outcome(world: World) -> None:
    _plan_id, item_id = issued_plan(world)
    staff, oversight = login(world, "staff"), login(world, "oversight")
    created = post(
        staff,
        "/consultations",
        {
            "kind": "topic",
            "topic": "推进城乡融合发展",
            "starts_at": "2026-10-19T09:00:00+08:00",
            "plan_item_id": item_id,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["notice_due_on"], body["materials_due_on"], body["themes"]) == (
        "2026-09-21",
        "2026-09-29",
        ["乡村振兴"],
    )
    cid = body["id"]
    participant = post(
        staff,
        f"/consultations/{cid}/participants",
        {"category": "member", "member_id": world.cast.member_record.pk},
    )
    assert participant.status_code == 201
    assert post(staff, f"/consultations/{cid}/notice").json()["status"] == "notified"
    speech = post(login(world, "member"), f"/consultations/{cid}/speeches", {"title": "发言", "text": "全文"})
    assert speech.status_code == 201, speech.content
    timed = post(
        staff, f"/consultations/{cid}/speeches/{speech.json()['id']}/duration", {"duration_seconds": 500}
    )
    assert (timed.json()["duration_seconds"], timed.json()["is_over_time"]) == (500, True)
    assert post(staff, f"/consultations/{cid}/held", {"held_on": "2026-10-19"}).status_code == 403  # not yet
    from xieshang.consultations.models import Consultation

    Consultation.objects.filter(pk=cid).update(starts_at=dt.datetime(2026, 8, 31, 9, tzinfo=dt.UTC))
    assert post(staff, f"/consultations/{cid}/held", {"held_on": "2026-08-31"}).json()["status"] == "held"
    outcome = post(
        staff, f"/consultations/{cid}/outcomes", {"kind": "recommendation", "title": "建议案", "text": "正文"}
    )
    assert outcome.status_code == 201
    oid = outcome.json()["id"]
    sent = post(staff, f"/consultation-outcomes/{oid}/send", {"office_ids": [world.party_office.pk]})
    assert sent.json()["status"] == "sent"
    assert [o["id"] for o in oversight.get(f"{BASE}/consultation-outcomes").json()["items"]] == [oid]
    instruction = post(
        oversight,
        f"/consultation-outcomes/{oid}/instructions",
        {"leader_name": "张书记", "level": "city", "text": "请研究落实。", "instructed_on": "2026-09-01"},
    )
    assert instruction.status_code == 201, instruction.content
    refused = post(oversight, f"/consultation-outcomes/{oid}/adoption", {"adoption": "not_adopted"})
    assert refused.status_code == 400
    assert "note" in refused.json()["errors"]
    done = post(
        oversight, f"/consultation-outcomes/{oid}/adoption", {"adoption": "adopted", "note": "已采纳"}
    )
    assert done.json()["status"] == "converted"


def test_changing_an_issued_plan_over_the_api_needs_a_reason(world: World) -> None:
    plan_id, item_id = issued_plan(world)
    staff = login(world, "staff")
    refused = put(staff, f"/consultation-plans/{plan_id}/items/{item_id}", {**ITEM, "quarter": 4})
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]
    assert not PlanAmendment.objects.exists()
    done = put(
        staff, f"/consultation-plans/{plan_id}/items/{item_id}", {**ITEM, "quarter": 4, "reason": "时间调整"}
    )
    assert done.status_code == 200
    assert done.json()["items"][0]["quarter"] == 4


@pytest.mark.parametrize(
    ("name", "status"),
    [("staff", 403), ("leader", 403), ("member", 403), ("liaison", 403), ("outsider", 404), ("upper", 403)],
)
def test_only_office_users_record_instructions(world: World, name: str, status: int) -> None:
    from xieshang.consultations.actions import outcomes as actions
    from xieshang.consultations.tests.factories import ConsultationFactory

    consultation = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff, status="held")
    outcome = actions.write_outcome(
        consultation, kind="recommendation", title="t", text="x", actor=world.actor("staff")
    )
    actions.send_outcome(outcome, offices=[world.party_office], actor=world.actor("staff"))
    body = {"leader_name": "张书记", "level": "city", "text": "阅", "instructed_on": "2026-09-01"}
    assert (
        post(login(world, name), f"/consultation-outcomes/{outcome.pk}/instructions", body).status_code
        == status
    )
    assert not OutcomeInstruction.objects.exists()


def test_an_oversight_user_of_another_council_gets_404_and_nothing_changes(world: World) -> None:
    plan_id, _item_id = issued_plan(world)
    far = login(world, "far_oversight")
    before = ConsultationPlan.objects.values_list("status", "version").get(pk=plan_id)
    assert far.get(f"{BASE}/consultation-plans/{plan_id}").status_code == 404
    other = "/api/v1/c/othercity"
    assert far.get(f"{other}/consultation-plans/{plan_id}").status_code == 404
    assert (
        post(far, f"/consultation-plans/{plan_id}/suggestions", {"text": "意见"}, base=other).status_code
        == 404
    )
    assert ConsultationPlan.objects.values_list("status", "version").get(pk=plan_id) == before


def test_members_see_only_consultations_they_are_invited_to(world: World) -> None:
    staff = login(world, "staff")
    created = post(
        staff,
        "/consultations",
        {"kind": "biweekly", "topic": "双周协商", "starts_at": "2026-10-19T09:00:00+08:00"},
    )
    cid = created.json()["id"]
    member = login(world, "member")
    assert member.get(f"{BASE}/consultations").json()["count"] == 0
    assert member.get(f"{BASE}/consultations/{cid}").status_code == 404
    post(
        staff,
        f"/consultations/{cid}/participants",
        {"category": "member", "member_id": world.cast.member_record.pk},
    )
    post(staff, f"/consultations/{cid}/notice")
    assert member.get(f"{BASE}/consultations").json()["count"] == 1
    assert member.get(f"{BASE}/consultations/{cid}").status_code == 200
