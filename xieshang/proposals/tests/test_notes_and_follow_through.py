from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from xieshang.core.errors import Conflict
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.models import CouncilRole, Role
from xieshang.councils.tests.factories import CouncilRoleFactory, UserFactory
from xieshang.proposals.actions.handling import UnitRole, record_handling_note
from xieshang.proposals.actions.review import conclude_proposal, mark_key, record_follow_through
from xieshang.proposals.models import Assignment, HandlingNote, KeyProposalFollowThrough
from xieshang.proposals.queries import notes_visible
from xieshang.proposals.states import AssignmentRole, NoteKind
from xieshang.proposals.tests.conftest import ASSIGNED_ON, RELEASED_ON, World

pytestmark = pytest.mark.django_db
R = AssignmentRole
TODAY = dt.date(2026, 3, 20)


def _url(name: str, **kwargs: object) -> str:
    return reverse(f"proposals:{name}", kwargs={"council_slug": "city", **kwargs})


def _helper_setup(world: World) -> tuple[Assignment, Assignment]:
    """The liaison's unit assists; the other unit leads (with its own liaison)."""
    lead_user = UserFactory(username="lead_liaison")
    CouncilRoleFactory(
        user=lead_user, council=world.cast.city, role=Role.UNIT_LIAISON, handling_unit=world.other_unit
    )
    proposal = world.assigned(UnitRole(world.other_unit, R.LEAD), UnitRole(world.unit, R.ASSISTING))
    helper = Assignment.objects.get(proposal=proposal, unit=world.unit)
    lead = Assignment.objects.get(proposal=proposal, unit=world.other_unit)
    return helper, lead


def test_contact_and_helper_deadlines_are_set_at_assignment(world: World) -> None:
    helper, lead = _helper_setup(world)
    # 15 working days after 2 March 2026; one month for the helper's opinion.
    assert lead.contact_due_on == dt.date(2026, 3, 23)
    assert lead.helper_opinion_due_on is None
    assert helper.helper_opinion_due_on == dt.date(2026, 4, 2)


def test_helper_sends_its_opinion_and_the_lead_unit_reads_it_but_the_proposer_does_not(world: World) -> None:
    helper, _lead = _helper_setup(world)
    record_handling_note(
        helper,
        actor=world.actor("liaison"),
        kind=NoteKind.HELPER_OPINION,
        text="建议由住建局牵头，我局配合做好资金保障。",
        happened_on=TODAY,
        today=TODAY,
    )
    lead_user = CouncilRole.objects.get(handling_unit=world.other_unit).user
    assert Notification.objects.filter(recipient=lead_user, kind="proposal.helper_opinion").exists()
    lead_actor = world.actor(lead_user)
    assert [n.kind for n in notes_visible(lead_actor, helper.proposal)] == [NoteKind.HELPER_OPINION]
    assert notes_visible(world.actor("member"), helper.proposal) == []
    assert len(notes_visible(world.actor("staff"), helper.proposal)) == 1


def test_lead_unit_cannot_send_a_helper_opinion(world: World) -> None:
    assignment = world.assignment(world.assigned())
    with assert_nothing_changed(assignment, HandlingNote), pytest.raises(PermissionDenied):
        record_handling_note(
            assignment,
            actor=world.actor("liaison"),
            kind=NoteKind.HELPER_OPINION,
            text="意见",
            happened_on=TODAY,
            today=TODAY,
        )
    assert not HandlingNote.objects.exists()


def test_contact_with_the_proposer_is_visible_to_the_proposer(world: World) -> None:
    assignment = world.assignment(world.assigned())
    record_handling_note(
        assignment,
        actor=world.actor("liaison"),
        kind=NoteKind.PRE_HANDLING_CONTACT,
        text="电话联系提案人，了解具体诉求。",
        happened_on=ASSIGNED_ON,
        today=TODAY,
    )
    assert [n.kind for n in notes_visible(world.actor("member"), assignment.proposal)] == [
        NoteKind.PRE_HANDLING_CONTACT
    ]


