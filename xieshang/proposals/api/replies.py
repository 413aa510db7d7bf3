"""Replies: the unit writes (with its signed letter), staff release or
return, the proposer rates."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status, UploadedFile

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    AttachmentOut,
    ObjectId,
    Page,
    PageQuery,
    paginate,
)
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.models import Attachment
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Perm
from xieshang.proposals.actions import feedback, handling
from xieshang.proposals.api.answers import ReplyOut
from xieshang.proposals.api.common import BASE
from xieshang.proposals.api.schemas import RatingIn, ReasonIn, ReplyIn, VersionIn
from xieshang.proposals.models import Reply, ReplyCategory
from xieshang.proposals.queries import (
    access_assignment,
    access_reply,
    current_reply,
    replies_to_check,
    reply_with_unit,
)

router = Router()


@router.get(f"{BASE}/replies", response={200: Page[ReplyOut], **ERROR_RESPONSES})
def list_proposal_replies_to_check(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Units' replies waiting for staff to release or return them, oldest first."""
    actor = council_actor(request, council_slug, Perm.RELEASE_REPLIES)
    return paginate(replies_to_check(actor), filters)


@router.post(f"{BASE}/assignments/{{assignment_id}}/reply", response={200: ReplyOut, **WRITE_ERROR_RESPONSES})
def write_proposal_reply(
    request: HttpRequest, council_slug: CouncilSlug, assignment_id: ObjectId, payload: ReplyIn
) -> Reply:
    """Save the unit's reply for the current round; submit=true sends it for checking."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    assignment = access_assignment(actor, assignment_id)
    category = council_row(actor, ReplyCategory, payload.category_id, field="category_id")
    reply = handling.save_reply(
        assignment,
        actor=actor,
        content=handling.ReplyContent(
            category=category,
            text=payload.text,
            signer=payload.signer,
            contact_person=payload.contact_person,
            contact_phone=payload.contact_phone,
        ),
        submit=payload.submit,
        expected_version=payload.version,
    )
    return reply_with_unit(reply)


@router.post(
    f"{BASE}/assignments/{{assignment_id}}/reply/letter", response={200: ReplyOut, **WRITE_ERROR_RESPONSES}
)
def upload_proposal_reply_letter(
    request: HttpRequest,
    council_slug: CouncilSlug,
    assignment_id: ObjectId,
    letter: File[UploadedFile],
    version: Form[int | None] = None,
) -> Reply:
    """Attach the signed reply letter (a PDF, multipart field "letter") to the
    unit's reply of the current round before it is sent, keeping what the
    reply says. Send the reply's version you read; without it, the version
    read here is expected, so that a change by someone else meanwhile is a 409."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    assignment = access_assignment(actor, assignment_id)
    current = current_reply(assignment)
    content = handling.ReplyContent(
        category=current.category if current else None,
        text=current.text if current else "",
        signer=current.signer if current else "",
        contact_person=current.contact_person if current else "",
        contact_phone=current.contact_phone if current else "",
        signed_letter=letter,
    )
    if version is None and current is not None:
        version = current.version
    reply = handling.save_reply(
        assignment, actor=actor, content=content, submit=False, expected_version=version
    )
    return reply_with_unit(reply)


@router.get(f"{BASE}/replies/{{reply_id}}/letters", response={200: list[AttachmentOut], **ERROR_RESPONSES})
def list_proposal_reply_letters(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId
) -> list[Attachment]:
    """The signed letters of a reply, for whoever may read the reply."""
    actor = council_actor(request, council_slug)
    reply = access_reply(actor, reply_id)
    return list(attachments_of(reply))


@router.get(
    f"{BASE}/replies/{{reply_id}}/letters/{{letter_id}}",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra={
        "responses": {200: {"description": "The letter as a PDF file.", "content": {"application/pdf": {}}}}
    },
)
def download_proposal_reply_letter(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId, letter_id: ObjectId
) -> FileResponse:
    """Download a signed letter of a reply, for whoever may read the reply."""
    actor = council_actor(request, council_slug)
    letter = attachments_of(access_reply(actor, reply_id)).filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return attachment_response(letter)


@router.post(f"{BASE}/replies/{{reply_id}}/release", response={200: ReplyOut, **WRITE_ERROR_RESPONSES})
def release_proposal_reply(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId, payload: VersionIn
) -> Reply:
    actor = council_actor(request, council_slug, Perm.RELEASE_REPLIES)
    reply = access_reply(actor, reply_id)
    handling.release_reply(reply, actor=actor, today=timezone.localdate(), expected_version=payload.version)
    return access_reply(actor, reply_id)


@router.post(f"{BASE}/replies/{{reply_id}}/return", response={200: ReplyOut, **WRITE_ERROR_RESPONSES})
def return_proposal_reply(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId, payload: ReasonIn
) -> Reply:
    actor = council_actor(request, council_slug, Perm.RELEASE_REPLIES)
    reply = access_reply(actor, reply_id)
    handling.return_reply(reply, actor=actor, reason=payload.reason, expected_version=payload.version)
    return access_reply(actor, reply_id)


@router.post(f"{BASE}/replies/{{reply_id}}/rate", response={204: None, **WRITE_ERROR_RESPONSES})
def rate_proposal_reply(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId, payload: RatingIn
) -> Status:
    """Rate a released reply once, within the feedback window."""
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)
    feedback.rate_reply(
        access_reply(actor, reply_id),
        actor=actor,
        satisfaction=payload.satisfaction,
        comment=payload.comment,
        today=timezone.localdate(),
    )
    return Status(204, None)
