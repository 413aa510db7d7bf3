"""Outcome reports (专报 / 建议案): writing, sending to the party-committee
and government offices, the leaders' instructions and what became of the
outcome (成果转化) as the offices record them, and staff's follow-up date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.consultations import permissions as can
from xieshang.consultations.actions.common import (
    office_outcome_url,
    office_users,
    outcome_url,
    users_with_role,
)
from xieshang.consultations.models import Consultation, Outcome, OutcomeInstruction
from xieshang.consultations.states import (
    FINAL_ADOPTIONS,
    Adoption,
    EventType,
    OutcomeKind,
    OutcomeStatus,
    ensure_outcome_transition,
)
from xieshang.core.attachments import DOCUMENTS, IMAGES, attach, store_upload
from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.notifications import notify
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.actions.instructions import InstructionDetails, add_instruction
from xieshang.councils.models import OversightOffice, Role
from xieshang.councils.roles import Actor

EVIDENCE = "outcome.evidence"


def _lock(outcome: Outcome) -> Outcome:
    return (
        Outcome.objects.select_for_update(of=("self",))
        .select_related("council", "consultation")
        .get(pk=outcome.pk)
    )


def _check(kind: str, title: str, text: str) -> None:
    errors: dict[str, str] = {}
    if kind not in OutcomeKind.values:
        errors["kind"] = _("Choose special report or recommendation.")
    if not title.strip():
        errors["title"] = _("Enter the title.")
    if not text.strip():
        errors["text"] = _("Write the report.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def write_outcome(consultation: Consultation, *, kind: str, title: str, text: str, actor: Actor) -> Outcome:
    """Draft the outcome report of a held consultation."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can.can_write_outcome(actor, consultation))
    _check(kind, title, text)
    outcome = Outcome.objects.create(
        council=actor.council,
        consultation=consultation,
        kind=kind,
        title=title.strip()[:100],
        text=text.strip(),
        created_by=actor.user,
    )
    history(outcome, EventType.OUTCOME_DRAFTED, actor, consultation=consultation.pk)
    return outcome


@transaction.atomic
def update_outcome(
    outcome: Outcome, *, kind: str, title: str, text: str, actor: Actor, expected_version: int | None = None
) -> Outcome:
    outcome = _lock(outcome)
    check_version(outcome, expected_version)
    ensure_state(outcome.status, {OutcomeStatus.DRAFT})
    require(can.can_edit_outcome(actor, outcome))
    _check(kind, title, text)
    outcome.kind = kind
    outcome.title = title.strip()[:100]
    outcome.text = text.strip()
    save_new_version(outcome, update_fields=["kind", "title", "text"])
    history(outcome, EventType.OUTCOME_DRAFTED, actor, edited=True)
    return outcome


@transaction.atomic
def send_outcome(outcome: Outcome, *, offices: Sequence[OversightOffice], actor: Actor) -> Outcome:
    """Send the report to the chosen party-committee and government offices,
    whose users find it in their inbox."""
    outcome = _lock(outcome)
    ensure_outcome_transition(outcome.status, OutcomeStatus.SENT)
    require(can.can_send_outcome(actor, outcome))
    if not offices:
        raise ValidationError({"offices": _("Choose the party-committee or government offices.")})
    if any(office.council_id != actor.council.pk for office in offices):
        raise ValidationError(
            {"offices": _("Choose offices of this council's party committee and government.")}
        )
    outcome.status = OutcomeStatus.SENT
    outcome.sent_at = timezone.now()
    outcome.save(update_fields=["status", "sent_at"])
    outcome.offices.set(offices)
    history(outcome, EventType.OUTCOME_SENT, actor, offices="、".join(o.name for o in offices))
    notify(
        recipients=office_users(actor.council, [o.pk for o in offices]),
        council=actor.council,
        title=_("Consultation outcome for your attention: %(title)s") % {"title": outcome.title},
        url=office_outcome_url(outcome),
        kind="consultations.outcome_sent",
    )
    return outcome


def _acting_office(actor: Actor, outcome: Outcome) -> int:
    ids = set(outcome.offices.filter(pk__in=actor.oversight_office_ids).values_list("pk", flat=True))
    return min(ids)


