from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from xieshang.councils import models as cm
from xieshang.councils.tests.factories import CouncilFactory, TermFactory, UserFactory
from xieshang.meetings import models as m
from xieshang.meetings.states import MeetingKind, MeetingStatus

START = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0))


def term_of(council: cm.Council) -> cm.Term:
    return cm.Term.objects.filter(council=council, is_current=True).first() or TermFactory(council=council)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published one-sitting meeting (add sittings with SittingFactory)."""

    class Meta:
        model = m.Meeting
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    kind = MeetingKind.STANDING_COMMITTEE
    title = factory.Sequence(lambda n: f"常委会第{n}次会议")
    place = "机关三楼会议室"
    starts_at = START
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    status = MeetingStatus.PUBLISHED
    term = factory.LazyAttribute(lambda o: term_of(o.council))
    notice_due_on = factory.LazyAttribute(lambda o: (o.starts_at - dt.timedelta(days=5)).date())
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def with_sitting(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            SittingFactory(meeting=self, council=self.council, starts_at=self.starts_at, ends_at=self.ends_at)


class SittingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Sitting

    meeting = factory.SubFactory(MeetingFactory, with_sitting=False)
    council = factory.LazyAttribute(lambda o: o.meeting.council)
    number = factory.LazyAttribute(lambda o: o.meeting.sittings.count() + 1)
    starts_at = factory.LazyAttribute(lambda o: o.meeting.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Invitation

    meeting = factory.SubFactory(MeetingFactory)
    council = factory.LazyAttribute(lambda o: o.meeting.council)
    member = None
    via = "hand_picked"


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.LeaveRequest

    meeting = factory.SubFactory(MeetingFactory)
    council = factory.LazyAttribute(lambda o: o.meeting.council)
    member = None
    reason = "外出调研"
    requested_by = factory.SubFactory(UserFactory)
