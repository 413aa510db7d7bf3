"""Themes: their continuity over the years, and the theme tags on proposals
and opinion reports."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from xieshang.consultations.actions import continuity as continuity_actions
from xieshang.consultations.api.schemas import ContinuityOut, TaggableKey, TaggedItemOut, TagIn
from xieshang.consultations.queries import TaggedItem, access_taggable, tags_of, themes_of_council
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm

router = Router()


def _theme_rows(rows: list[continuity_actions.ThemeYears]) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "counts": t.counts, "longest_run": t.run, "run_until": t.run_until} for t in rows
    ]


@router.get("/c/{council_slug}/themes/continuity", response={200: ContinuityOut, **ERROR_RESPONSES})
def get_theme_continuity(request: HttpRequest, council_slug: CouncilSlug) -> dict[str, Any]:
    """Each theme's items per year and its longest run of consecutive years;
    for an upper council, its lower councils' themes as counts."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    result = continuity_actions.continuity(actor)
    return {
        "years": result.years,
        "themes": _theme_rows(result.themes),
        "lower_councils": [{"council": c.name, "themes": _theme_rows(rows)} for c, rows in result.lower],
    }


def tagged_item_out(item: TaggedItem) -> dict[str, Any]:
    return {
        "kind": item.kind.key,
        "id": item.obj.pk,
        "title": item.title,
        "year": item.year,
        "tags": [{"id": t.pk, "name": t.theme.name, "year": t.year} for t in tags_of(item.obj)],
    }


@router.get("/c/{council_slug}/themes", response={200: list[str], **ERROR_RESPONSES})
def list_themes(request: HttpRequest, council_slug: CouncilSlug) -> list[str]:
    """The council's theme names, to choose from when tagging."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    return list(themes_of_council(actor.council).values_list("name", flat=True))


@router.get("/c/{council_slug}/theme-tags/{kind}/{item_id}", response={200: TaggedItemOut, **ERROR_RESPONSES})
def get_item_themes(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId
) -> dict[str, Any]:
    """The themes a filed proposal (kind=proposal) or opinion report
    (kind=opinion) is tagged with, for the staff who tag them."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return tagged_item_out(access_taggable(actor, kind, item_id))


@router.post(
    "/c/{council_slug}/theme-tags/{kind}/{item_id}", response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES}
)
def tag_item_with_themes(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId, payload: TagIn
) -> dict[str, Any]:
    """Tag an item with themes, creating the names the council does not have
    yet; a theme the item already has is kept once."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_taggable(actor, kind, item_id)
    continuity_actions.tag_item(item.obj, year=item.year, names=payload.names, actor=actor)
    return tagged_item_out(item)


@router.post(
    "/c/{council_slug}/theme-tags/{kind}/{item_id}/{tag_id}/remove",
    response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES},
)
def untag_item_theme(
    request: HttpRequest, council_slug: CouncilSlug, kind: TaggableKey, item_id: ObjectId, tag_id: ObjectId
) -> dict[str, Any]:
    """Remove one theme (by its tag id) from an item."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    item = access_taggable(actor, kind, item_id)
    tag = tags_of(item.obj).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    continuity_actions.untag_item(tag, actor=actor)
    return tagged_item_out(item)
