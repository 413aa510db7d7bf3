from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection

from xieshang.core.errors import Conflict, InvalidTransition, StaleEdit
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import Session
from xieshang.proposals.actions.filing import submit_proposal
from xieshang.proposals.actions.review import (
    accept_proposal,
    convert_proposal,
    decline_proposal,
    mark_key,
    mark_outstanding,
    merge_proposal,
    return_for_revision,
)
from xieshang.proposals.models import CaseCounter, Proposal
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.conftest import World
from xieshang.proposals.tests.factories import ProposalFactory

S = ProposalStatus


@pytest.mark.django_db
class TestAccept:
    def test_case_numbers_run_per_term_and_session_without_gaps(self, world: World) -> None:
        numbers = [world.accepted().case_number for _ in range(3)]
        assert numbers == ["14-3-0001", "14-3-0002", "14-3-0003"]

    def test_number_of_a_later_declined_neighbour_is_never_reused(self, world: World) -> None:
        first = world.accepted()
        declined = world.submitted()
        decline_proposal(declined, actor=world.actor("staff"), reason=world.decline_reason())
        second = world.accepted()
        assert (first.case_number, second.case_number) == ("14-3-0001", "14-3-0002")

    def test_accepting_twice_is_a_conflict_and_keeps_the_first_number(self, world: World) -> None:
        proposal = world.accepted()
        with pytest.raises(InvalidTransition):
            accept_proposal(proposal, actor=world.actor("staff"))
        assert Proposal.objects.get(pk=proposal.pk).case_number == "14-3-0001"
        assert CaseCounter.objects.get().last_value == 1

    def test_stale_review_form_gets_a_clear_conflict(self, world: World) -> None:
        proposal = world.submitted()
        loaded = proposal.version
        return_for_revision(
            proposal, actor=world.actor("staff"), reason="请补充数据", expected_version=loaded
        )
        with pytest.raises(StaleEdit):
            accept_proposal(proposal, actor=world.actor("staff"), expected_version=loaded)
        assert Proposal.objects.get(pk=proposal.pk).status == S.RETURNED

    def test_accepting_needs_a_session_to_number_under(self, world: World) -> None:
        proposal = world.submitted()
        Proposal.objects.filter(pk=proposal.pk).update(session=None)
        with pytest.raises(Conflict):
            accept_proposal(proposal, actor=world.actor("staff"))
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED

    def test_proposer_hears_of_acceptance(self, world: World) -> None:
        world.accepted()
        assert Notification.objects.filter(recipient=world.cast.member, kind="proposal.accepted").exists()

    @pytest.mark.parametrize("status", [s for s in S.values if s != S.SUBMITTED])
    def test_only_submitted_proposals_can_be_accepted(self, world: World, status: str) -> None:
        proposal = ProposalFactory(council=world.cast.city, status=status, session=world.session)
        with pytest.raises(InvalidTransition):
            accept_proposal(proposal, actor=world.actor("staff"))
        assert Proposal.objects.get(pk=proposal.pk).status == status


@pytest.mark.django_db(transaction=True)
def test_parallel_acceptance_numbers_each_proposal_once_without_gaps(world: World) -> None:
    proposals = [world.submitted() for _ in range(4)]
    # The same proposal accepted by two people at once, plus two others.
    targets = [proposals[0], proposals[0], proposals[1], proposals[2], proposals[3]]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(targets))

    def accept(proposal: Proposal) -> None:
        barrier.wait()
        try:
            accept_proposal(proposal, actor=world.actor("staff"))
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok", "ok", "ok", "ok"]
    numbers = sorted(Proposal.objects.values_list("case_number", flat=True))
    assert numbers == ["14-3-0001", "14-3-0002", "14-3-0003", "14-3-0004"]


@pytest.mark.django_db
class TestOtherOutcomes:
    def test_decline_records_the_configured_reason_the_proposer_sees(self, world: World) -> None:
        proposal = decline_proposal(
            world.submitted(), actor=world.actor("staff"), reason=world.decline_reason()
        )
        assert proposal.status == S.DECLINED
        assert proposal.case_number == ""
        message = Notification.objects.get(recipient=world.cast.member, kind="proposal.declined")
        assert message.body == world.decline_reason().name

    def test_decline_with_another_councils_reason_is_refused(self, world: World) -> None:
        from xieshang.proposals.tests.factories import DeclineReasonFactory

        foreign = DeclineReasonFactory(council=world.cast.other_city)
        proposal = world.submitted()
        with pytest.raises(ValidationError):
            decline_proposal(proposal, actor=world.actor("staff"), reason=foreign)
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED

    def test_convert_requires_the_proposers_consent_recorded(self, world: World) -> None:
        proposal = world.submitted()
        with pytest.raises(ValidationError):
            convert_proposal(proposal, actor=world.actor("staff"), target="opinion_report", consent_note=" ")
        converted = convert_proposal(
            proposal, actor=world.actor("staff"), target="opinion_report", consent_note="3月5日电话征得同意"
        )
        assert converted.status == S.CONVERTED
        assert converted.conversion_consent_note == "3月5日电话征得同意"

    def test_merge_into_an_accepted_proposal_of_the_same_term(self, world: World) -> None:
        target = world.accepted()
        proposal = merge_proposal(world.submitted(), actor=world.actor("staff"), into=target)
        assert proposal.status == S.MERGED
        assert proposal.merged_into == target

    def test_merge_into_a_proposal_not_accepted_is_refused(self, world: World) -> None:
        other = world.submitted()
        proposal = world.submitted()
        with pytest.raises(ValidationError):
            merge_proposal(proposal, actor=world.actor("staff"), into=other)
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED

    def test_returned_proposal_goes_back_to_the_proposer_and_can_be_filed_again(self, world: World) -> None:
        proposal = return_for_revision(world.submitted(), actor=world.actor("staff"), reason="请补充具体建议")
        assert proposal.status == S.RETURNED
        assert proposal.review_note == "请补充具体建议"
        again = submit_proposal(proposal, actor=world.actor("member"))
        assert again.status == S.SUBMITTED

    def test_return_without_a_reason_is_refused(self, world: World) -> None:
        proposal = world.submitted()
        with pytest.raises(ValidationError):
            return_for_revision(proposal, actor=world.actor("staff"), reason="")

    def test_key_proposal_needs_a_leader_of_the_council(self, world: World) -> None:
        proposal = world.accepted()
        with pytest.raises(ValidationError):
            mark_key(proposal, actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.staff)
        marked = mark_key(
            proposal, actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader
        )
        assert marked.is_key and marked.supervising_leader == world.cast.leader

    def test_outstanding_mark_only_on_accepted_proposals(self, world: World) -> None:
        submitted = world.submitted()
        with assert_nothing_changed(submitted), pytest.raises(PermissionDenied):
            mark_outstanding(submitted, actor=world.actor("staff"), is_outstanding=True)
        assert mark_outstanding(
            world.accepted(), actor=world.actor("staff"), is_outstanding=True
        ).is_outstanding


def test_session_factory_is_used_by_the_world(world: World) -> None:
    assert Session.objects.filter(council=world.cast.city).count() == 1
