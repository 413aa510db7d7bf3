"""What the proposals API modules share: the path, finding the proposal the
requester may see, the batch checks, and the answers' builders."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from xieshang.core.attachments import attachments_of
from xieshang.core.errors import Conflict
from xieshang.core.models import Attachment
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import HandlingUnit
from xieshang.councils.queries import council_row, council_rows
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions import filing, handling
from xieshang.proposals.api.schemas import ProposalIn, UnitRoleIn
from xieshang.proposals.models import Assignment, Proposal, ProposalCategory, Reply
from xieshang.proposals.queries import (
    access_proposal,
    filed_proposals_by_ids,
    reply_with_unit,
    visible_handling,
)

BASE = "/c/{council_slug}/proposals"


def proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "status": proposal.status,
        "case_number": proposal.case_number,
        "window": proposal.window,
        "author_name": proposal.author_name,
        "category": proposal.category.name if proposal.category else "",
        "is_key": proposal.is_key,
        "is_outstanding": proposal.is_outstanding,
        "submitted_at": proposal.submitted_at,
        "version": proposal.version,
    }


def reply_out(reply: Reply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "proposal_id": reply.assignment.proposal_id,
        "unit": reply.assignment.unit.name,
        "handling_round": reply.handling_round,
        "status": reply.status,
        "category": reply.category.code if reply.category else "",
        "text": reply.text,
        "signer": reply.signer,
        "contact_person": reply.contact_person,
        "feedback_due_on": reply.feedback_due_on,
        "version": reply.version,
    }


def saved_reply_out(reply: Reply) -> dict[str, Any]:
    """A reply just saved, read again with its unit and category."""
    return reply_out(reply_with_unit(reply))


def files_out(owner: Proposal | Reply) -> list[Attachment]:
    return list(attachments_of(owner))


def assignment_out(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "proposal_id": assignment.proposal_id,
        "unit": assignment.unit.name,
        "role": assignment.role,
        "assigned_on": assignment.assigned_on,
        "due_on": assignment.effective_due_on,
        "objected": assignment.objected_at is not None,
    }


def detail_out(actor: Actor, proposal: Proposal) -> dict[str, Any]:
    """The proposal as the actor may see it: staff and leaders every unit and
    reply; a unit its own; proposers the released replies."""
    handling = visible_handling(actor, proposal)
    return {
        **proposal_out(proposal),
        "situation": proposal.situation,
        "analysis": proposal.analysis,
        "suggestions": proposal.suggestions,
        "decline_reason": proposal.decline_reason.name if proposal.decline_reason else "",
        "review_note": proposal.review_note,
        "handling_round": proposal.handling_round,
        "cosigners": [
            {"member_id": c.member_id, "name": c.member.full_name, "status": c.status}
            for c in proposal.cosigners.select_related("member").order_by("id")
        ],
        "assignments": [assignment_out(a) for a in handling.assignments],
        "replies": [reply_out(r) for r in handling.replies],
    }


def fresh_detail(actor: Actor, proposal: Proposal) -> dict[str, Any]:
    return detail_out(actor, access_proposal(actor, proposal.pk))


def proposal_for(
    request: HttpRequest, council_slug: str, proposal_id: int, perm: Perm | None = Perm.VIEW_COUNCIL
) -> tuple[Actor, Proposal]:
    """The actor (requiring perm) and the proposal they may see (else 404)."""
    actor = council_actor(request, council_slug, perm)
    return actor, access_proposal(actor, proposal_id)


def filed_in_order(actor: Actor, ids: list[int]) -> list[Proposal]:
    """The council's filed proposals with these ids, in the order given; 404
    when one is missing, a draft or another council's, so nothing is done."""
    found = {p.pk: p for p in filed_proposals_by_ids(actor, ids)}
    if len(found) != len(set(ids)):
        raise Http404
    return [found[pk] for pk in dict.fromkeys(ids)]


def refuse_unless_all_still(proposals: list[Proposal], status: str, problem: str) -> None:
    """Refuse a batch (409) when a proposal left status since the list was
    read, naming it: a second click or another staff member got there first.
    The actions check again under lock; this only words the answer."""
    moved = [p.title for p in proposals if p.status != status]
    if moved:
        raise Conflict(problem % {"titles": "、".join(moved)})


def proposal_content(actor: Actor, payload: ProposalIn) -> filing.ProposalContent:
    return filing.ProposalContent(
        title=payload.title,
        situation=payload.situation,
        analysis=payload.analysis,
        suggestions=payload.suggestions,
        category=council_row(actor, ProposalCategory, payload.category_id, field="category_id"),
        suggested_units=tuple(
            council_rows(actor, HandlingUnit, payload.suggested_unit_ids, field="suggested_unit_ids")
        ),
        consents_to_publish_reply=payload.consents_to_publish_reply,
        window=payload.window,
    )


def unit_roles(actor: Actor, items: list[UnitRoleIn], *, field: str) -> list[handling.UnitRole]:
    units = {u.pk: u for u in council_rows(actor, HandlingUnit, [i.unit_id for i in items], field=field)}
    return [handling.UnitRole(units[item.unit_id], item.role) for item in items]
