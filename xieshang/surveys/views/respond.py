"""Answering: members and handling units answer the surveys put to them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.forms import answers_from_post
from xieshang.surveys.queries import (
    access_survey_to_answer,
    has_answered,
    my_surveys,
    questions_of,
    respondent_key_of,
)


@council_view(Perm.ANSWER_SURVEYS)
def mine(request: CouncilRequest) -> HttpResponse:
    return render(request, "surveys/mine.html", {"rows": my_surveys(request.actor), "now": timezone.now()})


def error_messages(error: ValidationError) -> tuple[dict[str, str], list[str]]:
    """Per-question messages (q<id>) and the rest."""
    if hasattr(error, "error_dict"):
        fields = {name: " ".join(str(m) for m in errs[0].messages) for name, errs in error.error_dict.items()}
        return {k: v for k, v in fields.items() if k != "__all__"}, [
            fields["__all__"]
        ] if "__all__" in fields else []
    return {}, [str(m) for m in error.messages]


@council_view(Perm.ANSWER_SURVEYS)
def answer(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey_to_answer(request.actor, pk)
    questions = questions_of(survey)
    answered = has_answered(survey, respondent_key_of(request.actor, survey))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and not answered:
        try:
            submit_response(
                survey,
                respondent=Respondent.of_actor(request.actor, survey),
                answers=answers_from_post(questions, request.POST),
            )
        except ValidationError as error:
            errors, general = error_messages(error)
            for text in general:
                messages.error(request, text)
            status = 400
        except Conflict as error:
            messages.error(request, error.message)
            status = 409
        else:
            messages.success(request, _("Thank you. Your answers were sent."))
            return redirect("surveys:mine", council_slug=request.council.slug)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "questions": questions,
            "answered": answered,
            "takes_answers": survey.takes_answers(timezone.now()),
            "errors": errors,
            "given": request.POST if request.method == "POST" else {},
        },
        status=status,
    )
