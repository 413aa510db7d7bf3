from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.errors import Conflict
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.proposals.actions.handling import (
    UnitRole,
    approve_extension,
    assign_proposal,
    object_to_assignment,
    reassign_proposal,
    release_reply,
    return_reply,
    save_reply,
)
from xieshang.proposals.actions.review import conclude_proposal
from xieshang.proposals.deadlines import add_months
from xieshang.proposals.models import Assignment, Proposal, Reply
from xieshang.proposals.states import AssignmentRole, ProposalStatus, ReplyStatus
from xieshang.proposals.tests.conftest import ASSIGNED_ON, RELEASED_ON, World

pytestmark = pytest.mark.django_db
S = ProposalStatus
R = AssignmentRole


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2026, 3, 2), 3) == dt.date(2026, 6, 2)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


class TestAssign:
    def test_one_unit_is_due_three_months_later_and_its_liaison_is_told(self, world: World) -> None:
        proposal = world.assigned()
        assignment = world.assignment(proposal)
        assert proposal.status == S.ASSIGNED
        assert (assignment.assigned_on, assignment.due_on) == (ASSIGNED_ON, dt.date(2026, 6, 2))
        assert Notification.objects.filter(recipient=world.cast.liaison, kind="proposal.assigned").exists()

    def test_due_date_on_the_national_day_holiday_moves_to_the_next_working_day(self, world: World) -> None:
        proposal = assign_proposal(
            world.accepted(),
            actor=world.actor("staff"),
            units=[UnitRole(world.unit, R.LEAD)],
            assigned_on=dt.date(2026, 7, 1),
        )
        assert world.assignment(proposal).due_on == dt.date(2026, 10, 8)

    def test_objection_window_counts_working_days_across_holidays(self, world: World) -> None:
        proposal = assign_proposal(
            world.accepted(),
            actor=world.actor("staff"),
            units=[UnitRole(world.unit, R.LEAD)],
            assigned_on=dt.date(2026, 9, 24),
        )
        # 25 Sep (Mid-Autumn) and 1–7 Oct are holidays: 28, 29, 30 Sep, 8, 9 Oct.
        assert world.assignment(proposal).objection_due_on == dt.date(2026, 10, 9)

    def test_lead_with_assisting_and_joint_units(self, world: World) -> None:
        proposal = world.assigned(UnitRole(world.unit, R.LEAD), UnitRole(world.other_unit, R.ASSISTING))
        roles = dict(Assignment.objects.filter(proposal=proposal).values_list("unit_id", "role"))
        assert roles == {world.unit.pk: R.LEAD, world.other_unit.pk: R.ASSISTING}

    @pytest.mark.parametrize(
        "roles",
        [
            (R.ASSISTING,),
            (R.LEAD, R.LEAD),
            (R.SPLIT, R.LEAD),
            (R.ASSISTING, R.JOINT),
        ],
    )
    def test_impossible_sets_of_units_are_refused(self, world: World, roles: tuple[str, ...]) -> None:
        proposal = world.accepted()
        units = [UnitRole(u, r) for u, r in zip([world.unit, world.other_unit], roles, strict=False)]
        with pytest.raises(ValidationError):
            assign_proposal(proposal, actor=world.actor("staff"), units=units, assigned_on=ASSIGNED_ON)
        assert Proposal.objects.get(pk=proposal.pk).status == S.ACCEPTED
        assert not Assignment.objects.exists()

    def test_unit_of_another_council_is_refused(self, world: World) -> None:
        from xieshang.councils.tests.factories import HandlingUnitFactory

        foreign = HandlingUnitFactory(council=world.cast.other_city)
        with pytest.raises(ValidationError):
            assign_proposal(
                world.accepted(),
                actor=world.actor("staff"),
                units=[UnitRole(foreign, R.LEAD)],
                assigned_on=ASSIGNED_ON,
            )


class TestObjectionAndReassignment:
    def test_unit_objects_within_the_window_and_staff_reassign(self, world: World) -> None:
        proposal = world.assigned()
        assignment = world.assignment(proposal)
        object_to_assignment(
            assignment, actor=world.actor("liaison"), reason="不属我局职责", today=ASSIGNED_ON
        )
        assert Notification.objects.filter(recipient=world.cast.staff, kind="proposal.objection").exists()
        reassign_proposal(
            proposal,
            actor=world.actor("staff"),
            units=[UnitRole(world.other_unit, R.LEAD)],
            assigned_on=dt.date(2026, 3, 6),
        )
        assert not Assignment.objects.get(pk=assignment.pk).is_active
        new = Assignment.objects.get(proposal=proposal, is_active=True)
        assert (new.unit, new.due_on) == (world.other_unit, dt.date(2026, 6, 8))

    def test_objection_after_the_window_is_refused(self, world: World) -> None:
        assignment = world.assignment(world.assigned())
        with pytest.raises(Conflict):
            object_to_assignment(
                assignment, actor=world.actor("liaison"), reason="不属我局职责", today=dt.date(2026, 3, 10)
            )
        assert Assignment.objects.get(pk=assignment.pk).objected_at is None

    def test_unit_cannot_object_twice(self, world: World) -> None:
        assignment = world.assignment(world.assigned())
        object_to_assignment(
            assignment, actor=world.actor("liaison"), reason="不属我局职责", today=ASSIGNED_ON
        )
        with pytest.raises(Conflict):
            object_to_assignment(assignment, actor=world.actor("liaison"), reason="再次", today=ASSIGNED_ON)


