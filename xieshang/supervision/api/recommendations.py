"""Recommendations to the responsible bodies and the units' replies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.models import HandlingUnit
from xieshang.councils.queries import council_row, council_rows
from xieshang.supervision import queries
from xieshang.supervision.actions import reply_recommendation, resolve_recommendation, send_recommendation
from xieshang.supervision.api.answers import RecommendationDetailOut, RecommendationOut
from xieshang.supervision.api.common import BASE, unit_or_viewer, viewer
from xieshang.supervision.api.schemas import RecommendationIn, SupervisionReplyIn, SupervisionVersionIn
from xieshang.supervision.models import Recommendation

router = Router()


@router.post(
    f"{BASE}/campaigns/{{campaign_id}}/recommendations",
    response={201: RecommendationDetailOut, **WRITE_ERROR_RESPONSES},
)
def send_supervision_recommendation(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, payload: RecommendationIn
) -> Status[Any]:
    """Send a recommendation to a handling unit of this council, covering
    open problems of the campaign found at that unit."""
    actor = viewer(request, council_slug)
    campaign = queries.access_campaign(actor, campaign_id)
    row = send_recommendation(
        campaign,
        actor=actor,
        handling_unit=council_row(actor, HandlingUnit, payload.handling_unit_id, field="handling_unit_id"),
        title=payload.title,
        text=payload.text,
        problems=council_rows(
            actor,
            queries.campaign_problems(campaign),
            payload.problem_ids,
            field="problem_ids",
            message=_("Choose open problems of this campaign found at this unit."),
        ),
    )
    return Status(201, row)


@router.get(f"{BASE}/recommendations", response={200: Page[RecommendationOut], **ERROR_RESPONSES})
def list_supervision_recommendations(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """All recommendations for staff, leaders and members; a unit's own for its liaison."""
    actor = unit_or_viewer(request, council_slug)
    return paginate(queries.visible_recommendations(actor).order_by("due_on", "id"), filters)


@router.get(
    f"{BASE}/recommendations/{{recommendation_id}}",
    response={200: RecommendationDetailOut, **ERROR_RESPONSES},
)
def get_supervision_recommendation(
    request: HttpRequest, council_slug: CouncilSlug, recommendation_id: ObjectId
) -> Recommendation:
    return queries.access_recommendation(unit_or_viewer(request, council_slug), recommendation_id)


@router.post(
    f"{BASE}/recommendations/{{recommendation_id}}/replies",
    response={201: RecommendationDetailOut, **WRITE_ERROR_RESPONSES},
)
def answer_supervision_recommendation(
    request: HttpRequest, council_slug: CouncilSlug, recommendation_id: ObjectId, payload: SupervisionReplyIn
) -> Status[Any]:
    """The unit's reply, then its progress reports, until resolved."""
    actor = unit_or_viewer(request, council_slug)
    row = queries.access_recommendation(actor, recommendation_id)
    reply_recommendation(row, actor=actor, text=payload.text)
    return Status(201, queries.access_recommendation(actor, recommendation_id))


@router.post(
    f"{BASE}/recommendations/{{recommendation_id}}/resolve",
    response={200: RecommendationDetailOut, **WRITE_ERROR_RESPONSES},
)
def resolve_supervision_recommendation(
    request: HttpRequest,
    council_slug: CouncilSlug,
    recommendation_id: ObjectId,
    payload: SupervisionVersionIn,
) -> Recommendation:
    actor = viewer(request, council_slug)
    row = queries.access_recommendation(actor, recommendation_id)
    resolve_recommendation(row, actor=actor, expected_version=payload.version)
    return queries.access_recommendation(actor, recommendation_id)
