"""The demo surveys: the public questionnaire has its 1,200 answers, its
running totals equal a count of the stored answers, and a second run
creates nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilFactory, CouncilRoleFactory, MemberFactory, TermFactory
from xieshang.surveys import demo
from xieshang.surveys.actions.answers import check_answers
from xieshang.surveys.models import Response, Survey, Tally
from xieshang.surveys.queries import questions_of
from xieshang.surveys.states import Audience, SurveyStatus

pytestmark = pytest.mark.django_db


def test_demo_surveys_have_exact_totals_and_are_made_once() -> None:
    council = CouncilFactory(slug=demo.DEMO_SLUG)
    term = TermFactory(council=council, is_current=True)
    CouncilRoleFactory(council=council, role=Role.STAFF)
    for _ in range(6):
        MemberFactory(council=council, term=term)
    assert demo.seed_demo_surveys() == 3
    public = Survey.objects.get(council=council, audience=Audience.PUBLIC, status=SurveyStatus.OPEN)
    assert public.response_count == demo.PUBLIC_RESPONSES == Response.objects.filter(survey=public).count()
    assert public.copied_from.status == SurveyStatus.CLOSED
    questions = questions_of(public)
    counted: Counter[tuple[int, str]] = Counter()
    for answers in Response.objects.filter(survey=public).values_list("answers", flat=True):
        counted.update(check_answers(questions, answers).bumps)
    stored = {(t.question_id, t.key): t.count for t in Tally.objects.filter(survey=public) if t.count}
    assert stored == dict(counted)
    members = Survey.objects.get(council=council, audience=Audience.MEMBERS)
    assert members.response_count == 3
    assert demo.seed_demo_surveys() == 0
