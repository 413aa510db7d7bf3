"""What the proposals API modules share: the path, finding the proposal the
requester may see, the batch checks, and turning input into content."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from xieshang.core.api import Overlay
from xieshang.core.errors import Conflict
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import HandlingUnit
from xieshang.councils.queries import council_row, council_rows
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.actions import filing, handling
from xieshang.proposals.api.schemas import ProposalIn, UnitRoleIn
from xieshang.proposals.models import Proposal, ProposalCategory
from xieshang.proposals.queries import (
    access_proposal,
    filed_proposals_by_ids,
    visible_handling,
)

BASE = "/c/{council_slug}/proposals"


def as_seen_by(actor: Actor, proposal: Proposal) -> Overlay:
    """The proposal with the units and replies the actor may see of it, as
    ProposalDetailOut reads it: staff and leaders every unit and reply; a
    unit its own; proposers the released replies."""
    return Overlay(proposal, visible_handling=visible_handling(actor, proposal))


def fresh(actor: Actor, proposal: Proposal) -> Overlay:
    """The proposal read again after an action changed it, as the actor may see it."""
    return as_seen_by(actor, access_proposal(actor, proposal.pk))


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
