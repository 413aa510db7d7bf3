"""Answering: what is stored, the running totals, and every bad answer
refused with its message and nothing stored."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xieshang.core.errors import Conflict
from xieshang.core.testing import assert_nothing_changed
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.models import Response, Survey, Tally
from xieshang.surveys.queries import results
from xieshang.surveys.tests.factories import AFTER, good_answers, open_survey_of, questions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during")]


@pytest.fixture
def survey(cast) -> Survey:
    return open_survey_of(cast.actor("staff"))


def someone(survey: Survey, mobile: str = "13800000001") -> Respondent:
    return Respondent.of_mobile(survey, mobile)


def totals(survey: Survey) -> dict[tuple[int, str], tuple[int, int]]:
    return {(t.question_id, t.key): (t.count, t.total) for t in Tally.objects.filter(survey=survey)}


def test_a_response_is_stored_and_raises_exactly_its_totals(survey):
    before = totals(survey)
    submit_response(survey, respondent=someone(survey), answers=good_answers(survey))
    after = totals(survey)
    qs = questions(survey)
    opts = [list(q.options.order_by("position")) for q in qs]
    raised = {
        k: (after[k][0] - before[k][0], after[k][1] - before[k][1]) for k in after if after[k] != before[k]
    }
    assert raised == {
        (qs[0].pk, "answered"): (1, 0),
        (qs[0].pk, f"o{opts[0][1].pk}"): (1, 0),
        (qs[1].pk, "answered"): (1, 0),
        (qs[1].pk, f"o{opts[1][0].pk}"): (1, 0),
        (qs[1].pk, "other"): (1, 0),
        (qs[2].pk, "answered"): (1, 4),
        (qs[2].pk, "v4"): (1, 0),
        (qs[3].pk, "answered"): (1, 0),
        (qs[3].pk, "r0v9"): (1, 0),
        (qs[3].pk, "r1v7"): (1, 0),
        (qs[4].pk, "answered"): (1, 0),
        (qs[5].pk, "answered"): (1, 0),
        (qs[6].pk, "answered"): (1, 3),
    }
    survey.refresh_from_db()
    assert survey.response_count == 1
    assert Response.objects.get(survey=survey).answers[str(qs[2].pk)] == 4


def test_results_read_the_totals(survey):
    for n, mobile in enumerate(("13800000001", "13800000002", "13800000003"), start=1):
        submit_response(survey, respondent=someone(survey, mobile), answers=good_answers(survey, q3=n))
    by_position = {r.question.position: r for r in results(survey)}
    assert by_position[3].answered == 3
    assert by_position[3].mean == 2.0
    assert [line.count for line in by_position[3].lines] == [1, 1, 1, 0, 0]
    assert by_position[4].lines[0].mean == 9.0
    assert [line.count for line in by_position[1].lines] == [0, 3, 0]


def test_an_anonymous_survey_keeps_no_number(cast):
    survey = open_survey_of(cast.actor("staff"), is_anonymous=True)
    submit_response(survey, respondent=someone(survey), answers=good_answers(survey))
    row = Response.objects.get(survey=survey)
    assert row.mobile == ""
    assert "13800000001" not in row.respondent_key
    assert row.respondent_key == someone(survey).key
    other = open_survey_of(cast.actor("staff"), is_anonymous=True)
    assert someone(other).key != row.respondent_key


def test_a_named_public_survey_keeps_the_number(survey):
    submit_response(survey, respondent=someone(survey), answers=good_answers(survey))
    assert Response.objects.get(survey=survey).mobile == "13800000001"


def test_a_second_response_from_the_same_number_is_refused(survey):
    submit_response(survey, respondent=someone(survey), answers=good_answers(survey))
    with assert_nothing_changed(survey, Response, Tally), pytest.raises(Conflict) as refused:
        submit_response(survey, respondent=someone(survey), answers=good_answers(survey))
    assert "already answered" in refused.value.message


def test_a_response_after_the_close_is_refused(survey):
    with (
        time_machine.travel(AFTER, tick=False),
        assert_nothing_changed(survey, Response, Tally),
        pytest.raises(ValidationError) as refused,
    ):
        submit_response(survey, respondent=someone(survey), answers=good_answers(survey))
    assert "closed" in refused.value.messages[0]


def test_a_response_to_a_closed_survey_is_refused(cast, survey):
    from xieshang.surveys.actions.surveys import close_survey

    close_survey(survey, actor=cast.actor("staff"))
    survey.refresh_from_db()
    with assert_nothing_changed(survey, Response, Tally), pytest.raises(ValidationError):
        submit_response(survey, respondent=someone(survey), answers=good_answers(survey))


BAD = {
    "scale-out-of-range": ({"q3": 6}, 3, "Choose a value from 1 to 5."),
    "scale-zero": ({"q3": 0}, 3, "Choose a value from 1 to 5."),
    "scale-not-a-number": ({"q3": "五"}, 3, "Give a whole number."),
    "matrix-out-of-range": ({"q4": [11, 3]}, 4, "Choose a value from 1 to 10."),
    "matrix-row-missing": ({"q4": [5, None]}, 4, "Rate every row."),
    "number-too-big": ({"q7": 21}, 7, "Give a number from 1 to 20."),
    "number-not-whole": ({"q7": "2.5"}, 7, "Give a whole number."),
    "required-missing": ({"q1": {}}, 1, "This question must be answered."),
    "required-scale-missing": ({"q3": None}, 3, "This question must be answered."),
    "option-that-does-not-exist": ({"q1": {"option": 999999}}, 1, "Choose one of the options given."),
    "option-of-another-question": (None, 1, "Choose one of the options given."),
    "too-many-choices": (None, 2, "Choose at most 2."),
    "other-where-there-is-none": ({"q1": {"other": "别的"}}, 1, "This question has no “other” answer."),
    "text-too-long": ({"q5": "长" * 201}, 5, "At most 200 characters."),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_a_bad_answer_is_refused_with_its_message_and_nothing_is_stored(survey, case):
    changes, position, message = case
    qs = questions(survey)
    if changes is None and position == 1:
        changes = {"q1": {"option": qs[1].options.first().pk}}
    if changes is None and position == 2:
        changes = {"q2": {"options": [o.pk for o in qs[1].options.all()[:2]], "other": "文化"}}
    with assert_nothing_changed(survey, Response, Tally), pytest.raises(ValidationError) as refused:
        submit_response(survey, respondent=someone(survey), answers=good_answers(survey, **changes))
    assert refused.value.message_dict == {f"q{qs[position - 1].pk}": [message]}


def test_script_in_a_text_answer_is_stored_as_typed(survey):
    script = "<script>alert('x')</script>"
    submit_response(survey, respondent=someone(survey), answers=good_answers(survey, q5=script))
    assert Response.objects.get(survey=survey).answers[str(questions(survey)[4].pk)] == script


def test_skipped_questions_are_neither_required_nor_kept(cast):
    from xieshang.surveys.actions.questions import set_skips

    staff = cast.actor("staff")
    from xieshang.surveys.tests.factories import draft_survey

    survey = draft_survey(staff)
    qs = questions(survey)
    first_option = qs[0].options.order_by("position").first()
    set_skips(qs[0], actor=staff, targets={first_option.pk: qs[4]})
    from xieshang.surveys.actions.surveys import open_survey

    survey = open_survey(survey, actor=staff)
    answers = good_answers(survey, q1={"option": first_option.pk}, q3=None, q4=None, q7=3)
    answers[str(qs[1].pk)] = {"options": [], "other": ""}
    submit_response(survey, respondent=someone(survey), answers=answers)
    stored = Response.objects.get(survey=survey).answers
    assert set(stored) == {str(qs[0].pk), str(qs[4].pk), str(qs[5].pk), str(qs[6].pk)}
