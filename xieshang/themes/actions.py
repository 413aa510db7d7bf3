"""Every write to themes and tags."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.councils.roles import Actor, Perm
from xieshang.themes.models import Theme, ThemeTag


def themes_named(actor: Actor, names: Iterable[str]) -> list[Theme]:
    """The council's themes with these names, creating the missing ones."""
    out: list[Theme] = []
    for raw in names:
        name = raw.strip()[:50]
        if not name or any(t.name == name for t in out):
            continue
        theme, _created = Theme.objects.get_or_create(council=actor.council, name=name)
        out.append(theme)
    return out


@transaction.atomic
def tag_item(obj: Model, *, year: int, names: Iterable[str], actor: Actor) -> list[ThemeTag]:
    """Tag an item of this council (a proposal, an opinion report) with
    themes, for the year it belongs to; a theme it has already is kept once.

    Raise PermissionDenied unless actor prepares consultations in the item's
    council, and ValidationError on names when no name is given.
    """
    require(actor.has(Perm.MANAGE_CONSULTATIONS) and getattr(obj, "council_id", None) == actor.council.pk)
    names = list(names)
    if not any(name.strip() for name in names):
        raise ValidationError({"names": _("Choose or type a theme.")})
    kind = ContentType.objects.get_for_model(obj)
    tags = []
    for theme in themes_named(actor, names):
        tag, _created = ThemeTag.objects.get_or_create(
            council=actor.council, theme=theme, content_type=kind, object_id=obj.pk, defaults={"year": year}
        )
        tags.append(tag)
    audit(
        "themes.tagged",
        user=actor.user,
        council=actor.council,
        obj=obj,
        data={"themes": [t.theme.name for t in tags]},
    )
    return tags


@transaction.atomic
def untag_item(tag: ThemeTag, *, item: Model, actor: Actor) -> None:
    """Remove a theme (tag, one of item's tags) from an item of this council.

    Raise PermissionDenied unless actor prepares consultations in the item's
    council and tag is the item's, and Conflict when another request removed
    it meanwhile.
    """
    require(
        actor.has(Perm.MANAGE_CONSULTATIONS)
        and tag.council_id == actor.council.pk
        and getattr(item, "council_id", None) == actor.council.pk
        and tag.content_type_id == ContentType.objects.get_for_model(item).pk
        and tag.object_id == item.pk
    )
    current = ThemeTag.objects.select_for_update().select_related("theme").filter(pk=tag.pk).first()
    if current is None:
        raise Conflict()
    current.delete()
    audit(
        "themes.untagged",
        user=actor.user,
        council=actor.council,
        obj=item,
        data={"theme": current.theme.name},
    )
