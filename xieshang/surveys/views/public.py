"""The public page of a public survey: no login; the respondent proves a
mobile number with an SMS code, then answers once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import Conflict
from xieshang.surveys.actions import public as actions
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.forms import MobileForm, VerifyForm, answers_from_post
from xieshang.surveys.models import Survey
from xieshang.surveys.queries import public_survey, questions_of
from xieshang.surveys.views.respond import error_messages

PENDING_MOBILE = "survey_mobile"


def _session_key(survey: Survey) -> str:
    return f"survey_respondent_{survey.pk}"


def _respondent(request: HttpRequest, survey: Survey) -> Respondent | None:
    """The number this browser proved for this survey, if it did."""
    mobile = request.session.get(_session_key(survey))
    return Respondent.of_mobile(survey, mobile) if mobile else None


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _page(
    request: HttpRequest, survey: Survey, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    respondent = _respondent(request, survey)
    return render(
        request,
        "surveys/public.html",
        {
            "survey": survey,
            "council": survey.council,
            "questions": questions_of(survey) if respondent else [],
            "respondent": respondent,
            "takes_answers": survey.takes_answers(timezone.now()),
            "mobile_form": MobileForm(),
            "verify_form": VerifyForm(initial={"mobile": request.session.get(PENDING_MOBILE, "")}),
            "errors": errors or {},
            "given": request.POST if errors else {},
        },
        status=status,
    )


def public(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    return _page(request, public_survey(council_slug, pk))


def _run(request: HttpRequest, call: Any, success: str, back: str) -> HttpResponse:
    try:
        call()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(back)


@require_POST
def public_code(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    survey = public_survey(council_slug, pk)
    form = MobileForm(request.POST)
    back = public_link_path(survey) + "#verify"
    if not form.is_valid():
        messages.error(request, _("Enter an 11-digit mainland mobile number."))
        return redirect(back)
    request.session[PENDING_MOBILE] = form.cleaned_data["mobile"]
    return _run(
        request,
        lambda: actions.request_survey_code(survey, mobile=form.cleaned_data["mobile"], ip=_ip(request)),
        _("A 6-digit code was sent by SMS. It is valid for 10 minutes."),
        back,
    )


@require_POST
def public_verify(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    survey = public_survey(council_slug, pk)
    form = VerifyForm(request.POST)
    back = public_link_path(survey)
    if not form.is_valid():
        messages.error(request, _("Enter your mobile number and the code from the SMS."))
        return redirect(back + "#verify")
    try:
        respondent = actions.verify_survey_code(survey, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back + "#verify")
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(back + "#verify")
    request.session.cycle_key()
    request.session[_session_key(survey)] = respondent.mobile
    request.session.pop(PENDING_MOBILE, None)
    messages.success(request, _("Verified. Now answer the questions."))
    return redirect(back)


@require_POST
def public_submit(request: HttpRequest, council_slug: str, pk: int) -> HttpResponse:
    survey = public_survey(council_slug, pk)
    respondent = _respondent(request, survey)
    back = public_link_path(survey)
    if respondent is None:
        messages.error(request, _("Verify your mobile number first."))
        return redirect(back + "#verify")
    questions = questions_of(survey)
    try:
        submit_response(survey, respondent=respondent, answers=answers_from_post(questions, request.POST))
    except ValidationError as error:
        errors, general = error_messages(error)
        for text in general:
            messages.error(request, text)
        return _page(request, survey, errors=errors or {"__all__": ""}, status=400)
    except Conflict as error:
        messages.error(request, error.message)
        request.session.pop(_session_key(survey), None)
        return redirect(back)
    request.session.pop(_session_key(survey), None)
    messages.success(request, _("Thank you. Your answers were sent."))
    return redirect(back)


def public_link_path(survey: Survey) -> str:
    return reverse("surveys:public", kwargs={"council_slug": survey.council.slug, "pk": survey.pk})
