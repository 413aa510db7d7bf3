"""The demo seed: the seed city's figures, every state on show, and safe to
run twice."""

from __future__ import annotations

import pytest
import time_machine

from xieshang.councils.models import Level, Role
from xieshang.councils.tests.factories import (
    CouncilFactory,
    CouncilRoleFactory,
    HandlingUnitFactory,
    MemberFactory,
    TermFactory,
    UserFactory,
)
from xieshang.supervision import demo
from xieshang.supervision.models import (
    Inspection,
    RecommendationLetter,
    ResidentSupervision,
    SpecialReport,
    SupervisionTarget,
)
from xieshang.supervision.states import LetterStatus
from xieshang.supervision.statistics import year_statistics

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_demo_seed_makes_the_seed_citys_year_and_is_idempotent() -> None:
    city = CouncilFactory(slug=demo.DEMO_SLUG, level=Level.CITY)
    term = TermFactory(council=city, is_current=True)
    CouncilRoleFactory(council=city, role=Role.STAFF)
    CouncilRoleFactory(council=city, role=Role.COUNCIL_ADMIN)
    for n in range(19):
        unit = HandlingUnitFactory(council=city, name=f"市第{n}局")
        CouncilRoleFactory(council=city, role=Role.UNIT_LIAISON, handling_unit=unit, user=UserFactory())
    MemberFactory.create_batch(300, council=city, term=term)

    assert demo.seed_demo_supervision() == 190
    assert SupervisionTarget.objects.filter(council=city).count() == 85
    assert Inspection.objects.filter(council=city).count() == 190
    assert ResidentSupervision.objects.filter(council=city).count() == 19
    assert RecommendationLetter.objects.filter(council=city).count() == 240
    assert SpecialReport.objects.filter(council=city).count() == 2
    figures = year_statistics(city, 2026)
    assert figures.groups == 18
    assert (figures.supervisors, figures.supervisor_groups, figures.units_covered) == (144, 16, 19)
    assert 0 < figures.unannounced.numerator < figures.unannounced.denominator == 190
    overdue = RecommendationLetter.objects.filter(council=city, overdue_since__isnull=False)
    assert 0 < overdue.count() < 20
    assert RecommendationLetter.objects.filter(status=LetterStatus.RETURNED).count() == 0
    assert RecommendationLetter.objects.filter(was_returned=True).exists()

    assert demo.seed_demo_supervision() == 0
    assert Inspection.objects.filter(council=city).count() == 190
