"""Building surveys: questions checked when added, copying last year's,
opening and closing (by staff and by the sweep), and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xieshang.core.errors import InvalidTransition, PermissionDenied
from xieshang.core.models import Notification
from xieshang.core.testing import assert_nothing_changed
from xieshang.surveys.actions.questions import QuestionSpec, add_question, set_skips
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.actions.surveys import (
    close_ended_surveys,
    copy_survey,
    open_survey,
    remind_before_close,
    remind_not_answered,
)
from xieshang.surveys.models import Question, Survey, Tally
from xieshang.surveys.states import Audience, QuestionKind, SurveyStatus
from xieshang.surveys.tests.factories import AFTER, CLOSES, details, draft_survey, open_survey_of, questions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during")]

BAD_QUESTIONS = {
    "no-text": (QuestionSpec(kind=QuestionKind.SCALE, text=" "), "text"),
    "one-option": (QuestionSpec(kind=QuestionKind.SINGLE, text="问", options=["只有一个"]), "options"),
    "same-option-twice": (QuestionSpec(kind=QuestionKind.SINGLE, text="问", options=["是", "是"]), "options"),
    "scale-of-7": (QuestionSpec(kind=QuestionKind.SCALE, text="问", scale_max=7), "scale_max"),
    "matrix-without-rows": (QuestionSpec(kind=QuestionKind.MATRIX, text="问"), "rows"),
    "min-above-max": (
        QuestionSpec(
            kind=QuestionKind.MULTIPLE, text="问", options=["甲", "乙", "丙"], min_choices=3, max_choices=2
        ),
        "max_choices",
    ),
    "more-than-the-options": (
        QuestionSpec(kind=QuestionKind.MULTIPLE, text="问", options=["甲", "乙"], max_choices=3),
        "max_choices",
    ),
    "other-on-a-scale": (QuestionSpec(kind=QuestionKind.SCALE, text="问", has_other=True), "has_other"),
    "number-bounds-reversed": (
        QuestionSpec(kind=QuestionKind.NUMBER, text="问", min_value=5, max_value=1),
        "max_value",
    ),
}


@pytest.mark.parametrize("case", BAD_QUESTIONS.values(), ids=BAD_QUESTIONS.keys())
def test_a_bad_question_is_refused(cast, case):
    spec, field = case
    survey = draft_survey(cast.actor("staff"), specs=())
    with assert_nothing_changed(survey, Question), pytest.raises(ValidationError) as refused:
        add_question(survey, actor=cast.actor("staff"), spec=spec)
    assert field in refused.value.message_dict


def test_questions_change_only_in_a_draft(cast):
    survey = open_survey_of(cast.actor("staff"))
    with assert_nothing_changed(survey, Question), pytest.raises(InvalidTransition):
        add_question(
            survey, actor=cast.actor("staff"), spec=QuestionSpec(kind=QuestionKind.SCALE, text="再问")
        )


def test_members_cannot_build_surveys(cast):
    survey = draft_survey(cast.actor("staff"), specs=())
    with assert_nothing_changed(survey, Question), pytest.raises(PermissionDenied):
        add_question(
            survey, actor=cast.actor("member"), spec=QuestionSpec(kind=QuestionKind.SCALE, text="问")
        )


def test_a_skip_goes_only_forward(cast):
    staff = cast.actor("staff")
    survey = draft_survey(staff)
    qs = questions(survey)
    option = qs[2 - 1].options.first()
    with pytest.raises(ValidationError):
        set_skips(qs[1], actor=staff, targets={option.pk: qs[0]})


def test_opening_needs_a_question_and_creates_the_totals(cast):
    staff = cast.actor("staff")
    empty = draft_survey(staff, specs=())
    with assert_nothing_changed(empty, Tally), pytest.raises(ValidationError):
        open_survey(empty, actor=staff)
    survey = open_survey_of(staff)
    # single 3+answered, multiple 4+other+answered, scale 5+answered, matrix 2x10+answered,
    # two texts and a number: answered each.
    assert Tally.objects.filter(survey=survey).count() == 4 + 6 + 6 + 21 + 3
    assert survey.status == SurveyStatus.OPEN


def test_last_years_survey_is_copied_with_its_questions_and_skips(cast):
    staff = cast.actor("staff")
    old = draft_survey(staff, year=2025)
    qs = questions(old)
    set_skips(qs[0], actor=staff, targets={qs[0].options.first().pk: qs[4]})
    new = copy_survey(old, actor=staff, details=details(title="2026年问卷", year=2026))
    copied = questions(new)
    assert [(q.kind, q.text, q.rows) for q in copied] == [(q.kind, q.text, q.rows) for q in qs]
    assert copied[0].options.first().skip_to == copied[4]
    assert new.copied_from == old and new.status == SurveyStatus.DRAFT


def test_the_sweep_closes_ended_surveys_once(cast):
    survey = open_survey_of(cast.actor("staff"))
    with time_machine.travel(AFTER, tick=False):
        assert close_ended_surveys() == 1
        assert close_ended_surveys() == 0
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


def test_members_who_have_not_answered_are_reminded(cast):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    assert remind_not_answered(survey, actor=cast.actor("staff")) == 1
    assert Notification.objects.filter(recipient=cast.member, kind="survey_reminder").count() == 1


def test_members_who_answered_are_not_reminded(cast):
    survey = open_survey_of(
        cast.actor("staff"),
        audience=Audience.MEMBERS,
        specs=(QuestionSpec(kind=QuestionKind.SCALE, text="满意度"),),
    )
    q = survey.questions.get()
    member = cast.actor("member")
    submit_response(survey, respondent=Respondent.of_actor(member, survey), answers={str(q.pk): 5})
    assert remind_not_answered(survey, actor=cast.actor("staff")) == 0


def test_the_sweep_reminds_once_before_the_close(cast):
    open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    with time_machine.travel(CLOSES - dt.timedelta(days=1), tick=False):
        assert remind_before_close() == 1
        assert remind_before_close() == 0
    assert Notification.objects.filter(recipient=cast.member, kind="survey_reminder").count() == 1


def test_a_survey_may_not_close_before_it_opens(cast):
    from xieshang.surveys.actions.surveys import create_survey

    with assert_nothing_changed(Survey), pytest.raises(ValidationError):
        create_survey(actor=cast.actor("staff"), details=details(closes_at=details().opens_at))
