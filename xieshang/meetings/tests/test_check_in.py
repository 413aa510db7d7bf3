"""Checking in with the scanned code and by staff: who is refused, with
which message, and that nothing is written when refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.testing import assert_nothing_changed
from xieshang.meetings.actions.check_in import (
    check_in_by_staff,
    check_in_with_code,
    mark_check_in,
    set_walk_ins,
    undo_check_in,
)
from xieshang.meetings.actions.meetings import cancel_meeting
from xieshang.meetings.codes import code_for
from xieshang.meetings.models import Attendance, CheckIn
from xieshang.meetings.states import MeetingStatus
from xieshang.meetings.tests.conftest import World
from xieshang.meetings.tests.factories import START, MeetingFactory

DURING = START + dt.timedelta(minutes=5)


def refused(world: World, name: str, code: str, now: dt.datetime, **kwargs: object) -> str:
    before = CheckIn.objects.count()
    with pytest.raises(ValidationError) as info:
        check_in_with_code(actor=world.actor(name), code=code, now=now, **kwargs)  # type: ignore[arg-type]
    assert CheckIn.objects.count() == before
    return str(info.value.code)


def test_invited_member_checks_in_with_the_current_code(world: World) -> None:
    row = check_in_with_code(actor=world.actor("member"), code=code_for(world.sitting.pk, DURING), now=DURING)
    assert (row.sitting, row.member, row.method, row.is_walk_in, row.is_late) == (
        world.sitting,
        world.cast.member_record,
        "code",
        False,
        False,
    )


def test_second_scan_says_already_checked_in(world: World) -> None:
    code = code_for(world.sitting.pk, DURING)
    check_in_with_code(actor=world.actor("member"), code=code, now=DURING)
    assert refused(world, "member", code, DURING + dt.timedelta(seconds=3)) == "already_checked_in"
    assert CheckIn.objects.filter(member=world.cast.member_record).count() == 1


def test_code_expires_after_its_window_and_the_next(world: World) -> None:
    with time_machine.travel(DURING, tick=False) as traveller:
        code = code_for(world.sitting.pk, dt.datetime.now(dt.UTC))
        traveller.shift(dt.timedelta(seconds=65))
        assert refused(world, "member", code, dt.datetime.now(dt.UTC)) == "expired_code"
        fresh = code_for(world.sitting.pk, dt.datetime.now(dt.UTC))
        assert check_in_with_code(actor=world.actor("member"), code=fresh, now=dt.datetime.now(dt.UTC))


def test_tampered_code_is_invalid(world: World) -> None:
    code = code_for(world.sitting.pk, DURING)
    assert refused(world, "member", code[:-2] + "00", DURING) == "invalid_code"
    assert refused(world, "member", "not-a-code", DURING) == "invalid_code"


def test_code_of_another_council_is_refused(world: World) -> None:
    elsewhere = MeetingFactory(council=world.cast.other_city, starts_at=START)
    sitting = elsewhere.sittings.get()
    assert refused(world, "member", code_for(sitting.pk, DURING), DURING) == "other_council"


def test_code_of_another_meeting_is_refused_when_checking_in_to_a_named_meeting(world: World) -> None:
    other = MeetingFactory(council=world.cast.city, term=world.cast.term, starts_at=START)
    code = code_for(other.sittings.get().pk, DURING)
    assert refused(world, "member", code, DURING, meeting_id=world.meeting.pk) == "other_meeting"


def test_member_not_invited_is_refused_unless_walk_ins_are_allowed(world: World) -> None:
    code = code_for(world.sitting.pk, DURING)
    assert refused(world, "bystander", code, DURING) == "not_invited"
    set_walk_ins(world.sitting, actor=world.actor("staff"), allowed=True)
    row = check_in_with_code(actor=world.actor("bystander"), code=code, now=DURING)
    assert row.is_walk_in


def test_cancelled_meeting_is_not_open_for_check_in(world: World) -> None:
    cancel_meeting(world.meeting, actor=world.actor("staff"), reason="因故取消")
    assert refused(world, "member", code_for(world.sitting.pk, DURING), DURING) == "not_open"


def test_staff_cannot_check_in_with_the_code(world: World) -> None:
    with assert_nothing_changed(world.sitting, CheckIn), pytest.raises(PermissionDenied):
        check_in_with_code(actor=world.actor("staff"), code=code_for(world.sitting.pk, DURING), now=DURING)


def test_check_in_long_after_the_start_is_marked_late(world: World) -> None:
    later = START + dt.timedelta(minutes=40)
    row = check_in_with_code(actor=world.actor("member"), code=code_for(world.sitting.pk, later), now=later)
    assert row.is_late


def test_staff_check_in_by_hand_and_mark_late_and_early(world: World) -> None:
    staff = world.actor("staff")
    row = check_in_by_staff(world.sitting, actor=staff, member=world.colleague_record, now=DURING)
    assert row.method == "by_staff"
    with pytest.raises(ValidationError):
        check_in_by_staff(world.sitting, actor=staff, member=world.colleague_record, now=DURING)
    row = mark_check_in(row, actor=staff, is_late=True, left_early=True)
    assert (row.is_late, row.left_early) == (True, True)


def test_staff_check_in_of_someone_not_invited_needs_walk_ins(world: World) -> None:
    staff = world.actor("staff")
    with pytest.raises(ValidationError):
        check_in_by_staff(world.sitting, actor=staff, member=world.bystander_record, now=DURING)
    set_walk_ins(world.sitting, actor=staff, allowed=True)
    assert check_in_by_staff(world.sitting, actor=staff, member=world.bystander_record, now=DURING).is_walk_in


@pytest.mark.parametrize("name", ["member", "leader", "liaison"])
def test_only_staff_take_attendance_by_hand(world: World, name: str) -> None:
    with assert_nothing_changed(world.sitting, CheckIn), pytest.raises(PermissionDenied):
        check_in_by_staff(world.sitting, actor=world.actor(name), member=world.colleague_record, now=DURING)
    with assert_nothing_changed(world.sitting), pytest.raises(PermissionDenied):
        set_walk_ins(world.sitting, actor=world.actor(name), allowed=True)
    assert not CheckIn.objects.exists()


def test_corrections_after_closing_update_the_fixed_attendance(world: World) -> None:
    from xieshang.meetings.actions.meetings import close_meeting

    staff = world.actor("staff")
    close_meeting(world.meeting, actor=staff, now=START + dt.timedelta(hours=4))
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CLOSED
    assert Attendance.objects.get(member=world.colleague_record).status == "absent"
    row = check_in_by_staff(world.sitting, actor=staff, member=world.colleague_record, now=DURING)
    assert Attendance.objects.get(member=world.colleague_record).status == "present"
    mark_check_in(row, actor=staff, is_late=True, left_early=False)
    assert Attendance.objects.get(member=world.colleague_record).was_late
    undo_check_in(row, actor=staff)
    assert Attendance.objects.get(member=world.colleague_record).status == "absent"
