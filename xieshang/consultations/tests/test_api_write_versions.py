"""Every consultations API write answers the version now stored (tests/api/versions.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.versions import Arrange, Write, check_write
from xieshang.consultations.actions import consultations as consultation_actions
from xieshang.consultations.actions import outcomes as outcome_actions
from xieshang.consultations.actions import plans as plan_actions
from xieshang.consultations.actions.consultations import ConsultationDetails
from xieshang.consultations.actions.plans import ItemValues
from xieshang.consultations.models import Consultation, ConsultationPlan, Outcome
from xieshang.consultations.states import ParticipantCategory
from xieshang.consultations.tests.conftest import NOW, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

ITEM = {"topic": "推进城乡融合发展", "kind": "topic", "quarter": 3}
STARTS_AT = NOW + dt.timedelta(days=48)


# Arranging, with the actions --------------------------------------------------------


def plan(world: World) -> ConsultationPlan:
    return plan_actions.create_plan(year=2026, title="", actor=world.actor("staff"))


def plan_with_item(world: World) -> ConsultationPlan:
    the_plan = plan(world)
    plan_actions.save_plan_item(the_plan, values=ItemValues(**ITEM), actor=world.actor("staff"))
    return the_plan


def plan_in_revision(world: World) -> ConsultationPlan:
    return plan_actions.send_plan_for_revision(plan_with_item(world), actor=world.actor("staff"))


def approved_plan(world: World) -> ConsultationPlan:
    return plan_actions.approve_plan(
        plan_in_revision(world), approved_on=NOW.date(), note="", actor=world.actor("leader")
    )


def consultation(world: World) -> Consultation:
    details = ConsultationDetails(kind="topic", topic="推进城乡融合发展", starts_at=STARTS_AT)
    return consultation_actions.create_consultation(details=details, actor=world.actor("staff"))


def notified(world: World) -> Consultation:
    the_consultation = consultation(world)
    consultation_actions.add_participant(
        the_consultation,
        category=ParticipantCategory.MEMBER,
        member=world.cast.member_record,
        actor=world.actor("staff"),
    )
    return consultation_actions.send_notice(the_consultation, actor=world.actor("staff"))


def held(world: World) -> Consultation:
    the_consultation = notified(world)
    # The day has come: the consultation took place yesterday.
    Consultation.objects.filter(pk=the_consultation.pk).update(starts_at=NOW - dt.timedelta(days=1))
    return consultation_actions.mark_held(
        the_consultation, held_on=NOW.date() - dt.timedelta(days=1), actor=world.actor("staff")
    )


def outcome(world: World) -> Outcome:
    return outcome_actions.write_outcome(
        held(world), kind="recommendation", title="建议案", text="正文", actor=world.actor("staff")
    )


def sent_outcome(world: World) -> Outcome:
    return outcome_actions.send_outcome(
        outcome(world), offices=[world.party_office], actor=world.actor("staff")
    )


# The writes --------------------------------------------------------------------------


def create_consultation_plan(world: World) -> Write:
    return Write(world.cast.staff, "POST", "/consultation-plans", ConsultationPlan, {"year": 2026})


def add_consultation_plan_item(world: World) -> Write:
    path = f"/consultation-plans/{plan(world).pk}/items"
    return Write(world.cast.staff, "POST", path, ConsultationPlan, ITEM)


def change_consultation_plan_item(world: World) -> Write:
    the_plan = plan_with_item(world)
    path = f"/consultation-plans/{the_plan.pk}/items/{the_plan.items.get().pk}"
    return Write(world.cast.staff, "PUT", path, ConsultationPlan, {**ITEM, "quarter": 4})


def send_consultation_plan_for_revision(world: World) -> Write:
    path = f"/consultation-plans/{plan_with_item(world).pk}/revision"
    return Write(world.cast.staff, "POST", path, ConsultationPlan)


def approve_consultation_plan(world: World) -> Write:
    path = f"/consultation-plans/{plan_in_revision(world).pk}/approve"
    return Write(world.cast.leader, "POST", path, ConsultationPlan, {"approved_on": NOW.date().isoformat()})


def issue_consultation_plan(world: World) -> Write:
    path = f"/consultation-plans/{approved_plan(world).pk}/issue"
    return Write(world.cast.staff, "POST", path, ConsultationPlan, {"issued_on": NOW.date().isoformat()})


def create_consultation(world: World) -> Write:
    body = {"kind": "topic", "topic": "推进城乡融合发展", "starts_at": STARTS_AT.isoformat()}
    return Write(world.cast.staff, "POST", "/consultations", Consultation, body)


def send_consultation_notice(world: World) -> Write:
    the_consultation = consultation(world)
    consultation_actions.add_participant(
        the_consultation,
        category=ParticipantCategory.MEMBER,
        member=world.cast.member_record,
        actor=world.actor("staff"),
    )
    return Write(world.cast.staff, "POST", f"/consultations/{the_consultation.pk}/notice", Consultation)


def mark_consultation_held(world: World) -> Write:
    the_consultation = notified(world)
    Consultation.objects.filter(pk=the_consultation.pk).update(starts_at=NOW - dt.timedelta(days=1))
    path = f"/consultations/{the_consultation.pk}/held"
    body = {"held_on": (NOW.date() - dt.timedelta(days=1)).isoformat()}
    return Write(world.cast.staff, "POST", path, Consultation, body)


def send_consultation_minutes(world: World) -> Write:
    path = f"/consultations/{held(world).pk}/minutes"
    return Write(world.cast.staff, "POST", path, Consultation, {"minutes": "会议纪要"})


def write_consultation_outcome(world: World) -> Write:
    path = f"/consultations/{held(world).pk}/outcomes"
    body = {"kind": "recommendation", "title": "建议案", "text": "正文"}
    return Write(world.cast.staff, "POST", path, Outcome, body)


def send_consultation_outcome(world: World) -> Write:
    path = f"/consultation-outcomes/{outcome(world).pk}/send"
    return Write(world.cast.staff, "POST", path, Outcome, {"office_ids": [world.party_office.pk]})


def record_consultation_outcome_adoption(world: World) -> Write:
    path = f"/consultation-outcomes/{sent_outcome(world).pk}/adoption"
    return Write(world.cast.oversight, "POST", path, Outcome, {"adoption": "adopted", "note": "已采纳"})


def set_consultation_outcome_follow_up(world: World) -> Write:
    path = f"/consultation-outcomes/{sent_outcome(world).pk}/follow-up"
    body = {"follow_up_on": (NOW.date() + dt.timedelta(days=30)).isoformat()}
    return Write(world.cast.staff, "POST", path, Outcome, body)


CASES: dict[str, Arrange] = {
    arrange.__name__: arrange
    for arrange in (
        create_consultation_plan,
        add_consultation_plan_item,
        change_consultation_plan_item,
        send_consultation_plan_for_revision,
        approve_consultation_plan,
        issue_consultation_plan,
        create_consultation,
        send_consultation_notice,
        mark_consultation_held,
        send_consultation_minutes,
        write_consultation_outcome,
        send_consultation_outcome,
        record_consultation_outcome_adoption,
        set_consultation_outcome_follow_up,
    )
}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_write_answers_the_stored_version(operation: str, world: World) -> None:
    check_write(CASES[operation](world))
