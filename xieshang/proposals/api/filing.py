"""Filing: the council's lists, drafts (the member's own, entered by staff,
or in the name of a body), submitting, co-signing, reading a proposal
and its timeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Overlay,
    Page,
    PageQuery,
    json_lines,
    paginate,
)
from xieshang.core.errors import require
from xieshang.core.events import timeline
from xieshang.core.models import Event
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import Member
from xieshang.councils.queries import bodies_of, council_row, council_rows
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals import permissions as can
from xieshang.proposals.actions import filing
from xieshang.proposals.api.answers import (
    CosignRequestOut,
    EventOut,
    ListsOut,
    ProposalDetailOut,
    ProposalOut,
)
from xieshang.proposals.api.common import BASE, as_seen_by, fresh, proposal_content, proposal_for
from xieshang.proposals.api.schemas import (
    CosignAnswerIn,
    CosignersIn,
    NewProposalIn,
    ProposalFilters,
    ProposalIn,
    ProposalPatch,
    VersionIn,
)
from xieshang.proposals.models import DeclineReason, Proposal, ProposalCategory
from xieshang.proposals.queries import (
    QueueFilters,
    access_cosign_request,
    body_from_key,
    cosign_requests,
    my_proposals,
    reply_categories,
    staff_proposals,
)
from xieshang.proposals.states import ProposalStatus, Window

router = Router()


# Fixed paths (lists, cosign) come before /{proposal_id}, which would otherwise take them.


@router.get(f"{BASE}/lists", response={200: ListsOut, **ERROR_RESPONSES})
def get_proposal_lists(request: HttpRequest, council_slug: CouncilSlug) -> ListsOut:
    """The council's categories, decline reasons and reply categories."""
    council = council_actor(request, council_slug).council
    return ListsOut(
        categories=[
            {"id": c.pk, "name": c.name} for c in bodies_of(council, ProposalCategory, active_only=True)
        ],
        decline_reasons=[
            {"id": r.pk, "name": r.name} for r in bodies_of(council, DeclineReason, active_only=True)
        ],
        reply_categories=[
            {"id": r.pk, "code": r.code, "meaning": r.meaning} for r in reply_categories(council)
        ],
    )


@router.get(f"{BASE}/cosign", response={200: Page[CosignRequestOut], **ERROR_RESPONSES})
def list_proposal_cosign_requests(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Invitations to co-sign waiting for the member's answer, oldest first."""
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)
    return paginate(cosign_requests(actor), filters)


@router.get(BASE, response={200: Page[ProposalOut], **ERROR_RESPONSES})
def list_proposals(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ProposalFilters]
) -> dict[str, Any]:
    """Staff and leaders: filed proposals by status (submitted by default),
    oldest first, optionally of one category or window, or matching words in
    the title or case number. Everyone else (or mine=true): their own, newest
    first. The whole list in one request: …/proposals/export.jsonl."""
    return paginate(listed_proposals(council_actor(request, council_slug), filters), filters)


@router.get(f"{BASE}/export.jsonl", response=ERROR_RESPONSES)
def export_proposals(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ProposalFilters]
) -> StreamingHttpResponse:
    """The whole list that GET …/proposals pages through, in one answer: the
    same rows, order, fields, filters and permissions (page and page_size
    are ignored), one JSON object per line (JSON Lines,
    application/x-ndjson), streamed as it is read."""
    rows = listed_proposals(council_actor(request, council_slug), filters)
    return json_lines(rows, ProposalOut, filename="proposals.jsonl")


def listed_proposals(actor: Actor, filters: ProposalFilters) -> QuerySet[Proposal]:
    """The proposals the list shows the actor: staff and leaders the filed
    ones of the filters, everyone else (or mine) their own. Personal data of
    the proposers is not read: the list does not show it."""
    if filters.mine or not actor.has(Perm.VIEW_ALL_PROPOSALS):
        rows = my_proposals(actor)
        if filters.status:
            rows = rows.filter(status=filters.status)
    else:
        status = filters.status if filters.status and filters.status != ProposalStatus.DRAFT else None
        rows = staff_proposals(
            actor,
            QueueFilters(
                status=status or ProposalStatus.SUBMITTED,
                category_id=filters.category_id,
                window=filters.window or "",
                text=filters.q.strip(),
            ),
        )
    return rows.defer("lead_proposer__id_number", "lead_proposer__mobile")


