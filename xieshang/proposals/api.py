"""The proposals API: the whole lifecycle, with the same permissions, checks
and actions as the pages (/api/v1/c/<slug>/proposals/…).

Batches (accepting from the queue, the assignment meeting) are all or
nothing, as on the pages: an id that is not the council's is a 404, a
proposal someone else got to first a 409 naming it, and either way nothing
changes. Files travel as multipart uploads; everything else as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from xieshang.accounts.models import User
from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    AttachmentOut,
    ObjectId,
    Page,
    PageQuery,
    Printable,
    attachment_out,
    paginate,
)
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.errors import Conflict, require
from xieshang.core.events import timeline
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor, council_row, council_rows
from xieshang.councils.models import HandlingUnit, Member
from xieshang.councils.roles import Actor, Perm
from xieshang.proposals import permissions as can
from xieshang.proposals.actions import feedback, filing, followups, handling, review
from xieshang.proposals.actions.config import ensure_default_lists
from xieshang.proposals.models import (
    Assignment,
    CollectiveFiler,
    Cosigner,
    DeclineReason,
    FollowUp,
    Proposal,
    ProposalCategory,
    Reply,
    ReplyCategory,
)
from xieshang.proposals.queries import (
    FollowUpFilters,
    QueueFilters,
    access_assignment,
    access_cosign_request,
    access_follow_up,
    access_proposal,
    access_reply,
    assignment_meeting_rows,
    body_from_key,
    collective_authorisations,
    collective_filers,
    cosign_requests,
    filed_proposals_by_ids,
    follow_ups_for,
    key_proposals,
    my_proposals,
    notes_visible,
    replies_to_check,
    staff_proposals,
    unit_inbox,
)
from xieshang.proposals.search import SearchFilters, count_proposals, search_proposals, similar_proposals
from xieshang.proposals.states import (
    AssignmentRole,
    ConversionTarget,
    EventType,
    FollowUpStatus,
    NoteKind,
    ProposalStatus,
    ReplyStatus,
    Satisfaction,
    SupervisionKind,
    Window,
)
from xieshang.proposals.statistics import Figures, Rate, Row, year_statistics, years_with_proposals

router = Router(tags=["proposals"])
BASE = "/c/{council_slug}/proposals"
Section = Annotated[str, Field(max_length=10000), Printable]
Reason = Annotated[str, Field(max_length=500), Printable]
# A body of the council as "kind:id" (affiliation, sector, committee or group).
BodyKey = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^(affiliation|sector|committee|group):[1-9][0-9]{0,17}$",
        description="A body of the council as kind:id, e.g. affiliation:12.",
    ),
]


class ProposalOut(Schema):
    id: int
    title: str
    status: str
    case_number: str
    window: str
    author_name: str
    category: str
    is_key: bool
    is_outstanding: bool
    submitted_at: dt.datetime | None
    version: int


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    unit: str
    role: str
    assigned_on: dt.date
    due_on: dt.date
    objected: bool


class ReplyOut(Schema):
    id: int
    proposal_id: int
    unit: str
    handling_round: int
    status: str
    category: str
    text: str
    signer: str
    contact_person: str
    feedback_due_on: dt.date | None
    version: int


class CosignerOut(Schema):
    member_id: int
    name: str
    status: str


class ProposalDetailOut(ProposalOut):
    situation: str
    analysis: str
    suggestions: str
    decline_reason: str
    review_note: str
    handling_round: int
    cosigners: list[CosignerOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]


class ListsOut(Schema):
    categories: list[dict[str, Any]]
    decline_reasons: list[dict[str, Any]]
    reply_categories: list[dict[str, Any]]


class ProposalIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100), Printable]
    category_id: ObjectId | None = None
    window: Window = Window.SESSION
    situation: Section = ""
    analysis: Section = ""
    suggestions: Section = ""
    suggested_unit_ids: list[ObjectId] = Field(default_factory=list, max_length=20)
    consents_to_publish_reply: bool = False
    version: int | None = None


class ProposalPatch(Schema):
    """Only the fields sent change; send the version you read."""

    title: Annotated[str, Field(min_length=1, max_length=100), Printable] | None = None
    category_id: ObjectId | None = None
    window: Window | None = None
    situation: Section | None = None
    analysis: Section | None = None
    suggestions: Section | None = None
    suggested_unit_ids: list[ObjectId] | None = Field(default=None, max_length=20)
    consents_to_publish_reply: bool | None = None
    version: int | None = None


class NewProposalIn(ProposalIn):
    """A new draft: a member's own, one staff enter for a member who cannot
    go online (proposer_id), or one in the name of a body the member is
    authorised to file for (file_as)."""

    proposer_id: ObjectId | None = Field(
        None, description="Staff only: the seated member the proposal is entered for."
    )
    file_as: BodyKey | None = None


class VersionIn(Schema):
    version: int | None = None


class ReasonIn(VersionIn):
    reason: Reason


class DeclineIn(VersionIn):
    reason_id: ObjectId
    note: Reason = ""


class ConvertIn(VersionIn):
    target: ConversionTarget
    consent_note: Reason


class MergeIn(VersionIn):
    into_id: ObjectId
    note: Reason = ""


class UnitRoleIn(Schema):
    unit_id: ObjectId
    role: AssignmentRole


class AssignIn(VersionIn):
    units: list[UnitRoleIn] = Field(min_length=1, max_length=20)
    assigned_on: dt.date | None = None


class CosignersIn(Schema):
    member_ids: list[ObjectId] = Field(min_length=1, max_length=20)


class CosignAnswerIn(Schema):
    confirm: bool


class ObjectionIn(Schema):
    reason: Reason


class ReplyIn(VersionIn):
    category_id: ObjectId | None = None
    text: Annotated[str, Field(max_length=20000), Printable]
    signer: Annotated[str, Field(max_length=50), Printable]
    contact_person: Annotated[str, Field(max_length=50), Printable]
    contact_phone: Annotated[str, Field(max_length=30), Printable] = ""
    submit: bool = False


class RatingIn(Schema):
    satisfaction: Satisfaction
    comment: Annotated[str, Field(max_length=2000), Printable] = ""


class ExtensionIn(VersionIn):
    new_due_on: dt.date
    reason: Reason


class MarkIn(Schema):
    is_key: bool | None = None
    supervising_leader_id: ObjectId | None = None
    is_outstanding: bool | None = None


class NoteIn(Schema):
    kind: NoteKind
    happened_on: dt.date
    text: Annotated[str, Field(max_length=3000), Printable]


class SupervisionIn(Schema):
    kind: SupervisionKind
    happened_on: dt.date
    note: Annotated[str, Field(max_length=3000), Printable]


class ProposalFilters(PageQuery):
    status: ProposalStatus | None = None
    mine: bool = False
    category_id: ObjectId | None = Field(None, description="Staff lists: one category.")
    window: Window | None = Field(None, description="Staff lists: session or regular proposals.")
    q: Annotated[str, Field(max_length=100), Printable] = Field(
        "", description="Staff lists: words in the title or the case number."
    )


class ProposalIdsIn(Schema):
    proposal_ids: list[ObjectId] = Field(min_length=1, max_length=100)


class MeetingItemIn(Schema):
    proposal_id: ObjectId
    units: list[UnitRoleIn] = Field(min_length=1, max_length=20)


class MeetingIn(Schema):
    """The assignment meeting's decisions: each proposal with its units, all
    due from the meeting day (today when not given)."""

    assigned_on: dt.date | None = None
    items: list[MeetingItemIn] = Field(min_length=1, max_length=200)


class ProposalsOut(Schema):
    items: list[ProposalOut]


class RefOut(Schema):
    id: int
    name: str


class MeetingRowOut(ProposalOut):
    suggested_units: list[RefOut]


class KeyProposalOut(ProposalOut):
    supervising_leader: str
    supervision_activities: int


class CosignRequestOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    lead_proposer: str
    status: str
    invited_at: dt.datetime


class FollowUpOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    case_number: str
    unit: str
    reply_category: str
    due_on: dt.date
    status: str
    result: str
    reported_at: dt.datetime | None
    close_note: str
    closed_at: dt.datetime | None
    version: int


class FollowUpFilterQuery(PageQuery):
    year: int | None = Field(None, ge=1901, le=2999, description="The year the re-check is due in.")
    status: FollowUpStatus | None = None
    unit_id: ObjectId | None = None


class FollowUpReportIn(VersionIn):
    result: Annotated[str, Field(max_length=3000), Printable]


class FollowUpCloseIn(VersionIn):
    note: Reason = ""


class SearchQuery(PageQuery):
    q: Annotated[str, Field(min_length=1, max_length=100), Printable] = Field(
        description="Words to find in titles, bodies and released replies."
    )
    year: int | None = Field(None, ge=1901, le=2999)
    status: ProposalStatus | None = None
    category_id: ObjectId | None = None
    unit_id: ObjectId | None = None
    sector_id: ObjectId | None = None
    affiliation_id: ObjectId | None = None
    key: bool | None = Field(None, description="Only key proposals (true) or only the others (false).")


class SearchHitOut(ProposalOut):
    title_html: str = Field(description="The title, HTML-escaped, with the matched words in <mark>.")
    snippet_html: str = Field(description="Where the words matched, HTML-escaped, with them in <mark>.")


class SimilarIn(Schema):
    """The text being written, or a filed proposal to compare."""

    title: Annotated[str, Field(max_length=300), Printable] = ""
    situation: Section = ""
    analysis: Section = ""
    suggestions: Section = ""
    proposal_id: ObjectId | None = None


class SimilarOut(Schema):
    id: int | None = Field(description="Given only when the requester may open the proposal.")
    case_number: str
    title: str
    title_html: str
    snippet_html: str


class EventOut(Schema):
    type: str
    label: str
    actor: str = Field(description="Who acted; empty when the system did.")
    reason: str
    created_at: dt.datetime


class NoteOut(Schema):
    id: int
    unit: str
    kind: str
    happened_on: dt.date
    text: str
    written_by: str


class FiguresOut(Schema):
    filed: int
    accepted: int
    assigned: int
    due: int
    on_time: int
    ratings: int
    satisfied: int
    replied: int
    implemented: int
    acceptance_rate: float | None = Field(description="Percent, one decimal; null when nothing was counted.")
    on_time_reply_rate: float | None
    satisfaction_rate: float | None
    implementation_rate: float | None


class StatisticsRowOut(Schema):
    key: int = Field(description="The unit, category, sector or affiliation id; 0 for not given.")
    name: str
    rank: int | None
    figures: FiguresOut


class StatisticsOut(Schema):
    year: int
    years: list[int]
    total: FiguresOut
    units: list[StatisticsRowOut] = Field(description="The league table, best first.")
    categories: list[StatisticsRowOut]
    sectors: list[StatisticsRowOut]
    affiliations: list[StatisticsRowOut]


class StatisticsQuery(Schema):
    year: int | None = Field(None, ge=1901, le=2999, description="The latest year with proposals by default.")


class SupervisionOut(Schema):
    id: int
    kind: str
    happened_on: dt.date
    note: str
    recorded_by: str


class CollectiveFilerIn(Schema):
    user_id: ObjectId
    body: BodyKey


class CollectiveFilerOut(Schema):
    id: int
    user_id: int
    user_name: str
    body: str
    body_name: str
    created_at: dt.datetime


def proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "status": proposal.status,
        "case_number": proposal.case_number,
        "window": proposal.window,
        "author_name": proposal.author_name,
        "category": proposal.category.name if proposal.category else "",
        "is_key": proposal.is_key,
        "is_outstanding": proposal.is_outstanding,
        "submitted_at": proposal.submitted_at,
        "version": proposal.version,
    }


def _reply_out(reply: Reply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "proposal_id": reply.assignment.proposal_id,
        "unit": reply.assignment.unit.name,
        "handling_round": reply.handling_round,
        "status": reply.status,
        "category": reply.category.code if reply.category else "",
        "text": reply.text,
        "signer": reply.signer,
        "contact_person": reply.contact_person,
        "feedback_due_on": reply.feedback_due_on,
        "version": reply.version,
    }


def _saved_reply_out(reply: Reply) -> dict[str, Any]:
    """A reply just saved, read again with its unit and category."""
    return _reply_out(Reply.objects.select_related("assignment__unit", "category").get(pk=reply.pk))


def _files_out(owner: Proposal | Reply) -> list[dict[str, Any]]:
    return [attachment_out(row) for row in attachments_of(owner)]


def _assignment_out(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "proposal_id": assignment.proposal_id,
        "unit": assignment.unit.name,
        "role": assignment.role,
        "assigned_on": assignment.assigned_on,
        "due_on": assignment.effective_due_on,
        "objected": assignment.objected_at is not None,
    }


def detail_out(actor: Actor, proposal: Proposal) -> dict[str, Any]:
    """The proposal as the actor may see it: staff and leaders every unit and
    reply; a unit its own; proposers the released replies."""
    insider = actor.has(Perm.VIEW_ALL_PROPOSALS)
    mine = {a.pk for a in can.unit_assignments(actor, proposal)}
    assignments = Assignment.objects.filter(proposal=proposal, is_active=True).select_related("unit")
    replies = Reply.objects.filter(assignment__proposal=proposal).select_related(
        "assignment__unit", "category"
    )
    if not insider:
        if mine:
            assignments = assignments.filter(pk__in=mine)
            replies = replies.filter(assignment_id__in=mine)
        else:
            replies = replies.filter(status=ReplyStatus.RELEASED)
    return {
        **proposal_out(proposal),
        "situation": proposal.situation,
        "analysis": proposal.analysis,
        "suggestions": proposal.suggestions,
        "decline_reason": proposal.decline_reason.name if proposal.decline_reason else "",
        "review_note": proposal.review_note,
        "handling_round": proposal.handling_round,
        "cosigners": [
            {"member_id": c.member_id, "name": c.member.full_name, "status": c.status}
            for c in proposal.cosigners.select_related("member").order_by("id")
        ],
        "assignments": [_assignment_out(a) for a in assignments],
        "replies": [_reply_out(r) for r in replies.order_by("handling_round", "id")],
    }


def _fresh(actor: Actor, proposal: Proposal) -> dict[str, Any]:
    return detail_out(actor, access_proposal(actor, proposal.pk))


def _proposal(
    request: HttpRequest, council_slug: str, proposal_id: int, perm: Perm | None = Perm.VIEW_COUNCIL
) -> tuple[Actor, Proposal]:
    """The actor (requiring perm) and the proposal they may see (else 404)."""
    actor = council_actor(request, council_slug, perm)
    return actor, access_proposal(actor, proposal_id)


def _filed(actor: Actor, ids: list[int]) -> list[Proposal]:
    """The council's filed proposals with these ids, in the order given; 404
    when one is missing, a draft or another council's, so nothing is done."""
    found = {p.pk: p for p in filed_proposals_by_ids(actor, ids)}
    if len(found) != len(set(ids)):
        raise Http404
    return [found[pk] for pk in dict.fromkeys(ids)]


