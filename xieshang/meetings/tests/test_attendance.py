"""Attendance fixed when a meeting closes: present, partial (below the
configured share of sittings: counts as absent), excused, absent; and the
threshold flags staff see (never sanctions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.models import Member
from xieshang.meetings.actions.check_in import check_in_by_staff, set_walk_ins
from xieshang.meetings.actions.leave import decide_leave, request_leave
from xieshang.meetings.actions.meetings import close_meeting, fix_attendance
from xieshang.meetings.models import Attendance, Meeting
from xieshang.meetings.queries import attendance_records, attendance_status, flagged_members
from xieshang.meetings.states import AttendanceStatus, MeetingKind
from xieshang.meetings.tests.conftest import BEFORE, World, seated
from xieshang.meetings.tests.factories import START, InvitationFactory, MeetingFactory, SittingFactory

A = AttendanceStatus


@pytest.mark.parametrize(
    ("attended", "total", "leave", "expected"),
    [
        (3, 3, False, A.PRESENT),
        (2, 3, False, A.PRESENT),  # 67% meets the default share of 67%
        (1, 3, False, A.PARTIAL),
        (1, 3, True, A.EXCUSED),
        (0, 3, True, A.EXCUSED),
        (0, 3, False, A.ABSENT),
        (1, 1, True, A.PRESENT),  # came after all
        (65, 100, False, A.PARTIAL),
    ],
)
def test_status_from_sittings_attended(attended: int, total: int, leave: bool, expected: str) -> None:
    assert (
        attendance_status(attended=attended, total=total, has_approved_leave=leave, min_percent=67)
        == expected
    )


def plenary(world: World, sittings: int = 3, *, starts: dt.datetime = START, term=None) -> Meeting:
    meeting = MeetingFactory(
        council=world.cast.city,
        term=term or world.cast.term,
        kind=MeetingKind.PLENARY,
        starts_at=starts,
        ends_at=starts + dt.timedelta(days=3),
        with_sitting=False,
    )
    for n in range(sittings):
        SittingFactory(
            meeting=meeting,
            starts_at=starts + dt.timedelta(days=n),
            ends_at=starts + dt.timedelta(days=n, hours=3),
        )
    return meeting


def attend(world: World, meeting: Meeting, member: Member, count: int) -> None:
    for sitting in list(meeting.sittings.order_by("number"))[:count]:
        check_in_by_staff(sitting, actor=world.actor("staff"), member=member, now=sitting.starts_at)


def test_closing_fixes_each_invitees_attendance(world: World) -> None:
    meeting = plenary(world)
    for member in (world.cast.member_record, world.colleague_record, world.bystander_record):
        InvitationFactory(meeting=meeting, member=member)
    attend(world, meeting, world.cast.member_record, 2)
    attend(world, meeting, world.colleague_record, 1)
    close_meeting(meeting, actor=world.actor("staff"), now=START + dt.timedelta(days=3))
    fixed = {
        a.member.full_name: (a.status, a.sittings_attended, a.sittings_total)
        for a in meeting.attendances.all()
    }
    assert fixed == {"李委员": ("present", 2, 3), "王委员": ("partial", 1, 3), "赵委员": ("absent", 0, 3)}
    assert meeting.attendances.get(member=world.colleague_record).counts_as_absent


def test_a_higher_share_setting_makes_two_of_three_partial(world: World) -> None:
    change_setting(actor=world.actor("admin"), key="partial_attendance_min_percent", raw_value=80)
    meeting = plenary(world)
    InvitationFactory(meeting=meeting, member=world.cast.member_record)
    attend(world, meeting, world.cast.member_record, 2)
    close_meeting(meeting, actor=world.actor("staff"), now=START + dt.timedelta(days=3))
    assert meeting.attendances.get().status == "partial"


def test_approved_leave_makes_an_absence_excused(world: World) -> None:
    leave = request_leave(world.meeting, actor=world.actor("member"), reason="出差", now=BEFORE)
    decide_leave(leave, actor=world.actor("leader"), approve=True)
    close_meeting(world.meeting, actor=world.actor("staff"), now=START + dt.timedelta(hours=1))
    assert Attendance.objects.get(member=world.cast.member_record).status == "excused"
    assert Attendance.objects.get(member=world.colleague_record).status == "absent"


def test_walk_ins_are_recorded_but_not_as_invited(world: World) -> None:
    set_walk_ins(world.sitting, actor=world.actor("staff"), allowed=True)
    attend(world, world.meeting, world.bystander_record, 1)
    close_meeting(world.meeting, actor=world.actor("staff"), now=START + dt.timedelta(hours=1))
    row = Attendance.objects.get(member=world.bystander_record)
    assert (row.status, row.is_invited) == ("present", False)


def test_fixing_twice_gives_the_same_rows(world: World) -> None:
    attend(world, world.meeting, world.cast.member_record, 1)
    close_meeting(world.meeting, actor=world.actor("staff"), now=START + dt.timedelta(hours=1))
    first = sorted(Attendance.objects.values_list("pk", "member_id", "status"))
    fix_attendance(world.meeting)
    assert sorted(Attendance.objects.values_list("pk", "member_id", "status")) == first


@pytest.mark.parametrize("name", ["member", "leader", "liaison"])
def test_only_staff_close_meetings(world: World, name: str) -> None:
    with assert_nothing_changed(world.meeting, Attendance), pytest.raises(PermissionDenied):
        close_meeting(world.meeting, actor=world.actor(name), now=START + dt.timedelta(hours=1))
    assert not Attendance.objects.exists()


def test_a_meeting_is_not_closed_before_it_begins(world: World) -> None:
    with assert_nothing_changed(world.meeting, Attendance), pytest.raises(PermissionDenied):
        close_meeting(world.meeting, actor=world.actor("staff"), now=START - dt.timedelta(minutes=1))


def absent_from(
    world: World, member: Member, kind: str, starts: list[dt.datetime], attended: int = 0
) -> None:
    for when in starts:
        meeting = MeetingFactory(council=world.cast.city, term=world.cast.term, kind=kind, starts_at=when)
        InvitationFactory(meeting=meeting, member=member)
        if attended:
            attend(world, meeting, member, attended)
        close_meeting(meeting, actor=world.actor("staff"), now=when + dt.timedelta(hours=4))


def days(*offsets: int) -> list[dt.datetime]:
    return [START + dt.timedelta(days=o) for o in offsets]


def test_three_plenary_absences_in_the_term_flag_a_member_two_do_not(world: World) -> None:
    absent_from(world, world.cast.member_record, MeetingKind.PLENARY, days(0, 400, 800))
    absent_from(world, world.colleague_record, MeetingKind.PLENARY, days(1, 401))
    flagged = flagged_members(world.cast.city, year=2026)
    assert [f.member for f in flagged] == [world.cast.member_record]
    assert flagged[0].plenary_absences_in_term == 3


def test_partial_plenary_attendance_counts_towards_the_flag(world: World) -> None:
    for offset in (0, 400, 800):
        meeting = plenary(world, starts=START + dt.timedelta(days=offset))
        InvitationFactory(meeting=meeting, member=world.cast.member_record)
        attend(world, meeting, world.cast.member_record, 1)
        close_meeting(meeting, actor=world.actor("staff"), now=meeting.ends_at)
    assert [f.member for f in flagged_members(world.cast.city, year=2026)] == [world.cast.member_record]


def test_standing_committee_members_are_flagged_at_three_in_a_year(world: World) -> None:
    _user, standing = seated(world.cast, "standing", "钱常委", is_standing_committee_member=True)
    absent_from(world, standing, MeetingKind.STANDING_COMMITTEE, days(10, 40, 70))
    # Not a standing-committee member: the same absences are no flag.
    absent_from(world, world.colleague_record, MeetingKind.STANDING_COMMITTEE, days(11, 41, 71))
    flagged = flagged_members(world.cast.city, year=2026)
    assert [f.member for f in flagged] == [standing]
    assert flagged[0].standing_absences_in_year == 3
    assert flagged_members(world.cast.city, year=2027) == []


def test_standing_committee_members_are_flagged_at_seven_in_a_term(world: World) -> None:
    _user, standing = seated(world.cast, "standing", "钱常委", is_standing_committee_member=True)
    # Two a year for four years (2026–2029 lie in a term ending 2027; extend it).
    world.cast.term.ends_on = dt.date(2030, 12, 31)
    world.cast.term.save()
    absent_from(world, standing, MeetingKind.STANDING_COMMITTEE, days(10, 60, 375, 425, 740, 790, 1105))
    flagged = flagged_members(world.cast.city, year=2029)
    assert flagged[0].standing_absences_in_term == 7 and flagged[0].standing_absences_in_year == 1


def test_attendance_records_for_duty_list_closed_meetings_only(world: World) -> None:
    absent_from(world, world.cast.member_record, MeetingKind.CHAIR_MEETING, days(5))
    rows = list(attendance_records(world.cast.city, year=2026, member=world.cast.member_record))
    assert [(r.meeting.kind, r.status) for r in rows] == [("chair_meeting", "absent")]
    assert list(attendance_records(world.cast.other_city)) == []
