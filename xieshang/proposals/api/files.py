"""The files attached to a draft or returned proposal."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, AttachmentOut, ObjectId
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.models import Attachment
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.proposals.actions import filing
from xieshang.proposals.api.common import BASE, proposal_for
from xieshang.proposals.api.schemas import VersionIn

router = Router()


@router.get(f"{BASE}/{{proposal_id}}/files", response={200: list[AttachmentOut], **ERROR_RESPONSES})
def list_proposal_files(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[Attachment]:
    """The files attached to the proposal, for whoever may read it."""
    _actor, proposal = proposal_for(request, council_slug, proposal_id)
    return list(attachments_of(proposal))


@router.post(f"{BASE}/{{proposal_id}}/files", response={201: list[AttachmentOut], **WRITE_ERROR_RESPONSES})
def attach_proposal_file(
    request: HttpRequest,
    council_slug: CouncilSlug,
    proposal_id: ObjectId,
    file: File[UploadedFile],
    version: Form[int | None] = None,
) -> Status:
    """Attach a file (PDF, Word, Excel or an image; multipart field "file")
    to a draft or returned proposal, within the council's count and size
    limits; answers every attached file. Send the version you read; without
    it, the version read here is expected, so a change meanwhile is a 409."""
    actor, proposal = proposal_for(request, council_slug, proposal_id)
    filing.save_draft(
        proposal,
        actor=actor,
        content=filing.ProposalContent.as_written(proposal),
        expected_version=proposal.version if version is None else version,
        files=[file],
    )
    return Status(201, list(attachments_of(proposal)))


@router.post(
    f"{BASE}/{{proposal_id}}/files/{{file_id}}/remove",
    response={200: list[AttachmentOut], **WRITE_ERROR_RESPONSES},
)
def remove_proposal_file(
    request: HttpRequest,
    council_slug: CouncilSlug,
    proposal_id: ObjectId,
    file_id: ObjectId,
    payload: VersionIn,
) -> list[Attachment]:
    """Remove a file from a draft or returned proposal; answers the files left."""
    actor, proposal = proposal_for(request, council_slug, proposal_id)
    filing.save_draft(
        proposal,
        actor=actor,
        content=filing.ProposalContent.as_written(proposal),
        expected_version=proposal.version if payload.version is None else payload.version,
        remove_files=[file_id],
    )
    return list(attachments_of(proposal))


@router.get(
    f"{BASE}/{{proposal_id}}/files/{{file_id}}",
    response={200: None, **ERROR_RESPONSES},
    openapi_extra={
        "responses": {200: {"description": "The file.", "content": {"application/octet-stream": {}}}}
    },
)
def download_proposal_file(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, file_id: ObjectId
) -> FileResponse:
    """Download a file attached to the proposal, for whoever may read it."""
    _actor, proposal = proposal_for(request, council_slug, proposal_id)
    row = attachments_of(proposal).filter(pk=file_id).first()
    if row is None:
        raise Http404
    return attachment_response(row)
