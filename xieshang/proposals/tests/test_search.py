"""Searching proposals: what is indexed when, who finds what, the filters,
highlighting, the similar-proposals hint and the rebuild command."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieshang.core.models import SearchDocument
from xieshang.councils.models import Member
from xieshang.councils.roles import Actor
from xieshang.councils.tests.factories import AffiliationFactory, SectorFactory
from xieshang.proposals.actions.filing import save_draft, submit_proposal
from xieshang.proposals.actions.review import accept_proposal, return_for_revision
from xieshang.proposals.models import Proposal
from xieshang.proposals.search import SearchFilters, count_proposals, search_proposals, similar_proposals
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db

LIFT = {
    "title": "关于推进老旧小区加装电梯的建议",
    "situation": "老旧小区多为六层以下住宅，老年居民上下楼困难。",
    "analysis": "加装电梯涉及业主协商、资金分摊和审批流程。",
    "suggestions": "一是简化审批；二是设立专项补贴。",
}


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def found(actor: Actor, query: str, **filters: Any) -> set[int]:
    return {row.proposal.pk for row in search_proposals(actor, query, SearchFilters(**filters))}


def lift_proposal(world: World) -> Proposal:
    """The cosigner (another member) files a proposal about lifts."""
    actor = world.actor("cosigner_user")
    draft = save_draft(None, actor=actor, content=world.content(**LIFT))
    return submit_proposal(draft, actor=actor)


class TestIndexing:
    def test_drafts_are_not_indexed_and_submitting_indexes_the_text(self, world: World) -> None:
        draft = world.draft()
        assert not SearchDocument.objects.filter(object_id=draft.pk).exists()
        submit_proposal(draft, actor=world.actor("member"))
        assert found(world.actor("staff"), "养老") == {draft.pk}
        assert found(world.actor("staff"), "护理人员") == {draft.pk}

    def test_a_reply_is_found_only_once_released(self, world: World) -> None:
        replied = world.replied()
        assert found(world.actor("staff"), "年度计划") == set()
        released = world.released()
        assert found(world.actor("staff"), "年度计划") == {released.pk}
        assert replied.pk != released.pk

    def test_revising_a_returned_proposal_replaces_the_indexed_text(self, world: World) -> None:
        proposal = return_for_revision(world.submitted(), actor=world.actor("staff"), reason="请补充数据")
        save_draft(proposal, actor=world.actor("member"), content=world.content(**LIFT))
        assert found(world.actor("member"), "电梯") == {proposal.pk}
        assert found(world.actor("member"), "养老") == set()

    def test_reindex_command_rebuilds_every_document(self, world: World) -> None:
        proposal = world.submitted()
        SearchDocument.objects.all().delete()
        call_command("reindex_search", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert found(world.actor("staff"), "养老") == {proposal.pk}


class TestWhoFindsWhat:
    def test_members_find_their_own_proposals_only(self, world: World) -> None:
        mine = world.submitted()
        theirs = lift_proposal(world)
        assert found(world.actor("member"), "建议") == {mine.pk}
        assert found(world.actor("cosigner_user"), "建议") == {theirs.pk}

    def test_staff_and_leaders_find_every_filed_proposal(self, world: World) -> None:
        mine = world.submitted()
        theirs = lift_proposal(world)
        world.draft()
        assert found(world.actor("staff"), "建议") == {mine.pk, theirs.pk}
        assert found(world.actor("leader"), "建议") == {mine.pk, theirs.pk}

    def test_units_find_only_what_was_assigned_to_them(self, world: World) -> None:
        assigned = world.assigned()
        lift_proposal(world)
        assert found(world.actor("liaison"), "建议") == {assigned.pk}

    def test_people_of_another_council_find_nothing_and_get_404(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        world.submitted()
        response = clients["outsider"].get(url("search"), {"q": "养老"})
        assert response.status_code == 404


class TestFilters:
    def test_filters_narrow_the_hits(self, world: World) -> None:
        accepted = world.accepted()
        submitted = lift_proposal(world)
        staff = world.actor("staff")
        assert found(staff, "建议", status="accepted") == {accepted.pk}
        assert found(staff, "建议", year=2026) == {accepted.pk, submitted.pk}
        assert found(staff, "建议", year=2025) == set()
        assert found(staff, "建议", category_id=world.category.pk) == {accepted.pk, submitted.pk}
        assert found(staff, "建议", is_key=True) == set()
        assert count_proposals(staff, "建议", SearchFilters(is_key=False)) == 2

    def test_unit_filter_keeps_proposals_assigned_to_the_unit(self, world: World) -> None:
        assigned = world.assigned()
        lift_proposal(world)
        assert found(world.actor("staff"), "建议", unit_id=world.unit.pk) == {assigned.pk}

    def test_sector_and_affiliation_are_the_lead_proposers(self, world: World) -> None:
        sector = SectorFactory(council=world.cast.city, name="教育界")
        affiliation = AffiliationFactory(council=world.cast.city, name="民进")
        Member.objects.filter(pk=world.cast.member_record.pk).update(sector=sector, affiliation=affiliation)
        proposal = world.submitted()
        lift_proposal(world)
        staff = world.actor("staff")
        assert found(staff, "建议", sector_id=sector.pk) == {proposal.pk}
        assert found(staff, "建议", affiliation_id=affiliation.pk) == {proposal.pk}


class TestSearchPage:
    def test_page_shows_highlighted_hits_with_status_and_total(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.submitted()
        response = clients["staff"].get(url("search"), {"q": "养老"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<mark>养老</mark>" in html
        assert url("detail", pk=proposal.pk) in html
        assert 'data-testid="search-total"' in html

    def test_script_typed_in_a_title_is_shown_escaped(self, world: World, clients: dict[str, Client]) -> None:
        actor = world.actor("member")
        draft = save_draft(
            None, actor=actor, content=world.content(title="<script>alert(1)</script>养老建议")
        )
        submit_proposal(draft, actor=actor)
        html = clients["member"].get(url("search"), {"q": "养老"}).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;" in html

    def test_empty_query_shows_a_hint_and_no_results(self, world: World, clients: dict[str, Client]) -> None:
        world.submitted()
        html = clients["member"].get(url("search")).content.decode()
        assert 'data-testid="search-results"' not in html
        assert "empty-state" in html

    def test_query_count_does_not_grow_with_the_hits(self, world: World, clients: dict[str, Client]) -> None:
        world.submitted()
        clients["staff"].get(url("search"), {"q": "建议"})  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as one:
            clients["staff"].get(url("search"), {"q": "建议"})
        for _ in range(4):
            lift_proposal(world)
        with CaptureQueriesContext(connection) as five:
            response = clients["staff"].get(url("search"), {"q": "建议"})
        assert response.content.decode().count("search-snippet") == 5
        assert len(five) == len(one)


class TestSimilarProposals:
    def test_staff_see_similar_filed_proposals_but_not_the_one_itself(self, world: World) -> None:
        lifts = lift_proposal(world)
        elderly = world.submitted()
        rows = similar_proposals(
            world.actor("staff"), title="关于老旧小区电梯加装补贴的建议", text="加装电梯资金分摊难。"
        )
        assert [row.proposal.pk for row in rows][:1] == [lifts.pk]
        rows = similar_proposals(
            world.actor("staff"), title=LIFT["title"], text=LIFT["analysis"], exclude=lifts
        )
        assert lifts.pk not in {row.proposal.pk for row in rows}
        assert elderly.pk != lifts.pk

    def test_members_see_accepted_proposals_of_others_without_a_link(self, world: World) -> None:
        others = lift_proposal(world)
        member = world.actor("member")
        assert similar_proposals(member, title=LIFT["title"], text=LIFT["situation"]) == []
        accept_proposal(others, actor=world.actor("staff"))
        (row,) = similar_proposals(member, title=LIFT["title"], text=LIFT["situation"])
        assert row.proposal.pk == others.pk
        assert row.may_open is False

    def test_filing_form_posts_the_draft_and_gets_a_fragment(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        accept_proposal(lift_proposal(world), actor=world.actor("staff"))
        response = clients["member"].post(
            url("similar"), {"title": "关于加装电梯的建议", "situation": "老旧小区"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="similar-proposals"' in html
        assert "<mark>" in html
        # Members see titles, not other people's texts.
        assert "search-snippet" not in html

    def test_review_page_asks_for_proposals_similar_to_a_filed_one(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        lifts = lift_proposal(world)
        mine = world.submitted()
        save = {**LIFT, "title": "关于老旧小区加装电梯补贴的建议"}
        other = submit_proposal(
            save_draft(None, actor=world.actor("member"), content=world.content(**save)),
            actor=world.actor("member"),
        )
        html = clients["staff"].get(url("similar"), {"proposal": other.pk}).content.decode()
        assert url("detail", pk=lifts.pk) in html
        assert url("detail", pk=other.pk) not in html
        assert mine.pk != other.pk

    def test_a_proposal_the_actor_may_not_open_is_404(self, world: World, clients: dict[str, Client]) -> None:
        theirs = lift_proposal(world)
        response = clients["member"].get(url("similar"), {"proposal": theirs.pk})
        assert response.status_code == 404

    def test_nothing_typed_yet_gives_an_empty_fragment(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        lift_proposal(world)
        response = clients["member"].post(url("similar"), {"title": "", "situation": ""})
        assert response.status_code == 200
        assert response.content.decode().strip() == ""


class TestWhereTheHintAppears:
    def test_filing_form_asks_for_similar_proposals(self, world: World, clients: dict[str, Client]) -> None:
        html = clients["member"].get(url("create")).content.decode()
        assert f'hx-post="{url("similar")}"' in html

    def test_staff_review_page_loads_similar_proposals(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.submitted()
        html = clients["staff"].get(url("detail", pk=proposal.pk)).content.decode()
        assert f"{url('similar')}?proposal={proposal.pk}" in html
        # The proposer's own page does not compare.
        html = clients["member"].get(url("detail", pk=proposal.pk)).content.decode()
        assert 'data-testid="similar-loader"' not in html

    def test_staff_find_the_search_page_in_the_navigation(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        html = clients["staff"].get(url("queue")).content.decode()
        assert url("search") in html
