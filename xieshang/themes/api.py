"""Themes over the API: the council's theme names, and what the tag
endpoints of each taggable app share.

An app whose items are tagged (proposals, opinion reports) serves
GET/POST /c/{slug}/theme-tags/<kind>/{item_id} and
POST …/{tag_id}/remove itself, resolving the item with its own access
function into a TaggedItem and answering it as TaggedItemOut."""

from __future__ import annotations

from typing import Annotated

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from xieshang.core.api import ERROR_RESPONSES, Printable
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Actor, Perm
from xieshang.themes import actions
from xieshang.themes.models import ThemeTag
from xieshang.themes.queries import TaggedItem, tags_of, themes_of_council

router = Router(tags=["themes"])
ThemeName = Annotated[str, Field(min_length=1, max_length=50), Printable]


class ThemeTagOut(Schema):
    id: int
    name: str
    year: int

    @staticmethod
    def resolve_name(tag: ThemeTag) -> str:
        return tag.theme.name


class TaggedItemOut(Schema):
    """An item with its tags, built from a TaggedItem."""

    kind: str
    id: int
    title: str
    year: int
    tags: list[ThemeTagOut]

    @staticmethod
    def resolve_id(item: TaggedItem) -> int:
        return int(item.obj.pk)

    @staticmethod
    def resolve_tags(item: TaggedItem) -> QuerySet[ThemeTag]:
        return tags_of(item.obj)


class TagIn(Schema):
    names: list[ThemeName] = Field(
        max_length=20, description="Theme names: the council's existing themes, or new ones to create."
    )


def tag_with(item: TaggedItem, payload: TagIn, actor: Actor) -> TaggedItem:
    """Tag the item with the payload's themes; answer with the item."""
    actions.tag_item(item.obj, year=item.year, names=payload.names, actor=actor)
    return item


def untag_from(item: TaggedItem, tag_id: int, actor: Actor) -> TaggedItem:
    """Remove one of the item's themes; 404 for a tag that is not the item's."""
    tag = tags_of(item.obj).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    actions.untag_item(tag, item=item.obj, actor=actor)
    return item


@router.get("/c/{council_slug}/themes", response={200: list[str], **ERROR_RESPONSES})
def list_themes(request: HttpRequest, council_slug: CouncilSlug) -> list[str]:
    """The council's theme names, to choose from when tagging."""
    actor = council_actor(request, council_slug, Perm.VIEW_CONSULTATIONS)
    return list(themes_of_council(actor.council).values_list("name", flat=True))
