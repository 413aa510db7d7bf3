"""Assignment and handling: the assignment meeting, assigning one proposal,
extensions, the units' assignments, objections and handling records."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Overlay,
    Page,
    PageQuery,
    paginate,
)
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.roles import Perm
from xieshang.proposals.actions import handling
from xieshang.proposals.api.answers import (
    AssignmentOut,
    MeetingRowOut,
    NoteOut,
    ProposalDetailOut,
    ProposalsOut,
)
from xieshang.proposals.api.common import (
    BASE,
    filed_in_order,
    fresh,
    proposal_for,
    refuse_unless_all_still,
    unit_roles,
)
from xieshang.proposals.api.schemas import AssignIn, ExtensionIn, MeetingIn, NoteIn, ObjectionIn
from xieshang.proposals.models import Assignment, HandlingNote
from xieshang.proposals.queries import access_assignment, assignment_meeting_rows, notes_visible, unit_inbox
from xieshang.proposals.states import ProposalStatus

router = Router()


@router.get(f"{BASE}/meeting", response={200: Page[MeetingRowOut], **ERROR_RESPONSES})
def list_proposals_to_assign(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """The assignment meeting's agenda: accepted proposals waiting for
    units, by case number, with the units their proposers suggested."""
    actor = council_actor(request, council_slug, Perm.ASSIGN_PROPOSALS)
    return paginate(assignment_meeting_rows(actor), filters)


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
    proposals = filed_in_order(actor, ids)
    units = [unit_roles(actor, item.units, field="units") for item in payload.items]
    refuse_unless_all_still(
        proposals,
        ProposalStatus.ACCEPTED,
        _("No longer waiting for assignment: %(titles)s. Nothing was assigned; reload the list."),
    )
    done = handling.assign_in_batch(
        list(zip(proposals, units, strict=True)),
        actor=actor,
        assigned_on=payload.assigned_on or timezone.localdate(),
    )
    return {"items": done}


@router.post(f"{BASE}/{{proposal_id}}/assign", response={200: ProposalDetailOut, **WRITE_ERROR_RESPONSES})
def assign_proposal(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId, payload: AssignIn
) -> Overlay:
    """Assign an accepted proposal (or change the units of one being handled)."""
    actor, proposal = proposal_for(request, council_slug, proposal_id, Perm.ASSIGN_PROPOSALS)
    roles = unit_roles(actor, payload.units, field="units")
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
    return fresh(actor, proposal)


@router.post(
    f"{BASE}/assignments/{{assignment_id}}/extend", response={200: AssignmentOut, **WRITE_ERROR_RESPONSES}
)
def extend_proposal_assignment(
    request: HttpRequest, council_slug: CouncilSlug, assignment_id: ObjectId, payload: ExtensionIn
) -> Assignment:
    """Approve one extension of a unit's deadline, with a reason."""
    actor = council_actor(request, council_slug, Perm.ASSIGN_PROPOSALS)
    assignment = access_assignment(actor, assignment_id)
    return handling.approve_extension(
        assignment,
        actor=actor,
        new_due_on=payload.new_due_on,
        reason=payload.reason,
        expected_version=payload.version,
    )


@router.get(f"{BASE}/unit/assignments", response={200: Page[AssignmentOut], **ERROR_RESPONSES})
def list_unit_assignments(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """The requester's units' assignments, soonest due first."""
    actor = council_actor(request, council_slug, Perm.HANDLE_PROPOSALS)
    return paginate(unit_inbox(actor), filters)


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


@router.get(f"{BASE}/{{proposal_id}}/notes", response={200: list[NoteOut], **ERROR_RESPONSES})
def list_proposal_handling_notes(
    request: HttpRequest, council_slug: CouncilSlug, proposal_id: ObjectId
) -> list[HandlingNote]:
    """The handling records the requester may read (contacts, consultations,
    helper units' opinions), as the proposal's page shows them."""
    actor, proposal = proposal_for(request, council_slug, proposal_id)
    return notes_visible(actor, proposal)
