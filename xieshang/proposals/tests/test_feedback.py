from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from xieshang.core.errors import Conflict, InvalidTransition
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import CouncilSetting
from xieshang.proposals.actions.feedback import rate_reply
from xieshang.proposals.actions.filing import answer_cosign, invite_cosigners
from xieshang.proposals.actions.handling import release_reply, save_reply
from xieshang.proposals.actions.review import conclude_proposal, merge_proposal, order_rehandling
from xieshang.proposals.models import Assignment, Feedback, Proposal, Reply
from xieshang.proposals.queries import rater_ids
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.conftest import RELEASED_ON, World

pytestmark = pytest.mark.django_db
S = ProposalStatus


def _reply(proposal: Proposal, handling_round: int = 1) -> Reply:
    return Reply.objects.get(assignment__proposal=proposal, handling_round=handling_round)


def test_lead_proposers_rating_makes_the_proposal_rated(world: World) -> None:
    proposal = world.released()
    rate_reply(
        _reply(proposal),
        actor=world.actor("member"),
        satisfaction="satisfied",
        comment="很好",
        today=RELEASED_ON,
    )
    assert Proposal.objects.get(pk=proposal.pk).status == S.RATED


def test_rating_twice_is_refused_and_the_first_rating_kept(world: World) -> None:
    proposal = world.rated(satisfaction="basically_satisfied")
    with pytest.raises(Conflict):
        rate_reply(
            _reply(proposal),
            actor=world.actor("member"),
            satisfaction="dissatisfied",
            comment="",
            today=RELEASED_ON,
        )
    assert list(Feedback.objects.values_list("satisfaction", flat=True)) == ["basically_satisfied"]


def test_rating_after_the_feedback_window_is_refused(world: World) -> None:
    proposal = world.released()
    with pytest.raises(Conflict):
        rate_reply(
            _reply(proposal),
            actor=world.actor("member"),
            satisfaction="satisfied",
            comment="",
            today=dt.date(2026, 6, 2),
        )
    rate_reply(
        _reply(proposal),
        actor=world.actor("member"),
        satisfaction="satisfied",
        comment="",
        today=dt.date(2026, 6, 1),
    )


def test_someone_who_did_not_propose_cannot_rate(world: World) -> None:
    proposal = world.released()
    reply = _reply(proposal)
    with assert_nothing_changed(proposal, reply, Feedback), pytest.raises(PermissionDenied):
        rate_reply(reply, actor=world.actor("staff"), satisfaction="satisfied", comment="", today=RELEASED_ON)
    assert not Feedback.objects.exists()


def test_merged_proposer_rates_the_reply_of_the_proposal_theirs_joined(world: World) -> None:
    target = world.accepted()
    merged = world.submitted()
    Proposal.objects.filter(pk=merged.pk).update(lead_proposer=world.cosigner, filed_by=world.cosigner_user)
    merge_proposal(merged, actor=world.actor("staff"), into=target)
    assert world.cosigner.pk in rater_ids(target)


def test_cosigners_rate_only_when_the_council_says_so(world: World) -> None:
    proposal = world.draft()
    [row] = invite_cosigners(proposal, actor=world.actor("member"), members=[world.cosigner])
    actor = world.actor("member")
    cosigner_actor = type(actor)(
        user=world.cosigner_user, council=actor.council, roles=actor.roles, member=world.cosigner
    )
    answer_cosign(row, actor=cosigner_actor, confirm=True)
    assert world.cosigner.pk not in rater_ids(proposal)
    CouncilSetting.objects.create(council=world.cast.city, key="cosigners_rate_replies", value=True)
    assert world.cosigner.pk in rater_ids(proposal)


class TestRehandling:
    def test_dissatisfied_rating_leads_to_rehandling_with_a_new_deadline(self, world: World) -> None:
        proposal = world.rated(satisfaction="dissatisfied")
        order_rehandling(
            proposal, actor=world.actor("staff"), reason="请进一步落实", today=dt.date(2026, 5, 20)
        )
        proposal.refresh_from_db()
        assert (proposal.status, proposal.handling_round) == (S.REHANDLING, 2)
        assert Assignment.objects.get(proposal=proposal).due_on == dt.date(2026, 8, 20)

    def test_satisfied_rating_cannot_be_rehandled(self, world: World) -> None:
        proposal = world.rated(satisfaction="satisfied")
        with assert_nothing_changed(proposal, Assignment, Reply), pytest.raises(PermissionDenied):
            order_rehandling(proposal, actor=world.actor("staff"), reason="再办", today=RELEASED_ON)

    def test_second_reply_is_final(self, world: World) -> None:
        proposal = world.rated(satisfaction="dissatisfied")
        order_rehandling(proposal, actor=world.actor("staff"), reason="请进一步落实", today=RELEASED_ON)
        assignment = world.assignment(proposal)
        second = save_reply(
            assignment, actor=world.actor("liaison"), content=world.reply_content(), submit=True
        )
        assert second.handling_round == 2
        release_reply(second, actor=world.actor("staff"), today=dt.date(2026, 8, 3))
        rate_reply(
            second,
            actor=world.actor("member"),
            satisfaction="dissatisfied",
            comment="",
            today=dt.date(2026, 8, 3),
        )
        proposal.refresh_from_db()
        assert proposal.status == S.RATED
        with assert_nothing_changed(proposal, Assignment, Reply), pytest.raises(PermissionDenied):
            order_rehandling(proposal, actor=world.actor("staff"), reason="再办", today=dt.date(2026, 8, 4))
        assert (
            conclude_proposal(proposal, actor=world.actor("staff"), today=dt.date(2026, 8, 4)).status
            == S.CONCLUDED
        )


class TestConclude:
    def test_released_but_unrated_proposal_concludes_only_after_the_window(self, world: World) -> None:
        proposal = world.released()
        with assert_nothing_changed(proposal), pytest.raises(PermissionDenied):
            conclude_proposal(proposal, actor=world.actor("staff"), today=dt.date(2026, 6, 1))
        done = conclude_proposal(proposal, actor=world.actor("staff"), today=dt.date(2026, 6, 2))
        assert done.status == S.CONCLUDED and done.concluded_at is not None

    def test_concluding_twice_is_a_conflict(self, world: World) -> None:
        proposal = conclude_proposal(world.rated("satisfied"), actor=world.actor("staff"), today=RELEASED_ON)
        with pytest.raises(InvalidTransition):
            conclude_proposal(proposal, actor=world.actor("staff"), today=RELEASED_ON)
