"""The proposals API: the same permissions, checks and errors as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from xieshang.core.testing import Expect, JsonClient, run_permission_matrix
from xieshang.proposals.models import Assignment, Feedback, Proposal, Reply
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db
BASE = "/api/v1/c/city/proposals"
S = ProposalStatus


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def body(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "关于规范校外培训机构管理的建议",
        "category_id": world.category.pk,
        "situation": "校外培训机构数量多、监管难。",
        "analysis": "部门职责交叉。",
        "suggestions": "一是建立联合执法机制；二是推行资金监管。",
    }
    data.update(changes)
    return data


def test_lifecycle_from_draft_to_rating(world: World, clients: dict[str, Client]) -> None:
    created = post(clients["member"], BASE, body(world))
    assert created.status_code == 201, created.content
    proposal_id = created.json()["id"]
    invited = post(clients["member"], f"{BASE}/{proposal_id}/cosigners", {"member_ids": [world.cosigner.pk]})
    assert invited.status_code == 200
    submitted = post(
        clients["member"], f"{BASE}/{proposal_id}/submit", {"version": created.json()["version"]}
    )
    assert submitted.json()["status"] == S.SUBMITTED
    accepted = post(
        clients["staff"], f"{BASE}/{proposal_id}/accept", {"version": submitted.json()["version"]}
    )
    assert accepted.json()["case_number"] == "14-3-0001"
    assigned = post(
        clients["staff"],
        f"{BASE}/{proposal_id}/assign",
        {"units": [{"unit_id": world.unit.pk, "role": "lead"}], "assigned_on": "2026-03-02"},
    )
    assert assigned.json()["assignments"][0]["due_on"] == "2026-06-02"
    inbox = clients["liaison"].get(f"{BASE}/unit/assignments").json()
    [assignment] = inbox["items"]
    replied = post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment['id']}/reply",
        {
            "category_id": world.reply_category.pk,
            "text": "已纳入年度工作计划。",
            "signer": "王局长",
            "contact_person": "张科长",
            "submit": True,
        },
    )
    assert replied.json()["status"] == "submitted"
    # The proposer cannot read the reply before staff release it.
    assert clients["member"].get(f"{BASE}/{proposal_id}").json()["replies"] == []
    reply_id = replied.json()["id"]
    assert post(clients["staff"], f"{BASE}/replies/{reply_id}/release", {}).json()["status"] == "released"
    assert len(clients["member"].get(f"{BASE}/{proposal_id}").json()["replies"]) == 1
    rated = post(clients["member"], f"{BASE}/replies/{reply_id}/rate", {"satisfaction": "satisfied"})
    assert rated.status_code == 204
    again = post(clients["member"], f"{BASE}/replies/{reply_id}/rate", {"satisfaction": "dissatisfied"})
    assert again.status_code == 409
    assert Feedback.objects.get().satisfaction == "satisfied"
    assert Proposal.objects.get().status == S.RATED


def test_over_long_title_and_empty_suggestions_are_400s(world: World, clients: dict[str, Client]) -> None:
    assert post(clients["member"], BASE, body(world, title="长" * 51)).status_code == 400
    created = post(clients["member"], BASE, body(world, suggestions=""))
    assert created.status_code == 201
    refused = post(clients["member"], f"{BASE}/{created.json()['id']}/submit", {})
    assert refused.status_code == 400
    assert "suggestions" in refused.json()["errors"]
    assert Proposal.objects.get().status == S.DRAFT


def test_cosigner_of_another_council_is_a_400(world: World, clients: dict[str, Client]) -> None:
    from xieshang.councils.tests.factories import MemberFactory

    stranger = MemberFactory(council=world.cast.other_city)
    proposal = world.draft()
    response = post(clients["member"], f"{BASE}/{proposal.pk}/cosigners", {"member_ids": [stranger.pk]})
    assert response.status_code == 400
    assert not proposal.cosigners.exists()


def test_stale_accept_is_a_409_and_nothing_changes(world: World, clients: dict[str, Client]) -> None:
    proposal = world.submitted()
    post(clients["staff"], f"{BASE}/{proposal.pk}/return", {"reason": "请补充", "version": proposal.version})
    response = post(clients["staff"], f"{BASE}/{proposal.pk}/accept", {"version": proposal.version})
    assert response.status_code == 409
    assert Proposal.objects.get().status == S.RETURNED


def test_unit_reading_a_proposal_not_assigned_to_it_gets_404(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.accepted()
    assert clients["liaison"].get(f"{BASE}/{proposal.pk}").status_code == 404
    assert clients["liaison"].get(f"{BASE}/999999").status_code == 404


def test_accept_permission_matrix(world: World, clients: dict[str, Client]) -> None:
    proposal = world.submitted()
    run_permission_matrix(
        clients={name: JsonClient(client) for name, client in clients.items()},  # type: ignore[misc]
        method="post",
        url=f"{BASE}/{proposal.pk}/accept",
        data={},
        expectations={
            "admin": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "platform": Expect(403),
            "anonymous": Expect(401),
            "staff": Expect(200, changes=True),
        },
        snapshot=lambda: list(Proposal.objects.values_list("status", "case_number")),
    )


def test_reply_to_a_concluded_proposal_is_a_409(world: World, clients: dict[str, Client]) -> None:
    from xieshang.proposals.actions.review import conclude_proposal
    from xieshang.proposals.tests.conftest import RELEASED_ON

    proposal = conclude_proposal(world.rated("satisfied"), actor=world.actor("staff"), today=RELEASED_ON)
    assignment = Assignment.objects.get(proposal=proposal)
    response = post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment.pk}/reply",
        {"text": "补充答复", "signer": "王局长", "contact_person": "张科长", "submit": True},
    )
    assert response.status_code == 409
    assert Reply.objects.count() == 1


def test_script_in_the_title_comes_back_as_text(world: World, clients: dict[str, Client]) -> None:
    created = post(clients["member"], BASE, body(world, title="<script>alert(1)</script>"))
    assert created.json()["title"] == "<script>alert(1)</script>"
    assert created["Content-Type"].startswith("application/json")


def test_lists_give_the_configured_reasons(world: World, clients: dict[str, Client]) -> None:
    lists = clients["staff"].get(f"{BASE}/lists").json()
    assert len(lists["decline_reasons"]) == 10
    assert [r["code"] for r in lists["reply_categories"]] == ["A", "B", "C"]


def test_patch_changes_only_the_fields_sent_and_refuses_a_stale_version(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.draft()
    url = f"{BASE}/{proposal.pk}"
    changed = clients["member"].patch(
        url,
        json.dumps({"analysis": "新的分析", "version": proposal.version}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["analysis"] == "新的分析"
    assert changed.json()["title"] == proposal.title
    stale = clients["member"].patch(
        url, json.dumps({"title": "旧", "version": proposal.version}), content_type="application/json"
    )
    assert stale.status_code == 409
    assert Proposal.objects.get().title == proposal.title


def test_extension_marks_notes_and_follow_through(world: World, clients: dict[str, Client]) -> None:
    proposal = world.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    too_far = post(
        clients["staff"],
        f"{BASE}/assignments/{assignment.pk}/extend",
        {"new_due_on": "2026-09-03", "reason": "协调"},
    )
    assert too_far.status_code == 400
    extended = post(
        clients["staff"],
        f"{BASE}/assignments/{assignment.pk}/extend",
        {"new_due_on": "2026-09-02", "reason": "协调"},
    )
    assert extended.json()["due_on"] == "2026-09-02"
    assert post(clients["member"], f"{BASE}/{proposal.pk}/marks", {"is_key": True}).status_code == 403
    marked = post(
        clients["staff"],
        f"{BASE}/{proposal.pk}/marks",
        {"is_key": True, "supervising_leader_id": world.cast.leader.pk, "is_outstanding": True},
    )
    assert marked.json()["is_key"] and marked.json()["is_outstanding"]
    note = post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment.pk}/notes",
        {"kind": "pre_handling_contact", "happened_on": "2026-03-03", "text": "电话联系提案人"},
    )
    assert note.status_code == 204
    follow_through = post(
        clients["leader"],
        f"{BASE}/{proposal.pk}/follow-throughs",
        {"kind": "visit", "happened_on": "2026-03-10", "note": "赴承办单位督办"},
    )
    assert follow_through.status_code == 204
    helper_opinion = post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment.pk}/notes",
        {"kind": "helper_opinion", "happened_on": "2026-03-03", "text": "主办单位不能发协办意见"},
    )
    assert helper_opinion.status_code == 403


def test_staff_enter_a_draft_for_a_seated_member_but_members_cannot(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.councils.tests.factories import MemberFactory

    offline = MemberFactory(council=world.cast.city, term=world.cast.term, full_name="陈委员")
    entered = post(clients["staff"], BASE, body(world, proposer_id=offline.pk))
    assert entered.status_code == 201, entered.content
    assert entered.json()["author_name"] == "陈委员"
    assert Proposal.objects.get().filed_by == world.cast.staff
    assert post(clients["member"], BASE, body(world, proposer_id=offline.pk)).status_code == 403
    # Staff have no proposals of their own to file.
    assert post(clients["staff"], BASE, body(world)).status_code == 403
    assert Proposal.objects.count() == 1


def test_ids_of_another_council_in_a_new_draft_are_400s_and_nothing_is_saved(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.councils.tests.factories import HandlingUnitFactory, MemberFactory
    from xieshang.proposals.tests.factories import ProposalCategoryFactory

    city, other = world.cast.city, world.cast.other_city
    cases = {
        "category_id": ProposalCategoryFactory(council=other).pk,
        "suggested_unit_ids": [world.unit.pk, HandlingUnitFactory(council=other).pk],
    }
    for field, value in cases.items():
        response = post(clients["member"], BASE, body(world, **{field: value}))
        assert response.status_code == 400, field
        assert list(response.json()["errors"]) == [field]
    stranger = MemberFactory(council=other)
    response = post(clients["staff"], BASE, body(world, proposer_id=stranger.pk))
    assert (response.status_code, list(response.json()["errors"])) == (400, ["proposer_id"])
    assert not Proposal.objects.filter(council=city).exists()


def test_staff_list_filters_by_category_window_and_words(world: World, clients: dict[str, Client]) -> None:
    from xieshang.proposals.tests.factories import ProposalCategoryFactory, ProposalFactory

    other_category = ProposalCategoryFactory(council=world.cast.city)
    common = {"council": world.cast.city, "session": world.session, "status": S.SUBMITTED}
    wanted = ProposalFactory(
        title="关于发展夜间经济的建议", category=world.category, window="regular", **common
    )
    ProposalFactory(title="关于发展夜间经济的建议（二）", category=other_category, window="regular", **common)
    ProposalFactory(title="关于发展夜间经济的建议（三）", category=world.category, window="session", **common)
    ProposalFactory(title="关于老旧小区改造的建议", category=world.category, window="regular", **common)
    query = {"category_id": world.category.pk, "window": "regular", "q": "夜间经济"}
    found = clients["staff"].get(BASE, query).json()
    assert [p["id"] for p in found["items"]] == [wanted.pk]
    assert clients["staff"].get(BASE, {"window": "weekly"}).status_code == 422


def test_staff_lists_of_replies_to_check_and_key_proposals(world: World, clients: dict[str, Client]) -> None:
    from xieshang.proposals.actions.review import mark_key

    proposal = world.replied()
    reply = Reply.objects.get()
    waiting = clients["staff"].get(f"{BASE}/replies").json()
    assert [(r["id"], r["proposal_id"]) for r in waiting["items"]] == [(reply.pk, proposal.pk)]
    assert clients["liaison"].get(f"{BASE}/replies").status_code == 403
    mark_key(proposal, actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader)
    key = clients["leader"].get(f"{BASE}/key").json()
    assert [(p["id"], p["supervising_leader"], p["follow_throughs"]) for p in key["items"]] == [
        (proposal.pk, world.cast.leader.display_name, 0)
    ]
    assert clients["member"].get(f"{BASE}/key").status_code == 403


def test_a_cosigner_sees_the_invitation_and_answers_it(world: World, clients: dict[str, Client]) -> None:
    from xieshang.proposals.actions.filing import invite_cosigners

    proposal = world.draft()
    invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    cosigner = Client()
    cosigner.force_login(world.cosigner_user)
    [invitation] = cosigner.get(f"{BASE}/cosign").json()["items"]
    assert (invitation["proposal_id"], invitation["status"]) == (proposal.pk, "invited")
    answered = post(cosigner, f"{BASE}/cosign/{invitation['id']}", {"confirm": True})
    assert answered.status_code == 204
    assert cosigner.get(f"{BASE}/cosign").json()["items"] == []
    assert clients["liaison"].get(f"{BASE}/cosign").status_code == 403


def test_the_unit_inbox_names_the_proposal_of_each_assignment(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.assigned()
    [row] = clients["liaison"].get(f"{BASE}/unit/assignments").json()["items"]
    assert row["proposal_id"] == proposal.pk


def test_the_api_docs_list_the_batch_and_authorisation_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/c/{council_slug}/proposals"
    assert "post" in paths[f"{base}/review/accept"]
    assert {"get", "post"} <= set(paths[f"{base}/meeting"])
    assert {"get", "post"} <= set(paths[f"{base}/collective-filers"])
    assert "post" in paths[f"{base}/collective-filers/{{filer_id}}/revoke"]
    assert client.get("/api/v1/docs").status_code == 200


def test_follow_up_of_a_b_category_reply_reported_by_the_unit_and_closed_by_staff(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.proposals.actions.review import conclude_proposal
    from xieshang.proposals.models import FollowUp, ReplyCategory
    from xieshang.proposals.tests.conftest import RELEASED_ON

    world.reply_category = ReplyCategory.objects.get(council=world.cast.city, code="B")
    conclude_proposal(world.rated("satisfied"), actor=world.actor("staff"), today=RELEASED_ON)
    follow_up = FollowUp.objects.get()
    listed = clients["liaison"].get(f"{BASE}/follow-ups", {"year": 2027}).json()
    assert [(row["id"], row["reply_category"], row["status"]) for row in listed["items"]] == [
        (follow_up.pk, "B", "open")
    ]
    assert clients["member"].get(f"{BASE}/follow-ups").status_code == 403
    assert clients["outsider"].get(f"{BASE}/follow-ups/{follow_up.pk}").status_code == 404
    url = f"{BASE}/follow-ups/{follow_up.pk}"
    assert post(clients["leader"], f"{url}/report", {"result": "已建成"}).status_code == 403
    stale = post(clients["liaison"], f"{url}/report", {"result": "已建成", "version": follow_up.version + 1})
    assert stale.status_code == 409
    reported = post(
        clients["liaison"], f"{url}/report", {"result": "已建成三处", "version": follow_up.version}
    )
    assert (reported.status_code, reported.json()["status"]) == (200, "reported")
    assert post(clients["liaison"], f"{url}/close", {}).status_code == 403
    closed = post(clients["staff"], f"{url}/close", {"note": "办结", "version": reported.json()["version"]})
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    again = post(clients["staff"], f"{url}/close", {})
    assert again.status_code == 409
    assert FollowUp.objects.get().close_note == "办结"