class TestExtension:
    def test_extension_up_to_six_months_in_total(self, world: World) -> None:
        assignment = world.assignment(world.assigned())
        with pytest.raises(ValidationError):
            approve_extension(
                assignment, actor=world.actor("staff"), new_due_on=dt.date(2026, 9, 3), reason="需协调多部门"
            )
        extended = approve_extension(
            assignment, actor=world.actor("staff"), new_due_on=dt.date(2026, 9, 2), reason="需协调多部门"
        )
        assert extended.effective_due_on == dt.date(2026, 9, 2)
        assert extended.extension_approved_by == world.cast.staff

    def test_only_one_extension(self, world: World) -> None:
        assignment = world.assignment(world.assigned())
        approve_extension(
            assignment, actor=world.actor("staff"), new_due_on=dt.date(2026, 7, 1), reason="原因"
        )
        with assert_nothing_changed(assignment), pytest.raises(PermissionDenied):
            approve_extension(
                assignment, actor=world.actor("staff"), new_due_on=dt.date(2026, 8, 3), reason="原因"
            )
        assert Assignment.objects.get(pk=assignment.pk).extended_due_on == dt.date(2026, 7, 1)

    def test_extension_needs_a_reason(self, world: World) -> None:
        assignment = world.assignment(world.assigned())
        with pytest.raises(ValidationError):
            approve_extension(
                assignment, actor=world.actor("staff"), new_due_on=dt.date(2026, 7, 1), reason=" "
            )


class TestReplies:
    def test_draft_reply_then_submission_makes_the_proposal_replied(self, world: World) -> None:
        proposal = world.assigned()
        assignment = world.assignment(proposal)
        draft = save_reply(
            assignment, actor=world.actor("liaison"), content=world.reply_content(category=None), submit=False
        )
        assert draft.status == ReplyStatus.DRAFT
        assert Proposal.objects.get(pk=proposal.pk).status == S.ASSIGNED
        save_reply(assignment, actor=world.actor("liaison"), content=world.reply_content(), submit=True)
        assert Proposal.objects.get(pk=proposal.pk).status == S.REPLIED

    def test_incomplete_reply_cannot_be_submitted(self, world: World) -> None:
        assignment = world.assignment(world.assigned())
        with pytest.raises(ValidationError) as error:
            save_reply(
                assignment, actor=world.actor("liaison"), content=world.reply_content(signer=""), submit=True
            )
        assert "signer" in error.value.message_dict
        assert not Reply.objects.exists()

    def test_split_proposal_is_replied_only_when_every_unit_replied(self, world: World) -> None:
        from xieshang.councils.models import CouncilRole, Role

        CouncilRole.objects.create(
            council=world.cast.city,
            user=world.cast.liaison,
            role=Role.UNIT_LIAISON,
            handling_unit=world.other_unit,
        )
        proposal = world.assigned(UnitRole(world.unit, R.SPLIT), UnitRole(world.other_unit, R.SPLIT))
        liaison = world.actor("liaison")
        for assignment in Assignment.objects.filter(proposal=proposal):
            assert Proposal.objects.get(pk=proposal.pk).status == S.ASSIGNED
            save_reply(assignment, actor=liaison, content=world.reply_content(), submit=True)
        assert Proposal.objects.get(pk=proposal.pk).status == S.REPLIED

    def test_assisting_unit_does_not_write_the_reply(self, world: World) -> None:
        proposal = world.assigned(UnitRole(world.other_unit, R.LEAD), UnitRole(world.unit, R.ASSISTING))
        assignment = world.assignment(proposal)
        with assert_nothing_changed(proposal, assignment, Reply), pytest.raises(PermissionDenied):
            save_reply(assignment, actor=world.actor("liaison"), content=world.reply_content(), submit=True)

    def test_reply_returned_for_rework_reopens_handling(self, world: World) -> None:
        proposal = world.replied()
        reply = Reply.objects.get(assignment__proposal=proposal)
        return_reply(reply, actor=world.actor("staff"), reason="答复内容过于笼统")
        assert Reply.objects.get(pk=reply.pk).status == ReplyStatus.RETURNED
        assert Proposal.objects.get(pk=proposal.pk).status == S.ASSIGNED
        assert Notification.objects.filter(
            recipient=world.cast.liaison, kind="proposal.reply_returned"
        ).exists()
        save_reply(reply.assignment, actor=world.actor("liaison"), content=world.reply_content(), submit=True)
        assert Proposal.objects.get(pk=proposal.pk).status == S.REPLIED

    def test_release_opens_the_feedback_window_and_tells_the_proposer(self, world: World) -> None:
        proposal = world.released()
        reply = Reply.objects.get(assignment__proposal=proposal)
        assert proposal.status == S.RELEASED
        # 15 working days from 11 May 2026.
        assert reply.feedback_due_on == dt.date(2026, 6, 1)
        assert Notification.objects.filter(
            recipient=world.cast.member, kind="proposal.reply_released"
        ).exists()

    def test_releasing_twice_is_a_conflict(self, world: World) -> None:
        proposal = world.released()
        reply = Reply.objects.get(assignment__proposal=proposal)
        with pytest.raises(Conflict):
            release_reply(reply, actor=world.actor("staff"), today=RELEASED_ON)

    def test_replying_to_a_concluded_proposal_is_refused(self, world: World) -> None:
        proposal = world.rated(satisfaction="satisfied")
        conclude_proposal(proposal, actor=world.actor("staff"), today=RELEASED_ON)
        assignment = world.assignment(proposal)
        with pytest.raises(Conflict):
            save_reply(assignment, actor=world.actor("liaison"), content=world.reply_content(), submit=True)
        assert Reply.objects.count() == 1
