"""Online deliberation: the deliberation, its comments and their support,
and the public view that needs no login."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from xieshang.consultations.actions import deliberation as deliberation_actions
from xieshang.consultations.api.answers import DeliberationCommentOut, DeliberationOut
from xieshang.consultations.api.schemas import DeliberationCommentIn
from xieshang.consultations.models import Deliberation, DeliberationComment
from xieshang.consultations.queries import (
    access_comment,
    access_deliberation,
    public_deliberation,
    visible_comments,
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
    "/c/{council_slug}/deliberations/{deliberation_id}/public/comments",
    response={200: Page[DeliberationCommentOut], **ERROR_RESPONSES},
    auth=None,
)
def list_public_comments(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, page: Query[PageQuery]
) -> dict[str, Any]:
    """The visible comments of a public deliberation, most supported first."""
    item = public_deliberation(council_slug, deliberation_id)
    return paginate(visible_comments(item), page)


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
    "/c/{council_slug}/deliberations/{deliberation_id}/comments",
    response={200: Page[DeliberationCommentOut], **ERROR_RESPONSES},
)
def list_deliberation_comments(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, page: Query[PageQuery]
) -> dict[str, Any]:
    """Visible comments; staff also see hidden ones, authors their own."""
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    staff = deliberation_actions.can_manage_deliberation(actor, item)
    return paginate(visible_comments(item, user_id=actor.user.pk, staff=staff), page)


@router.post(
    "/c/{council_slug}/deliberations/{deliberation_id}/comments",
    response={201: DeliberationCommentOut, **WRITE_ERROR_RESPONSES},
)
def post_deliberation_comment(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, payload: DeliberationCommentIn
) -> Status[Any]:
    """A member posts a comment (blocked words and hourly limits apply)."""
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    comment = deliberation_actions.post_comment(
        item, text=payload.text, poster=deliberation_actions.Poster.of_actor(actor)
    )
    return Status(201, comment)


@router.post(
    "/c/{council_slug}/deliberations/{deliberation_id}/comments/{comment_id}/support",
    response={200: DeliberationCommentOut, **WRITE_ERROR_RESPONSES},
)
def support_deliberation_comment(
    request: HttpRequest, council_slug: CouncilSlug, deliberation_id: ObjectId, comment_id: ObjectId
) -> DeliberationComment:
    actor = council_actor(request, council_slug)
    item = access_deliberation(actor, deliberation_id)
    comment = access_comment(item, comment_id)
    return deliberation_actions.support_comment(comment, poster=deliberation_actions.Poster.of_actor(actor))