@router.get(f"{BASE}/{{proposal_id}}", response={200: ProposalDetailOut, **ERROR_RESPONSES})
def get_proposal(request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id)
    return as_seen_by(actor, proposal)


@router.get(f"{BASE}/{{proposal_id}}/timeline", response={200: list[EventOut], **ERROR_RESPONSES})
def get_proposal_timeline(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[Event]:
    """Everything that happened to the proposal, oldest first, as its page shows it."""
    _actor, proposal = proposal_for(request, council_slug, proposal_id)
    return list(timeline(proposal))


@router.post(BASE, response={201: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def create_proposal(request: HttpRequest, council_slug: CouncilSlug, payload: NewProposalIn) -> Status:
    """Save a new draft: in the member's own name, in the name of a body
    they are authorised for (file_as), or by staff for a seated member who
    cannot go online (proposer_id)."""
    actor = council_actor(request, council_slug, None)
    require(can.can_file(actor))
    body = None
    if payload.file_as:
        body = body_from_key(actor.council, payload.file_as)
        if body is None:
            raise ValidationError({"file_as": _("Choose a body of this council.")})
    proposal = filing.save_draft(
        None,
        actor=actor,
        content=proposal_content(actor, payload),
        on_behalf_of=council_row(actor, Member, payload.proposer_id, field="proposer_id"),
        collective_author=body,
    )
    return Status(201, fresh(actor, proposal))


@router.patch(f"{BASE}/{{proposal_id}}", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def update_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ProposalPatch
) -> Overlay:
    """Change a draft or returned proposal: the fields sent replace the
    current ones (send the version you read)."""
    actor, proposal = proposal_for(request, council_slug, proposal_id)
    sent = payload.dict(exclude_unset=True)
    merged = ProposalIn(
        title=sent.get("title") or proposal.title,
        category_id=sent.get("category_id", proposal.category_id),
        window=Window(sent.get("window") or proposal.window),
        situation=sent["situation"] if sent.get("situation") is not None else proposal.situation,
        analysis=sent["analysis"] if sent.get("analysis") is not None else proposal.analysis,
        suggestions=sent["suggestions"] if sent.get("suggestions") is not None else proposal.suggestions,
        suggested_unit_ids=sent["suggested_unit_ids"]
        if sent.get("suggested_unit_ids") is not None
        else list(proposal.suggested_units.values_list("pk", flat=True)),
        consents_to_publish_reply=sent["consents_to_publish_reply"]
        if sent.get("consents_to_publish_reply") is not None
        else proposal.consents_to_publish_reply,
    )
    filing.save_draft(
        proposal, actor=actor, content=proposal_content(actor, merged), expected_version=payload.version
    )
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/submit", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def submit_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: VersionIn
) -> Overlay:
    actor, proposal = proposal_for(request, council_slug, proposal_id)
    require(can.can_file(actor))
    filing.submit_proposal(proposal, actor=actor, expected_version=payload.version)
    return fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/cosigners", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def invite_proposal_cosigners(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: CosignersIn
) -> Overlay:
    """Invite members of this council and term to co-sign."""
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.FILE_PROPOSALS)
    members = council_rows(actor, Member, payload.member_ids, field="member_ids")
    filing.invite_cosigners(proposal, actor=actor, members=members)
    return fresh(actor, proposal)


@router.post(f"{BASE}/cosign/{{cosigner_id}}", response={204: None, **WRITE_ERROR_RESPONSES})
def answer_cosign_request(
    request: HttpRequest, council_slug: CouncilSlug, cosigner_id: ObjectId, payload: CosignAnswerIn
) -> Status:
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)
    filing.answer_cosign(access_cosign_request(actor, cosigner_id), actor=actor, confirm=payload.confirm)
    return Status(204, None)
