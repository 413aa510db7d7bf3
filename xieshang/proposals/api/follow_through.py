"""Key and outstanding proposals: the marks, the key proposals with their
supervising leaders, and their follow-through activities (督办)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Overlay,
    Page,
    PageQuery,
    paginate,
)
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import Role
from xieshang.councils.queries import council_row, users_with_role
from xieshang.councils.roles import Perm
from xieshang.proposals.actions import review
from xieshang.proposals.api.answers import FollowThroughOut, KeyProposalOut, ProposalDetailOut
from xieshang.proposals.api.common import BASE, fresh, proposal_for
from xieshang.proposals.api.schemas import FollowThroughIn, MarkIn
from xieshang.proposals.models import KeyProposalFollowThrough
from xieshang.proposals.queries import key_proposals

router = Router()


@router.get(f"{BASE}/key", response={200: Page[KeyProposalOut], **ERROR_RESPONSES})
def list_key_proposals(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Key proposals with their supervising leaders and how often they were followed through."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_PROPOSALS)
    return paginate(key_proposals(actor), filters)


@router.post(f"{BASE}/{{proposal_id}}/marks", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def mark_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: MarkIn
) -> Overlay:
    """Mark or unmark a key proposal (with its supervising leader) or an outstanding one."""
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    if payload.is_key is not None:
        leader = council_row(
            actor,
            users_with_role(actor.council, Role.LEADER),
            payload.supervising_leader_id,
            field="supervising_leader",
            message=_("Choose a leader of this council to supervise it."),
        )
        review.mark_key(proposal, actor=actor, is_key=payload.is_key, supervising_leader=leader)
    if payload.is_outstanding is not None:
        review.mark_outstanding(proposal, actor=actor, is_outstanding=payload.is_outstanding)
    return fresh(actor, proposal)


@router.get(
    f"{BASE}/{{proposal_id}}/follow-throughs", response={200: list[FollowThroughOut], **ERROR_RESPONSES}
)
def list_proposal_follow_throughs(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[KeyProposalFollowThrough]:
    """The follow-through activities of a key proposal, for staff and leaders."""
    _actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.VIEW_ALL_PROPOSALS)
    if not proposal.is_key:
        return []
    return list(proposal.follow_throughs.select_related("recorded_by").order_by("happened_on", "id"))


@router.post(f"{BASE}/{{proposal_id}}/follow-throughs", response={204: None, **WRITE_ERROR_RESPONSES})
def record_proposal_follow_through(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: FollowThroughIn
) -> Status:
    """Record an inspection, meeting or visit following a key proposal through."""
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.VIEW_ALL_PROPOSALS)
    review.record_follow_through(
        proposal,
        actor=actor,
        kind=payload.kind,
        note=payload.note,
        happened_on=payload.happened_on,
        today=timezone.localdate(),
    )
    return Status(204, None)
