"""The demo seed: plans, visits, constituents and concerns in every status,
figures that add up, and safe to run twice."""

from __future__ import annotations

import pytest
import time_machine

from xieshang.councils.models import Level, Role
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    OversightOfficeFactory,
    TermFactory,
    UserFactory,
)
from xieshang.liaison import demo
from xieshang.liaison.models import Concern, Constituent, LiaisonVisit, PlannedVisit
from xieshang.liaison.statistics import year_figures

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_demo_seed_makes_a_year_of_liaison_work_and_is_idempotent() -> None:
    city = CouncilFactory(slug=demo.DEMO_SLUG, level=Level.CITY)
    term = TermFactory(council=city, is_current=True)
    CouncilRoleFactory(council=city, role=Role.STAFF)
    CouncilRoleFactory(council=city, role=Role.COUNCIL_ADMIN)
    for title in ("主席", "副主席"):
        CouncilRoleFactory(council=city, role=Role.LEADER, title=title)
    for name, _short, _code in (("市住房和城乡建设局", "", ""), ("市民政局", "", "")):
        unit = HandlingUnitFactory(council=city, name=name)
        CouncilRoleFactory(council=city, role=Role.UNIT_LIAISON, handling_unit=unit, user=UserFactory())
    OversightOfficeFactory(council=city)
    for _ in range(60):
        MemberFactory(council=city, term=term)

    made = demo.seed_demo_liaison()

    assert made == LiaisonVisit.objects.count() > 20
    # Two leaders, two visits a month each; some visits were unplanned.
    assert PlannedVisit.objects.count() == 2 * 2 * 12
    assert LiaisonVisit.objects.filter(planned__isnull=True).exists()
    assert Constituent.objects.count() >= 9 * made
    statuses = set(Concern.objects.values_list("status", flat=True))
    assert "resolved" in statuses and statuses & {"open", "in_progress"}
    figures = year_figures(city, 2026)
    assert figures.overall.members_visited == made
    assert figures.overall.concerns_raised == Concern.objects.count()
    assert figures.overall.concerns_resolved > figures.overall.concerns_open
    assert demo.seed_demo_liaison() == 0
    assert LiaisonVisit.objects.count() == made
