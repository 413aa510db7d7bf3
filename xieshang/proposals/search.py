"""Full-text search over proposals: what goes into the index, and reads that
combine the index with filters and with what the actor may see.

A proposal's document is its title, its three sections and its released
replies. Drafts are never indexed (only their writer may see them, and they
are not "existing proposals" for the similar-proposals hint).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xieshang.core.text import Hit, count_matches, index_document, remove_document, search, similar_documents
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.states import NUMBERED, ProposalStatus, ReplyStatus


def proposal_document(proposal: Proposal) -> tuple[str, str]:
    """The title and body under which a proposal is found."""
    parts = [proposal.situation, proposal.analysis, proposal.suggestions]
    replies = Reply.objects.filter(assignment__proposal=proposal, status=ReplyStatus.RELEASED).order_by(
        "handling_round", "id"
    )
    parts.extend(reply.text for reply in replies)
    return proposal.title, "\n".join(part for part in parts if part)


def index_proposal(proposal: Proposal) -> None:
    """Bring the proposal's search document up to date (actions call this
    after submitting, editing or releasing a reply)."""
    if proposal.status == ProposalStatus.DRAFT:
        remove_document(proposal)
        return
    title, body = proposal_document(proposal)
    index_document(proposal, council=proposal.council, title=title, body=body)


def visible_proposals(actor: Actor) -> QuerySet[Proposal]:
    """Every proposal of the actor's council the actor may open: the rows for
    which permissions.can_view is true, as one query."""
    rows = Proposal.objects.filter(council=actor.council)
    mine = Q(filed_by=actor.user)
    if actor.member is not None:
        mine |= Q(lead_proposer=actor.member)
    if actor.has(Perm.VIEW_ALL_PROPOSALS):
        mine |= ~Q(status=ProposalStatus.DRAFT)
    if actor.member is not None and actor.has(Perm.FILE_PROPOSALS):
        mine |= Q(pk__in=Proposal.objects.filter(cosigners__member=actor.member).values("pk"))
        mine |= Q(pk__in=Proposal.objects.filter(merged_proposals__lead_proposer=actor.member).values("pk"))
    if actor.has(Perm.HANDLE_PROPOSALS) and actor.handling_unit_ids:
        mine |= Q(
            pk__in=Proposal.objects.filter(
                assignments__unit_id__in=actor.handling_unit_ids, assignments__is_active=True
            ).values("pk")
        )
    return rows.filter(mine)


@dataclass(frozen=True)
class SearchFilters:
    year: int | None = None
    status: str = ""
    category_id: int | None = None
    unit_id: int | None = None
    sector_id: int | None = None
    affiliation_id: int | None = None
    is_key: bool | None = None

    def apply(self, rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
        """rows narrowed by every filter that is set. Sector and affiliation
        are the lead proposer's, or the collective author's own."""
        if self.year:
            rows = rows.filter(session__year=self.year)
        if self.status:
            rows = rows.filter(status=self.status)
        if self.category_id:
            rows = rows.filter(category_id=self.category_id)
        if self.unit_id:
            rows = rows.filter(
                pk__in=Proposal.objects.filter(
                    assignments__unit_id=self.unit_id, assignments__is_active=True
                ).values("pk")
            )
        if self.sector_id:
            rows = rows.filter(
                Q(lead_proposer__sector_id=self.sector_id) | Q(author_sector_id=self.sector_id)
            )
        if self.affiliation_id:
            rows = rows.filter(
                Q(lead_proposer__affiliation_id=self.affiliation_id)
                | Q(author_affiliation_id=self.affiliation_id)
            )
        if self.is_key is not None:
            rows = rows.filter(is_key=self.is_key)
        return rows


@dataclass(frozen=True)
class ProposalHit:
    proposal: Proposal
    hit: Hit


def _with_proposals(actor: Actor, hits: Sequence[Hit]) -> list[ProposalHit]:
    by_id = (
        Proposal.objects.filter(council=actor.council)
        .select_related(
            "category", "lead_proposer", "author_affiliation", "author_sector", "author_committee"
        )
        .select_related("author_group", "session")
        .in_bulk([hit.object_id for hit in hits])
    )
    return [ProposalHit(by_id[hit.object_id], hit) for hit in hits if hit.object_id in by_id]


def search_proposals(
    actor: Actor, query: str, filters: SearchFilters, *, limit: int = 20, offset: int = 0
) -> list[ProposalHit]:
    """The proposals the actor may see that contain every word of query and
    pass filters, best match first."""
    rows = filters.apply(visible_proposals(actor))
    hits = search(
        actor.council, query, content_types=[Proposal], restrict_to=rows, limit=limit, offset=offset
    )
    return _with_proposals(actor, hits)


def count_proposals(actor: Actor, query: str, filters: SearchFilters) -> int:
    """How many proposals search_proposals finds in all."""
    rows = filters.apply(visible_proposals(actor))
    return count_matches(actor.council, query, content_types=[Proposal], restrict_to=rows)


@dataclass(frozen=True)
class SimilarProposal:
    """A similar proposal: its case number and title are shown to everyone who
    writes; it is linked only when the actor may open it."""

    proposal: Proposal
    hit: Hit
    may_open: bool


def similar_proposals(
    actor: Actor, *, title: str, text: str, exclude: Proposal | None = None, limit: int = 5
) -> list[SimilarProposal]:
    """Existing proposals of the council (this term and past years) that
    share the most characteristic words with a draft.

    Staff and leaders compare with every filed proposal; others with the
    accepted ones (whose titles and case numbers are announced anyway) and
    with what they may open themselves.
    """
    council_rows = Proposal.objects.filter(council=actor.council).exclude(status=ProposalStatus.DRAFT)
    visible = visible_proposals(actor)
    if not actor.has(Perm.VIEW_ALL_PROPOSALS):
        council_rows = council_rows.filter(Q(status__in=sorted(NUMBERED)) | Q(pk__in=visible.values("pk")))
    hits = similar_documents(
        actor.council,
        text,
        title=title,
        limit=limit,
        content_types=[Proposal],
        restrict_to=council_rows,
        exclude=exclude,
    )
    found = _with_proposals(actor, hits)
    openable = set(visible.filter(pk__in=[row.proposal.pk for row in found]).values_list("pk", flat=True))
    return [SimilarProposal(row.proposal, row.hit, row.proposal.pk in openable) for row in found]


def reindex_council_proposals(council_id: int | None = None) -> int:
    """Rebuild the documents of every filed proposal (of one council, or of
    all); drafts are taken out. Return how many were indexed."""
    rows = Proposal.objects.select_related("council").order_by("pk")
    if council_id is not None:
        rows = rows.filter(council_id=council_id)
    count = 0
    for proposal in rows.iterator(chunk_size=500):
        index_proposal(proposal)
        count += proposal.status != ProposalStatus.DRAFT
    return count
