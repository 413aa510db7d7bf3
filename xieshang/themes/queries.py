"""Reads of themes and tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet
from django.utils.functional import Promise

from xieshang.councils.models import Council
from xieshang.themes.models import Theme, ThemeTag


@dataclass(frozen=True)
class TaggedItem:
    """An item of the actor's council that the actor may tag, as the app
    owning it hands it over (from its access function): what it is, in
    which year its tags count, and where its page is."""

    kind: str  # the kind's key in addresses: "proposal", "opinion"
    label: Promise
    obj: Model
    year: int
    title: str
    url: str


def themes_of_council(council: Council) -> QuerySet[Theme]:
    return Theme.objects.filter(council=council).order_by("name")


def tags_of(obj: Model) -> QuerySet[ThemeTag]:
    """The themes an item is tagged with, by name."""
    return (
        ThemeTag.objects.filter(
            council_id=obj.council_id,  # type: ignore[attr-defined]
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )
        .select_related("theme")
        .order_by("theme__name", "id")
    )


def tag_counts(council: Council) -> list[dict[str, Any]]:
    """Per theme, year and kind of item (content type natural key as
    content_type__app_label, content_type__model): how many items are
    tagged (n)."""
    rows = (
        ThemeTag.objects.filter(council=council)
        .values("theme__name", "year", "content_type__app_label", "content_type__model")
        .annotate(n=Count("pk"))
        .order_by("theme__name", "year")
    )
    return [dict(row) for row in rows]
