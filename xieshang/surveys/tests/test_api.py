"""The surveys API: lists, a survey, its statistics, and answering."""

from __future__ import annotations

import pytest

from xieshang.core.testing import assert_nothing_changed
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.models import Response, Tally
from xieshang.surveys.states import Audience
from xieshang.surveys.tests.factories import good_answers, open_survey_of, questions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during")]


def api(path: str, council: str = "city") -> str:
    return f"/api/v1/c/{council}/surveys{path}"


def test_statistics_follow_the_responses(cast, clients):
    survey = open_survey_of(cast.actor("staff"))
    for mobile in ("13800000001", "13800000002"):
        submit_response(
            survey, respondent=Respondent.of_mobile(survey, mobile), answers=good_answers(survey, q3=5)
        )
    body = clients["leader"].get(api(f"/{survey.pk}/statistics")).json()
    assert body["response_count"] == 2
    scale = body["questions"][2]
    assert scale["answered"] == 2 and scale["mean"] == 5.0
    assert [line["count"] for line in scale["lines"]] == [0, 0, 0, 0, 2]
    assert body["questions"][3]["lines"][0]["mean"] == 9.0


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("liaison", 403), ("outsider", 404)])
def test_statistics_are_refused_to_others(cast, clients, persona, status):
    survey = open_survey_of(cast.actor("staff"))
    assert clients[persona].get(api(f"/{survey.pk}/statistics")).status_code == status


def test_another_councils_survey_is_not_found(cast, clients):
    theirs = open_survey_of(cast.actor("outsider", "other_city"))
    assert clients["staff"].get(api(f"/{theirs.pk}/statistics")).status_code == 404
    assert clients["staff"].get(api(f"/{theirs.pk}")).status_code == 404


def test_list_and_detail(cast, clients):
    survey = open_survey_of(cast.actor("staff"))
    listed = clients["staff"].get(api("")).json()
    assert [row["id"] for row in listed["items"]] == [survey.pk]
    detail = clients["staff"].get(api(f"/{survey.pk}")).json()
    assert len(detail["questions"]) == 7 and detail["questions"][1]["has_other"] is True


def test_a_member_answers_through_the_api_once(cast, clients):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    answers = good_answers(survey)
    first = clients["member"].post(
        api(f"/{survey.pk}/responses"), {"answers": answers}, content_type="application/json"
    )
    assert first.status_code == 201
    with assert_nothing_changed(survey, Response, Tally):
        again = clients["member"].post(
            api(f"/{survey.pk}/responses"), {"answers": answers}, content_type="application/json"
        )
    assert again.status_code == 409


def test_a_wrong_answer_through_the_api_names_the_question(cast, clients):
    survey = open_survey_of(cast.actor("staff"), audience=Audience.MEMBERS)
    scale = questions(survey)[2]
    with assert_nothing_changed(survey, Response, Tally):
        response = clients["member"].post(
            api(f"/{survey.pk}/responses"),
            {"answers": good_answers(survey, q3=0)},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert f"q{scale.pk}" in response.json()["errors"]
