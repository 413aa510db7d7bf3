"""Next-year follow-ups of B-category replies: the units report, staff close."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, paginate
from xieshang.core.errors import require
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.proposals.actions import followups
from xieshang.proposals.api.answers import FollowUpOut
from xieshang.proposals.api.common import BASE
from xieshang.proposals.api.schemas import FollowUpCloseIn, FollowUpFilterQuery, FollowUpReportIn
from xieshang.proposals.models import FollowUp
from xieshang.proposals.queries import FollowUpFilters, access_follow_up, follow_ups_for

router = Router()


@router.get(f"{BASE}/follow-ups", response={200: Page[FollowUpOut], **ERROR_RESPONSES})
def list_proposal_follow_ups(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[FollowUpFilterQuery]
) -> dict[str, Any]:
    """Follow-ups of B-category proposals due in a year (this year by
    default), soonest first: the council's for staff and leaders, their
    units' for unit liaisons."""
    actor = council_actor(request, council_slug)
    require(
        actor.has(Perm.VIEW_ALL_PROPOSALS)
        or (actor.has(Perm.HANDLE_PROPOSALS) and bool(actor.handling_unit_ids))
    )
    rows = follow_ups_for(
        actor,
        FollowUpFilters(
            year=filters.year or timezone.localdate().year,
            status=filters.status or "",
            unit_id=filters.unit_id,
        ),
    )
    return paginate(rows, filters)


@router.get(f"{BASE}/follow-ups/{{follow_up_id}}", response={200: FollowUpOut, **ERROR_RESPONSES})
def get_proposal_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, follow_up_id: ObjectId
) -> FollowUp:
    actor = council_actor(request, council_slug)
    return access_follow_up(actor, follow_up_id)


@router.post(
    f"{BASE}/follow-ups/{{follow_up_id}}/report", response={200: FollowUpOut, **WRITE_ERROR_RESPONSES}
)
def report_proposal_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, follow_up_id: ObjectId, payload: FollowUpReportIn
) -> FollowUp:
    """The unit says what has been done since its B-category reply (it may
    correct this until staff close the follow-up)."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    followups.report_follow_up(
        access_follow_up(actor, follow_up_id),
        actor=actor,
        result=payload.result,
        expected_version=payload.version,
    )
    return access_follow_up(actor, follow_up_id)


@router.post(
    f"{BASE}/follow-ups/{{follow_up_id}}/close", response={200: FollowUpOut, **WRITE_ERROR_RESPONSES}
)
def close_proposal_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, follow_up_id: ObjectId, payload: FollowUpCloseIn
) -> FollowUp:
    """Close a follow-up the unit has reported on."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    followups.close_follow_up(
        access_follow_up(actor, follow_up_id),
        actor=actor,
        note=payload.note,
        expected_version=payload.version,
    )
    return access_follow_up(actor, follow_up_id)