def _all_still(proposals: list[Proposal], status: str, problem: str) -> None:
    """Refuse a batch (409) when a proposal left status since the list was
    read, naming it: a second click or another staff member got there first.
    The actions check again under lock; this only words the answer."""
    moved = [p.title for p in proposals if p.status != status]
    if moved:
        raise Conflict(problem % {"titles": "、".join(moved)})


def _content(actor: Actor, payload: ProposalIn) -> filing.ProposalContent:
    return filing.ProposalContent(
        title=payload.title,
        situation=payload.situation,
        analysis=payload.analysis,
        suggestions=payload.suggestions,
        category=council_row(actor, ProposalCategory, payload.category_id, field="category_id"),
        suggested_units=tuple(
            council_rows(actor, HandlingUnit, payload.suggested_unit_ids, field="suggested_unit_ids")
        ),
        consents_to_publish_reply=payload.consents_to_publish_reply,
        window=payload.window,
    )


def _unit_roles(actor: Actor, items: list[UnitRoleIn], *, field: str) -> list[handling.UnitRole]:
    units = {u.pk: u for u in council_rows(actor, HandlingUnit, [i.unit_id for i in items], field=field)}
    return [handling.UnitRole(units[item.unit_id], item.role) for item in items]


def collective_filer_out(filer: CollectiveFiler) -> dict[str, Any]:
    return {
        "id": filer.pk,
        "user_id": filer.user_id,
        "user_name": filer.user.display_name,
        "body": filer.body_key,
        "body_name": filer.body.name,
        "created_at": filer.created_at,
    }


