"""A rating missing when the feedback window closes counts as the council's
setting feedback_missing_counts_as says (DOMAIN.md §1, "Feedback"): recorded
automatically, by the periodic sweep or when staff conclude, once.

The world's reply is released on 2026-05-11; its window ends on 2026-06-01
(15 working days), so 2026-06-02 is the first day after it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from xieshang.core.models import AuditEntry, Event
from xieshang.councils.models import CouncilSetting
from xieshang.proposals.actions.feedback import rate_reply, settle_all_feedback
from xieshang.proposals.actions.review import conclude_proposal
from xieshang.proposals.models import Cosigner, Feedback, Proposal, Reply
from xieshang.proposals.states import NO_FEEDBACK, CosignStatus, EventType, ProposalStatus
from xieshang.proposals.statistics import year_statistics
from xieshang.proposals.tasks import send_reply_reminders
from xieshang.proposals.tests.conftest import RELEASED_ON, World

pytestmark = pytest.mark.django_db
S = ProposalStatus
WINDOW_ENDS = dt.date(2026, 6, 1)
AFTER = dt.date(2026, 6, 2)


def _reply(proposal: Proposal) -> Reply:
    return Reply.objects.get(assignment__proposal=proposal)


def _counts_as(world: World, value: str) -> None:
    CouncilSetting.objects.create(council=world.cast.city, key="feedback_missing_counts_as", value=value)


def _missing_events(proposal: Proposal) -> list[Event]:
    return list(Event.objects.filter(object_id=proposal.pk, type=EventType.FEEDBACK_MISSING))


def _sweep_on(day: dt.date) -> None:
    """Run the periodic task as the scheduler would, on day."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False):
        send_reply_reminders.call()


@pytest.mark.parametrize(("setting", "recorded_as"), [(None, NO_FEEDBACK), ("satisfied", "satisfied")])
def test_nothing_is_recorded_until_the_window_has_closed_then_once_as_configured(
    world: World, setting: str | None, recorded_as: str
) -> None:
    if setting is not None:
        _counts_as(world, setting)
    proposal = world.released()
    _sweep_on(WINDOW_ENDS)  # the last day a rating is accepted
    assert not Feedback.objects.exists()
    assert _reply(proposal).feedback_settled_at is None
    _sweep_on(AFTER)
    _sweep_on(AFTER + dt.timedelta(days=1))
    assert list(Feedback.objects.values_list("satisfaction", "recorded_automatically")) == [
        (recorded_as, True)
    ]
    assert len(_missing_events(proposal)) == 1


def test_by_default_a_missing_rating_is_recorded_as_no_feedback_not_as_satisfied(world: World) -> None:
    proposal = world.released()
    _sweep_on(AFTER)
    [row] = Feedback.objects.all()
    assert (row.member, row.satisfaction, row.recorded_automatically) == (
        proposal.lead_proposer,
        NO_FEEDBACK,
        True,
    )
    [event] = _missing_events(proposal)
    assert event.actor is None and event.data["counted_as"] == NO_FEEDBACK
    assert event.data["members"] == [proposal.lead_proposer.full_name]  # type: ignore[union-attr]
    stats = year_statistics(world.cast.city, 2026, today=AFTER)
    assert (stats.total.ratings, stats.total.no_feedback, str(stats.total.satisfaction_rate)) == (0, 1, "—")


def test_a_council_counting_missing_ratings_as_satisfied_gets_an_automatic_satisfied_rating(
    world: World,
) -> None:
    _counts_as(world, "satisfied")
    proposal = world.released()
    _sweep_on(AFTER)
    [row] = Feedback.objects.all()
    assert (row.satisfaction, row.recorded_automatically) == ("satisfied", True)
    [event] = _missing_events(proposal)
    assert event.data["counted_as"] == "satisfied"
    # It counts as configured: a satisfied rating, shown as recorded automatically.
    stats = year_statistics(world.cast.city, 2026, today=AFTER)
    total = stats.total
    assert (total.ratings, total.satisfied, total.automatic, total.no_feedback) == (1, 1, 1, 0)
    assert str(total.satisfaction_rate) == "100.0%"
    # The proposer did not rate: the status stays "reply released".
    assert Proposal.objects.get(pk=proposal.pk).status == S.RELEASED


