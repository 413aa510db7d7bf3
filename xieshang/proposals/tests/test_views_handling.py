"""Handling proposals over the pages: who may review, assignment, replies and
their signed letters, and batches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from xieshang.core.testing import Expect, run_permission_matrix, snapshot_rows
from xieshang.proposals.actions.filing import invite_cosigners
from xieshang.proposals.models import Assignment, Proposal, Reply
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.test_views import S, url

pytestmark = pytest.mark.django_db


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
            snapshot=snapshot_rows(Proposal),
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
