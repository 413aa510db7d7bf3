"""What the supervision API areas share: the base path and the actor."""

from __future__ import annotations

from django.http import HttpRequest

from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Actor, Perm

BASE = "/c/{council_slug}/supervision"


def viewer(request: HttpRequest, council_slug: str) -> Actor:
    """Staff, leaders and members read the records; the upper council only
    the statistics (403 here)."""
    return council_actor(request, council_slug, Perm.VIEW_SUPERVISION)


def unit_or_viewer(request: HttpRequest, council_slug: str) -> Actor:
    """Readers of the records, and unit liaisons (who see their unit's)."""
    actor = council_actor(request, council_slug)
    if not actor.has(Perm.ANSWER_SUPERVISION):
        actor = council_actor(request, council_slug, Perm.VIEW_SUPERVISION)
    return actor