@router.get(f"{BASE}/lists", response={200: ListsOut, **ERROR_RESPONSES})
def proposal_lists(request: HttpRequest, council_slug: CouncilSlug) -> dict[str, Any]:
    """The council's categories, decline reasons and reply categories."""
    actor = council_actor(request, council_slug)
    ensure_default_lists(actor.council)
    council = actor.council
    return {
        "categories": [
            {"id": c.pk, "name": c.name}
            for c in ProposalCategory.objects.filter(council=council, is_active=True)
        ],
        "decline_reasons": [
            {"id": r.pk, "name": r.name}
            for r in DeclineReason.objects.filter(council=council, is_active=True)
        ],
        "reply_categories": [
            {"id": r.pk, "code": r.code, "meaning": r.meaning}
            for r in ReplyCategory.objects.filter(council=council, is_active=True)
        ],
    }


# Fixed paths come before /{proposal_id}, which would otherwise take them.


@router.get(f"{BASE}/cosign", response={200: Page[CosignRequestOut], **ERROR_RESPONSES})
def list_proposal_cosign_requests(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Invitations to co-sign waiting for the member's answer, oldest first."""
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)

    def out(row: Cosigner) -> dict[str, Any]:
        lead = row.proposal.lead_proposer
        return {
            "id": row.pk,
            "proposal_id": row.proposal_id,
            "proposal_title": row.proposal.title,
            "lead_proposer": lead.full_name if lead else "",
            "status": row.status,
            "invited_at": row.invited_at,
        }

    return paginate(cosign_requests(actor), filters, out)


