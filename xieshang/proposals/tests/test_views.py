"""Filing and reading proposals over the pages: the form, the side panel of
actions, who sees what, filing for a member without a login, and autosave."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import assert_same_not_found
from xieshang.proposals.actions.filing import invite_cosigners
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.states import EventType, ProposalStatus
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db
S = ProposalStatus


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def form_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "关于推进老旧小区加装电梯的建议",
        "category": world.category.pk,
        "window": "session",
        "situation": "老旧小区多为六层以下住宅，老年居民上下楼困难。",
        "analysis": "加装电梯涉及业主协商、资金分摊和审批流程。",
        "suggestions": "一是简化审批；二是设立专项补贴。",
    }
    data.update(changes)
    return data


class TestFiling:
    def test_member_saves_a_draft_then_submits_it(self, world: World, clients: dict[str, Client]) -> None:
        response = clients["member"].post(url("create"), form_data(world, save="1"))
        proposal = Proposal.objects.get()
        assert response.status_code == 302 and response.url == url("detail", pk=proposal.pk)
        assert proposal.status == S.DRAFT
        response = clients["member"].post(
            url("edit", pk=proposal.pk), form_data(world, submit="1", version=proposal.version)
        )
        assert response.status_code == 302
        assert Proposal.objects.get().status == S.SUBMITTED

    def test_over_long_title_is_named_next_to_the_field_and_the_text_kept(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        response = clients["member"].post(url("create"), form_data(world, title="长" * 51, save="1"))
        assert response.status_code == 200
        assert response.context["form"].errors["title"]
        assert "一是简化审批" in response.content.decode()
        assert not Proposal.objects.exists()

    def test_submitting_without_suggestions_explains_why(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        response = clients["member"].post(url("create"), form_data(world, suggestions="", submit="1"))
        assert response.status_code == 200
        assert response.context["form"].errors["suggestions"]
        # Nothing half-written: no proposal appears until it is complete or saved as a draft.
        assert not Proposal.objects.exists()
        assert "加装电梯" in response.content.decode()

    def test_form_has_character_counters_from_the_council_settings(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        body = clients["member"].get(url("create")).content.decode()
        assert 'data-max-chars="50"' in body
        assert 'data-max-chars="3000"' in body

    def test_script_in_the_text_is_shown_escaped(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.draft()
        Proposal.objects.filter(pk=proposal.pk).update(suggestions="<script>alert(1)</script>")
        body = clients["member"].get(url("detail", pk=proposal.pk)).content.decode()
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


class TestSidePanel:
    def test_member_sees_edit_and_submit_on_a_draft_but_no_review(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        body = clients["member"].get(url("detail", pk=world.draft().pk)).content.decode()
        assert 'data-testid="action-submit"' in body
        assert 'data-testid="action-accept"' not in body

    def test_staff_see_review_actions_on_a_submitted_proposal_and_the_member_none(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.submitted()
        staff = clients["staff"].get(url("detail", pk=proposal.pk)).content.decode()
        member = clients["member"].get(url("detail", pk=proposal.pk)).content.decode()
        assert 'data-testid="action-accept"' in staff and 'data-testid="action-decline"' in staff
        assert 'data-testid="action-submit"' not in staff
        assert 'data-testid="no-actions"' in member

    def test_leader_reads_but_has_no_actions(self, world: World, clients: dict[str, Client]) -> None:
        body = clients["leader"].get(url("detail", pk=world.submitted().pk)).content.decode()
        assert 'data-testid="no-actions"' in body

    def test_timeline_shows_readable_labels(self, world: World, clients: dict[str, Client]) -> None:
        body = clients["member"].get(url("detail", pk=world.accepted().pk)).content.decode()
        assert str(EventType.ACCEPTED.label) in body
        assert "proposal.accepted" not in body

    def test_declined_proposal_shows_the_reason_to_the_proposer(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from xieshang.proposals.actions.review import decline_proposal

        proposal = decline_proposal(
            world.submitted(), actor=world.actor("staff"), reason=world.decline_reason()
        )
        body = clients["member"].get(url("detail", pk=proposal.pk)).content.decode()
        assert world.decline_reason().name in body


class TestVisibility:
    def test_unit_reading_a_proposal_not_assigned_to_it_gets_the_missing_page(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.accepted()
        assert_same_not_found(clients["liaison"], url("detail", pk=proposal.pk), url("detail", pk=999999))

    def test_unit_reads_the_proposal_once_assigned(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.assigned()
        assert clients["liaison"].get(url("detail", pk=proposal.pk)).status_code == 200
        assignment = world.assignment(proposal)
        assert clients["liaison"].get(url("assignment", pk=assignment.pk)).status_code == 200

    def test_other_member_and_outsider_cannot_see_a_submitted_proposal(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.submitted()
        cosigner = Client()
        cosigner.force_login(world.cosigner_user)
        assert cosigner.get(url("detail", pk=proposal.pk)).status_code == 404
        assert clients["outsider"].get(url("detail", pk=proposal.pk)).status_code == 404
        # Upper-council staff have no business with raw records (refused by the tenancy decorator).
        assert clients["upper"].get(url("detail", pk=proposal.pk)).status_code == 403
        assert clients["anonymous"].get(url("detail", pk=proposal.pk)).status_code == 302

    def test_invited_cosigner_sees_the_proposal_and_answers(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.draft()
        [row] = invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
        cosigner = Client()
        cosigner.force_login(world.cosigner_user)
        assert cosigner.get(url("detail", pk=proposal.pk)).status_code == 200
        assert proposal.title in cosigner.get(url("cosign_requests")).content.decode()
        response = cosigner.post(url("cosign_answer", pk=row.pk), {"answer": "confirm"})
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.status == "confirmed"


class TestFormPagesRender:
    @pytest.mark.parametrize("name", ["decline", "convert", "merge", "return"])
    def test_review_form_pages(self, world: World, clients: dict[str, Client], name: str) -> None:
        response = clients["staff"].get(url(name, pk=world.submitted().pk))
        assert response.status_code == 200
        assert 'data-testid="action-form"' in response.content.decode()

    @pytest.mark.parametrize("name", ["assign", "mark"])
    def test_accepted_proposal_form_pages(self, world: World, clients: dict[str, Client], name: str) -> None:
        assert clients["staff"].get(url(name, pk=world.accepted().pk)).status_code == 200

    def test_extension_and_reply_check_pages(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.replied()
        assert clients["staff"].get(url("extend", pk=world.assignment(proposal).pk)).status_code == 200
        reply = Reply.objects.get(assignment__proposal=proposal)
        body = clients["staff"].get(url("check_reply", pk=reply.pk)).content.decode()
        assert 'data-testid="release-reply"' in body

    def test_rehandle_and_rate_pages(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.rated("dissatisfied")
        assert clients["staff"].get(url("rehandle", pk=proposal.pk)).status_code == 200

    def test_decline_form_refuses_a_reason_of_another_council(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from xieshang.proposals.tests.factories import DeclineReasonFactory

        proposal = world.submitted()
        foreign = DeclineReasonFactory(council=world.cast.other_city)
        response = clients["staff"].post(url("decline", pk=proposal.pk), {"reason": foreign.pk})
        assert response.status_code == 200 and response.context["form"].errors["reason"]
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED


class TestOnBehalf:
    def test_staff_enter_and_submit_a_proposal_for_a_member_without_a_login(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from xieshang.core.models import Event
        from xieshang.councils.tests.factories import MemberFactory

        offline = MemberFactory(council=world.cast.city, term=world.cast.term, full_name="陈委员")
        response = clients["staff"].post(url("create"), form_data(world, proposer=offline.pk, submit="1"))
        assert response.status_code == 302
        proposal = Proposal.objects.get()
        assert (proposal.lead_proposer, proposal.filed_by, proposal.status) == (
            offline,
            world.cast.staff,
            S.SUBMITTED,
        )
        saved = Event.objects.get(object_id=proposal.pk, type="proposal.draft_saved")
        assert saved.data["on_behalf_of"] == "陈委员"

    def test_staff_cannot_enter_for_a_member_of_another_council(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from xieshang.councils.tests.factories import MemberFactory

        stranger = MemberFactory(council=world.cast.other_city)
        response = clients["staff"].post(url("create"), form_data(world, proposer=stranger.pk, save="1"))
        assert response.status_code == 200 and response.context["form"].errors["proposer"]
        assert not Proposal.objects.exists()

    def test_leader_and_liaison_cannot_file(self, world: World, clients: dict[str, Client]) -> None:
        for name in ("leader", "liaison", "oversight"):
            assert clients[name].post(url("create"), form_data(world, save="1")).status_code == 403
        assert not Proposal.objects.exists()


class TestAutosave:
    def test_first_autosave_creates_the_draft_and_later_ones_update_it(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        first = clients["member"].post(url("autosave"), form_data(world, proposal=""))
        assert first.status_code == 200
        body = first.json()
        proposal = Proposal.objects.get()
        assert (
            body["saved"]
            and body["proposal"] == proposal.pk
            and body["edit_url"] == url("edit", pk=proposal.pk)
        )
        again = clients["member"].post(
            url("autosave"),
            form_data(world, proposal=proposal.pk, version=body["version"], suggestions="一是；二是；三是。"),
        )
        assert again.status_code == 200
        proposal.refresh_from_db()
        assert proposal.suggestions == "一是；二是；三是。" and proposal.status == S.DRAFT
        assert Proposal.objects.count() == 1

    def test_stale_autosave_is_refused_and_keeps_the_newer_text(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.draft()
        old = proposal.version
        clients["member"].post(
            url("autosave"), form_data(world, proposal=proposal.pk, version=old, title="新")
        )
        response = clients["member"].post(
            url("autosave"), form_data(world, proposal=proposal.pk, version=old, title="旧")
        )
        assert response.status_code == 409 and not response.json()["saved"]
        assert Proposal.objects.get().title == "新"

    def test_autosave_without_a_title_saves_nothing(self, world: World, clients: dict[str, Client]) -> None:
        response = clients["member"].post(url("autosave"), form_data(world, title="", proposal=""))
        assert response.status_code == 400
        assert not Proposal.objects.exists()

    def test_autosave_of_someone_elses_or_a_submitted_proposal_is_refused(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        submitted = world.submitted()
        response = clients["member"].post(
            url("autosave"), form_data(world, proposal=submitted.pk, version=submitted.version, title="改")
        )
        assert response.status_code == 409
        other = Client()
        other.force_login(world.cosigner_user)
        draft = world.draft()
        assert other.post(url("autosave"), form_data(world, proposal=draft.pk, title="改")).status_code == 404
        assert Proposal.objects.get(pk=draft.pk).title != "改"
        assert clients["liaison"].post(url("autosave"), form_data(world, proposal="")).status_code == 403
