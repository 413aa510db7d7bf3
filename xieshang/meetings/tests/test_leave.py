"""Leave requests: asked before the start by invitees, decided by staff or
a leader, the member told either way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.errors import InvalidTransition
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.meetings.actions.leave import decide_leave, request_leave, withdraw_leave
from xieshang.meetings.models import LeaveRequest
from xieshang.meetings.states import LeaveStatus
from xieshang.meetings.tests.conftest import BEFORE, World
from xieshang.meetings.tests.factories import START


def ask(world: World, name: str = "member", now: dt.datetime = BEFORE) -> LeaveRequest:
    return request_leave(world.meeting, actor=world.actor(name), reason="赴省里参加培训", now=now)


def test_invited_member_asks_for_leave_and_staff_are_told(world: World) -> None:
    leave = ask(world)
    assert (leave.status, leave.member) == (LeaveStatus.PENDING, world.cast.member_record)
    assert Notification.objects.filter(recipient=world.cast.staff, kind="meeting.leave_requested").exists()


@pytest.mark.parametrize("after", [dt.timedelta(0), dt.timedelta(minutes=1), dt.timedelta(days=2)])
def test_leave_after_the_start_is_refused_with_a_clear_message(world: World, after: dt.timedelta) -> None:
    with pytest.raises(ValidationError) as info:
        ask(world, now=START + after)
    assert "already started" in " ".join(info.value.messages)
    assert not LeaveRequest.objects.exists()


def test_second_request_while_one_is_open_is_refused(world: World) -> None:
    ask(world)
    with pytest.raises(ValidationError) as info:
        ask(world)
    assert "already asked" in " ".join(info.value.messages)
    assert LeaveRequest.objects.count() == 1


def test_empty_reason_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        request_leave(world.meeting, actor=world.actor("member"), reason="   ", now=BEFORE)


@pytest.mark.parametrize("name", ["bystander", "staff", "leader", "liaison"])
def test_only_invited_members_ask_for_leave(world: World, name: str) -> None:
    with assert_nothing_changed(world.meeting, LeaveRequest), pytest.raises(PermissionDenied):
        ask(world, name)
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize("name", ["staff", "leader"])
def test_staff_or_leader_approve_and_the_member_is_told(world: World, name: str) -> None:
    leave = decide_leave(ask(world), actor=world.actor(name), approve=True)
    assert leave.status == LeaveStatus.APPROVED
    message = Notification.objects.get(recipient=world.cast.member, kind="meeting.leave_decided")
    assert "approved" in message.title


def test_refusal_needs_a_note_the_member_reads(world: World) -> None:
    leave = ask(world)
    with pytest.raises(ValidationError):
        decide_leave(leave, actor=world.actor("staff"), approve=False)
    leave = decide_leave(leave, actor=world.actor("staff"), approve=False, note="本次会议需全体常委出席")
    assert leave.status == LeaveStatus.REFUSED
    assert Notification.objects.get(recipient=world.cast.member, kind="meeting.leave_decided").body == (
        "本次会议需全体常委出席"
    )


@pytest.mark.parametrize("name", ["member", "colleague", "liaison", "oversight"])
def test_others_cannot_decide(world: World, name: str) -> None:
    leave = ask(world)
    with assert_nothing_changed(leave), pytest.raises(PermissionDenied):
        decide_leave(leave, actor=world.actor(name), approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_a_decided_request_cannot_be_decided_again(world: World) -> None:
    leave = decide_leave(ask(world), actor=world.actor("staff"), approve=True)
    with pytest.raises(InvalidTransition, match="«approved»"):
        decide_leave(leave, actor=world.actor("leader"), approve=False, note="不同意")
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_member_withdraws_a_pending_request_before_the_start_and_may_ask_again(world: World) -> None:
    leave = withdraw_leave(ask(world), actor=world.actor("member"), now=BEFORE)
    assert leave.status == LeaveStatus.WITHDRAWN
    assert ask(world).status == LeaveStatus.PENDING


@pytest.mark.parametrize(
    ("name", "now"), [("colleague", BEFORE), ("member", START)], ids=["another member", "after the start"]
)
def test_nobody_withdraws_anothers_request_or_after_the_start(
    world: World, name: str, now: dt.datetime
) -> None:
    leave = ask(world)
    with assert_nothing_changed(leave), pytest.raises(PermissionDenied):
        withdraw_leave(leave, actor=world.actor(name), now=now)
