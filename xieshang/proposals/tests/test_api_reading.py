"""The proposals API for reading: search, similar proposals, the timeline,
handling notes, statistics and follow-through."""

from __future__ import annotations

import pytest
from django.test import Client

from xieshang.proposals.models import Assignment, Proposal
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_api import BASE, post

pytestmark = pytest.mark.django_db


def test_search_finds_what_the_requester_may_open_with_marked_words(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.submitted()
    found = clients["staff"].get(f"{BASE}/search", {"q": "养老"}).json()
    assert [row["id"] for row in found["items"]] == [proposal.pk]
    assert "<mark>" in found["items"][0]["title_html"] + found["items"][0]["snippet_html"]
    assert clients["staff"].get(f"{BASE}/search", {"q": "养老", "status": "accepted"}).json()["count"] == 0
    # A unit not handling it finds nothing; another council's staff not even the council.
    assert clients["liaison"].get(f"{BASE}/search", {"q": "养老"}).json()["count"] == 0
    assert clients["outsider"].get(f"{BASE}/search", {"q": "养老"}).status_code == 404


def test_similar_proposals_name_others_accepted_ones_without_their_id(
    world: World, clients: dict[str, Client]
) -> None:
    accepted = world.accepted()
    cosigner = Client()
    cosigner.force_login(world.cosigner_user)
    draft = {"title": "关于完善社区养老服务的建议", "situation": "社区养老服务设施不足"}
    [row] = post(cosigner, f"{BASE}/similar", draft).json()
    assert (row["id"], row["case_number"]) == (None, accepted.case_number)
    [own] = post(clients["member"], f"{BASE}/similar", draft).json()
    assert own["id"] == accepted.pk
    assert post(clients["member"], f"{BASE}/similar", {}).json() == []


def world_submit(world: World, proposal: Proposal) -> Proposal:
    from xieshang.proposals.actions.filing import submit_proposal

    return submit_proposal(proposal, actor=world.actor("member"))


def test_the_proposer_follows_the_timeline_with_reasons_and_sees_the_cosigners(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.proposals.actions.filing import answer_cosign, invite_cosigners
    from xieshang.proposals.actions.review import return_for_revision

    proposal = world.draft()
    [row] = invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    answer_cosign(row, actor=world.actor("cosigner_user"), confirm=True)
    proposal = world_submit(world, proposal)
    return_for_revision(proposal, actor=world.actor("staff"), reason="请补充现状数据")
    events = clients["member"].get(f"{BASE}/{proposal.pk}/timeline").json()
    assert (events[-1]["type"], events[-1]["label"]) == ("proposal.returned", "Returned for revision")
    assert (events[-1]["actor"], events[-1]["reason"]) == (world.cast.staff.display_name, "请补充现状数据")
    detail = clients["member"].get(f"{BASE}/{proposal.pk}").json()
    assert detail["cosigners"] == [{"member_id": world.cosigner.pk, "name": "王委员", "status": "confirmed"}]
    assert clients["liaison"].get(f"{BASE}/{proposal.pk}/timeline").status_code == 404


def test_handling_notes_are_read_as_the_page_shows_them(world: World, clients: dict[str, Client]) -> None:
    proposal = world.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    post(
        clients["liaison"],
        f"{BASE}/assignments/{assignment.pk}/notes",
        {"kind": "pre_handling_contact", "happened_on": "2026-03-03", "text": "电话联系提案人"},
    )
    for name in ("staff", "liaison", "member"):
        notes = clients[name].get(f"{BASE}/{proposal.pk}/notes").json()
        assert [(n["kind"], n["text"]) for n in notes] == [("pre_handling_contact", "电话联系提案人")], name
    assert clients["outsider"].get(f"{BASE}/{proposal.pk}/notes").status_code == 404


def test_statistics_give_the_years_figures_and_rates_to_staff_and_leaders(
    world: World, clients: dict[str, Client]
) -> None:
    world.accepted()
    world.submitted()
    stats = clients["leader"].get(f"{BASE}/statistics").json()
    assert (stats["year"], stats["years"]) == (2026, [2026])
    total = stats["total"]
    assert (total["filed"], total["accepted"], total["acceptance_rate"]) == (2, 1, 50.0)
    assert total["satisfaction_rate"] is None
    assert [row["name"] for row in stats["categories"]] == [world.category.name]
    empty = clients["staff"].get(f"{BASE}/statistics", {"year": 2020}).json()
    assert (empty["total"]["filed"], empty["units"]) == (0, [])
    assert clients["member"].get(f"{BASE}/statistics").status_code == 403


def test_staff_and_leaders_read_the_follow_through_of_a_key_proposal(
    world: World, clients: dict[str, Client]
) -> None:
    from xieshang.proposals.actions.review import mark_key

    proposal = world.assigned()
    url = f"{BASE}/{proposal.pk}/follow-throughs"
    assert clients["staff"].get(url).json() == []
    mark_key(proposal, actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader)
    post(clients["leader"], url, {"kind": "visit", "happened_on": "2026-03-10", "note": "赴承办单位督办"})
    [row] = clients["staff"].get(url).json()
    assert (row["kind"], row["note"], row["recorded_by"]) == (
        "visit",
        "赴承办单位督办",
        world.cast.leader.display_name,
    )
    assert clients["member"].get(url).status_code == 403
    assert clients["outsider"].get(url).status_code == 404
