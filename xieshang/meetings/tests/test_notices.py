"""Notices go out at the configured lead time (working days before the
start), once per round, by inbox and SMS; changes and cancellations too."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from xieshang.core.models import Notification, NotificationDelivery
from xieshang.councils.actions.settings import change_setting
from xieshang.meetings.actions.meetings import (
    InviteeChoice,
    MeetingDetails,
    cancel_meeting,
    create_meeting,
    set_invitees,
    sweep,
    update_meeting,
)
from xieshang.meetings.models import Meeting
from xieshang.meetings.states import MeetingKind, MeetingStatus
from xieshang.meetings.tests.conftest import World

# Tuesday 10 March 2026, 09:00; three working days before is Thursday 5 March.
START = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0))


def notices(meeting: Meeting) -> list[Notification]:
    return list(Notification.objects.filter(kind="meeting.notice", url__contains=f"/meetings/{meeting.pk}/"))


def plan(world: World, **changes: object) -> Meeting:
    details = MeetingDetails(
        kind=MeetingKind.STANDING_COMMITTEE,
        title="市政协常委会第十二次会议",
        place="市民中心三楼",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=3),
    )
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0)), tick=False):
        meeting = create_meeting(actor=world.actor("staff"), details=details, publish=True)
        set_invitees(
            meeting, actor=world.actor("staff"), choice=InviteeChoice(members=[world.cast.member_record])
        )
    return meeting


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, 0))


def test_notice_day_is_counted_in_working_days(world: World) -> None:
    assert plan(world).notice_due_on == dt.date(2026, 3, 5)


def test_sweep_sends_nothing_before_the_notice_day(world: World, django_capture_on_commit_callbacks) -> None:
    meeting = plan(world)
    with time_machine.travel(at(4, 23), tick=False):
        assert sweep(now=timezone.now()).notices == 0
    assert notices(meeting) == []


def test_sweep_sends_the_notice_once_by_inbox_and_sms(
    world: World, django_capture_on_commit_callbacks
) -> None:
    meeting = plan(world)
    with time_machine.travel(at(5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            # The world's own meeting (two invitees) is due as well.
            assert sweep(now=timezone.now()).notices == 1 + 2
        assert sweep(now=timezone.now()).notices == 0
    (notice,) = notices(meeting)
    assert notice.recipient == world.cast.member
    assert notice.channels == ["sms"]
    assert NotificationDelivery.objects.filter(notification=notice, channel="sms").count() == 1
    meeting.refresh_from_db()
    assert meeting.notice_sent_at is not None


def test_publishing_on_or_after_the_notice_day_sends_at_once(world: World) -> None:
    details = MeetingDetails(
        kind=MeetingKind.CHAIR_MEETING,
        title="主席会议",
        place="二楼",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
    )
    with time_machine.travel(at(6), tick=False):
        meeting = create_meeting(actor=world.actor("staff"), details=details)
        set_invitees(
            meeting, actor=world.actor("staff"), choice=InviteeChoice(members=[world.cast.member_record])
        )
        assert notices(meeting) == []  # a draft tells nobody
        from xieshang.meetings.actions.meetings import publish_meeting

        publish_meeting(meeting, actor=world.actor("staff"))
    assert len(notices(meeting)) == 1


def test_members_invited_after_the_notice_get_it_from_the_next_sweep(world: World) -> None:
    meeting = plan(world)
    with time_machine.travel(at(5), tick=False):
        sweep(now=timezone.now())
        set_invitees(
            meeting,
            actor=world.actor("staff"),
            choice=InviteeChoice(members=[world.cast.member_record, world.colleague_record]),
        )
        sweep(now=timezone.now())
    assert sorted(n.recipient.username for n in notices(meeting)) == ["colleague", "member"]


def test_a_changed_time_after_the_notice_sends_a_new_notice(world: World) -> None:
    meeting = plan(world)
    with time_machine.travel(at(5), tick=False):
        sweep(now=timezone.now())
        moved = MeetingDetails(
            kind=meeting.kind,
            title=meeting.title,
            place=meeting.place,
            starts_at=START + dt.timedelta(hours=5),
            ends_at=START + dt.timedelta(hours=7),
        )
        update_meeting(meeting, actor=world.actor("staff"), details=moved)
        sweep(now=timezone.now())
    titles = [n.title for n in notices(meeting)]
    assert len(titles) == 2 and any(t.startswith("Changed") for t in titles)


def test_a_changed_agenda_alone_sends_no_new_notice(world: World) -> None:
    meeting = plan(world)
    with time_machine.travel(at(5), tick=False):
        sweep(now=timezone.now())
        same = MeetingDetails(
            kind=meeting.kind,
            title=meeting.title,
            place=meeting.place,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            agenda="增加一项议程",
        )
        update_meeting(meeting, actor=world.actor("staff"), details=same)
    assert len(notices(meeting)) == 1


def test_a_longer_lead_time_setting_moves_the_notice_day(world: World) -> None:
    change_setting(actor=world.actor("admin"), key="meeting_notice_working_days", raw_value=5)
    assert plan(world).notice_due_on == dt.date(2026, 3, 3)


def test_cancelling_tells_invitees(world: World) -> None:
    meeting = plan(world)
    cancel_meeting(meeting, actor=world.actor("staff"), reason="与市委全会时间冲突")
    assert Notification.objects.filter(recipient=world.cast.member, kind="meeting.cancelled").count() == 1


def test_sweep_closes_meetings_a_day_after_they_end_and_not_earlier(world: World) -> None:
    meeting = plan(world)
    with time_machine.travel(at(10, 20), tick=False):
        assert sweep(now=timezone.now()).closed == 0
    with time_machine.travel(at(11, 13), tick=False):
        assert sweep(now=timezone.now()).closed == 2  # with the world's meeting at the same time
        assert sweep(now=timezone.now()).closed == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    assert meeting.attendances.get().status == "absent"
