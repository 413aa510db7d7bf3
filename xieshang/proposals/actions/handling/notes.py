"""What the units record while handling: contact with the proposer and the
helpers' opinions to the lead unit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, require
from xieshang.core.events import history
from xieshang.councils.roles import Actor
from xieshang.proposals.actions.common import liaison_users, lock_proposal, tell
from xieshang.proposals.models import Assignment, HandlingNote
from xieshang.proposals.permissions import can_record_note, is_unit_of
from xieshang.proposals.states import HANDLING, AssignmentRole, EventType, NoteKind

NOTE_TEXT_MAX = 3000


@transaction.atomic
def record_handling_note(
    assignment: Assignment, *, actor: Actor, kind: str, text: str, happened_on: dt.date, today: dt.date
) -> HandlingNote:
    """Record the unit's contact or consultation with the proposer, or (for an
    assisting or joint unit) its opinion to the lead unit, who is told.

    Raise PermissionDenied unless the actor's unit handles the proposal in a
    role that may record this kind, Conflict once handling has ended, and
    ValidationError for an empty or over-long text or a date in the future.
    """
    proposal = lock_proposal(assignment.proposal, actor)
    assignment = Assignment.objects.select_related("unit").get(pk=assignment.pk)
    assignment.proposal = proposal
    require(is_unit_of(actor, assignment) and assignment.is_active)
    if proposal.status not in HANDLING:
        raise Conflict(_("This proposal is no longer being handled."))
    require(can_record_note(actor, assignment, kind=kind))
    errors = {}
    if not text.strip():
        errors["text"] = _("Write what was done or said.")
    elif len(text) > NOTE_TEXT_MAX:
        errors["text"] = _("At most %(max)s characters.") % {"max": NOTE_TEXT_MAX}
    if happened_on > today:
        errors["happened_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    note = HandlingNote.objects.create(
        council=proposal.council,
        assignment=assignment,
        kind=kind,
        happened_on=happened_on,
        text=text.strip(),
        written_by=actor.user,
    )
    history(
        proposal, EventType.NOTE, actor, unit=assignment.unit.name, kind=kind, date=happened_on.isoformat()
    )
    if kind == NoteKind.HELPER_OPINION:
        leads = Assignment.objects.filter(proposal=proposal, is_active=True, role=AssignmentRole.LEAD)
        tell(
            liaison_users(proposal, leads.values_list("unit_id", flat=True)),
            proposal,
            _("%(unit)s sent its opinion on %(number)s")
            % {"unit": assignment.unit.name, "number": proposal.case_number},
            kind="proposal.helper_opinion",
        )
    return note
