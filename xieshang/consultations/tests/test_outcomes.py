"""Outcome reports through their actions: writing and sending to the
offices, leaders' instructions, conversion with evidence, follow-up
reminders, and the year-end figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.consultations.actions import outcomes as actions
from xieshang.consultations.actions.sweeps import sweep
from xieshang.consultations.models import Consultation, Outcome, OutcomeInstruction
from xieshang.consultations.queries import office_outcomes, year_report
from xieshang.consultations.states import ConsultationStatus, OutcomeStatus
from xieshang.consultations.tests.conftest import World
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.attachments import attachments_of
from xieshang.core.errors import InvalidTransition
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def held_consultation(world: World) -> Consultation:
    return ConsultationFactory(
        council=world.cast.city,
        created_by=world.cast.staff,
        status=ConsultationStatus.HELD,
        held_on=dt.date(2026, 8, 20),
        starts_at=timezone.make_aware(dt.datetime(2026, 8, 20, 9)),
    )


def written(world: World) -> Outcome:
    return actions.write_outcome(
        held_consultation(world),
        kind="special_report",
        title="关于推进城乡融合发展的建议",
        text="……",
        actor=world.actor("staff"),
    )


def sent(world: World, *, to_gov_only: bool = False) -> Outcome:
    offices = [world.gov_office] if to_gov_only else [world.party_office, world.gov_office]
    return actions.send_outcome(written(world), offices=offices, actor=world.actor("staff"))


def instruct(world: World, outcome: Outcome, name: str = "oversight") -> OutcomeInstruction:
    return actions.record_outcome_instruction(
        outcome,
        leader_name="张书记",
        level="city",
        text="请市发改委牵头研究落实。",
        instructed_on=dt.date(2026, 9, 1),
        actor=world.actor(name),
    )


def test_outcomes_are_written_only_for_held_consultations(world: World) -> None:
    preparing = ConsultationFactory(council=world.cast.city, created_by=world.cast.staff)
    with assert_nothing_changed(preparing, Outcome), pytest.raises(PermissionDenied):
        actions.write_outcome(
            preparing, kind="recommendation", title="x", text="y", actor=world.actor("staff")
        )
    with pytest.raises(ValidationError) as error:
        actions.write_outcome(
            held_consultation(world), kind="memo", title=" ", text="", actor=world.actor("staff")
        )
    assert set(error.value.message_dict) == {"kind", "title", "text"}


def test_a_sent_outcome_reaches_the_chosen_offices_inbox(world: World) -> None:
    outcome = sent(world, to_gov_only=True)
    assert outcome.status == OutcomeStatus.SENT
    assert list(office_outcomes(world.actor("gov"))) == [outcome]
    assert not office_outcomes(world.actor("oversight")).exists()
    assert Notification.objects.filter(recipient=world.gov, kind="consultations.outcome_sent").exists()
    assert not Notification.objects.filter(
        recipient=world.cast.oversight, kind="consultations.outcome_sent"
    ).exists()


def test_sending_needs_offices_of_this_council(world: World) -> None:
    outcome = written(world)
    with pytest.raises(ValidationError):
        actions.send_outcome(outcome, offices=[], actor=world.actor("staff"))
    with pytest.raises(ValidationError):
        actions.send_outcome(outcome, offices=[world.far_office], actor=world.actor("staff"))
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DRAFT


def test_the_receiving_office_records_an_instruction_and_staff_are_told(world: World) -> None:
    outcome = sent(world)
    instruction = instruct(world, outcome)
    assert (instruction.office, instruction.leader_name, instruction.level) == (
        world.party_office,
        "张书记",
        "city",
    )
    assert Notification.objects.filter(
        recipient=world.cast.staff, kind="consultations.outcome_instructed"
    ).exists()


def test_an_office_the_outcome_was_not_sent_to_cannot_record_on_it(world: World) -> None:
    outcome = sent(world, to_gov_only=True)
    with assert_nothing_changed(outcome, OutcomeInstruction), pytest.raises(PermissionDenied):
        instruct(world, outcome, "oversight")
    with assert_nothing_changed(outcome, OutcomeInstruction), pytest.raises(PermissionDenied):
        actions.record_adoption(outcome, adoption="adopted", note="", actor=world.actor("oversight"))
    assert not OutcomeInstruction.objects.exists()
    outcome.refresh_from_db()
    assert outcome.adoption == ""


def test_an_oversight_user_of_another_council_cannot_record_on_this_councils_outcome(world: World) -> None:
    outcome = sent(world)
    far = world.actor("far_oversight", "other_city")
    with assert_nothing_changed(outcome, OutcomeInstruction), pytest.raises(PermissionDenied):
        actions.record_outcome_instruction(
            outcome, leader_name="李", level="city", text="x", instructed_on=dt.date(2026, 8, 31), actor=far
        )
    assert not office_outcomes(far).exists()
    assert not OutcomeInstruction.objects.exists()


def test_instruction_dates_are_checked(world: World) -> None:
    outcome = sent(world)
    for day in (dt.date(2026, 9, 2), dt.date(2026, 8, 1)):
        with pytest.raises(ValidationError) as error:
            actions.record_outcome_instruction(
                outcome,
                leader_name="张书记",
                level="city",
                text="阅",
                instructed_on=day,
                actor=world.actor("oversight"),
            )
        assert "instructed_on" in error.value.message_dict


def test_adoption_with_evidence_converts_the_outcome(world: World) -> None:
    outcome = sent(world)
    evidence = SimpleUploadedFile("政策文件.pdf", PDF, content_type="application/pdf")
    actions.record_adoption(
        outcome,
        adoption="policy_issued",
        note="市政府出台实施意见",
        evidence=[evidence],
        actor=world.actor("gov"),
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.adoption) == (OutcomeStatus.CONVERTED, "policy_issued")
    assert [a.original_name for a in attachments_of(outcome)] == ["政策文件.pdf"]
    # Recorded already: a conflict naming the state, not a denial.
    with assert_nothing_changed(outcome), pytest.raises(InvalidTransition, match="«conversion recorded»"):
        actions.record_adoption(outcome, adoption="adopted", note="", actor=world.actor("gov"))


def test_not_adopted_needs_the_reason(world: World) -> None:
    outcome = sent(world)
    with pytest.raises(ValidationError) as error:
        actions.record_adoption(outcome, adoption="not_adopted", note="", actor=world.actor("gov"))
    assert "note" in error.value.message_dict
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.SENT


def test_in_progress_keeps_the_outcome_open_and_the_follow_up_reminds_staff_once(world: World) -> None:
    outcome = sent(world)
    actions.record_adoption(
        outcome,
        adoption="in_progress",
        note="正在研究",
        follow_up_on=dt.date(2026, 10, 9),
        actor=world.actor("gov"),
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.follow_up_on) == (OutcomeStatus.SENT, dt.date(2026, 10, 9))
    assert not sweep(dt.date(2026, 10, 8)).follow_ups
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 10, 9, 8)), tick=False):
        assert sweep(timezone.localdate()).follow_ups == 1
        sweep(timezone.localdate())
    reminders = Notification.objects.filter(kind="consultations.follow_up")
    assert list(reminders.values_list("recipient__username", flat=True)) == ["staff"]
    # A new follow-up date asks again, once.
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 10, 10, 8)), tick=False):
        actions.set_follow_up(outcome, follow_up_on=dt.date(2026, 11, 9), actor=world.actor("staff"))
    sweep(dt.date(2026, 11, 9))
    assert reminders.count() == 2


@pytest.mark.parametrize(
    ("name", "follow_up_on", "error"),
    [("staff", dt.date(2026, 9, 1), ValidationError), ("leader", dt.date(2026, 10, 1), PermissionDenied)],
    ids=["a date not in the future", "set by a leader"],
)
def test_follow_up_dates_lie_in_the_future_and_are_set_by_staff(
    world: World, name: str, follow_up_on: dt.date, error: type[Exception]
) -> None:
    outcome = sent(world)
    with assert_nothing_changed(outcome), pytest.raises(error):
        actions.set_follow_up(outcome, follow_up_on=follow_up_on, actor=world.actor(name))


def test_the_year_end_report_counts_conversion(world: World) -> None:
    first = sent(world)
    instruct(world, first)
    actions.record_adoption(first, adoption="adopted", note="", actor=world.actor("oversight"))
    second = sent(world)
    actions.record_adoption(second, adoption="not_adopted", note="财力不足", actor=world.actor("gov"))
    written(world)  # a draft does not count
    report = year_report(world.cast.city, 2026)
    assert (report.held, report.outcome_count, report.instructed, report.converted, report.not_adopted) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert report.conversion_rate == 50.0
