"""Themes on proposals and opinion reports (see taggable.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse

from xieshang.consultations import permissions as can
from xieshang.consultations.models import ThemeTag
from xieshang.consultations.taggable import DRAFT, TAGGABLE, TaggableKind
from xieshang.councils.roles import Actor


@dataclass(frozen=True)
class TaggedItem:
    """A proposal or opinion report of the actor's council, to tag."""

    kind: TaggableKind
    obj: Model
    year: int

    @property
    def title(self) -> str:
        return str(getattr(self.obj, "title", self.obj))

    @property
    def url(self) -> str:
        council = getattr(self.obj, "council")  # noqa: B009 - any tenant model
        return reverse(self.kind.detail_url, kwargs={"council_slug": council.slug, "pk": self.obj.pk})


def access_taggable(actor: Actor, kind_key: str, item_id: int) -> TaggedItem:
    """A filed item of kind in the actor's council that the actor may tag;
    Http404 for an unknown kind, a missing, draft or foreign item, or an
    actor who may not tag it (the same answer for all)."""
    kind = TAGGABLE.get(kind_key)
    if kind is None or not can.can_tag(actor, kind):
        raise Http404
    obj = (
        kind.model.objects.filter(council=actor.council, pk=item_id)  # type: ignore[attr-defined]
        .exclude(status=DRAFT)
        .select_related("council", *kind.joins)
        .first()
    )
    if obj is None:
        raise Http404
    return TaggedItem(kind=kind, obj=obj, year=kind.year_of(obj))


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
