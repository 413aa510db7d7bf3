from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from xieshang.core.models import Notification
from xieshang.proposals.actions.handling import UnitRole, approve_extension, assign_proposal
from xieshang.proposals.actions.reminders import remind_all
from xieshang.proposals.models import Proposal
from xieshang.proposals.states import AssignmentRole
from xieshang.proposals.tasks import send_reply_reminders
from xieshang.proposals.tests.conftest import World

pytestmark = pytest.mark.django_db


def _reminders(world: World) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=world.cast.liaison, kind__in=("proposal.reminder", "proposal.overdue")
        )
        .order_by("id")
        .values_list("dedupe_key", flat=True)
    )


def _assign_due_on_8_october(world: World) -> None:
    # Assigned 1 July 2026: due 1 October, a holiday, so 8 October.
    assign_proposal(
        world.accepted(),
        actor=world.actor("staff"),
        units=[UnitRole(world.unit, AssignmentRole.LEAD)],
        assigned_on=dt.date(2026, 7, 1),
    )


def test_nothing_is_sent_long_before_the_deadline(world: World) -> None:
    _assign_due_on_8_october(world)
    remind_all(today=dt.date(2026, 8, 1))
    assert _reminders(world) == []


def test_fifteen_and_five_working_days_before_and_overdue_each_once(world: World) -> None:
    _assign_due_on_8_october(world)
    # Counting over Mid-Autumn (25 Sep), the National Day holiday and the
    # adjusted working Sunday 20 Sep, 10 Sep is 15 working days before 8 Oct.
    remind_all(today=dt.date(2026, 9, 9))
    assert _reminders(world) == []
    remind_all(today=dt.date(2026, 9, 10))
    remind_all(today=dt.date(2026, 9, 11))
    assert len(_reminders(world)) == 1 and _reminders(world)[0].endswith(":15")
    # 24, 28, 29, 30 Sep and 8 Oct: 23 Sep is 5 working days before.
    remind_all(today=dt.date(2026, 9, 22))
    assert len(_reminders(world)) == 1
    remind_all(today=dt.date(2026, 9, 23))
    assert _reminders(world)[-1].endswith(":5")
    remind_all(today=dt.date(2026, 10, 9))
    remind_all(today=dt.date(2026, 10, 12))
    keys = _reminders(world)
    assert len(keys) == 3 and keys[-1].endswith(":overdue")
    assert Notification.objects.filter(recipient=world.cast.staff, kind="proposal.overdue").count() == 1


def test_running_the_sweep_twice_sends_nothing_twice(world: World) -> None:
    _assign_due_on_8_october(world)
    with time_machine.travel(dt.datetime(2026, 9, 30, 9, tzinfo=dt.UTC), tick=False):
        first = send_reply_reminders.enqueue().return_value
        second = send_reply_reminders.enqueue().return_value
    assert first == {"checked": 1, "reminded": 1, "overdue": 0, "nudged": 0, "settled": 0}
    assert second == first
    assert len(_reminders(world)) == 1


def test_an_extension_moves_the_reminders(world: World) -> None:
    _assign_due_on_8_october(world)
    remind_all(today=dt.date(2026, 10, 9))
    assignment = world.assignment(Proposal.objects.get())
    approve_extension(
        assignment, actor=world.actor("staff"), new_due_on=dt.date(2026, 12, 31), reason="跨部门协调"
    )
    remind_all(today=dt.date(2026, 10, 12))
    assert [k.rsplit(":", 1)[1] for k in _reminders(world)] == ["overdue"]


def test_replied_assignments_get_no_reminder(world: World) -> None:
    world.replied()
    remind_all(today=dt.date(2026, 6, 3))
    assert _reminders(world) == []


def _kinds(user: object, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_unit_is_nudged_once_to_contact_the_proposer_unless_it_did(world: World) -> None:
    proposal = world.assigned()  # 2 March: contact due 23 March
    remind_all(today=dt.date(2026, 3, 13))
    assert _kinds(world.cast.liaison, "proposal.handling_reminder") == 0
    remind_all(today=dt.date(2026, 3, 16))
    remind_all(today=dt.date(2026, 3, 17))
    assert _kinds(world.cast.liaison, "proposal.handling_reminder") == 1
    other = world.assigned()
    from xieshang.proposals.actions.handling import record_handling_note

    record_handling_note(
        world.assignment(other),
        actor=world.actor("liaison"),
        kind="pre_handling_contact",
        text="已电话联系",
        happened_on=dt.date(2026, 3, 3),
        today=dt.date(2026, 3, 3),
    )
    remind_all(today=dt.date(2026, 3, 18))
    assert _kinds(world.cast.liaison, "proposal.handling_reminder") == 1
    assert proposal.pk != other.pk


def test_proposer_is_reminded_once_to_rate_before_the_window_closes(world: World) -> None:
    world.released()  # released 11 May: rate by 1 June
    remind_all(today=dt.date(2026, 5, 20))
    assert _kinds(world.cast.member, "proposal.rating_reminder") == 0
    remind_all(today=dt.date(2026, 5, 26))
    remind_all(today=dt.date(2026, 5, 27))
    assert _kinds(world.cast.member, "proposal.rating_reminder") == 1


def test_proposer_who_rated_gets_no_rating_reminder(world: World) -> None:
    world.rated("satisfied")
    remind_all(today=dt.date(2026, 5, 27))
    assert _kinds(world.cast.member, "proposal.rating_reminder") == 0
