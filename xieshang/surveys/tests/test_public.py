"""The public page: an SMS code proves the number, each number answers
once, codes are limited per number and per address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xieshang.councils.actions.settings import change_setting
from xieshang.councils.tests.expectations import in_english
from xieshang.surveys.models import Response, Survey, SurveyCode, Tally
from xieshang.surveys.tests.factories import open_survey_of, questions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during")]

MOBILE = "13912345678"


def url(name: str, survey: Survey) -> str:
    return reverse(f"surveys:{name}", kwargs={"council_slug": survey.council.slug, "pk": survey.pk})


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any, sms: list[Any]) -> Any:
    """Ask for a code; the SMS goes out when the transaction commits."""

    def ask(client: Client, survey: Survey, mobile: str = MOBILE, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url("public_code", survey), {"mobile": mobile}, **kwargs)

    return ask


@pytest.fixture
def survey(cast) -> Survey:
    return open_survey_of(cast.actor("staff"), is_anonymous=True)


def verify(client: Client, survey: Survey, sms: list[Any], send: Any, mobile: str = MOBILE) -> None:
    send(client, survey, mobile)
    code = re.search(r"\d{6}", sms[-1].text)[0]
    client.post(url("public_verify", survey), {"mobile": mobile, "code": code})


def form_answers(survey: Survey) -> dict[str, Any]:
    qs = questions(survey)
    return {
        f"q{qs[0].pk}": qs[0].options.first().pk,
        f"q{qs[1].pk}": ["other"],
        f"q{qs[1].pk}_other": "环境",
        f"q{qs[2].pk}": "2",
        f"q{qs[3].pk}_r0": "10",
        f"q{qs[3].pk}_r1": "1",
        f"q{qs[6].pk}": "5",
    }


def test_a_member_of_the_public_verifies_and_answers(survey, sms, send):
    client = Client()
    assert client.get(url("public", survey)).status_code == 200
    verify(client, survey, sms, send)
    assert sms[-1].to == MOBILE
    response = client.post(url("public_submit", survey), form_answers(survey))
    assert response.status_code == 302
    row = Response.objects.get(survey=survey)
    assert row.mobile == "" and MOBILE not in row.respondent_key
    assert not SurveyCode.objects.filter(respondent_key__contains=MOBILE).exists()
    survey.refresh_from_db()
    assert survey.response_count == 1


def test_answering_without_a_verified_number_is_refused(survey):
    client = Client()
    response = client.post(url("public_submit", survey), form_answers(survey))
    assert response.status_code == 302
    assert not Response.objects.exists()


def test_a_second_response_from_the_same_number_is_refused(survey, sms, send):
    first = Client()
    verify(first, survey, sms, send)
    first.post(url("public_submit", survey), form_answers(survey))
    second = in_english(Client())
    count = SurveyCode.objects.count()
    page = send(second, survey, follow=True)
    assert "This mobile number has already answered this survey." in page.content.decode()
    assert SurveyCode.objects.count() == count
    assert Response.objects.count() == 1


def test_a_wrong_code_is_refused_and_counted(survey, sms, send):
    client = in_english(Client())
    send(client, survey)
    page = client.post(url("public_verify", survey), {"mobile": MOBILE, "code": "000000"}, follow=True)
    right = re.search(r"\d{6}", sms[-1].text)[0]
    assert right == "000000" or "The code is not correct." in page.content.decode()
    assert SurveyCode.objects.get().attempts == 1


def test_codes_are_limited_per_number(survey, sms, send):
    client = in_english(Client())
    for _ in range(5):
        client.post(url("public_code", survey), {"mobile": MOBILE})
    page = client.post(url("public_code", survey), {"mobile": MOBILE}, follow=True)
    assert "Too many codes were requested." in page.content.decode()
    assert SurveyCode.objects.count() == 5


def test_codes_are_limited_per_address(cast, survey, sms, send):
    change_setting(actor=cast.actor("admin"), key="survey_codes_per_address_per_hour", raw_value=3)
    client = in_english(Client())
    for n in range(3):
        client.post(url("public_code", survey), {"mobile": f"1390000000{n}"})
    page = client.post(url("public_code", survey), {"mobile": "13900000009"}, follow=True)
    assert "Too many codes were requested." in page.content.decode()
    assert SurveyCode.objects.count() == 3


def test_a_public_answer_with_a_mistake_stores_nothing(survey, sms, send):
    client = in_english(Client())
    verify(client, survey, sms, send)
    data = form_answers(survey)
    data[f"q{questions(survey)[2].pk}"] = "6"
    before = list(Tally.objects.values_list("pk", "count"))
    response = client.post(url("public_submit", survey), data)
    assert response.status_code == 400
    assert "Choose a value from 1 to 5." in response.content.decode()
    assert not Response.objects.exists()
    assert list(Tally.objects.values_list("pk", "count")) == before


def test_a_draft_or_members_survey_has_no_public_page(cast):
    draft = open_survey_of(cast.actor("staff"), audience="members")
    assert Client().get(url("public", draft)).status_code == 404