def test_notes_with_a_future_date_or_no_text_are_refused(world: World) -> None:
    assignment = world.assignment(world.assigned())
    with pytest.raises(ValidationError) as error:
        record_handling_note(
            assignment,
            actor=world.actor("liaison"),
            kind=NoteKind.CONSULTATION,
            text=" ",
            happened_on=TODAY,
            today=dt.date(2026, 3, 19),
        )
    assert set(error.value.message_dict) == {"text", "happened_on"}


def test_no_notes_after_conclusion(world: World) -> None:
    proposal = conclude_proposal(world.rated("satisfied"), actor=world.actor("staff"), today=RELEASED_ON)
    with pytest.raises(Conflict):
        record_handling_note(
            world.assignment(proposal),
            actor=world.actor("liaison"),
            kind=NoteKind.CONSULTATION,
            text="补充",
            happened_on=RELEASED_ON,
            today=RELEASED_ON,
        )


class TestFollowThrough:
    def test_supervising_leader_and_staff_record_activities_others_cannot(self, world: World) -> None:
        proposal = mark_key(
            world.accepted(), actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader
        )
        record_follow_through(
            proposal,
            actor=world.actor("leader"),
            kind="visit",
            note="赴市住建局督办",
            happened_on=TODAY,
            today=TODAY,
        )
        record_follow_through(
            proposal,
            actor=world.actor("staff"),
            kind="meeting",
            note="召开督办推进会",
            happened_on=TODAY,
            today=TODAY,
        )
        for name in ("member", "liaison", "oversight"):
            with assert_nothing_changed(proposal, KeyProposalFollowThrough), pytest.raises(PermissionDenied):
                record_follow_through(
                    proposal, actor=world.actor(name), kind="visit", note="x", happened_on=TODAY, today=TODAY
                )
        assert KeyProposalFollowThrough.objects.count() == 2

    def test_another_leader_cannot_record_for_a_proposal_they_do_not_follow(self, world: World) -> None:
        other = UserFactory(username="vicechair")
        CouncilRoleFactory(user=other, council=world.cast.city, role=Role.LEADER)
        proposal = mark_key(
            world.accepted(), actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader
        )
        with assert_nothing_changed(proposal, KeyProposalFollowThrough), pytest.raises(PermissionDenied):
            record_follow_through(
                proposal, actor=world.actor(other), kind="visit", note="x", happened_on=TODAY, today=TODAY
            )

    def test_only_key_proposals_are_followed_through(self, world: World) -> None:
        accepted = world.accepted()
        with assert_nothing_changed(accepted, KeyProposalFollowThrough), pytest.raises(PermissionDenied):
            record_follow_through(
                accepted,
                actor=world.actor("staff"),
                kind="visit",
                note="x",
                happened_on=TODAY,
                today=TODAY,
            )

    def test_leader_sees_key_proposals_with_their_activity_counts(
        self, world: World, clients: dict[str, Client]
    ) -> None:
        proposal = mark_key(
            world.accepted(), actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader
        )
        other = world.accepted()
        body = clients["leader"].get(_url("key")).content.decode()
        assert _url("detail", pk=proposal.pk) in body
        assert _url("detail", pk=other.pk) not in body
        assert clients["member"].get(_url("key")).status_code == 403

    def test_follow_through_page_records_over_http(self, world: World, clients: dict[str, Client]) -> None:
        proposal = mark_key(
            world.accepted(), actor=world.actor("staff"), is_key=True, supervising_leader=world.cast.leader
        )
        response = clients["leader"].post(
            _url("follow_through", pk=proposal.pk),
            {"kind": "inspection", "note": "实地视察", "happened_on": "2026-03-20"},
        )
        assert response.status_code == 302
        assert KeyProposalFollowThrough.objects.get().recorded_by == world.cast.leader


def test_unit_records_a_consultation_over_http(world: World, clients: dict[str, Client]) -> None:
    assignment = world.assignment(world.assigned())
    response = clients["liaison"].post(
        _url("note", pk=assignment.pk),
        {"kind": "consultation", "happened_on": "2026-03-05", "text": "与提案人面商"},
    )
    assert response.status_code == 302
    assert HandlingNote.objects.get().kind == NoteKind.CONSULTATION
    page = clients["liaison"].get(_url("assignment", pk=assignment.pk)).content.decode()
    assert "与提案人面商" in page
