"""Builders of surveys for the tests: a survey with one question of each
kind, opened through the actions (so its running totals exist)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xieshang.councils.roles import Actor
from xieshang.surveys.actions.questions import QuestionSpec, add_question
from xieshang.surveys.actions.surveys import SurveyDetails, create_survey, open_survey
from xieshang.surveys.models import Question, Survey
from xieshang.surveys.states import Audience, QuestionKind

OPENS = timezone.make_aware(dt.datetime(2026, 5, 1, 9, 0))
CLOSES = timezone.make_aware(dt.datetime(2026, 5, 31, 18, 0))
DURING = timezone.make_aware(dt.datetime(2026, 5, 10, 10, 0))
AFTER = timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0))

EVERY_KIND = (
    QuestionSpec(kind=QuestionKind.SINGLE, text="您的年龄段", options=["30岁以下", "30–50岁", "50岁以上"]),
    QuestionSpec(
        kind=QuestionKind.MULTIPLE,
        text="您关心哪些民生问题",
        options=["教育", "医疗", "养老", "交通"],
        has_other=True,
        min_choices=1,
        max_choices=2,
    ),
    QuestionSpec(kind=QuestionKind.SCALE, text="对社区服务的满意度", scale_max=5),
    QuestionSpec(kind=QuestionKind.MATRIX, text="对以下方面打分", rows=["态度", "效率"], scale_max=10),
    QuestionSpec(kind=QuestionKind.SHORT_TEXT, text="一句话建议", required=False),
    QuestionSpec(kind=QuestionKind.LONG_TEXT, text="详细意见", required=False),
    QuestionSpec(kind=QuestionKind.NUMBER, text="家庭人口", min_value=1, max_value=20),
)


def details(**overrides: Any) -> SurveyDetails:
    values: dict[str, Any] = {
        "title": "2026年民生调查问卷",
        "year": 2026,
        "audience": Audience.PUBLIC,
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "description": "感谢参与。",
    }
    values.update(overrides)
    return SurveyDetails(**values)


def draft_survey(actor: Actor, specs: tuple[QuestionSpec, ...] = EVERY_KIND, **overrides: Any) -> Survey:
    survey = create_survey(actor=actor, details=details(**overrides))
    for spec in specs:
        add_question(survey, actor=actor, spec=spec)
    survey.refresh_from_db()
    return survey


def open_survey_of(actor: Actor, specs: tuple[QuestionSpec, ...] = EVERY_KIND, **overrides: Any) -> Survey:
    survey = draft_survey(actor, specs, **overrides)
    return open_survey(survey, actor=actor)


def questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position").prefetch_related("options"))


def good_answers(survey: Survey, **changes: Any) -> dict[str, Any]:
    """A complete, valid set of answers to the EVERY_KIND survey; changes
    replace answers by position ("q1" …)."""
    qs = questions(survey)
    opts = [list(q.options.order_by("position")) for q in qs]
    answers: dict[str, Any] = {
        str(qs[0].pk): {"option": opts[0][1].pk},
        str(qs[1].pk): {"options": [opts[1][0].pk], "other": "文化"},
        str(qs[2].pk): 4,
        str(qs[3].pk): [9, 7],
        str(qs[4].pk): "多建公园",
        str(qs[5].pk): "希望增加社区医生。",
        str(qs[6].pk): 3,
    }
    for key, value in changes.items():
        answers[str(qs[int(key[1:]) - 1].pk)] = value
    return answers
