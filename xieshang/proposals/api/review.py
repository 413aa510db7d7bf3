"""Review: accepting (one or a batch from the queue), declining, returning,
converting, merging, ordering another round and concluding."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from xieshang.core.api import WRITE_ERROR_RESPONSES, ObjectId, Overlay
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Perm
from xieshang.proposals.actions import review
from xieshang.proposals.api.answers import ProposalDetailOut, ProposalsOut
from xieshang.proposals.api.common import BASE, filed_in_order, fresh, proposal_for, refuse_unless_all_still
from xieshang.proposals.api.schemas import ConvertIn, DeclineIn, MergeIn, ProposalIdsIn, ReasonIn, VersionIn
from xieshang.proposals.models import DeclineReason
from xieshang.proposals.queries import access_proposal
from xieshang.proposals.states import ProposalStatus

router = Router()


@router.post(f"{BASE}/review/accept", response={200: ProposalsOut, **WRITE_ERROR_RESPONSES})
def accept_proposals(
    request: HttpRequest, council_slug: CouncilSlug, payload: ProposalIdsIn
) -> dict[str, Any]:
    """Accept several submitted proposals at once, numbered in filing order.
    All or nothing, as in the review queue: an id that is not a filed
    proposal of this council is a 404, and one already reviewed (by a second
    click or another staff member) a 409; either way nothing is numbered."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    proposals = filed_in_order(actor, payload.proposal_ids)
    refuse_unless_all_still(
        proposals,
        ProposalStatus.SUBMITTED,
        _("Already reviewed: %(titles)s. Nothing was accepted; reload the list and choose again."),
    )
    accepted = review.accept_many(proposals, actor=actor)
    return {"items": accepted}


@router.post(f"{BASE}/{{proposal_id}}/accept", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def accept_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: VersionIn
) -> Overlay:
    """Accept with the next case number of the term and session."""
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.accept_proposal(proposal, actor=actor, expected_version=payload.version)
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/decline", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def decline_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: DeclineIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    reason = council_row(actor, DeclineReason, payload.reason_id, field="reason_id")
    assert reason is not None
    review.decline_proposal(
        proposal, actor=actor, reason=reason, note=payload.note, expected_version=payload.version
    )
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/return", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def return_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ReasonIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.return_for_revision(proposal, actor=actor, reason=payload.reason, expected_version=payload.version)
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/convert", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def convert_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ConvertIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.convert_proposal(
        proposal,
        actor=actor,
        target=payload.target,
        consent_note=payload.consent_note,
        expected_version=payload.version,
    )
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/merge", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def merge_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: MergeIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    into = access_proposal(actor, payload.into_id)
    review.merge_proposal(
        proposal, actor=actor, into=into, note=payload.note, expected_version=payload.version
    )
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/rehandle", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def rehandle_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ReasonIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.order_rehandling(
        proposal,
        actor=actor,
        reason=payload.reason,
        today=timezone.localdate(),
        expected_version=payload.version,
    )
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/conclude", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def conclude_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: VersionIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.conclude_proposal(
        proposal, actor=actor, today=timezone.localdate(), expected_version=payload.version
    )
    return fresh(actor, proposal)
