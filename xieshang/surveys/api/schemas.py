"""What the surveys API accepts and answers (each answer described once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from xieshang.core.api import PageQuery
from xieshang.surveys.models import Option, Question, Response, Survey
from xieshang.surveys.queries import QuestionResult, questions_of
from xieshang.surveys.states import Audience, QuestionKind, SurveyStatus


class SurveyFilters(PageQuery):
    status: SurveyStatus | None = Field(None, description="Only surveys in this status.")
    year: int | None = Field(None, ge=2000, le=2100, description="Only surveys of this year.")


class SurveyOut(Schema):
    id: int
    title: str
    year: int
    status: SurveyStatus
    audience: Audience
    is_anonymous: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    response_count: int
    version: int
    url: str

    @staticmethod
    def resolve_url(survey: Survey) -> str:
        return reverse("surveys:detail", kwargs={"council_slug": survey.council.slug, "pk": survey.pk})


class OptionOut(Schema):
    id: int
    text: str
    skip_to_question_id: int | None = Field(None, description="Choosing it skips to this later question.")

    @staticmethod
    def resolve_skip_to_question_id(option: Option) -> int | None:
        return option.skip_to_id


class QuestionOut(Schema):
    id: int
    position: int
    kind: QuestionKind
    text: str
    required: bool
    has_other: bool
    min_choices: int | None
    max_choices: int | None
    scale_max: int
    rows: list[str]
    min_value: int | None
    max_value: int | None
    options: list[OptionOut]

    @staticmethod
    def resolve_options(question: Question) -> list[Option]:
        return list(question.options.all())


class SurveyDetailOut(SurveyOut):
    description: str
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(survey: Survey) -> list[Question]:
        return questions_of(survey)


class LineOut(Schema):
    # Built from a queries.Line.
    label: str
    count: int
    share: float = Field(description="Per cent of those who answered the question.")
    mean: float | None = Field(None, description="A matrix row's mean rating.")


class QuestionStatisticsOut(Schema):
    # Built from a queries.QuestionResult.
    question_id: int
    position: int
    kind: QuestionKind
    text: str
    answered: int
    mean: float | None = Field(None, description="Mean of a scale or number question.")
    lines: list[LineOut]

    @staticmethod
    def resolve_question_id(result: QuestionResult) -> int:
        return result.question.pk

    @staticmethod
    def resolve_position(result: QuestionResult) -> int:
        return result.question.position

    @staticmethod
    def resolve_kind(result: QuestionResult) -> str:
        return result.question.kind

    @staticmethod
    def resolve_text(result: QuestionResult) -> str:
        return result.question.text


class SurveyStatisticsOut(Schema):
    # Built from a queries.SurveyStatistics.
    survey_id: int
    status: SurveyStatus
    response_count: int
    questions: list[QuestionStatisticsOut]


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description=(
            'Answers keyed by question id: single choice {"option": id} or {"other": text}; '
            'multiple choice {"options": [ids], "other": text}; a scale or a number a whole number; '
            "a matrix a list of whole numbers, one per row; text a string."
        )
    )


class ResponseOut(Schema):
    id: int
    survey_id: int
    submitted_at: dt.datetime

    @staticmethod
    def resolve_survey_id(response: Response) -> int:
        return response.survey_id