@router.post(f"{BASE}/review/accept", response={200: ProposalsOut, **WRITE_ERROR_RESPONSES})
def accept_proposals(
    request: HttpRequest, council_slug: CouncilSlug, payload: ProposalIdsIn
) -> dict[str, Any]:
    """Accept several submitted proposals at once, numbered in filing order.
    All or nothing, as in the review queue: an id that is not a filed
    proposal of this council is a 404, and one already reviewed (by a second
    click or another staff member) a 409; either way nothing is numbered."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    proposals = _filed(actor, payload.proposal_ids)
    _all_still(
        proposals,
        ProposalStatus.SUBMITTED,
        _("Already reviewed: %(titles)s. Nothing was accepted; reload the list and choose again."),
    )
    accepted = review.accept_many(proposals, actor=actor)
    return {"items": [proposal_out(p) for p in accepted]}


@router.get(f"{BASE}/meeting", response={200: Page[MeetingRowOut], **ERROR_RESPONSES})
def list_proposals_to_assign(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """The assignment meeting's agenda: accepted proposals waiting for
    units, by case number, with the units their proposers suggested."""
    actor = council_actor(request, council_slug, Perm.ASSIGN_PROPOSALS)

    def out(proposal: Proposal) -> dict[str, Any]:
        units = [{"id": u.pk, "name": u.name} for u in proposal.suggested_units.all()]
        return {**proposal_out(proposal), "suggested_units": units}

    return paginate(assignment_meeting_rows(actor), filters, out)


@router.post(f"{BASE}/meeting", response={200: ProposalsOut, **WRITE_ERROR_RESPONSES})
def assign_proposals_at_meeting(
    request: HttpRequest, council_slug: CouncilSlug, payload: MeetingIn
) -> dict[str, Any]:
    """Assign several accepted proposals at the assignment meeting, each to
    its own units. All or nothing, as on the meeting page: a proposal that
    is not this council's is a 404, one no longer waiting for assignment a
    409, a unit not of this council or an impossible set of units a 400."""
    actor = council_actor(request, council_slug, Perm.ASSIGN_PROPOSALS)
    ids = [item.proposal_id for item in payload.items]
    if len(set(ids)) != len(ids):
        raise ValidationError({"items": _("List each proposal once.")})
    proposals = _filed(actor, ids)
    units = [_unit_roles(actor, item.units, field="units") for item in payload.items]
    _all_still(
        proposals,
        ProposalStatus.ACCEPTED,
        _("No longer waiting for assignment: %(titles)s. Nothing was assigned; reload the list."),
    )
    done = handling.assign_in_batch(
        list(zip(proposals, units, strict=True)),
        actor=actor,
        assigned_on=payload.assigned_on or timezone.localdate(),
    )
    return {"items": [proposal_out(p) for p in done]}


@router.get(f"{BASE}/key", response={200: Page[KeyProposalOut], **ERROR_RESPONSES})
def list_key_proposals(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Key proposals with their supervising leaders and how often they were supervised."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_PROPOSALS)

    def out(proposal: Proposal) -> dict[str, Any]:
        leader = proposal.supervising_leader
        return {
            **proposal_out(proposal),
            "supervising_leader": leader.display_name if leader else "",
            "supervision_activities": proposal.activities,  # type: ignore[attr-defined]
        }

    return paginate(key_proposals(actor), filters, out)


@router.get(f"{BASE}/replies", response={200: Page[ReplyOut], **ERROR_RESPONSES})
def list_proposal_replies_to_check(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Units' replies waiting for staff to release or return them, oldest first."""
    actor = council_actor(request, council_slug, Perm.RELEASE_REPLIES)
    return paginate(replies_to_check(actor), filters, _reply_out)


