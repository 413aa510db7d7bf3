from __future__ import annotations

import datetime as dt

import pytest

from xieshang.councils.models import Role, Session
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MemberFactory,
    SectorFactory,
    TermFactory,
)
from xieshang.meetings import demo
from xieshang.meetings.models import Attendance, Meeting
from xieshang.meetings.queries import flagged_members
from xieshang.meetings.states import MeetingKind, MeetingStatus

pytestmark = pytest.mark.django_db


def test_demo_seed_holds_every_kind_of_meeting_flags_the_often_absent_and_is_idempotent() -> None:
    council = CouncilFactory(slug=demo.DEMO_SLUG)
    term = TermFactory(council=council)
    for number, year in ((2, 2024), (3, 2025), (4, 2026)):
        opens = dt.date(year, 1, 10)
        Session.objects.create(
            council=council,
            term=term,
            number=number,
            year=year,
            opens_on=opens,
            closes_on=opens + dt.timedelta(days=3),
        )
    CouncilRoleFactory(council=council, role=Role.STAFF)
    CouncilRoleFactory(council=council, role=Role.LEADER)
    sector = SectorFactory(council=council, name="经济界")
    for n in range(8):
        MemberFactory(council=council, term=term, sector=sector, is_standing_committee_member=n < 4)

    made = demo.seed_demo_meetings()
    assert made == Meeting.objects.count() > 20
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert kinds == set(MeetingKind.values) - {MeetingKind.SPECIAL_COMMITTEE}  # the test council has none
    assert Meeting.objects.filter(status=MeetingStatus.PUBLISHED).count() == 2
    assert set(Attendance.objects.values_list("status", flat=True)) >= {"present", "absent"}
    assert flagged_members(council, year=2026)
    assert demo.seed_demo_meetings() == 0
