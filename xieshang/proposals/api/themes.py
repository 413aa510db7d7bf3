"""Themes on proposals (see the themes app): read, tag and untag a filed
proposal, for the staff who tag items."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.proposals.queries import access_proposal_to_tag
from xieshang.themes.api import TaggedItemOut, TagIn, tag_with, untag_from
from xieshang.themes.queries import TaggedItem

router = Router()
THEME_TAGS = "/c/{council_slug}/theme-tags/proposal/{item_id}"


@router.get(THEME_TAGS, response={200: TaggedItemOut, **ERROR_RESPONSES})
def get_proposal_themes(request: HttpRequest, council_slug: CouncilSlug, item_id: ObjectId) -> TaggedItem:
    """The themes a filed proposal is tagged with, for the staff who tag them."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return access_proposal_to_tag(actor, item_id)


@router.post(THEME_TAGS, response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES})
def tag_proposal_with_themes(
    request: HttpRequest, council_slug: CouncilSlug, item_id: ObjectId, payload: TagIn
) -> TaggedItem:
    """Tag a proposal with themes, creating the names the council does not
    have yet; a theme the proposal already has is kept once."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return tag_with(access_proposal_to_tag(actor, item_id), payload, actor)


@router.post(f"{THEME_TAGS}/{{tag_id}}/remove", response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES})
def untag_proposal_theme(
    request: HttpRequest, council_slug: CouncilSlug, item_id: ObjectId, tag_id: ObjectId
) -> TaggedItem:
    """Remove one theme (by its tag id) from a proposal."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return untag_from(access_proposal_to_tag(actor, item_id), tag_id, actor)
