"""Permission checks in templates, so a page shows a link only when it
would open: `{% load perms %}` … `{% if request.actor|actor_has:"VIEW_ALL_PROPOSALS" %}`.

The argument is a name of `Perm`; a misspelt name fails loudly instead of
hiding the link for everyone. Object rules stay `can_*` predicates, which the
view passes to the template."""

from __future__ import annotations

from django import template

from xieshang.councils.roles import Actor, Perm

register = template.Library()


@register.filter
def actor_has(actor: Actor | None, perm_name: str) -> bool:
    perm = Perm[perm_name]
    return isinstance(actor, Actor) and actor.has(perm)
