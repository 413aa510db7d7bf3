"""{% item_themes obj may_tag "proposals:themes" %}: the themes an item is
tagged with, and for staff who may tag it (may_tag, from the owning app's
permission) a link to its tagging page, the URL name given last."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from xieshang.themes.queries import tags_of

register = template.Library()


@register.inclusion_tag("themes/_item_themes.html", takes_context=True)
def item_themes(context: template.Context, obj: Any, may_tag: bool, tag_url_name: str) -> dict[str, Any]:
    actor = getattr(context.get("request"), "actor", None)
    if actor is None or obj.council_id != actor.council.pk:
        return {"tags": [], "tag_url": ""}
    url = ""
    if may_tag:
        url = reverse(tag_url_name, kwargs={"council_slug": actor.council.slug, "pk": obj.pk})
    return {"tags": list(tags_of(obj)), "tag_url": url}
