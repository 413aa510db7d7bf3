"""The meetings world on top of the shared cast (see the root conftest.py).

In the city council: a published standing-committee meeting on 10 March
2026, 09:00–12:00, in one sitting, to which member and colleague (another
seated member with a login) are invited; bystander is a seated member who
is not invited. The clock in most tests stands at 1 March 2026.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import timezone, translation

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import Member, Role
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory, UserFactory
from xieshang.meetings.models import Meeting, Sitting
from xieshang.meetings.tests.factories import START, InvitationFactory, MeetingFactory

BEFORE = timezone.make_aware(dt.datetime(2026, 3, 1, 10, 0))


def seated(cast: Cast, username: str, full_name: str, **extra: object) -> tuple[User, Member]:
    user = UserFactory(username=username, full_name=full_name)
    CouncilRoleFactory(user=user, council=cast.city, role=Role.MEMBER)
    member = MemberFactory(council=cast.city, term=cast.term, user=user, full_name=full_name, **extra)
    return user, member


@dataclass
class World(AppWorld):
    cast: Cast
    meeting: Meeting
    sitting: Sitting
    colleague: User
    colleague_record: Member
    bystander: User
    bystander_record: Member


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages the actions write are read in English by these tests (pages
    choose their language per request)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(cast: Cast) -> World:
    colleague, colleague_record = seated(cast, "colleague", "王委员")
    bystander, bystander_record = seated(cast, "bystander", "赵委员")
    meeting = MeetingFactory(council=cast.city, term=cast.term, starts_at=START, created_by=cast.staff)
    for member in (cast.member_record, colleague_record):
        InvitationFactory(meeting=meeting, member=member)
    return World(
        cast=cast,
        meeting=meeting,
        sitting=meeting.sittings.get(),
        colleague=colleague,
        colleague_record=colleague_record,
        bystander=bystander,
        bystander_record=bystander_record,
    )
