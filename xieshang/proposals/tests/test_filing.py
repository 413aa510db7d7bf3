from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.errors import Conflict, InvalidTransition, StaleEdit
from xieshang.core.models import Event, Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.tests.factories import MemberFactory
from xieshang.proposals.actions.filing import answer_cosign, invite_cosigners, save_draft, submit_proposal
from xieshang.proposals.models import Cosigner, Proposal
from xieshang.proposals.states import CosignStatus, ProposalStatus
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db
S = ProposalStatus


def test_member_saves_a_draft_that_only_they_can_see_listed(world: World) -> None:
    proposal = world.draft()
    assert proposal.status == S.DRAFT
    assert proposal.lead_proposer == world.cast.member_record
    assert proposal.term == world.cast.term
    assert Event.objects.filter(object_id=proposal.pk, type="proposal.draft_saved").exists()


def test_draft_may_lack_suggestions_but_submission_may_not(world: World) -> None:
    proposal = save_draft(None, actor=world.actor("member"), content=world.content(suggestions="   "))
    with pytest.raises(ValidationError) as error:
        submit_proposal(proposal, actor=world.actor("member"))
    assert "suggestions" in error.value.message_dict
    assert Proposal.objects.get(pk=proposal.pk).status == S.DRAFT


def test_title_longer_than_the_council_limit_is_refused_and_nothing_saved(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        save_draft(None, actor=world.actor("member"), content=world.content(title="题" * 51))
    assert "title" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_section_longer_than_three_thousand_characters_is_refused(world: World) -> None:
    save_draft(None, actor=world.actor("member"), content=world.content(analysis="析" * 3000))
    with pytest.raises(ValidationError) as error:
        save_draft(None, actor=world.actor("member"), content=world.content(analysis="析" * 3001))
    assert "analysis" in error.value.message_dict
    assert Proposal.objects.count() == 1


def test_script_tags_are_stored_as_plain_text(world: World) -> None:
    text = "<script>alert(1)</script>建议"
    proposal = save_draft(None, actor=world.actor("member"), content=world.content(suggestions=text))
    assert Proposal.objects.get(pk=proposal.pk).suggestions == text


def test_submission_puts_the_proposal_in_the_session_and_tells_staff(world: World) -> None:
    proposal = submit_proposal(world.draft(), actor=world.actor("member"))
    assert proposal.status == S.SUBMITTED
    assert proposal.session == world.session
    assert proposal.submitted_at is not None
    assert Notification.objects.filter(recipient=world.cast.staff, kind="proposal.review").exists()


def test_stale_edit_is_a_conflict_and_keeps_the_newer_text(world: World) -> None:
    proposal = world.draft()
    loaded = proposal.version
    save_draft(
        proposal, actor=world.actor("member"), content=world.content(title="新标题"), expected_version=loaded
    )
    with pytest.raises(StaleEdit):
        save_draft(
            proposal,
            actor=world.actor("member"),
            content=world.content(title="旧标题"),
            expected_version=loaded,
        )
    assert Proposal.objects.get(pk=proposal.pk).title == "新标题"


def test_submitted_proposal_can_no_longer_be_edited(world: World) -> None:
    proposal = world.submitted()
    with assert_nothing_changed(proposal), pytest.raises(InvalidTransition):
        save_draft(proposal, actor=world.actor("member"), content=world.content(title="改"))


def test_another_member_cannot_edit_my_draft(world: World) -> None:
    proposal = world.draft()
    with assert_nothing_changed(proposal), pytest.raises(PermissionDenied):
        save_draft(proposal, actor=world.actor("cosigner_user"), content=world.content(title="改"))


def test_cosigner_invited_confirms_and_proposer_is_told(world: World) -> None:
    proposal = world.draft()
    [row] = invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    assert Notification.objects.filter(recipient=world.cosigner_user, kind="proposal.cosign").exists()
    cosigner_actor = type(world.actor("member"))(
        user=world.cosigner_user,
        council=world.cast.city,
        roles=world.actor("member").roles,
        member=world.cosigner,
    )
    answer_cosign(row, actor=cosigner_actor, confirm=True)
    assert Cosigner.objects.get(pk=row.pk).status == CosignStatus.CONFIRMED
    assert Notification.objects.filter(recipient=world.cast.member, kind="proposal.cosign").exists()
    with pytest.raises(Conflict):
        answer_cosign(row, actor=cosigner_actor, confirm=False)


def test_cosigner_from_another_council_gets_a_clear_error(world: World) -> None:
    proposal = world.draft()
    stranger = MemberFactory(council=world.cast.other_city, full_name="赵委员")
    with pytest.raises(ValidationError) as error:
        invite_cosigners(proposal, actor=world.actor("member"), members=[stranger])
    assert "赵委员" in error.value.message_dict["members"][0]
    assert not Cosigner.objects.exists()


def test_only_the_invited_member_answers_an_invitation(world: World) -> None:
    proposal = world.draft()
    [row] = invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    with assert_nothing_changed(row, proposal), pytest.raises(PermissionDenied):
        answer_cosign(row, actor=world.actor("member"), confirm=True)
    assert Cosigner.objects.get(pk=row.pk).status == CosignStatus.INVITED
