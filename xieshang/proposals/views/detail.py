"""The proposal page: content, units, replies, history, and a side panel
with exactly the actions this user may take now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.events import labelled_timeline
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals import permissions as can
from xieshang.proposals.forms import InviteCosignersForm
from xieshang.proposals.models import Assignment, Cosigner, Proposal, Reply
from xieshang.proposals.queries import (
    access_proposal,
    access_reply,
    notes_visible,
    rater_ids,
    visible_follow_ups,
    visible_handling,
)
from xieshang.proposals.states import EventType


@dataclass(frozen=True)
class ViewerTasks:
    """What waits for the viewer on this proposal, named in the side panel:
    replies to rate (a proposer), replies to check (staff), the viewer's
    unit's assignments (a liaison: write the reply or record handling), and
    an invitation to co-sign."""

    to_rate: list[Reply]
    to_check: list[Reply]
    to_handle: list[Assignment]
    invitation: Cosigner | None

    @property
    def any(self) -> bool:
        return bool(self.to_rate or self.to_check or self.to_handle or self.invitation)


def detail_context(request: CouncilRequest, proposal: Proposal) -> dict[str, Any]:
    actor = request.actor
    today = timezone.localdate()
    handling = visible_handling(actor, proposal)
    is_insider, mine = handling.is_insider, handling.mine
    assignments = list(handling.assignments)
    for assignment in assignments:
        assignment.proposal = proposal
        assignment.is_mine = assignment.pk in mine  # type: ignore[attr-defined]
        assignment.may_object = assignment.is_mine and can.can_object(actor, assignment, today=today)  # type: ignore[attr-defined]
        assignment.may_reply = assignment.is_mine and can.can_reply(actor, assignment)  # type: ignore[attr-defined]
        assignment.may_extend = can.can_approve_extension(actor, assignment)  # type: ignore[attr-defined]
    reply_rows = list(handling.replies)
    raters = rater_ids(proposal) if actor.member is not None else frozenset()
    for reply in reply_rows:
        reply.assignment.proposal = proposal
        reply.may_rate = bool(raters) and can.can_rate(actor, reply, rater_ids=raters, today=today)  # type: ignore[attr-defined]
        reply.may_check = can.can_check_reply(actor, reply)  # type: ignore[attr-defined]
        reply.letters = list(attachments_of(reply))  # type: ignore[attr-defined]
    cosigners = list(proposal.cosigners.select_related("member"))
    for cosigner in cosigners:
        cosigner.proposal = proposal
    may_invite = can.can_invite_cosigners(actor, proposal)
    follow_ups = visible_follow_ups(actor, proposal, handling)
    may = {
        "edit": can.can_edit(actor, proposal),
        "invite": may_invite,
        "review": can.can_review(actor, proposal),
        "assign": can.can_assign(actor, proposal),
        "reassign": can.can_reassign(actor, proposal),
        "rehandle": can.can_order_rehandling(actor, proposal),
        "conclude": can.can_conclude(actor, proposal, today=today),
        "mark": can.can_mark(actor, proposal),
        "follow_through": can.can_follow_through(actor, proposal),
        "tag_themes": can.can_tag_themes(actor, proposal),
    }
    tasks = ViewerTasks(
        to_rate=[reply for reply in reply_rows if reply.may_rate],  # type: ignore[attr-defined]
        to_check=[reply for reply in reply_rows if reply.may_check],  # type: ignore[attr-defined]
        to_handle=[assignment for assignment in assignments if assignment.is_mine],  # type: ignore[attr-defined]
        invitation=next((row for row in cosigners if can.can_answer_cosign(actor, row)), None),
    )
    return {
        "proposal": proposal,
        "events": labelled_timeline(proposal, EventType),
        "cosigners": cosigners,
        "files": list(attachments_of(proposal)),
        "assignments": assignments,
        "replies": reply_rows,
        "merged": list(proposal.merged_proposals.all()) if is_insider else [],
        "follow_ups": list(follow_ups),
        "notes": notes_visible(actor, proposal),
        "follow_throughs": list(proposal.follow_throughs.select_related("recorded_by"))
        if is_insider and proposal.is_key
        else [],
        "is_insider": is_insider,
        "may": may,
        "tasks": tasks,
        "has_actions": any(value for key, value in may.items() if key != "tag_themes") or tasks.any,
        "invite_form": InviteCosignersForm(proposal=proposal) if may_invite else None,
    }


@council_view()
def detail(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    return render(request, "proposals/detail.html", detail_context(request, proposal))


@council_view()
def letter(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Download a reply's signed letter, for whoever may read the reply."""
    reply = access_reply(request.actor, pk)
    attachment = attachments_of(reply).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    # A streamed file; the tenancy decorator is typed for plain responses.
    return cast(HttpResponse, attachment_response(attachment))


@council_view()
def attachment(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Download a file attached to the proposal, for whoever may read it."""
    proposal = access_proposal(request.actor, pk)
    row = attachments_of(proposal).filter(pk=attachment_id).first()
    if row is None:
        raise Http404
    return cast(HttpResponse, attachment_response(row))
