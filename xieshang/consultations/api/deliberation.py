"""Online deliberation: the deliberation, its opinions and their support,
and the public view that needs no login."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.consultations.actions import deliberation as deliberation_actions
from xieshang.consultations.api.answers import DeliberationOut, OpinionOut
from xieshang.consultations.api.schemas import OpinionIn
from xieshang.consultations.models import Deliberation, Opinion
from xieshang.consultations.queries import (
    access_deliberation,
    access_opinion,
    public_deliberation,
    visible_opinions,
)
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor

router = Router()


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}/public",
    response={200: DeliberationOut, **ERROR_RESPONSES},
    auth=None,
)
def get_public_deliberation(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId
) -> Deliberation:
    """A deliberation open to the public: readable without logging in."""
    return public_deliberation(council_slug, deliberation_id)


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}/public/opinions",
    response={200: Page[OpinionOut], **ERROR_RESPONSES},
    auth=None,
)
def list_public_opinions(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, page: Query[PageQuery]
) -> dict[str, Any]:
    """The visible opinions of a public deliberation, most supported first."""
    item = public_deliberation(council_slug, deliberation_id)
    return paginate(visible_opinions(item), page)


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}",
    response={200: DeliberationOut, **ERROR_RESPONSES},
)
def get_deliberation(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId
) -> Deliberation:
    actor = council_actor(request, council_slug)
    return access_deliberation(actor, deliberation_id)


@router.get(
    "/c/{council_slug}/deliberations/{deliberation_id}/opinions",
    response={200: Page[OpinionOut], **ERROR_RESPONSES},
)
def list_deliberation_opinions(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, page: Query[PageQuery]
) -> dict[str, Any]:
    """Visible opinions; staff also see hidden ones, authors their own."""
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    staff = deliberation_actions.can_manage_deliberation(actor, item)
    return paginate(visible_opinions(item, user_id=actor.user.pk, staff=staff), page)


@router.post(
    "/c/{council_slug}/deliberations/{deliberation_id}/opinions",
    response={201: OpinionOut, **WRITE_ERROR_RESPONSES},
)
def post_deliberation_opinion(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, payload: OpinionIn
) -> Status[Any]:
    """A member posts an opinion (blocked words and hourly limits apply)."""
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    opinion = deliberation_actions.post_opinion(
        item, text=payload.text, poster=deliberation_actions.Poster.of_actor(actor)
    )
    return Status(201, opinion)


@router.post(
    "/c/{council_slug}/deliberations/{deliberation_id}/opinions/{opinion_id}/support",
    response={200: OpinionOut, **WRITE_ERROR_RESPONSES},
)
def support_deliberation_opinion(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, opinion_id: ObjectId
) -> Opinion:
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    opinion = access_opinion(item, opinion_id)
    return deliberation_actions.support_opinion(opinion, poster=deliberation_actions.Poster.of_actor(actor))
