"""Themes: their continuity over the years. The council's theme names and
the tags on proposals and opinion reports are served by the themes app and
by those apps (see xieshang.themes.api)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from xieshang.consultations.actions import continuity as continuity_actions
from xieshang.consultations.api.answers import ContinuityOut
from xieshang.core.api import ERROR_RESPONSES
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
