"""The duty world on top of the shared cast (see the root conftest.py).

In the city council, in 2026: the member (李委员) leads one proposal that was
accepted, with cosigner (王委员) confirmed; a second seated member, idle
(赵委员), has no record at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from conftest import AppWorld, Cast
from xieshang.accounts.models import User
from xieshang.councils.models import Council, Member, Term
from xieshang.councils.tests.factories import MemberFactory
from xieshang.meetings.models import Attendance, Meeting
from xieshang.meetings.states import MeetingStatus
from xieshang.proposals.models import Cosigner, Proposal
from xieshang.proposals.states import CosignStatus, ProposalStatus
from xieshang.proposals.tests.factories import ProposalFactory

YEAR = 2026


def moment(month: int, day: int, year: int = YEAR) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


def file_proposal(
    lead: Member,
    *,
    cosigners: tuple[Member, ...] = (),
    status: str = ProposalStatus.ACCEPTED,
    when: dt.datetime,
) -> Proposal:
    accepted = status not in (ProposalStatus.SUBMITTED, ProposalStatus.DECLINED, ProposalStatus.CONVERTED)
    proposal = ProposalFactory(
        council=lead.council,
        lead_proposer=lead,
        status=status,
        submitted_at=when,
        accepted_at=when + dt.timedelta(days=20) if accepted else None,
    )
    for member in cosigners:
        Cosigner.objects.create(proposal=proposal, member=member, status=CosignStatus.CONFIRMED)
    return proposal


@dataclass
class DutyWorld(AppWorld):
    cast: Cast
    member: Member
    cosigner: Member
    idle: Member
    proposal: Proposal


@pytest.fixture
def world(cast: Cast) -> DutyWorld:
    member = cast.member_record
    cosigner = MemberFactory(council=cast.city, term=cast.term, full_name="王委员")
    idle = MemberFactory(council=cast.city, term=cast.term, full_name="赵委员")
    proposal = file_proposal(member, cosigners=(cosigner,), when=moment(3, 2))
    return DutyWorld(cast=cast, member=member, cosigner=cosigner, idle=idle, proposal=proposal)


@pytest.fixture(autouse=True)
def _in_2026(request: pytest.FixtureRequest) -> Iterator[None]:
    """Pin the clock in YEAR, so that "this year" is the year the world lives in.
    Browser tests keep a running clock (they pin the year in their URLs)."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def close_meeting(
    council: Council, term: Term, kind: str, attendance: dict[Member, str], *, when: dt.datetime, by: User
) -> Meeting:
    """A closed meeting of kind with the given attendance (built directly: the
    meetings app computes Attendance when a meeting closes)."""
    meeting = Meeting.objects.create(
        council=council,
        kind=kind,
        title=f"{kind} 会议",
        place="市政协会议室",
        starts_at=when,
        ends_at=when + dt.timedelta(hours=3),
        status=MeetingStatus.CLOSED,
        term=term,
        notice_due_on=when.date() - dt.timedelta(days=7),
        created_by=by,
    )
    for member, status in attendance.items():
        Attendance.objects.create(
            council=council, meeting=meeting, member=member, status=status, computed_at=when
        )
    return meeting


@pytest.fixture(autouse=True)
def _no_cached_medians() -> None:
    """Each test starts with an empty cache (medians are cached by counts,
    which repeat from one test database to the next)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Messages are read in English here (the site's default is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def clients(clients: dict[str, Client]) -> dict[str, Client]:
    """The shared personas' clients, asking for English pages."""
    for client in clients.values():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return clients
