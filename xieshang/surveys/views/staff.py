"""Staff pages: the list of surveys, building a survey and its questions,
copying last year's, previewing on a phone, opening, closing, reminding."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.links import qr_code
from xieshang.core.pages import form_page, run_button, version_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.surveys import permissions as can
from xieshang.surveys.actions import questions as question_actions
from xieshang.surveys.actions import surveys as actions
from xieshang.surveys.forms import QuestionForm, SkipForm, SurveyForm
from xieshang.surveys.queries import access_question, access_survey, questions_of, surveys_for
from xieshang.surveys.states import CHOICE_KINDS, Audience, SurveyStatus
from xieshang.surveys.views.common import detail_url, public_link


@council_view(Perm.VIEW_SURVEYS)
def survey_list(request: CouncilRequest) -> HttpResponse:
    rows = surveys_for(request.actor).order_by("-year", "-opens_at", "-id")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/list.html",
        {"page": page, "may_create": request.actor.has(Perm.MANAGE_SURVEYS)},
    )


@council_view(Perm.MANAGE_SURVEYS)
def create(request: CouncilRequest) -> HttpResponse:
    year = timezone.localdate().year
    form = SurveyForm(request.POST or None, council=request.council, initial={"year": year})
    return form_page(
        request,
        form,
        title=_("New survey"),
        back=reverse("surveys:list", args=[request.council.slug]),
        call=lambda data: actions.create_survey(actor=request.actor, details=form.details()),
        success=_("The survey was created. Now add its questions."),
        done=detail_url,
    )


@council_view(Perm.MANAGE_SURVEYS)
def edit(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    form = SurveyForm(request.POST or None, council=request.council, initial=SurveyForm.initial_from(survey))
    return form_page(
        request,
        form,
        title=_("Change the survey"),
        subject=survey.title,
        back=detail_url(survey),
        call=lambda data: actions.edit_survey(
            survey, actor=request.actor, details=form.details(), expected_version=data.get("version")
        ),
        success=_("The survey was saved."),
    )


@council_view(Perm.MANAGE_SURVEYS)
def copy(request: CouncilRequest, pk: int) -> HttpResponse:
    """A new draft with the questions of this survey (last year's, usually)."""
    source = access_survey(request.actor, pk)
    initial = {**SurveyForm.initial_from(source), "year": source.year + 1}
    initial.pop("version")
    form = SurveyForm(request.POST or None, council=request.council, initial=initial)
    return form_page(
        request,
        form,
        title=_("Copy the survey"),
        subject=source.title,
        back=detail_url(source),
        call=lambda data: actions.copy_survey(source, actor=request.actor, details=form.details()),
        success=_("The survey was copied with its questions."),
        done=detail_url,
    )


@council_view(Perm.VIEW_SURVEYS)
def detail(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    actor = request.actor
    link = public_link(survey) if survey.audience == Audience.PUBLIC else ""
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": questions_of(survey),
            "may_edit": can.can_edit(actor, survey),
            "may_open": can.can_open(actor, survey),
            "may_close": can.can_close(actor, survey),
            "may_remind": can.can_remind(actor, survey),
            "may_copy": actor.has(Perm.MANAGE_SURVEYS),
            "public_link": link,
            "qr": qr_code(link) if link and survey.status != SurveyStatus.DRAFT else "",
            "choice_kinds": CHOICE_KINDS,
        },
    )


@council_view(Perm.VIEW_SURVEYS)
def preview(request: CouncilRequest, pk: int) -> HttpResponse:
    """The answer page as a phone shows it (375 px wide), nothing sent."""
    survey = access_survey(request.actor, pk)
    return render(
        request,
        "surveys/preview.html",
        {"survey": survey, "questions": questions_of(survey), "errors": {}, "given": {}},
    )


@council_view(Perm.MANAGE_SURVEYS)
def question_add(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    form = QuestionForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Add a question"),
        subject=survey.title,
        back=detail_url(survey),
        call=lambda data: question_actions.add_question(survey, actor=request.actor, spec=form.spec()),
        success=_("The question was added."),
    )


@council_view(Perm.MANAGE_SURVEYS)
def question_edit(request: CouncilRequest, pk: int, question_id: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    question = access_question(request.actor, survey, question_id)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_from(question))
    return form_page(
        request,
        form,
        title=_("Change the question"),
        subject=str(question),
        back=detail_url(survey),
        call=lambda data: question_actions.edit_question(question, actor=request.actor, spec=form.spec()),
        success=_("The question was saved."),
    )


@council_view(Perm.MANAGE_SURVEYS)
def question_skips(request: CouncilRequest, pk: int, question_id: int) -> HttpResponse:
    """Where choosing each option leads (skip logic)."""
    survey = access_survey(request.actor, pk)
    question = access_question(request.actor, survey, question_id)
    later = [q for q in questions_of(survey) if q.position > question.position]
    form = SkipForm(request.POST or None, question=question, later=later)
    return form_page(
        request,
        form,
        title=_("Skip to a later question"),
        subject=str(question),
        back=detail_url(survey),
        call=lambda data: question_actions.set_skips(
            question, actor=request.actor, targets=form.targets(later)
        ),
        success=_("The skips were saved."),
    )


@require_POST
@council_view(Perm.MANAGE_SURVEYS)
def question_remove(request: CouncilRequest, pk: int, question_id: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    question = access_question(request.actor, survey, question_id)
    return run_button(
        request,
        lambda: question_actions.remove_question(question, actor=request.actor),
        _("The question was removed."),
        detail_url(survey),
    )


@require_POST
@council_view(Perm.MANAGE_SURVEYS)
def open_survey(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    return run_button(
        request,
        lambda: actions.open_survey(survey, actor=request.actor, expected_version=version_of(request)),
        _("The survey is open. It takes answers from its opening time."),
        detail_url(survey),
    )


@require_POST
@council_view(Perm.MANAGE_SURVEYS)
def close_survey(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    return run_button(
        request,
        lambda: actions.close_survey(survey, actor=request.actor, expected_version=version_of(request)),
        _("The survey is closed."),
        detail_url(survey),
    )


@require_POST
@council_view(Perm.MANAGE_SURVEYS)
def remind(request: CouncilRequest, pk: int) -> HttpResponse:
    survey = access_survey(request.actor, pk)
    return run_button(
        request,
        lambda: actions.remind_not_answered(survey, actor=request.actor),
        _("Those who have not answered were reminded."),
        detail_url(survey),
    )
