"""Who may do what to which plan, consultation and outcome, now. Used by the
actions (to refuse) and by the pages (to show only what the user may do)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xieshang.consultations.models import (
    Consultation,
    ConsultationPlan,
    Deliberation,
    DraftRegulation,
    Outcome,
    PlanSuggestion,
)
from xieshang.consultations.states import ConsultationStatus, OutcomeStatus, PlanStatus, SuggestionStatus
from xieshang.councils.models import Role
from xieshang.councils.roles import Actor, Perm


def _in_council(actor: Actor, obj: Any) -> bool:
    return bool(obj.council_id == actor.council.pk)


# Plans ---------------------------------------------------------------------


def can_view_plan(actor: Actor, plan: ConsultationPlan) -> bool:
    """Staff and leaders see every plan; the offices once it reaches them."""
    if not _in_council(actor, plan) or not actor.has(Perm.VIEW_CONSULTATION_PLANS):
        return False
    if actor.has(Perm.MANAGE_CONSULTATIONS) or actor.has(Perm.APPROVE_CONSULTATION_PLANS):
        return True
    return plan.status != PlanStatus.DRAFT


def _manages(actor: Actor, obj: Any) -> bool:
    return actor.has(Perm.MANAGE_CONSULTATIONS) and _in_council(actor, obj)


def can_create_plan(actor: Actor) -> bool:
    return actor.has(Perm.MANAGE_CONSULTATIONS)


def can_edit_items(actor: Actor, plan: ConsultationPlan) -> bool:
    """Staff edit items while drafting and in revision, and amend an issued
    plan with a reason; an approved plan waits for its issue unchanged."""
    return _manages(actor, plan) and plan.status in (
        PlanStatus.DRAFT,
        PlanStatus.IN_REVISION,
        PlanStatus.ISSUED,
    )


def can_send_for_revision(actor: Actor, plan: ConsultationPlan) -> bool:
    return _manages(actor, plan) and plan.status == PlanStatus.DRAFT


def can_take_back_to_draft(actor: Actor, plan: ConsultationPlan) -> bool:
    return _manages(actor, plan) and plan.status == PlanStatus.IN_REVISION


def can_approve_plan(actor: Actor, plan: ConsultationPlan) -> bool:
    """Leaders record the chair meeting's approval of a plan in revision."""
    return (
        actor.has(Perm.APPROVE_CONSULTATION_PLANS)
        and _in_council(actor, plan)
        and plan.status == PlanStatus.IN_REVISION
    )


def can_reopen_plan(actor: Actor, plan: ConsultationPlan) -> bool:
    """An approved plan goes back to revision when the approval must be redone."""
    return (
        (actor.has(Perm.MANAGE_CONSULTATIONS) or actor.has(Perm.APPROVE_CONSULTATION_PLANS))
        and _in_council(actor, plan)
        and plan.status == PlanStatus.APPROVED
    )


def can_issue_plan(actor: Actor, plan: ConsultationPlan) -> bool:
    return _manages(actor, plan) and plan.status == PlanStatus.APPROVED


def can_suggest(actor: Actor, plan: ConsultationPlan) -> bool:
    """Office users comment and propose changes while the plan is in revision."""
    return (
        actor.has(Perm.COMMENT_CONSULTATION_PLANS)
        and actor.has_role(Role.OVERSIGHT)
        and bool(actor.oversight_office_ids)
        and _in_council(actor, plan)
        and plan.status == PlanStatus.IN_REVISION
    )


def can_decide_suggestion(actor: Actor, suggestion: PlanSuggestion) -> bool:
    return (
        _manages(actor, suggestion)
        and suggestion.status == SuggestionStatus.OPEN
        and suggestion.plan.status == PlanStatus.IN_REVISION
    )


# Consultations ---------------------------------------------------------------


def can_create_consultation(actor: Actor) -> bool:
    return actor.has(Perm.MANAGE_CONSULTATIONS)


def is_participant(actor: Actor, consultation: Consultation) -> bool:
    if actor.member is None or not _in_council(actor, consultation):
        return False
    return consultation.participants.filter(member=actor.member).exists()


def can_view_consultation(actor: Actor, consultation: Consultation) -> bool:
    """Staff and leaders see all; invited members see theirs once notified;
    the party-committee and government offices each one whose minutes were
    sent to them."""
    if not _in_council(actor, consultation):
        return False
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return True
    if actor.has(Perm.RECEIVE_OUTCOMES) and consultation.minutes_sent_at is not None:
        return True
    return (
        actor.has(Perm.SPEAK_AT_CONSULTATIONS)
        and consultation.status != ConsultationStatus.PREPARING
        and is_participant(actor, consultation)
    )


def can_edit_consultation(actor: Actor, consultation: Consultation) -> bool:
    """Date, place, participants, materials and research, until it is held."""
    return _manages(actor, consultation) and consultation.status in (
        ConsultationStatus.PREPARING,
        ConsultationStatus.NOTIFIED,
    )


