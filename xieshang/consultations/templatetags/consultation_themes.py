"""{% item_themes obj "proposal" %}: the themes a proposal or an opinion
report is tagged with, and for staff who may tag it a link to the tagging
page. A template tag lets those apps' pages show the themes without
importing this app (which they may not: see taggable.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from xieshang.consultations import permissions as can
from xieshang.consultations.queries import tags_of
from xieshang.consultations.taggable import TAGGABLE

register = template.Library()


@register.inclusion_tag("consultations/themes/_item_themes.html", takes_context=True)
def item_themes(context: template.Context, obj: Any, kind_key: str) -> dict[str, Any]:
    kind = TAGGABLE[kind_key]
    actor = getattr(context.get("request"), "actor", None)
    if actor is None or obj.council_id != actor.council.pk:
        return {"tags": [], "tag_url": ""}
    may_tag = can.can_tag(actor, kind) and obj.status != "draft"
    url = ""
    if may_tag:
        url = reverse(
            "consultations:theme_tag",
            kwargs={"council_slug": actor.council.slug, "kind": kind.key, "item_id": obj.pk},
        )
    return {"tags": list(tags_of(obj)), "tag_url": url}
