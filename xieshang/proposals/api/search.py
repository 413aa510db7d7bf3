"""Finding proposals: by words, and similar ones while writing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, Overlay, Page, one_page
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.proposals.api.answers import SearchHitOut, SimilarOut
from xieshang.proposals.api.common import BASE
from xieshang.proposals.api.schemas import SearchQuery, SimilarIn
from xieshang.proposals.queries import access_proposal
from xieshang.proposals.search import (
    SearchFilters,
    SimilarProposal,
    count_proposals,
    search_proposals,
    similar_proposals,
)

router = Router()


@router.get(f"{BASE}/search", response={200: Page[SearchHitOut], **ERROR_RESPONSES})
def search_proposals_by_words(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[SearchQuery]
) -> dict[str, Any]:
    """Proposals the requester may open that contain every word, best match
    first, with the search page's filters."""
    actor = council_actor(request, council_slug)
    query = filters.q.strip()
    wanted = SearchFilters(
        year=filters.year,
        status=filters.status or "",
        category_id=filters.category_id,
        unit_id=filters.unit_id,
        sector_id=filters.sector_id,
        affiliation_id=filters.affiliation_id,
        is_key=filters.key,
    )
    count = count_proposals(actor, query, wanted) if query else 0
    start = (filters.page - 1) * filters.page_size
    hits = (
        search_proposals(actor, query, wanted, limit=filters.page_size, offset=start) if start < count else []
    )
    items = [
        Overlay(row.proposal, title_html=str(row.hit.title_html), snippet_html=str(row.hit.snippet_html))
        for row in hits
    ]
    return one_page(items, count=count, query=filters)


@router.post(f"{BASE}/similar", response={200: list[SimilarOut], **WRITE_ERROR_RESPONSES})
def find_similar_proposals(
    request: HttpRequest, council_slug: CouncilSlug, payload: SimilarIn
) -> list[SimilarProposal]:
    """Existing proposals similar to the text being written (or to a filed
    proposal), to avoid filing one twice. Writes nothing."""
    actor = council_actor(request, council_slug)
    current = access_proposal(actor, payload.proposal_id) if payload.proposal_id else None
    if current is not None:
        title, text = current.title, f"{current.situation}\n{current.analysis}\n{current.suggestions}"
    else:
        title, text = payload.title, "\n".join((payload.situation, payload.analysis, payload.suggestions))
    if not (title + text).strip():
        return []
    return similar_proposals(actor, title=title, text=text, exclude=current)
