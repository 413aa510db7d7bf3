from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from xieshang.core.testing import Expect, assert_same_not_found, run_permission_matrix
from xieshang.proposals.actions.filing import invite_cosigners
from xieshang.proposals.models import Assignment, Proposal, Reply
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


def _state() -> Callable[[], Any]:
    return lambda: list(Proposal.objects.order_by("pk").values("status", "case_number", "version"))


class TestHttpPermissions:
    def test_accept_over_http(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.submitted()
        refused = {
            "admin": Expect(403),
            "leader": Expect(403),
            "member": Expect(403),
            "liaison": Expect(403),
            "oversight": Expect(403),
            "upper": Expect(403),
            "outsider": Expect(404),
            "platform": Expect(403),
            "anonymous": Expect(302),
        }
        run_permission_matrix(
            clients=clients,
            method="post",
            url=url("accept", pk=proposal.pk),
            expectations={**refused, "staff": Expect(302, changes=True)},
            snapshot=_state(),
        )
        assert Proposal.objects.get().case_number == "14-3-0001"

    def test_release_reply_over_http(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.replied()
        reply = Reply.objects.get(assignment__proposal=proposal)
        run_permission_matrix(
            clients=clients,
            method="post",
            url=url("check_reply", pk=reply.pk),
            data={"decision": "release"},
            expectations={
                "admin": Expect(403),
                "leader": Expect(403),
                "member": Expect(403),
                "liaison": Expect(403),
                "oversight": Expect(403),
                "upper": Expect(403),
                "outsider": Expect(404),
                "platform": Expect(403),
                "anonymous": Expect(302),
                "staff": Expect(302, changes=True),
            },
            snapshot=lambda: list(Reply.objects.values_list("status", flat=True)),
        )

    def test_stale_accept_form_gets_a_conflict_page(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.submitted()
        clients["staff"].post(
            url("return", pk=proposal.pk), {"reason": "请补充", "version": proposal.version}
        )
        response = clients["staff"].post(url("accept", pk=proposal.pk), {"version": proposal.version})
        assert response.status_code == 409
        assert Proposal.objects.get().status == S.RETURNED

    @time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False)
    def test_object_to_assignment_only_by_its_unit(self, world: World, clients: dict[str, Client]) -> None:
        assignment = world.assignment(world.assigned())
        run_permission_matrix(
            clients=clients,
            method="post",
            url=url("object", pk=assignment.pk),
            data={"reason": "不属我局职责"},
            expectations={
                "admin": Expect(403),
                "staff": Expect(403),
                "leader": Expect(403),
                "member": Expect(403),
                "oversight": Expect(403),
                "upper": Expect(403),
                "outsider": Expect(404),
                "platform": Expect(403),
                "anonymous": Expect(302),
                "liaison": Expect(302, changes=True),
            },
            snapshot=lambda: list(Assignment.objects.values_list("objection_reason", flat=True)),
        )


class TestWorkflowPages:
    def test_staff_assign_then_unit_replies_then_staff_release_then_member_rates(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = world.accepted()
        response = clients["staff"].post(
            url("assign", pk=proposal.pk),
            {
                "mode": "lead",
                "lead_unit": world.unit.pk,
                "helper_role": "assisting",
                "assigned_on": "2026-03-02",
            },
        )
        assert response.status_code == 302
        assignment = Assignment.objects.get(proposal=proposal)
        reply_data = {
            "category": world.reply_category.pk,
            "text": "我局已将该事项纳入今年工作计划。",
            "signer": "王局长",
            "contact_person": "张科长",
            "submit": "1",
        }
        assert clients["liaison"].post(url("assignment", pk=assignment.pk), reply_data).status_code == 302
        reply = Reply.objects.get()
        assert (
            clients["staff"].post(url("check_reply", pk=reply.pk), {"decision": "release"}).status_code == 302
        )
        assert Proposal.objects.get(pk=proposal.pk).status == S.RELEASED
        detail = clients["member"].get(url("detail", pk=proposal.pk)).content.decode()
        assert 'data-testid="rate-link"' in detail
        response = clients["member"].post(
            url("rate", pk=reply.pk), {"satisfaction": "satisfied", "comment": "满意"}
        )
        assert response.status_code == 302
        assert Proposal.objects.get(pk=proposal.pk).status == S.RATED
        # Rating twice is refused with a conflict and changes nothing.
        again = clients["member"].post(url("rate", pk=reply.pk), {"satisfaction": "dissatisfied"})
        assert again.status_code == 409

    def test_home_page_lists_the_liaisons_reply_due(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.assigned()
        body = (
            clients["liaison"]
            .get(reverse("dashboards:home", kwargs={"council_slug": "city"}))
            .content.decode()
        )
        assert proposal.title in body

    def test_home_page_lists_the_cosign_request(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.draft()
        invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
        cosigner = Client()
        cosigner.force_login(world.cosigner_user)
        body = cosigner.get(reverse("dashboards:home", kwargs={"council_slug": "city"})).content.decode()
        assert proposal.title in body


class TestQueryCounts:
    """List pages cost the same number of queries for 1 row and for many."""

    def _count(self, client: Client, address: str, django_assert_max_num_queries: Any) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(address).status_code == 200
        return len(ctx.captured_queries)

    def test_review_queue(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.submitted()
        few = self._count(clients["staff"], url("queue"), None)
        for _ in range(4):
            world.submitted()
        with django_assert_num_queries(few):
            clients["staff"].get(url("queue"))

    def test_my_proposals(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.submitted()
        few = self._count(clients["member"], url("mine"), None)
        for _ in range(4):
            world.draft()
        with django_assert_num_queries(few):
            clients["member"].get(url("mine"))

    def test_unit_inbox(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.assigned()
        few = self._count(clients["liaison"], url("inbox"), None)
        for _ in range(3):
            world.assigned()
        # The deadline chips share one read of the council's calendar overrides.
        with django_assert_num_queries(few):
            clients["liaison"].get(url("inbox"))

    def test_replies_to_check(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        world.replied()
        few = self._count(clients["staff"], url("replies"), None)
        for _ in range(3):
            world.replied()
        with django_assert_num_queries(few):
            clients["staff"].get(url("replies"))


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


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


class TestSignedLetter:
    def _reply_data(self, world: World, letter: Any) -> dict[str, Any]:
        return {
            "category": world.reply_category.pk,
            "text": "我局已将该事项纳入今年工作计划。",
            "signer": "王局长",
            "contact_person": "张科长",
            "signed_letter": letter,
            "submit": "1",
        }

    def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_saved(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        assignment = world.assignment(world.assigned())
        fake = SimpleUploadedFile(
            "答复函.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
        )
        response = clients["liaison"].post(url("assignment", pk=assignment.pk), self._reply_data(world, fake))
        assert response.status_code == 200
        assert response.context["reply_form"].errors["signed_letter"]
        assert not Reply.objects.exists()
        assert "我局已将该事项纳入今年工作计划" in response.content.decode()

    def test_signed_pdf_is_kept_and_the_proposer_downloads_it_after_release(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from xieshang.core.attachments import attachments_of
        from xieshang.proposals.actions.handling import release_reply
        from xieshang.proposals.tests.conftest import RELEASED_ON

        proposal = world.assigned()
        assignment = world.assignment(proposal)
        letter = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
        response = clients["liaison"].post(
            url("assignment", pk=assignment.pk), self._reply_data(world, letter)
        )
        assert response.status_code == 302
        reply = Reply.objects.get()
        [stored] = attachments_of(reply)
        address = url("letter", pk=reply.pk, attachment_id=stored.pk)
        # Before release the proposer cannot read the reply or its letter.
        assert clients["member"].get(address).status_code == 404
        release_reply(reply, actor=world.actor("staff"), today=RELEASED_ON)
        download = clients["member"].get(address)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
        assert clients["outsider"].get(address).status_code == 404


class TestBatches:
    def test_staff_accept_the_ticked_proposals_in_filing_order(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        first, second, third = (world.submitted() for _ in range(3))
        response = clients["staff"].post(url("accept_selected"), {"selected": [third.pk, first.pk]})
        assert response.status_code == 302
        numbers = dict(Proposal.objects.values_list("pk", "case_number"))
        assert (numbers[first.pk], numbers[third.pk], numbers[second.pk]) == ("14-3-0001", "14-3-0002", "")

    def test_batch_with_an_already_accepted_proposal_changes_nothing(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        done = world.accepted()
        waiting = world.submitted()
        response = clients["staff"].post(url("accept_selected"), {"selected": [waiting.pk, done.pk]})
        assert response.status_code == 409
        assert Proposal.objects.get(pk=waiting.pk).status == S.SUBMITTED

    def test_member_cannot_bulk_accept(self, world: World, clients: dict[str, Client]) -> None:
        proposal = world.submitted()
        assert clients["member"].post(url("accept_selected"), {"selected": [proposal.pk]}).status_code == 403
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED

    def test_assignment_meeting_assigns_the_chosen_proposals_from_one_date(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        first, second, later = world.accepted(), world.accepted(), world.accepted()
        page = clients["staff"].get(url("meeting"))
        assert page.status_code == 200 and first.title in page.content.decode()
        response = clients["staff"].post(
            url("meeting"),
            {
                "assigned_on": "2026-02-10",
                f"unit_{first.pk}": world.unit.pk,
                f"unit_{second.pk}": world.other_unit.pk,
            },
        )
        assert response.status_code == 302
        statuses = dict(Proposal.objects.values_list("pk", "status"))
        assert (statuses[first.pk], statuses[second.pk], statuses[later.pk]) == (
            S.ASSIGNED,
            S.ASSIGNED,
            S.ACCEPTED,
        )
        assert set(Assignment.objects.values_list("assigned_on", "due_on")) == {
            (dt.date(2026, 2, 10), dt.date(2026, 5, 11))
        }

    def test_assignment_meeting_with_a_foreign_unit_id_assigns_nothing(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        from xieshang.councils.tests.factories import HandlingUnitFactory

        proposal = world.accepted()
        foreign = HandlingUnitFactory(council=world.cast.other_city)
        response = clients["staff"].post(
            url("meeting"), {"assigned_on": "2026-02-10", f"unit_{proposal.pk}": foreign.pk}
        )
        assert response.status_code == 400
        assert not Assignment.objects.exists()


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


class TestPublicPage:
    def test_only_consented_released_replies_are_shown_without_login(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        consented = world.released()
        Proposal.objects.filter(pk=consented.pk).update(
            consents_to_publish_reply=True, title="同意公开的提案"
        )
        private = world.released()
        Proposal.objects.filter(pk=private.pk).update(title="不公开的提案")
        waiting = world.replied()
        Proposal.objects.filter(pk=waiting.pk).update(
            consents_to_publish_reply=True, title="尚未发布答复的提案"
        )
        response = clients["anonymous"].get(url("public"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "同意公开的提案" in html
        assert "不公开的提案" not in html and "尚未发布答复的提案" not in html
        assert world.cast.member_record.full_name not in html

    def test_query_count_does_not_grow_with_rows(
        self, world: World, clients: dict[str, Client], django_assert_num_queries: Any
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(2):
            Proposal.objects.filter(pk=world.released().pk).update(consents_to_publish_reply=True)
        with CaptureQueriesContext(connection) as few:
            clients["anonymous"].get(url("public"))
        for _ in range(2):
            Proposal.objects.filter(pk=world.released().pk).update(consents_to_publish_reply=True)
        with django_assert_num_queries(len(few.captured_queries)):
            clients["anonymous"].get(url("public"))

    def test_unknown_council_is_a_404(self, clients: dict[str, Client], db: None) -> None:
        response = clients["anonymous"].get(reverse("proposals:public", kwargs={"council_slug": "nowhere"}))
        assert response.status_code == 404


def test_queue_marks_proposals_whose_unit_objected(world: World, clients: dict[str, Client]) -> None:
    import datetime as dt_

    from xieshang.proposals.actions.handling import object_to_assignment

    objected = world.assigned()
    world.assigned()
    object_to_assignment(
        world.assignment(objected),
        actor=world.actor("liaison"),
        reason="不属我局",
        today=dt_.date(2026, 3, 3),
    )
    html = clients["staff"].get(url("queue"), {"status": "assigned"}).content.decode()
    assert html.count('data-testid="objection-badge"') == 1


def test_the_case_number_is_labelled_as_such_not_as_a_row_number_in_chinese(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.accepted()
    with override_settings(LANGUAGE_CODE="zh-hans"):
        body = clients["staff"].get(url("detail", pk=proposal.pk)).content.decode()
    assert f"案号 {proposal.case_number}" in body
    assert "序号" not in body
