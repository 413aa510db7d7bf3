"""Factories of the duty app."""

from __future__ import annotations

import datetime as dt

import factory

from xieshang.councils.tests.factories import CouncilFactory, MemberFactory, UserFactory
from xieshang.duty import models as m
from xieshang.duty.states import DutyKind


class ManualRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DutyRecord

    council = factory.SubFactory(CouncilFactory)
    member = factory.LazyAttribute(lambda o: MemberFactory(council=o.council))
    year = 2026
    kind = DutyKind.OFFLINE
    points = 3
    occurred_on = dt.date(2026, 5, 20)
    description = "参加社区议事协商活动"
    is_manual = True
    created_by = factory.LazyAttribute(lambda o: UserFactory())
    reviewer = factory.LazyAttribute(lambda o: o.created_by)


class ScoringRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ScoringRule

    council = factory.SubFactory(CouncilFactory)
    year = 2026
    kind = DutyKind.SPEECH
    points = 5