def can_send_notice(actor: Actor, consultation: Consultation) -> bool:
    return _manages(actor, consultation) and consultation.status == ConsultationStatus.PREPARING


def can_send_materials(actor: Actor, consultation: Consultation) -> bool:
    return can_edit_consultation(actor, consultation) and consultation.materials_sent_at is None


def can_record_activity(actor: Actor, consultation: Consultation) -> bool:
    return _manages(actor, consultation) and consultation.status != ConsultationStatus.CANCELLED


def can_mark_held(actor: Actor, consultation: Consultation) -> bool:
    """From its day on, once the notice is out."""
    return (
        _manages(actor, consultation)
        and consultation.status == ConsultationStatus.NOTIFIED
        and timezone.localdate() >= timezone.localtime(consultation.starts_at).date()
    )


def can_cancel(actor: Actor, consultation: Consultation) -> bool:
    return _manages(actor, consultation) and consultation.status in (
        ConsultationStatus.PREPARING,
        ConsultationStatus.NOTIFIED,
    )


def can_send_minutes(actor: Actor, consultation: Consultation) -> bool:
    return (
        _manages(actor, consultation)
        and consultation.status == ConsultationStatus.HELD
        and consultation.minutes_sent_at is None
    )


def can_close(actor: Actor, consultation: Consultation) -> bool:
    return (
        _manages(actor, consultation)
        and consultation.status == ConsultationStatus.HELD
        and consultation.minutes_sent_at is not None
    )


def can_arrange_speeches(actor: Actor, consultation: Consultation) -> bool:
    """Staff add speakers and set the order until the consultation is held."""
    return _manages(actor, consultation) and consultation.status in (
        ConsultationStatus.PREPARING,
        ConsultationStatus.NOTIFIED,
    )


def can_time_speeches(actor: Actor, consultation: Consultation) -> bool:
    """Durations are recorded on the day (notified) and just after (held)."""
    return _manages(actor, consultation) and consultation.status in (
        ConsultationStatus.NOTIFIED,
        ConsultationStatus.HELD,
    )


def can_book_speech(actor: Actor, consultation: Consultation) -> bool:
    """An invited member books a speech and submits its text beforehand."""
    return (
        actor.has(Perm.SPEAK_AT_CONSULTATIONS)
        and consultation.status == ConsultationStatus.NOTIFIED
        and is_participant(actor, consultation)
    )


def can_write_outcome(actor: Actor, consultation: Consultation) -> bool:
    return _manages(actor, consultation) and consultation.status in (
        ConsultationStatus.HELD,
        ConsultationStatus.CLOSED,
    )


# Outcomes --------------------------------------------------------------------


def is_receiving_office(actor: Actor, outcome: Outcome) -> bool:
    """A user of an office the outcome was sent to."""
    if not (actor.has_role(Role.OVERSIGHT) and _in_council(actor, outcome)):
        return False
    if outcome.status == OutcomeStatus.DRAFT or not actor.oversight_office_ids:
        return False
    return outcome.offices.filter(pk__in=actor.oversight_office_ids).exists()


def can_view_outcome(actor: Actor, outcome: Outcome) -> bool:
    if not _in_council(actor, outcome):
        return False
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return True
    return actor.has(Perm.RECEIVE_OUTCOMES) and is_receiving_office(actor, outcome)


def can_edit_outcome(actor: Actor, outcome: Outcome) -> bool:
    return _manages(actor, outcome) and outcome.status == OutcomeStatus.DRAFT


def can_send_outcome(actor: Actor, outcome: Outcome) -> bool:
    return _manages(actor, outcome) and outcome.status == OutcomeStatus.DRAFT


def can_instruct_outcome(actor: Actor, outcome: Outcome) -> bool:
    return actor.has(Perm.INSTRUCT_OUTCOMES) and is_receiving_office(actor, outcome)


def can_record_adoption(actor: Actor, outcome: Outcome) -> bool:
    return can_instruct_outcome(actor, outcome) and outcome.status == OutcomeStatus.SENT


def can_set_follow_up(actor: Actor, outcome: Outcome) -> bool:
    return _manages(actor, outcome) and outcome.status == OutcomeStatus.SENT


# Online deliberation and draft regulations -----------------------------------


def can_view_deliberation(actor: Actor, deliberation: Deliberation) -> bool:
    return deliberation.council_id == actor.council.pk and (
        actor.has(Perm.VIEW_CONSULTATIONS) or actor.has(Perm.SPEAK_AT_CONSULTATIONS)
    )


def can_comment(actor: Actor, draft: DraftRegulation) -> bool:
    return draft.council_id == actor.council.pk and (
        actor.has(Perm.SPEAK_AT_CONSULTATIONS) or actor.has(Perm.MANAGE_CONSULTATIONS)
    )
