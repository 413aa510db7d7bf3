"""The header search: one box for everything the actor may open in the
council — members, proposals, opinion reports, consultations.

Each section reads through its app's own visibility query, so the search
finds exactly what the lists would show the same person, and never anything
of another council.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from xieshang.consultations.queries import ConsultationFilters, consultations_of_council, my_consultations
from xieshang.councils.queries import members_for
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.queries import my_reports, reports_of_council
from xieshang.opinions.states import ReportStatus
from xieshang.proposals.search import SearchFilters, count_proposals, search_proposals, visible_proposals
from xieshang.proposals.states import ProposalStatus

MEMBER_LIMIT = 50
SECTION_LIMIT = 10
QUERY_MAX = 100


@dataclass
class Section:
    """One kind of result: the rows shown, and whether there were more."""

    rows: list[Any] = field(default_factory=list)
    more: bool = False
    searched: bool = False


@dataclass
class Results:
    members: Section
    proposals: Section
    proposal_total: int
    reports: Section
    consultations: Section

    @property
    def searched_anything(self) -> bool:
        return any(s.searched for s in (self.members, self.proposals, self.reports, self.consultations))

    @property
    def found_anything(self) -> bool:
        return any(s.rows for s in (self.members, self.proposals, self.reports, self.consultations))


def _cut(rows: list[Any], limit: int) -> Section:
    return Section(rows=rows[:limit], more=len(rows) > limit, searched=True)


def _members(actor: Actor, q: str) -> Section:
    if not actor.has(Perm.VIEW_MEMBERS):
        return Section()
    rows = members_for(actor).filter(full_name__icontains=q).order_by("-is_active", "full_name", "id")
    return _cut(list(rows[: MEMBER_LIMIT + 1]), MEMBER_LIMIT)


def _proposals(actor: Actor, q: str) -> tuple[Section, int]:
    """A case number typed in the box finds its proposal; then the full-text
    hits; then the actor's own drafts by title (drafts are not indexed)."""
    visible = visible_proposals(actor)
    by_number = list(visible.filter(case_number__iexact=q)[:1])
    drafts = list(
        visible.filter(status=ProposalStatus.DRAFT, title__icontains=q).order_by("-id")[:SECTION_LIMIT]
    )
    hits = search_proposals(actor, q, SearchFilters(), limit=SECTION_LIMIT)
    rows: list[Any] = [{"proposal": p, "title_html": None, "snippet_html": None} for p in by_number]
    seen = {p.pk for p in by_number}
    rows += [
        {"proposal": h.proposal, "title_html": h.hit.title_html, "snippet_html": h.hit.snippet_html}
        for h in hits
        if h.proposal.pk not in seen
    ]
    rows += [{"proposal": p, "title_html": None, "snippet_html": None} for p in drafts]
    found = {h.proposal.pk for h in hits}
    total = count_proposals(actor, q, SearchFilters()) + len(drafts)
    total += sum(1 for p in by_number if p.pk not in found)
    return Section(rows=rows[:SECTION_LIMIT], more=total > SECTION_LIMIT, searched=True), total


def _reports(actor: Actor, q: str) -> Section:
    if actor.has(Perm.VIEW_ALL_OPINIONS):
        rows = reports_of_council(actor).filter(~Q(status=ReportStatus.DRAFT) | Q(filed_by=actor.user))
    elif actor.has(Perm.FILE_OPINIONS):
        rows = my_reports(actor)
    else:
        return Section()
    rows = rows.filter(title__icontains=q).order_by("-created_at", "-id")
    return _cut(list(rows[: SECTION_LIMIT + 1]), SECTION_LIMIT)


def _consultations(actor: Actor, q: str) -> Section:
    if actor.has(Perm.VIEW_CONSULTATIONS):
        rows = consultations_of_council(actor, ConsultationFilters(text=q))
    elif actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        rows = my_consultations(actor).filter(topic__icontains=q)
    else:
        return Section()
    return _cut(list(rows[: SECTION_LIMIT + 1]), SECTION_LIMIT)


def search_everything(actor: Actor, q: str) -> Results:
    """Every section the actor's roles open, for query q (already trimmed)."""
    q = q[:QUERY_MAX]
    if not q:
        return Results(Section(), Section(), 0, Section(), Section())
    proposals, total = _proposals(actor, q)
    return Results(
        members=_members(actor, q),
        proposals=proposals,
        proposal_total=total,
        reports=_reports(actor, q),
        consultations=_consultations(actor, q),
    )
