"""Themes: their continuity over the years, and the theme tags on proposals
and opinion reports."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from xieshang.consultations.actions import continuity as continuity_actions
from xieshang.consultations.api.answers import ContinuityOut, TaggedItemOut
from xieshang.consultations.api.schemas import TaggableKey, TagIn
from xieshang.consultations.queries import TaggedItem, access_taggable, tags_of, themes_of_council
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm

router = Router()


@router.get("/c/{council_slug}/themes/continuity", response={200: ContinuityOut, **ERROR_RESPONSES})
def get_theme_continuity(request: HttpRequest, council_slug: CouncilSlug) -> continuity_actions.Continuity:
    """Each theme's items per year and its longest run of consecutive years;
    for an upper council, its lower councils' themes as counts."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    return continuity_actions.continuity(actor)


@router.get("/c/{council_slug}/themes", response={200: list[str], **ERROR_RESPONSES})
def list_themes(request: HttpRequest, council_slug: CouncilSlug) -> list[str]:
    """The council's theme names, to choose from when tagging."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    return list(themes_of_council(actor.council).values_list("name", flat=True))


@router.get("/c/{council_slug}/theme-tags/{kind}/{item_id}", response={200: TaggedItemOut, **ERROR_RESPONSES})
def get_item_themes(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId
) -> TaggedItem:
    """The themes a filed proposal (kind=proposal) or opinion report
    (kind=opinion) is tagged with, for the staff who tag them."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return access_taggable(actor, kind, item_id)


@router.post(
    "/c/{council_slug}/theme-tags/{kind}/{item_id}", response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES}
)
def tag_item_with_themes(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId, payload: TagIn
) -> TaggedItem:
    """Tag an item with themes, creating the names the council does not have
    yet; a theme the item already has is kept once."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_taggable(actor, kind, item_id)
    continuity_actions.tag_item(item.obj, year=item.year, names=payload.names, actor=actor)
    return item


@router.post(
    "/c/{council_slug}/theme-tags/{kind}/{item_id}/{tag_id}/remove",
    response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES},
)
def untag_item_theme(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId, tag_id: ObjectId
) -> TaggedItem:
    """Remove one theme (by its tag id) from an item."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_taggable(actor, kind, item_id)
    tag = tags_of(item.obj).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    continuity_actions.untag_item(tag, actor=actor)
    return item
