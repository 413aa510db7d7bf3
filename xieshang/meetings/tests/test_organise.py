"""Organising meetings: the form's checks, invitations by body, guests,
stale edits and cancelling."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from xieshang.core.errors import InvalidTransition, StaleEdit
from xieshang.core.testing import assert_nothing_changed
from xieshang.councils.tests.factories import MemberGroupFactory, SectorFactory
from xieshang.meetings.actions.meetings import (
    InviteeChoice,
    MeetingDetails,
    SittingPlan,
    add_guest,
    cancel_meeting,
    create_meeting,
    set_invitees,
    update_meeting,
)
from xieshang.meetings.models import Guest, Meeting
from xieshang.meetings.states import MeetingKind, MeetingStatus
from xieshang.meetings.tests.conftest import BEFORE, World, seated
from xieshang.meetings.tests.factories import START

END = START + dt.timedelta(hours=3)


def details(**changes: object) -> MeetingDetails:
    values: dict[str, object] = {
        "kind": MeetingKind.STANDING_COMMITTEE,
        "title": "常委会议",
        "place": "三楼",
        "starts_at": START,
        "ends_at": END,
    }
    values.update(changes)
    return MeetingDetails(**values)  # type: ignore[arg-type]


def test_plenary_with_several_sittings(world: World) -> None:
    plans = tuple(
        SittingPlan(START + dt.timedelta(days=n), START + dt.timedelta(days=n, hours=2), f"第{n + 1}场")
        for n in range(3)
    )
    meeting = create_meeting(
        actor=world.actor("staff"),
        details=details(
            kind=MeetingKind.PLENARY, ends_at=START + dt.timedelta(days=2, hours=3), sittings=plans
        ),
    )
    assert [s.title for s in meeting.sittings.order_by("number")] == ["第1场", "第2场", "第3场"]
    assert meeting.status == MeetingStatus.DRAFT


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": START}, "ends_at"),
        ({"kind": MeetingKind.SPECIAL_COMMITTEE}, "special_committee"),
        ({"kind": MeetingKind.SECTOR_GROUP}, "sector"),
        ({"sittings": (SittingPlan(START - dt.timedelta(hours=1), START),)}, "sittings"),
        ({"sittings": (SittingPlan(START, START),)}, "sittings"),
    ],
)
def test_impossible_meetings_are_refused_by_field(
    world: World, changes: dict[str, object], field: str
) -> None:
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as info:
        create_meeting(actor=world.actor("staff"), details=details(**changes))
    assert field in info.value.message_dict
    assert Meeting.objects.count() == before


def test_body_of_another_council_is_refused(world: World) -> None:
    elsewhere = SectorFactory(council=world.cast.other_city)
    with pytest.raises(ValidationError):
        create_meeting(
            actor=world.actor("staff"), details=details(kind=MeetingKind.SECTOR_GROUP, sector=elsewhere)
        )
    with pytest.raises(ValidationError):
        set_invitees(world.meeting, actor=world.actor("staff"), choice=InviteeChoice(sectors=[elsewhere]))


def test_invitations_by_body_each_member_once(world: World) -> None:
    sector = SectorFactory(council=world.cast.city, name="教育界")
    group = MemberGroupFactory(council=world.cast.city)
    _u, teacher = seated(world.cast, "teacher", "孙委员", sector=sector, is_standing_committee_member=True)
    world.colleague_record.groups.add(group)
    total = set_invitees(
        world.meeting,
        actor=world.actor("staff"),
        choice=InviteeChoice(standing_committee=True, sectors=[sector], groups=[group], members=[teacher]),
    )
    vias = dict(world.meeting.invitations.values_list("member__full_name", "via"))
    # 李委员 was invited before and is not in the new choice: no longer invited.
    assert total == 2 and vias == {"孙委员": "hand_picked", "王委员": "group"}


def test_members_who_answered_stay_invited(world: World) -> None:
    from xieshang.meetings.actions.leave import request_leave

    request_leave(world.meeting, actor=world.actor("member"), reason="出差", now=BEFORE)
    set_invitees(
        world.meeting, actor=world.actor("staff"), choice=InviteeChoice(members=[world.bystander_record])
    )
    invited = set(world.meeting.invitations.values_list("member__full_name", flat=True))
    assert invited == {"李委员", "赵委员"}


def test_stale_edit_changes_nothing(world: World) -> None:
    update_meeting(
        world.meeting, actor=world.actor("staff"), details=details(title="新标题"), expected_version=1
    )
    with pytest.raises(StaleEdit):
        update_meeting(
            world.meeting, actor=world.actor("staff"), details=details(title="旧页面"), expected_version=1
        )
    world.meeting.refresh_from_db()
    assert world.meeting.title == "新标题"


def test_kind_cannot_change(world: World) -> None:
    with pytest.raises(ValidationError):
        update_meeting(world.meeting, actor=world.actor("staff"), details=details(kind=MeetingKind.TRAINING))


def test_guests_keep_their_mobile_encrypted(world: World) -> None:
    guest = add_guest(
        world.meeting,
        actor=world.actor("staff"),
        full_name="郑局长",
        organisation="市教育局",
        mobile="13900001111",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM meetings_guest WHERE id = %s", [guest.pk])
        (raw,) = cursor.fetchone()
    assert raw and "13900001111" not in raw
    assert Guest.objects.get(pk=guest.pk).mobile == "13900001111"


def test_cancel_needs_a_reason_and_ends_the_meeting(world: World) -> None:
    with pytest.raises(ValidationError):
        cancel_meeting(world.meeting, actor=world.actor("staff"), reason=" ")
    cancel_meeting(world.meeting, actor=world.actor("staff"), reason="因故推迟")
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.CANCELLED
    with assert_nothing_changed(world.meeting), pytest.raises(InvalidTransition, match="«cancelled»"):
        cancel_meeting(world.meeting, actor=world.actor("staff"), reason="再次取消")


@pytest.mark.parametrize("name", ["member", "leader", "admin"])
def test_only_staff_organise(world: World, name: str) -> None:
    with assert_nothing_changed(Meeting), pytest.raises(PermissionDenied):
        create_meeting(actor=world.actor(name), details=details())
    invitations = world.meeting.invitations.all()
    with assert_nothing_changed(world.meeting, invitations), pytest.raises(PermissionDenied):
        set_invitees(world.meeting, actor=world.actor(name), choice=InviteeChoice(all_members=True))
    assert Meeting.objects.count() == 1 and world.meeting.invitations.count() == 2


@time_machine.travel(BEFORE, tick=False)
def test_form_shows_problems_next_to_fields_and_keeps_input(world: World, clients: dict[str, Client]) -> None:
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("meetings:create", kwargs={"council_slug": "city"}),
        {
            "kind": "plenary",
            "title": "第三次会议",
            "starts_at": "2026-03-10T09:00",
            "ends_at": "2026-03-09T09:00",
            "place": "大礼堂",
            "sittings": "2026-03-10 09:00, tomorrow",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Line 1: write start and end" in body
    assert 'value="第三次会议"' in body
    assert Meeting.objects.count() == 1


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize("extra", [1, 12])
def test_sheet_takes_constant_queries(
    world: World, clients: dict[str, Client], django_assert_num_queries, extra: int
) -> None:
    from xieshang.meetings.tests.factories import InvitationFactory

    for n in range(extra):
        _u, member = seated(world.cast, f"extra{n}", f"委员{n}")
        InvitationFactory(meeting=world.meeting, member=member)
    with django_assert_num_queries(SHEET_QUERIES):
        assert (
            clients["staff"]
            .get(reverse("meetings:sheet", kwargs={"council_slug": "city", "pk": world.meeting.pk}))
            .status_code
            == 200
        )


# The check-in by hand searches members as one types (the person picker):
# the sheet itself no longer reads every member for each sitting's select.
SHEET_QUERIES = 15
