"""Factories for consultations: rows in a given state, without the actions
(tests of the actions build their state through the actions)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from xieshang.consultations import demo
from xieshang.consultations import models as m
from xieshang.consultations.states import ConsultationKind
from xieshang.councils.models import Council, Level, OversightKind, Role
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    MemberFactory,
    OversightOfficeFactory,
    TermFactory,
    UserFactory,
)

# A Monday after the 2026 National Day holidays (1–7 October, Saturday
# 10 October worked): the notice falls due on 21 September, materials on
# 29 September.
DAY = dt.date(2026, 10, 19)
START = timezone.make_aware(dt.datetime(2026, 10, 19, 9, 0))


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ConsultationPlan

    year = 2026
    title = factory.LazyAttribute(lambda o: f"{o.year}年度协商计划")


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlanItem

    plan = factory.SubFactory(PlanFactory)
    council = factory.LazyAttribute(lambda o: o.plan.council)
    position = factory.Sequence(lambda n: n + 1)
    topic = factory.Sequence(lambda n: f"协商议题{n}")
    kind = ConsultationKind.TOPIC
    quarter = 3


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Consultation

    year = 2026
    kind = ConsultationKind.TOPIC
    topic = factory.Sequence(lambda n: f"专题协商{n}")
    starts_at = START
    place = "市政协常委会议室"
    notice_due_on = dt.date(2026, 9, 21)
    materials_due_on = dt.date(2026, 9, 29)


def demo_city() -> Council:
    """The council the demo seeds fill: staff, leader and the two offices'
    roles, and 36 members of the current term, six of them with a login."""
    city = CouncilFactory(slug=demo.DEMO_SLUG, level=Level.CITY)
    term = TermFactory(council=city, is_current=True)
    CouncilRoleFactory(council=city, role=Role.STAFF)
    CouncilRoleFactory(council=city, role=Role.LEADER)
    for name, kind in (
        ("中共明湖市委办公室", OversightKind.PARTY_COMMITTEE),
        ("明湖市人民政府办公室", OversightKind.GOVERNMENT),
    ):
        office = OversightOfficeFactory(council=city, name=name, kind=kind)
        CouncilRoleFactory(council=city, role=Role.OVERSIGHT, oversight_office=office)
    for number in range(36):
        MemberFactory(council=city, term=term, user=UserFactory() if number < 6 else None)
    return city