@transaction.atomic
def record_outcome_instruction(
    outcome: Outcome,
    *,
    leader_name: str,
    level: str,
    text: str,
    instructed_on: dt.date,
    actor: Actor,
    leader_title: str = "",
) -> OutcomeInstruction:
    """A user of a receiving office records a leader's instruction (批示);
    staff are told.

    Raise PermissionDenied unless actor may instruct on the outcome, and
    ValidationError as councils.actions.instructions.check_instruction does
    (an instruction older than the day the outcome was sent included).
    """
    outcome = _lock(outcome)
    require(can.can_instruct_outcome(actor, outcome))
    instruction = add_instruction(
        OutcomeInstruction,
        InstructionDetails(leader_name, level, text, instructed_on, leader_title),
        actor=actor,
        office_id=_acting_office(actor, outcome),
        not_before=timezone.localtime(outcome.sent_at).date() if outcome.sent_at else None,
        outcome=outcome,
    )
    history(outcome, EventType.INSTRUCTED, actor, leader=instruction.leader_name, level=level)
    notify(
        recipients=users_with_role(actor.council, Role.STAFF, Role.LEADER),
        council=actor.council,
        title=_("Instruction on the consultation outcome: %(title)s") % {"title": outcome.title},
        url=outcome_url(outcome),
        kind="consultations.outcome_instructed",
    )
    return instruction


@transaction.atomic
def record_adoption(
    outcome: Outcome,
    *,
    adoption: str,
    note: str,
    actor: Actor,
    follow_up_on: dt.date | None = None,
    evidence: Sequence[File] = (),
) -> Outcome:
    """A receiving office records what became of the outcome, with evidence.

    Adopted, policy issued and not adopted (which needs the reason) are
    final; in progress keeps the outcome open with an optional follow-up date."""
    outcome = _lock(outcome)
    ensure_state(outcome.status, {OutcomeStatus.SENT})
    require(can.can_record_adoption(actor, outcome))
    if adoption not in Adoption.values or adoption == Adoption.PENDING:
        raise ValidationError({"adoption": _("Choose what became of the outcome.")})
    if adoption == Adoption.NOT_ADOPTED and not note.strip():
        raise ValidationError({"note": _("Say why the outcome was not adopted.")})
    if follow_up_on is not None and follow_up_on <= timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose a follow-up date after today.")})
    for upload in evidence:
        stored = store_upload(
            upload,
            council=actor.council,
            user=actor.user,
            allowed_kinds=(*DOCUMENTS, *IMAGES),
            purpose=EVIDENCE,
        )
        attach(stored, outcome)
    outcome.adoption = adoption
    outcome.adoption_note = note.strip()[:500]
    outcome.adoption_recorded_at = timezone.now()
    fields = ["adoption", "adoption_note", "adoption_recorded_at", "follow_up_on", "status"]
    if adoption in FINAL_ADOPTIONS:
        ensure_outcome_transition(outcome.status, OutcomeStatus.CONVERTED)
        outcome.status = OutcomeStatus.CONVERTED
        outcome.follow_up_on = None
    else:
        outcome.follow_up_on = follow_up_on or outcome.follow_up_on
    outcome.save(update_fields=fields)
    history(
        outcome,
        EventType.ADOPTION_RECORDED,
        actor,
        adoption=adoption,
        note=outcome.adoption_note,
        evidence=len(evidence) or None,
    )
    notify(
        recipients=users_with_role(actor.council, Role.STAFF, Role.LEADER),
        council=actor.council,
        title=_("What became of the consultation outcome: %(title)s") % {"title": outcome.title},
        body=outcome.adoption_note,
        url=outcome_url(outcome),
        kind="consultations.outcome_adoption",
    )
    return outcome


@transaction.atomic
def set_follow_up(outcome: Outcome, *, follow_up_on: dt.date, actor: Actor) -> Outcome:
    """Staff choose the day to ask the offices again about a sent outcome."""
    outcome = _lock(outcome)
    require(can.can_set_follow_up(actor, outcome))
    if follow_up_on <= timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose a follow-up date after today.")})
    outcome.follow_up_on = follow_up_on
    outcome.save(update_fields=["follow_up_on"])
    history(outcome, EventType.FOLLOW_UP_SET, actor, follow_up_on=follow_up_on.isoformat())
    return outcome