@router.get(f"{BASE}/collective-filers", response={200: Page[CollectiveFilerOut], **ERROR_RESPONSES})
def list_proposal_collective_filers(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """Who may file proposals in the name of which body of the council."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    return paginate(collective_filers(actor), filters, collective_filer_out)


@router.get(f"{BASE}/collective-filers/mine", response={200: list[CollectiveFilerOut], **ERROR_RESPONSES})
def list_my_proposal_collective_bodies(
    request: HttpRequest, council_slug: CouncilSlug
) -> list[dict[str, Any]]:
    """The bodies the member may file proposals for (send one as file_as)."""
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)
    return [collective_filer_out(filer) for filer in collective_authorisations(actor)]


@router.post(f"{BASE}/collective-filers", response={201: CollectiveFilerOut, **WRITE_ERROR_RESPONSES})
def authorise_proposal_collective_filer(
    request: HttpRequest, council_slug: CouncilSlug, payload: CollectiveFilerIn
) -> Status:
    """Let a seated member file proposals in the name of a body (409 when they may already)."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    seated = Member.objects.filter(council=actor.council, is_active=True, user__isnull=False)
    user = User.objects.filter(pk=payload.user_id, pk__in=seated.values("user_id")).first()
    if user is None:
        raise ValidationError({"user_id": _("Choose a seated member with a login.")})
    body = body_from_key(actor.council, payload.body)
    if body is None:
        raise ValidationError({"body": _("Choose a body of this council.")})
    filer = filing.authorise_collective_filer(actor=actor, user=user, body=body)
    return Status(201, collective_filer_out(filer))


@router.post(f"{BASE}/collective-filers/{{filer_id}}/revoke", response={204: None, **WRITE_ERROR_RESPONSES})
def revoke_proposal_collective_filer(
    request: HttpRequest, council_slug: CouncilSlug, filer_id: ObjectId
) -> Status:
    """Withdraw an authorisation; proposals already filed stay."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    filer = collective_filers(actor).filter(pk=filer_id).first()
    if filer is None:
        raise Http404
    filing.revoke_collective_filer(filer, actor=actor)
    return Status(204, None)


def follow_up_out(row: FollowUp) -> dict[str, Any]:
    return {
        "id": row.pk,
        "proposal_id": row.proposal_id,
        "proposal_title": row.proposal.title,
        "case_number": row.proposal.case_number,
        "unit": row.unit.name,
        "reply_category": row.reply.category.code if row.reply.category else "",
        "due_on": row.due_on,
        "status": row.status,
        "result": row.result,
        "reported_at": row.reported_at,
        "close_note": row.close_note,
        "closed_at": row.closed_at,
        "version": row.version,
    }


@router.get(f"{BASE}/follow-ups", response={200: Page[FollowUpOut], **ERROR_RESPONSES})
def list_proposal_follow_ups(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[FollowUpFilterQuery]
) -> dict[str, Any]:
    """Follow-ups of B-category proposals due in a year (this year by
    default), soonest first: the council's for staff and leaders, their
    units' for unit liaisons."""
    actor = council_actor(request, council_slug)
    require(
        actor.has(Perm.VIEW_ALL_PROPOSALS)
        or (actor.has(Perm.HANDLE_PROPOSALS) and bool(actor.handling_unit_ids))
    )
    rows = follow_ups_for(
        actor,
        FollowUpFilters(
            year=filters.year or timezone.localdate().year,
            status=filters.status or "",
            unit_id=filters.unit_id,
        ),
    )
    return paginate(rows, filters, follow_up_out)


@router.get(f"{BASE}/follow-ups/{{follow_up_id}}", response={200: FollowUpOut, **ERROR_RESPONSES})
def get_proposal_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, follow_up_id: ObjectId
) -> dict[str, Any]:
    actor = council_actor(request, council_slug)
    return follow_up_out(access_follow_up(actor, follow_up_id))


