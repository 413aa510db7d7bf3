"""When members may check in, and what checking in settles: the code is
taken from the council's lead time before a sitting until its end; once
checked in, a member no longer asks for leave and has nothing to answer on
the home page. A draft whose notice day has passed says so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from xieshang.core.testing import assert_nothing_changed, parse_html
from xieshang.councils.actions.settings import change_setting
from xieshang.councils.tests.expectations import in_english
from xieshang.meetings.actions.check_in import CheckInClosed, check_in_by_staff, check_in_with_code
from xieshang.meetings.actions.leave import request_leave
from xieshang.meetings.codes import code_for
from xieshang.meetings.models import CheckIn, LeaveRequest, Meeting
from xieshang.meetings.queries import meetings_to_answer
from xieshang.meetings.states import MeetingStatus
from xieshang.meetings.tests.conftest import World
from xieshang.meetings.tests.factories import START

END = START + dt.timedelta(hours=3)  # the world's one sitting: 09:00–12:00


def url(name: str, **kwargs: object) -> str:
    return reverse(f"meetings:{name}", kwargs={"council_slug": "city", **kwargs})


def scan(world: World, now: dt.datetime) -> CheckIn:
    return check_in_with_code(actor=world.actor("member"), code=code_for(world.sitting.pk, now), now=now)


@pytest.mark.parametrize(
    "now",
    [START - dt.timedelta(hours=2), START - dt.timedelta(minutes=1), START, END],
    ids=["as-it-opens", "a-minute-before-the-start", "at-the-start", "at-the-end"],
)
def test_check_in_is_taken_from_two_hours_before_the_start_until_the_end(
    world: World, now: dt.datetime
) -> None:
    assert scan(world, now).member == world.cast.member_record


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (START - dt.timedelta(hours=8), "not_yet_open"),
        (START - dt.timedelta(hours=2, seconds=1), "not_yet_open"),
        (END + dt.timedelta(seconds=1), "sitting_ended"),
    ],
    ids=["eight-hours-early", "a-second-before-it-opens", "after-the-end"],
)
def test_check_in_outside_the_window_is_refused_and_changes_nothing(
    world: World, now: dt.datetime, reason: str
) -> None:
    with assert_nothing_changed(world.sitting, CheckIn), pytest.raises(CheckInClosed) as info:
        scan(world, now)
    assert info.value.code == reason


def test_an_early_refusal_says_when_check_in_opens(world: World) -> None:
    with pytest.raises(CheckInClosed) as info:
        scan(world, START - dt.timedelta(hours=8))
    assert info.value.message == (
        "Check-in to this sitting opens at 07:00 on March 10, 2026. Please scan the code then."
    )


def test_the_early_refusal_reads_in_chinese(world: World) -> None:
    with translation.override("zh-hans"), pytest.raises(CheckInClosed) as info:
        scan(world, START - dt.timedelta(hours=8))
    assert info.value.message == "本场次签到于 2026年3月10日 07:00 开始，请届时扫码签到。"


def test_the_council_sets_how_early_check_in_opens(world: World) -> None:
    change_setting(actor=world.actor("admin"), key="check_in_opens_minutes_before", raw_value=480)
    assert scan(world, START - dt.timedelta(hours=8)).member == world.cast.member_record


@pytest.mark.parametrize("status", [MeetingStatus.DRAFT, MeetingStatus.CLOSED, MeetingStatus.CANCELLED])
def test_in_any_status_but_published_check_in_is_closed_even_inside_the_window(
    world: World, status: str
) -> None:
    Meeting.objects.filter(pk=world.meeting.pk).update(status=status)
    with assert_nothing_changed(CheckIn), pytest.raises(ValidationError) as info:
        scan(world, START)
    assert info.value.code == "not_open"


def test_staff_check_people_in_by_hand_outside_the_window(world: World) -> None:
    """Staff correct the sheet at any time (a member who came without a phone)."""
    early = START - dt.timedelta(hours=8)
    member = world.cast.member_record
    row = check_in_by_staff(world.sitting, actor=world.actor("staff"), member=member, now=early)
    assert row.method == "by_staff"


def test_the_check_in_page_refuses_an_early_scan_with_409(world: World, clients: dict[str, Client]) -> None:
    early = START - dt.timedelta(hours=8)
    client = in_english(clients["member"])
    with time_machine.travel(early, tick=False), assert_nothing_changed(CheckIn):
        response = client.get(url("check_in", code=code_for(world.sitting.pk, early)))
    assert response.status_code == 409
    refusal = parse_html(response.content).one(data_testid="check-in-refused")
    assert refusal.attrs["data-reason"] == "not_yet_open"
    assert "Check-in to this sitting opens at 07:00" in refusal.text


def test_the_api_refuses_an_early_scan_with_409(world: World, clients: dict[str, Client]) -> None:
    early = START - dt.timedelta(hours=8)
    with time_machine.travel(early, tick=False), assert_nothing_changed(CheckIn):
        response = clients["member"].post(
            f"/api/v1/c/city/meetings/{world.meeting.pk}/check-in",
            {"code": code_for(world.sitting.pk, early)},
            content_type="application/json",
        )
    assert response.status_code == 409


def test_after_checking_in_a_member_can_no_longer_ask_for_leave(world: World) -> None:
    before_start = START - dt.timedelta(minutes=30)
    scan(world, before_start)
    with assert_nothing_changed(world.meeting, LeaveRequest), pytest.raises(ValidationError) as info:
        request_leave(world.meeting, actor=world.actor("member"), reason="临时有事", now=before_start)
    assert "checked in" in " ".join(info.value.messages)


def test_after_checking_in_the_meeting_page_offers_no_leave(world: World, clients: dict[str, Client]) -> None:
    before_start = START - dt.timedelta(minutes=30)
    with time_machine.travel(before_start, tick=False):
        page = parse_html(clients["member"].get(url("detail", pk=world.meeting.pk)).content)
        assert page.find_all(data_testid="leave-form")
        scan(world, before_start)
        page = parse_html(clients["member"].get(url("detail", pk=world.meeting.pk)).content)
        assert not page.find_all(data_testid="leave-form")


def test_after_checking_in_the_home_card_clears(world: World) -> None:
    before_start = START - dt.timedelta(minutes=30)
    window = dt.timedelta(days=14)
    assert list(meetings_to_answer(world.actor("member"), now=before_start, within=window)) == [world.meeting]
    scan(world, before_start)
    assert list(meetings_to_answer(world.actor("member"), now=before_start, within=window)) == []


def test_a_drafts_notice_day_that_has_passed_is_shown_as_passed(
    world: World, clients: dict[str, Client]
) -> None:
    Meeting.objects.filter(pk=world.meeting.pk).update(status=MeetingStatus.DRAFT)
    notice_day = world.meeting.notice_due_on
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        page = parse_html(clients["staff"].get(url("detail", pk=world.meeting.pk)).content)
    assert page.find_all(data_testid="notice-day-passed")
    with time_machine.travel(notice_day - dt.timedelta(days=1), tick=False):
        page = parse_html(clients["staff"].get(url("detail", pk=world.meeting.pk)).content)
    assert not page.find_all(data_testid="notice-day-passed")


def test_the_meeting_page_tells_when_check_in_opens(world: World, clients: dict[str, Client]) -> None:
    page = parse_html(in_english(clients["member"]).get(url("detail", pk=world.meeting.pk)).content)
    assert page.one("p", data_testid="check-in-window").text == (
        "Check-in with the code opens 120 minutes before a sitting starts and closes when it ends."
    )
