"""The duty demo: rules, records, a published assessment; idempotent."""

from __future__ import annotations

import pytest

from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilFactory, CouncilRoleFactory, MemberFactory, TermFactory
from xieshang.duty import demo
from xieshang.duty.models import DutyAssessment, DutyRecord, DutyScore, ScoringRule
from xieshang.duty.states import AssessmentStatus

pytestmark = pytest.mark.django_db


def test_demo_seed_fills_the_duty_pages_and_a_second_run_adds_nothing() -> None:
    council = CouncilFactory(slug=demo.DEMO_SLUG)
    term = TermFactory(council=council)
    for role in (Role.STAFF, Role.COUNCIL_ADMIN, Role.LEADER):
        CouncilRoleFactory(council=council, role=role)
    for _ in range(12):
        MemberFactory(council=council, term=term)

    first = demo.seed_demo_duty()
    assert first.rules > 0 and first.manual >= 12 and len(first.assessments) == 1
    assessment = DutyAssessment.objects.get(council=council)
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert DutyScore.objects.filter(assessment=assessment).count() == 12
    assert DutyScore.objects.filter(assessment=assessment).exclude(adjustment=0).count() == 2
    state = (
        ScoringRule.objects.count(),
        DutyRecord.objects.count(),
        DutyScore.objects.count(),
    )
    second = demo.seed_demo_duty()
    assert (second.rules, second.automatic, second.manual, second.assessments) == (0, 0, 0, [])
    assert (ScoringRule.objects.count(), DutyRecord.objects.count(), DutyScore.objects.count()) == state


def test_demo_seed_needs_the_demo_city() -> None:
    with pytest.raises(RuntimeError):
        demo.seed_demo_duty()
