"""Endpoints of the surveys API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.surveys.actions.responses import Respondent, submit_response
from xieshang.surveys.api.schemas import (
    AnswersIn,
    ResponseOut,
    SurveyDetailOut,
    SurveyFilters,
    SurveyOut,
    SurveyStatisticsOut,
)
from xieshang.surveys.models import Survey
from xieshang.surveys.queries import (
    SurveyStatistics,
    access_survey,
    access_survey_to_answer,
    statistics,
    surveys_for,
)

router = Router(tags=["surveys"])


@router.get("/c/{council_slug}/surveys", response={200: Page[SurveyOut], **ERROR_RESPONSES})
def list_surveys(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[SurveyFilters]
) -> dict[str, Any]:
    """Every survey of the council, newest first (staff and leaders)."""
    actor = council_actor(request, council_slug, Perm.VIEW_SURVEYS)
    rows = surveys_for(actor).select_related("council")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(year=filters.year)
    return paginate(rows.order_by("-year", "-opens_at", "-id"), filters)


@router.get("/c/{council_slug}/surveys/{survey_id}", response={200: SurveyDetailOut, **ERROR_RESPONSES})
def get_survey(request: HttpRequest, council_slug: CouncilSlug, survey_id: ObjectId) -> Survey:
    """One survey with its questions: for staff and leaders, and for the
    members and units it is put to (to answer it)."""
    actor = council_actor(request, council_slug)
    if actor.has(Perm.VIEW_SURVEYS):
        return access_survey(actor, survey_id)
    return access_survey_to_answer(actor, survey_id)


@router.get(
    "/c/{council_slug}/surveys/{survey_id}/statistics", response={200: SurveyStatisticsOut, **ERROR_RESPONSES}
)
def get_survey_statistics(
    request: HttpRequest, council_slug: CouncilSlug, survey_id: ObjectId
) -> SurveyStatistics:
    """The response count and each question's figures, from the running
    totals (the same as the results page), while the survey is open too."""
    actor = council_actor(request, council_slug, Perm.VIEW_SURVEYS)
    return statistics(access_survey(actor, survey_id))


@router.post(
    "/c/{council_slug}/surveys/{survey_id}/responses", response={201: ResponseOut, **WRITE_ERROR_RESPONSES}
)
def answer_survey(
    request: HttpRequest, council_slug: CouncilSlug, survey_id: ObjectId, payload: AnswersIn
) -> Status[Any]:
    """Answer a survey put to the requester (a member, or a handling unit's
    liaison); refused (400) for wrong or missing answers or a closed survey,
    409 for a second answer."""
    actor = council_actor(request, council_slug, Perm.ANSWER_SURVEYS)
    survey = access_survey_to_answer(actor, survey_id)
    response = submit_response(survey, respondent=Respondent.of_actor(actor, survey), answers=payload.answers)
    return Status(201, response)
