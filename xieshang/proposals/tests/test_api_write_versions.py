"""Every proposals API write answers the version now stored (tests/api/versions.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.versions import Arrange, Write, check_write
from xieshang.proposals.actions import review
from xieshang.proposals.actions.followups import report_follow_up
from xieshang.proposals.actions.handling import save_reply
from xieshang.proposals.models import FollowUp, Proposal, Reply, ReplyCategory
from xieshang.proposals.tests.conftest import RELEASED_ON, World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
REPLY = {"text": "已纳入年度工作计划。", "signer": "王局长", "contact_person": "张科长"}


def follow_up(world: World) -> FollowUp:
    """An open follow-up: a B-category reply, rated, and the proposal concluded."""
    world.reply_category = ReplyCategory.objects.get(council=world.cast.city, code="B")
    review.conclude_proposal(world.rated("satisfied"), actor=world.actor("staff"), today=RELEASED_ON)
    return FollowUp.objects.get()


def reply(world: World) -> Reply:
    return Reply.objects.get(assignment__proposal=world.replied())


def report_proposal_follow_up(world: World) -> Write:
    row = follow_up(world)
    path = f"/proposals/follow-ups/{row.pk}/report"
    return Write(world.cast.liaison, "POST", path, FollowUp, {"result": "已建成三处", "version": row.version})


def close_proposal_follow_up(world: World) -> Write:
    row = report_follow_up(follow_up(world), actor=world.actor("liaison"), result="已建成三处")
    path = f"/proposals/follow-ups/{row.pk}/close"
    return Write(world.cast.staff, "POST", path, FollowUp, {"note": "办结", "version": row.version})


def create_proposal(world: World) -> Write:
    body = {"title": "关于规范校外培训机构管理的建议", "category_id": world.category.pk}
    return Write(world.cast.member, "POST", "/proposals", Proposal, body)


def update_proposal(world: World) -> Write:
    proposal = world.draft()
    body = {"title": "关于完善社区养老服务的建议", "version": proposal.version}
    return Write(world.cast.member, "PATCH", f"/proposals/{proposal.pk}", Proposal, body)


def submit_proposal(world: World) -> Write:
    proposal = world.draft()
    path = f"/proposals/{proposal.pk}/submit"
    return Write(world.cast.member, "POST", path, Proposal, {"version": proposal.version})


def invite_proposal_cosigners(world: World) -> Write:
    path = f"/proposals/{world.draft().pk}/cosigners"
    return Write(world.cast.member, "POST", path, Proposal, {"member_ids": [world.cosigner.pk]})


def accept_proposal(world: World) -> Write:
    proposal = world.submitted()
    path = f"/proposals/{proposal.pk}/accept"
    return Write(world.cast.staff, "POST", path, Proposal, {"version": proposal.version})


def decline_proposal(world: World) -> Write:
    path = f"/proposals/{world.submitted().pk}/decline"
    return Write(world.cast.staff, "POST", path, Proposal, {"reason_id": world.decline_reason().pk})


def return_proposal(world: World) -> Write:
    path = f"/proposals/{world.submitted().pk}/return"
    return Write(world.cast.staff, "POST", path, Proposal, {"reason": "请补充调研数据。"})


def convert_proposal(world: World) -> Write:
    path = f"/proposals/{world.submitted().pk}/convert"
    body = {"target": "letter", "consent_note": "电话征得提案人同意。"}
    return Write(world.cast.staff, "POST", path, Proposal, body)


def merge_proposal(world: World) -> Write:
    into = world.accepted()
    path = f"/proposals/{world.submitted().pk}/merge"
    return Write(world.cast.staff, "POST", path, Proposal, {"into_id": into.pk})


def assign_proposal(world: World) -> Write:
    path = f"/proposals/{world.accepted().pk}/assign"
    body = {"units": [{"unit_id": world.unit.pk, "role": "lead"}], "assigned_on": "2026-03-02"}
    return Write(world.cast.staff, "POST", path, Proposal, body)


def rehandle_proposal(world: World) -> Write:
    path = f"/proposals/{world.rated('dissatisfied').pk}/rehandle"
    return Write(world.cast.staff, "POST", path, Proposal, {"reason": "请重新研究办理。"})


def conclude_proposal(world: World) -> Write:
    path = f"/proposals/{world.rated('satisfied').pk}/conclude"
    return Write(world.cast.staff, "POST", path, Proposal)


def write_proposal_reply(world: World) -> Write:
    assignment = world.assignment(world.assigned())
    body = {**REPLY, "category_id": world.reply_category.pk}
    return Write(world.cast.liaison, "POST", f"/proposals/assignments/{assignment.pk}/reply", Reply, body)


def upload_proposal_reply_letter(world: World) -> Write:
    assignment = world.assignment(world.assigned())
    draft = save_reply(assignment, actor=world.actor("liaison"), content=world.reply_content(), submit=False)
    letter = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    path = f"/proposals/assignments/{assignment.pk}/reply/letter"
    body = {"letter": letter, "version": draft.version}
    return Write(world.cast.liaison, "POST", path, Reply, body, multipart=True)


def release_proposal_reply(world: World) -> Write:
    row = reply(world)
    return Write(
        world.cast.staff, "POST", f"/proposals/replies/{row.pk}/release", Reply, {"version": row.version}
    )


def return_proposal_reply(world: World) -> Write:
    path = f"/proposals/replies/{reply(world).pk}/return"
    return Write(world.cast.staff, "POST", path, Reply, {"reason": "请补充办理措施。"})


def mark_proposal(world: World) -> Write:
    path = f"/proposals/{world.accepted().pk}/marks"
    body = {"is_key": True, "supervising_leader_id": world.cast.leader.pk, "is_outstanding": True}
    return Write(world.cast.staff, "POST", path, Proposal, body)


CASES: dict[str, Arrange] = {
    arrange.__name__: arrange
    for arrange in (
        report_proposal_follow_up,
        close_proposal_follow_up,
        create_proposal,
        update_proposal,
        submit_proposal,
        invite_proposal_cosigners,
        accept_proposal,
        decline_proposal,
        return_proposal,
        convert_proposal,
        merge_proposal,
        assign_proposal,
        rehandle_proposal,
        conclude_proposal,
        write_proposal_reply,
        upload_proposal_reply_letter,
        release_proposal_reply,
        return_proposal_reply,
        mark_proposal,
    )
}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_write_answers_the_stored_version(operation: str, world: World) -> None:
    check_write(CASES[operation](world))