@router.post(
    f"{BASE}/follow-ups/{{follow_up_id}}/report", response={200: FollowUpOut, **WRITE_ERROR_RESPONSES}
)
def report_proposal_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, follow_up_id: ObjectId, payload: FollowUpReportIn
) -> dict[str, Any]:
    """The unit says what has been done since its B-category reply (it may
    correct this until staff close the follow-up)."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    followups.report_follow_up(
        access_follow_up(actor, follow_up_id),
        actor=actor,
        result=payload.result,
        expected_version=payload.version,
    )
    return follow_up_out(access_follow_up(actor, follow_up_id))


@router.post(
    f"{BASE}/follow-ups/{{follow_up_id}}/close", response={200: FollowUpOut, **WRITE_ERROR_RESPONSES}
)
def close_proposal_follow_up(
    request: HttpRequest, council_slug: CouncilSlug, follow_up_id: ObjectId, payload: FollowUpCloseIn
) -> dict[str, Any]:
    """Close a follow-up the unit has reported on."""
    actor = council_actor(request, council_slug, Perm.REVIEW_PROPOSALS)
    followups.close_follow_up(
        access_follow_up(actor, follow_up_id),
        actor=actor,
        note=payload.note,
        expected_version=payload.version,
    )
    return follow_up_out(access_follow_up(actor, follow_up_id))


@router.get(f"{BASE}/search", response={200: Page[SearchHitOut], **ERROR_RESPONSES})
def search_proposals_by_words(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[SearchQuery]
) -> dict[str, Any]:
    """Proposals the requester may open that contain every word, best match
    first, with the search page's filters."""
    actor = council_actor(request, council_slug)
    query = filters.q.strip()
    wanted = SearchFilters(
        year=filters.year,
        status=filters.status or "",
        category_id=filters.category_id,
        unit_id=filters.unit_id,
        sector_id=filters.sector_id,
        affiliation_id=filters.affiliation_id,
        is_key=filters.key,
    )
    count = count_proposals(actor, query, wanted) if query else 0
    start = (filters.page - 1) * filters.page_size
    hits = (
        search_proposals(actor, query, wanted, limit=filters.page_size, offset=start) if start < count else []
    )
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max(1, -(-count // filters.page_size)),
        "items": [
            {
                **proposal_out(row.proposal),
                "title_html": str(row.hit.title_html),
                "snippet_html": str(row.hit.snippet_html),
            }
            for row in hits
        ],
    }


@router.post(f"{BASE}/similar", response={200: list[SimilarOut], **WRITE_ERROR_RESPONSES})
def find_similar_proposals(
    request: HttpRequest, council_slug: CouncilSlug, payload: SimilarIn
) -> list[dict[str, Any]]:
    """Existing proposals similar to the text being written (or to a filed
    proposal), to avoid filing one twice. Writes nothing."""
    actor = council_actor(request, council_slug)
    current = access_proposal(actor, payload.proposal_id) if payload.proposal_id else None
    if current is not None:
        title, text = current.title, f"{current.situation}\n{current.analysis}\n{current.suggestions}"
    else:
        title, text = payload.title, "\n".join((payload.situation, payload.analysis, payload.suggestions))
    if not (title + text).strip():
        return []
    return [
        {
            "id": row.proposal.pk if row.may_open else None,
            "case_number": row.proposal.case_number,
            "title": row.proposal.title,
            "title_html": str(row.hit.title_html),
            "snippet_html": str(row.hit.snippet_html),
        }
        for row in similar_proposals(actor, title=title, text=text, exclude=current)
    ]


STATISTICS_TABLES = ("units", "categories", "sectors", "affiliations")


def _percent(rate: Rate) -> float | None:
    percent = rate.percent
    return None if percent is None else float(percent)


def _figures_out(figures: Figures) -> dict[str, Any]:
    return {
        "filed": figures.filed,
        "accepted": figures.accepted,
        "assigned": figures.assigned,
        "due": figures.due,
        "on_time": figures.on_time,
        "ratings": figures.ratings,
        "satisfied": figures.satisfied,
        "replied": figures.replied,
        "implemented": figures.implemented,
        "acceptance_rate": _percent(figures.acceptance_rate),
        "on_time_reply_rate": _percent(figures.on_time_reply_rate),
        "satisfaction_rate": _percent(figures.satisfaction_rate),
        "implementation_rate": _percent(figures.implementation_rate),
    }


def _rows_out(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {"key": row.key, "name": row.name, "rank": row.rank, "figures": _figures_out(row.figures)}
        for row in rows
    ]


@router.get(f"{BASE}/statistics", response={200: StatisticsOut, **ERROR_RESPONSES})
def get_proposal_statistics(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[StatisticsQuery]
) -> dict[str, Any]:
    """A year's figures and rates (definitions as on the statistics page): in
    total, the units' league table, and by category, sector and affiliation."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_PROPOSALS)
    years = years_with_proposals(actor.council)
    year = filters.year or (years[0] if years else timezone.localdate().year)
    if year not in years:
        # Nothing was filed that year: nothing to count, and no rows.
        empty = _figures_out(Figures())
        return {"year": year, "years": years, "total": empty} | {key: [] for key in STATISTICS_TABLES}
    stats = year_statistics(actor.council, year, none_label=_("Not given"))
    return {
        "year": year,
        "years": years,
        "total": _figures_out(stats.total),
        "units": _rows_out(stats.league),
        "categories": _rows_out(stats.by["category"]),
        "sectors": _rows_out(stats.by["sector"]),
        "affiliations": _rows_out(stats.by["affiliation"]),
    }


@router.get(BASE, response={200: Page[ProposalOut], **ERROR_RESPONSES})
def list_proposals(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ProposalFilters]
) -> dict[str, Any]:
    """Staff and leaders: filed proposals by status (submitted by default),
    oldest first, optionally of one category or window, or matching words in
    the title or case number. Everyone else (or mine=true): their own, newest
    first."""
    actor = council_actor(request, council_slug)
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
    return paginate(rows, filters, proposal_out)


@router.get(f"{BASE}/{{proposal_id}}", response={200: ProposalDetailOut, **ERROR_RESPONSES})
def get_proposal(request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id)
    return detail_out(actor, proposal)


EVENT_LABELS = {event.value: event.label for event in EventType}


@router.get(f"{BASE}/{{proposal_id}}/timeline", response={200: list[EventOut], **ERROR_RESPONSES})
def get_proposal_timeline(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[dict[str, Any]]:
    """Everything that happened to the proposal, oldest first, as its page shows it."""
    _actor, proposal = _proposal(request, council_slug, proposal_id)
    return [
        {
            "type": event.type,
            "label": str(EVENT_LABELS.get(event.type, event.type)),
            "actor": event.actor.display_name if event.actor else "",
            "reason": str(event.data.get("reason") or "") if isinstance(event.data, dict) else "",
            "created_at": event.created_at,
        }
        for event in timeline(proposal)
    ]


@router.get(f"{BASE}/{{proposal_id}}/notes", response={200: list[NoteOut], **ERROR_RESPONSES})
def list_proposal_handling_notes(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[dict[str, Any]]:
    """The handling records the requester may read (contacts, consultations,
    helper units' opinions), as the proposal's page shows them."""
    actor, proposal = _proposal(request, council_slug, proposal_id)
    return [
        {
            "id": note.pk,
            "unit": note.assignment.unit.name,
            "kind": note.kind,
            "happened_on": note.happened_on,
            "text": note.text,
            "written_by": note.written_by.display_name,
        }
        for note in notes_visible(actor, proposal)
    ]


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
        content=_content(actor, payload),
        on_behalf_of=council_row(actor, Member, payload.proposer_id, field="proposer_id"),
        collective_author=body,
    )
    return Status(201, _fresh(actor, proposal))


@router.patch(f"{BASE}/{{proposal_id}}", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def update_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ProposalPatch
) -> dict[str, Any]:
    """Change a draft or returned proposal: the fields sent replace the
    current ones (send the version you read)."""
    actor, proposal = _proposal(request, council_slug, proposal_id)
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
        proposal, actor=actor, content=_content(actor, merged), expected_version=payload.version
    )
    return _fresh(actor, proposal)


@router.get(f"{BASE}/{{proposal_id}}/files", response={200: list[AttachmentOut], **ERROR_RESPONSES})
def list_proposal_files(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[dict[str, Any]]:
    """The files attached to the proposal, for whoever may read it."""
    _actor, proposal = _proposal(request, council_slug, proposal_id)
    return _files_out(proposal)


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
    actor, proposal = _proposal(request, council_slug, proposal_id)
    filing.save_draft(
        proposal,
        actor=actor,
        content=filing.ProposalContent.as_written(proposal),
        expected_version=proposal.version if version is None else version,
        files=[file],
    )
    return Status(201, _files_out(proposal))


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
) -> list[dict[str, Any]]:
    """Remove a file from a draft or returned proposal; answers the files left."""
    actor, proposal = _proposal(request, council_slug, proposal_id)
    filing.save_draft(
        proposal,
        actor=actor,
        content=filing.ProposalContent.as_written(proposal),
        expected_version=proposal.version if payload.version is None else payload.version,
        remove_files=[file_id],
    )
    return _files_out(proposal)


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
    _actor, proposal = _proposal(request, council_slug, proposal_id)
    row = attachments_of(proposal).filter(pk=file_id).first()
    if row is None:
        raise Http404
    return attachment_response(row)


@router.post(f"{BASE}/{{proposal_id}}/submit", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def submit_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: VersionIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id)
    require(can.can_file(actor))
    filing.submit_proposal(proposal, actor=actor, expected_version=payload.version)
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/cosigners", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def invite_proposal_cosigners(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: CosignersIn
) -> dict[str, Any]:
    """Invite members of this council and term to co-sign."""
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.FILE_PROPOSALS)
    members = council_rows(actor, Member, payload.member_ids, field="member_ids")
    filing.invite_cosigners(proposal, actor=actor, members=members)
    return _fresh(actor, proposal)


@router.post(f"{BASE}/cosign/{{cosigner_id}}", response={204: None, **WRITE_ERROR_RESPONSES})
def answer_cosign_request(
    request: HttpRequest, council_slug: CouncilSlug, cosigner_id: ObjectId, payload: CosignAnswerIn
) -> Status:
    actor = council_actor(request, council_slug, Perm.FILE_PROPOSALS)
    filing.answer_cosign(access_cosign_request(actor, cosigner_id), actor=actor, confirm=payload.confirm)
    return Status(204, None)


@router.post(f"{BASE}/{{proposal_id}}/accept", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def accept_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: VersionIn
) -> dict[str, Any]:
    """Accept with the next case number of the term and session."""
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.accept_proposal(proposal, actor=actor, expected_version=payload.version)
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/decline", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def decline_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: DeclineIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    reason = council_row(actor, DeclineReason, payload.reason_id, field="reason_id")
    assert reason is not None
    review.decline_proposal(
        proposal, actor=actor, reason=reason, note=payload.note, expected_version=payload.version
    )
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/return", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def return_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ReasonIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.return_for_revision(proposal, actor=actor, reason=payload.reason, expected_version=payload.version)
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/convert", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def convert_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ConvertIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.convert_proposal(
        proposal,
        actor=actor,
        target=payload.target,
        consent_note=payload.consent_note,
        expected_version=payload.version,
    )
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/merge", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def merge_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: MergeIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    into = access_proposal(actor, payload.into_id)
    review.merge_proposal(
        proposal, actor=actor, into=into, note=payload.note, expected_version=payload.version
    )
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/assign", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def assign_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: AssignIn
) -> dict[str, Any]:
    """Assign an accepted proposal (or change the units of one being handled)."""
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.ASSIGN_PROPOSALS)
    roles = _unit_roles(actor, payload.units, field="units")
    action = (
        handling.assign_proposal if proposal.status == ProposalStatus.ACCEPTED else handling.reassign_proposal
    )
    action(
        proposal,
        actor=actor,
        units=roles,
        assigned_on=payload.assigned_on or timezone.localdate(),
        expected_version=payload.version,
    )
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/rehandle", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def rehandle_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: ReasonIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.order_rehandling(
        proposal,
        actor=actor,
        reason=payload.reason,
        today=timezone.localdate(),
        expected_version=payload.version,
    )
    return _fresh(actor, proposal)


@router.post(f"{BASE}/{{proposal_id}}/conclude", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def conclude_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: VersionIn
) -> dict[str, Any]:
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    review.conclude_proposal(
        proposal, actor=actor, today=timezone.localdate(), expected_version=payload.version
    )
    return _fresh(actor, proposal)


@router.get(f"{BASE}/unit/assignments", response={200: Page[AssignmentOut], **ERROR_RESPONSES})
def list_unit_assignments(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """The requester's units' assignments, soonest due first."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    return paginate(unit_inbox(actor), filters, _assignment_out)


@router.post(f"{BASE}/assignments/{{assignment_id}}/object", response={204: None, **WRITE_ERROR_RESPONSES})
def object_to_proposal_assignment(
    request: HttpRequest, council_slug: CouncilSlug, assignment_id: ObjectId, payload: ObjectionIn
) -> Status:
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    handling.object_to_assignment(
        access_assignment(actor, assignment_id),
        actor=actor,
        reason=payload.reason,
        today=timezone.localdate(),
    )
    return Status(204, None)


@router.post(f"{BASE}/assignments/{{assignment_id}}/reply", response={200: ReplyOut, **WRITE_ERROR_RESPONSES})
def write_proposal_reply(
    request: HttpRequest, council_slug: CouncilSlug, assignment_id: ObjectId, payload: ReplyIn
) -> dict[str, Any]:
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
    return _saved_reply_out(reply)


@router.post(
    f"{BASE}/assignments/{{assignment_id}}/reply/letter", response={200: ReplyOut, **WRITE_ERROR_RESPONSES}
)
def upload_proposal_reply_letter(
    request: HttpRequest,
    council_slug: CouncilSlug,
    assignment_id: ObjectId,
    letter: File[UploadedFile],
    version: Form[int | None] = None,
) -> dict[str, Any]:
    """Attach the signed reply letter (a PDF, multipart field "letter") to the
    unit's reply of the current round before it is sent, keeping what the
    reply says. Send the reply's version you read; without it, the version
    read here is expected, so that a change by someone else meanwhile is a 409."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    assignment = access_assignment(actor, assignment_id)
    current = Reply.objects.filter(
        assignment=assignment, handling_round=assignment.proposal.handling_round
    ).first()
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
    return _saved_reply_out(reply)


@router.get(f"{BASE}/replies/{{reply_id}}/letters", response={200: list[AttachmentOut], **ERROR_RESPONSES})
def list_proposal_reply_letters(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId
) -> list[dict[str, Any]]:
    """The signed letters of a reply, for whoever may read the reply."""
    actor = council_actor(request, council_slug)
    reply = access_reply(actor, reply_id)
    return _files_out(reply)


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
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.RELEASE_REPLIES)
    reply = access_reply(actor, reply_id)
    handling.release_reply(reply, actor=actor, today=timezone.localdate(), expected_version=payload.version)
    return _reply_out(access_reply(actor, reply_id))


@router.post(f"{BASE}/replies/{{reply_id}}/return", response={200: ReplyOut, **WRITE_ERROR_RESPONSES})
def return_proposal_reply(
    request: HttpRequest, council_slug: CouncilSlug, reply_id: ObjectId, payload: ReasonIn
) -> dict[str, Any]:
    actor = council_actor(request, council_slug, Perm.RELEASE_REPLIES)
    reply = access_reply(actor, reply_id)
    handling.return_reply(reply, actor=actor, reason=payload.reason, expected_version=payload.version)
    return _reply_out(access_reply(actor, reply_id))


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


@router.post(
    f"{BASE}/assignments/{{assignment_id}}/extend", response={200: AssignmentOut, **WRITE_ERROR_RESPONSES}
)
def extend_proposal_assignment(
    request: HttpRequest, council_slug: CouncilSlug, assignment_id: ObjectId, payload: ExtensionIn
) -> dict[str, Any]:
    """Approve one extension of a unit's deadline, with a reason."""
    actor = council_actor(request, council_slug, Perm.ASSIGN_PROPOSALS)
    assignment = access_assignment(actor, assignment_id)
    done = handling.approve_extension(
        assignment,
        actor=actor,
        new_due_on=payload.new_due_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _assignment_out(done)


@router.post(f"{BASE}/{{proposal_id}}/marks", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def mark_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: MarkIn
) -> dict[str, Any]:
    """Mark or unmark a key proposal (with its supervising leader) or an outstanding one."""
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.REVIEW_PROPOSALS)
    if payload.is_key is not None:
        leader = None
        if payload.supervising_leader_id is not None:
            leader = User.objects.filter(pk=payload.supervising_leader_id).first()
        review.mark_key(proposal, actor=actor, is_key=payload.is_key, supervising_leader=leader)
    if payload.is_outstanding is not None:
        review.mark_outstanding(proposal, actor=actor, is_outstanding=payload.is_outstanding)
    return _fresh(actor, proposal)


@router.post(f"{BASE}/assignments/{{assignment_id}}/notes", response={204: None, **WRITE_ERROR_RESPONSES})
def record_proposal_handling(
    request: HttpRequest, council_slug: CouncilSlug, assignment_id: ObjectId, payload: NoteIn
) -> Status:
    """Record contact or a consultation with the proposer, or (helpers) the opinion to the lead unit."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    handling.record_handling_note(
        access_assignment(actor, assignment_id),
        actor=actor,
        kind=payload.kind,
        text=payload.text,
        happened_on=payload.happened_on,
        today=timezone.localdate(),
    )
    return Status(204, None)


@router.get(f"{BASE}/{{proposal_id}}/supervision", response={200: list[SupervisionOut], **ERROR_RESPONSES})
def list_proposal_supervision(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[dict[str, Any]]:
    """The supervision activities of a key proposal, for staff and leaders."""
    _actor, proposal = _proposal(request, council_slug, proposal_id, Perm.VIEW_ALL_PROPOSALS)
    if not proposal.is_key:
        return []
    return [
        {
            "id": row.pk,
            "kind": row.kind,
            "happened_on": row.happened_on,
            "note": row.note,
            "recorded_by": row.recorded_by.display_name,
        }
        for row in proposal.supervision_activities.select_related("recorded_by").order_by("happened_on", "id")
    ]


@router.post(f"{BASE}/{{proposal_id}}/supervision", response={204: None, **WRITE_ERROR_RESPONSES})
def record_proposal_supervision(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: SupervisionIn
) -> Status:
    """Record an inspection, meeting or visit supervising a key proposal."""
    actor, proposal = _proposal(request, council_slug, proposal_id, Perm.VIEW_ALL_PROPOSALS)
    review.record_supervision(
        proposal,
        actor=actor,
        kind=payload.kind,
        note=payload.note,
        happened_on=payload.happened_on,
        today=timezone.localdate(),
    )
    return Status(204, None)
