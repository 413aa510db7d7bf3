"""Draft regulations and the comments on their articles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from xieshang.consultations.actions import legislative as legislative_actions
from xieshang.consultations.api.answers import ArticleCommentOut, DraftOut
from xieshang.consultations.api.schemas import CommentIn
from xieshang.consultations.models import DraftRegulation
from xieshang.consultations.queries import access_draft
from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Overlay
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor

router = Router()


@router.get("/c/{council_slug}/drafts/{draft_id}", response={200: DraftOut, **ERROR_RESPONSES})
def get_draft_regulation(
    request: HttpRequest, council_slug: CouncilSlug, draft_id: ObjectId
) -> DraftRegulation:
    actor = council_actor(request, council_slug)
    return access_draft(actor, draft_id)


@router.get(
    "/c/{council_slug}/drafts/{draft_id}/comments",
    response={200: list[ArticleCommentOut], **ERROR_RESPONSES},
)
def list_draft_comments(request: HttpRequest, council_slug: CouncilSlug, draft_id: ObjectId) -> list[Overlay]:
    """Staff: every comment, by article; members: their own."""
    actor = council_actor(request, council_slug)
    draft = access_draft(actor, draft_id)
    staff = legislative_actions.can_manage_drafts(actor, draft.consultation)
    return [
        Overlay(c, article_number=article.number)
        for article, comments in legislative_actions.comments_by_article(draft)
        for c in comments
        if staff or c.user_id == actor.user.pk
    ]


@router.post(
    "/c/{council_slug}/drafts/{draft_id}/articles/{number}/comments",
    response={201: ArticleCommentOut, **WRITE_ERROR_RESPONSES},
)
def comment_on_draft_article(
    request: HttpRequest, council_slug: CouncilSlug, draft_id: ObjectId, number: int, payload: CommentIn
) -> Status[Any]:
    """Comment on article number (404 when the draft has no such article)."""
    actor = council_actor(request, council_slug)
    draft = access_draft(actor, draft_id)
    comment = legislative_actions.comment_on_article(draft, number=number, text=payload.text, actor=actor)
    return Status(201, Overlay(comment, article_number=number))