def test_running_the_sweep_twice_changes_nothing_the_second_time(world: World) -> None:
    proposal = world.released()
    first = settle_all_feedback(today=AFTER)
    assert (first.replies, first.recorded) == (1, 1)
    snapshot = (
        list(Feedback.objects.values_list("pk", "satisfaction")),
        Event.objects.count(),
        AuditEntry.objects.count(),
        _reply(proposal).feedback_settled_at,
    )
    second = settle_all_feedback(today=AFTER + dt.timedelta(days=30))
    assert (second.replies, second.recorded) == (0, 0)
    assert snapshot == (
        list(Feedback.objects.values_list("pk", "satisfaction")),
        Event.objects.count(),
        AuditEntry.objects.count(),
        _reply(proposal).feedback_settled_at,
    )


def test_concluding_after_the_window_records_the_missing_rating_and_the_sweep_then_does_nothing(
    world: World,
) -> None:
    _counts_as(world, "satisfied")
    proposal = world.released()
    conclude_proposal(proposal, actor=world.actor("staff"), today=AFTER)
    [row] = Feedback.objects.all()
    assert (row.satisfaction, row.recorded_automatically) == ("satisfied", True)
    assert len(_missing_events(proposal)) == 1
    assert settle_all_feedback(today=AFTER).recorded == 0
    assert Feedback.objects.count() == 1 and len(_missing_events(proposal)) == 1


def test_a_proposer_who_rated_in_time_keeps_their_rating_and_nothing_is_added(world: World) -> None:
    _counts_as(world, "satisfied")
    proposal = world.rated("dissatisfied")
    _sweep_on(AFTER)
    assert list(Feedback.objects.values_list("satisfaction", "recorded_automatically")) == [
        ("dissatisfied", False)
    ]
    assert _missing_events(proposal) == []
    assert _reply(proposal).feedback_settled_at is not None


def test_a_cosigner_who_did_not_rate_is_recorded_while_the_lead_keeps_their_rating(world: World) -> None:
    CouncilSetting.objects.create(council=world.cast.city, key="cosigners_rate_replies", value=True)
    proposal = world.rated("satisfied")
    Cosigner.objects.create(proposal=proposal, member=world.cosigner, status=CosignStatus.CONFIRMED)
    conclude_proposal(proposal, actor=world.actor("staff"), today=RELEASED_ON)
    assert Feedback.objects.count() == 1  # the window is still open for the cosigner
    settle_all_feedback(today=AFTER)
    rows = dict(Feedback.objects.values_list("member_id", "satisfaction"))
    assert rows == {proposal.lead_proposer_id: "satisfied", world.cosigner.pk: NO_FEEDBACK}


def test_each_window_counts_as_the_setting_of_its_own_year(world: World) -> None:
    CouncilSetting.objects.create(
        council=world.cast.city, key="feedback_missing_counts_as", value="satisfied", year=2027
    )
    world.released()
    settle_all_feedback(today=AFTER)
    assert list(Feedback.objects.values_list("satisfaction", flat=True)) == [NO_FEEDBACK]


def test_a_proposer_cannot_choose_no_feedback_as_a_rating(world: World) -> None:
    proposal = world.released()
    with pytest.raises(ValidationError):
        rate_reply(
            _reply(proposal),
            actor=world.actor("member"),
            satisfaction=NO_FEEDBACK,
            comment="",
            today=RELEASED_ON,
        )
    assert not Feedback.objects.exists()


def test_the_timeline_says_the_rating_was_recorded_automatically(
    world: World, clients: dict[str, Client]
) -> None:
    proposal = world.released()
    settle_all_feedback(today=AFTER)
    page = (
        clients["member"]
        .get(reverse("proposals:detail", kwargs={"council_slug": "city", "pk": proposal.pk}))
        .content.decode()
    )
    assert str(EventType.FEEDBACK_MISSING.label) in page
    assert "recorded automatically" in page
