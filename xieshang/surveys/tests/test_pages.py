"""The survey pages over HTTP: who may do what (nothing changes on a
refusal), the tenant rule, the results page's queries, and answers shown
escaped."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieshang.core.testing import (
    Expect,
    assert_same_not_found,
    parse_html,
    refused_except,
    run_permission_matrix,
)
from xieshang.councils.tests.expectations import in_english
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.models import Question, Response, Survey
from xieshang.surveys.states import Audience, SurveyStatus
from xieshang.surveys.tests.factories import draft_survey, good_answers, open_survey_of, questions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during")]


def url(name: str, council: str = "city", **kwargs: Any) -> str:
    return reverse(f"surveys:{name}", kwargs={"council_slug": council, **kwargs})


def surveys_state() -> list[tuple[Any, ...]]:
    return sorted(Survey.objects.values_list("pk", "title", "status", "version", "response_count"))


def answer_n(survey: Survey, n: int, start: int = 0, **changes: Any) -> None:
    for i in range(start, start + n):
        respondent = Respondent.of_mobile(survey, f"139{i:08d}")
        submit_response(survey, respondent=respondent, answers=good_answers(survey, **changes))


@pytest.fixture
def survey(cast) -> Survey:
    return open_survey_of(cast.actor("staff"))


STAFF_PAGES = ("detail", "edit", "copy", "preview", "question_add", "results", "words")


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_show(cast, clients, name):
    survey = draft_survey(cast.actor("staff"))
    assert clients["staff"].get(url(name, pk=survey.pk)).status_code == 200


def test_question_pages_show(cast, clients):
    survey = draft_survey(cast.actor("staff"))
    first = questions(survey)[0]
    assert clients["staff"].get(url("question_edit", pk=survey.pk, question_id=first.pk)).status_code == 200
    assert clients["staff"].get(url("question_skips", pk=survey.pk, question_id=first.pk)).status_code == 200


def test_the_list_and_new_survey_pages_show(clients, survey):
    page = parse_html(clients["staff"].get(url("list")).content)
    assert survey.title in page.one("table", data_testid="survey-list").text
    assert clients["staff"].get(url("create")).status_code == 200


def test_results_pages_show_the_figures(clients, survey):
    answer_n(survey, 3)
    page = parse_html(clients["leader"].get(url("results", pk=survey.pk)).content)
    assert page.one("div", data_testid="response-count").text == "3"
    assert page.one("script", id=f"chart-q{questions(survey)[0].pk}").raw_text.startswith("{")
    pdf = clients["staff"].get(url("summary_pdf", pk=survey.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert clients["staff"].get(url("answers_xlsx", pk=survey.pk)).status_code == 200


def test_results_are_read_by_staff_and_leaders_only(clients, survey):
    run_permission_matrix(
        clients=clients,
        method="get",
        url=url("results", pk=survey.pk),
        expectations=refused_except({"staff": Expect(200), "leader": Expect(200)}),
        snapshot=surveys_state,
    )


def test_only_staff_create_surveys(clients):
    data = {
        "title": "委员履职问卷",
        "year": 2026,
        "audience": "members",
        "opens_at": "2026-05-11T09:00",
        "closes_at": "2026-05-20T18:00",
    }
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("create"),
        data=data,
        expectations=refused_except({"staff": Expect(302, changes=True)}),
        snapshot=surveys_state,
    )
    assert Survey.objects.get(title="委员履职问卷").status == SurveyStatus.DRAFT


def test_only_staff_open_a_survey(cast, clients):
    draft = draft_survey(cast.actor("staff"))
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("open", pk=draft.pk),
        expectations=refused_except({"staff": Expect(302, changes=True)}),
        snapshot=surveys_state,
    )
    draft.refresh_from_db()
    assert draft.status == SurveyStatus.OPEN


def test_only_staff_close_a_survey(clients, survey):
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("close", pk=survey.pk),
        expectations=refused_except({"staff": Expect(302, changes=True)}),
        snapshot=surveys_state,
    )
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


def test_only_staff_add_questions(cast, clients):
    draft = draft_survey(cast.actor("staff"), specs=())
    run_permission_matrix(
        clients=clients,
        method="post",
        url=url("question_add", pk=draft.pk),
        data={"kind": "scale", "text": "总体满意度", "required": "on", "scale_max": "10"},
        expectations=refused_except({"staff": Expect(302, changes=True)}),
        snapshot=lambda: sorted(Question.objects.values_list("pk", "text")),
    )
    assert draft.questions.get().scale_max == 10


def test_another_councils_survey_is_not_found_like_a_missing_one(cast, clients):
    theirs = open_survey_of(cast.actor("outsider", "other_city"))
    missing = theirs.pk + 1000
    for name in ("detail", "results", "words", "answers_xlsx", "preview"):
        assert_same_not_found(clients["staff"], url(name, pk=theirs.pk), url(name, pk=missing))
    assert_same_not_found(clients["member"], url("answer", pk=theirs.pk), url("answer", pk=missing))


def test_the_results_page_asks_the_same_queries_however_many_responses(clients, survey):
    answer_n(survey, 2)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clients["staff"].get(url("results", pk=survey.pk)).status_code == 200
        return len(captured)

    few = queries()
    answer_n(survey, 60, start=100)
    assert queries() == few
    assert few == 11


def test_script_in_a_text_answer_is_shown_escaped(clients, survey):
    script = "<script>alert('x')</script>"
    answer_n(survey, 1, q6=script)
    long_text = questions(survey)[5]
    response = clients["staff"].get(url("words", pk=survey.pk) + f"?question={long_text.pk}")
    assert b"<script>alert" not in response.content
    assert script in parse_html(response.content).one("ul", data_testid="latest-answers").text


def test_word_frequency_is_filtered_by_a_choice(clients, survey):
    qs = questions(survey)
    young, old = list(qs[0].options.order_by("position"))[:2]
    answer_n(survey, 2, q1={"option": young.pk}, q6="公园太少")
    answer_n(survey, 3, start=50, q1={"option": old.pk}, q6="医院排队")
    page = clients["staff"].get(url("words", pk=survey.pk) + f"?question={qs[5].pk}&chose={young.pk}")
    words = parse_html(page.content).one("table", data_testid="words").text
    assert "公园" in words and "医院" not in words


def test_a_member_answers_a_members_survey(cast, clients):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    qs = questions(survey)
    data = {
        f"q{qs[0].pk}": qs[0].options.first().pk,
        f"q{qs[1].pk}": [qs[1].options.first().pk],
        f"q{qs[2].pk}": "5",
        f"q{qs[3].pk}_r0": "8",
        f"q{qs[3].pk}_r1": "9",
        f"q{qs[6].pk}": "4",
    }
    assert clients["member"].get(url("mine")).status_code == 200
    response = clients["member"].post(url("answer", pk=survey.pk), data)
    assert response.status_code == 302
    assert Response.objects.get(survey=survey).member == cast.member_record
    page = parse_html(clients["member"].get(url("answer", pk=survey.pk)).content)
    assert page.one("div", data_testid="answered")


def test_a_members_answer_with_a_mistake_is_shown_again_with_the_message(cast, clients):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    qs = questions(survey)
    client = in_english(clients["member"])
    response = client.post(url("answer", pk=survey.pk), {f"q{qs[2].pk}": "9", f"q{qs[6].pk}": "4"})
    assert response.status_code == 400
    page = parse_html(response.content)
    assert page.one("div", data_testid="error-3").text == "Choose a value from 1 to 5."
    assert page.one("div", data_testid="error-1").text == "This question must be answered."
    assert not Response.objects.exists()


def test_a_unit_answers_a_units_survey_once(cast, clients):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.UNITS, specs=(questions_spec_scale(),))
    q = survey.questions.get()
    assert clients["liaison"].post(url("answer", pk=survey.pk), {f"q{q.pk}": "3"}).status_code == 302
    assert Response.objects.get(survey=survey).unit is not None
    assert clients["member"].get(url("answer", pk=survey.pk)).status_code == 404


def questions_spec_scale() -> Any:
    from xieshang.surveys.actions.questions import QuestionSpec
    from xieshang.surveys.states import QuestionKind

    return QuestionSpec(kind=QuestionKind.SCALE, text="办理满意度")


def test_a_survey_to_answer_is_on_the_members_work_list(cast, clients):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    home = clients["member"].get(reverse("dashboards:home", kwargs={"council_slug": "city"}))
    assert url("answer", pk=survey.pk) in home.content.decode()


def test_an_open_public_survey_shows_its_link_and_qr_code(clients, survey):
    page = parse_html(clients["staff"].get(url("detail", pk=survey.pk)).content)
    section = page.one("section", data_testid="public-link")
    assert section.one("img").attrs["src"].startswith("data:image/svg+xml")
    assert f"/c/city/surveys/p/{survey.pk}/" in section.one("a").attrs["href"]
