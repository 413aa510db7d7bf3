"""The consultation workflows (协商), as tables.

A yearly plan: draft → in revision (the party-committee and government
offices comment and propose changes) → approved by the chair meeting →
issued as a joint document. Staff may take a plan in revision back to draft,
and an approved plan back to revision; an issued plan is changed only by
amendments that record their reason.

A consultation: preparing → notice sent → held → closed, or cancelled before
it is held. Materials and minutes are facts beside the status, each with its
working-day due date.

An outcome report (专报 / 建议案): draft → sent to the offices → converted
once the offices record what finally became of it (adopted, policy issued,
not adopted). "In progress" keeps the outcome sent, with a follow-up date.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable, ensure_transition


class ConsultationKind(models.TextChoices):
    TOPIC = "topic", _("topic consultation")
    STANDING_COMMITTEE = "standing_committee_deliberation", _("standing committee deliberation")
    BIWEEKLY = "biweekly", _("biweekly consultation")
    COUNTERPART = "counterpart", _("counterpart consultation")
    SECTOR = "sector", _("sector consultation")
    PROPOSAL_HANDLING = "proposal_handling", _("proposal-handling consultation")
    BRIEFING = "briefing", _("briefing")
    LEGISLATIVE = "legislative", _("legislative consultation")
    ONLINE = "online", _("online deliberation")
    REMOTE = "remote", _("remote consultation")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # staff are writing the items
    IN_REVISION = "in_revision", _("in revision")  # the offices comment and propose changes
    APPROVED = "approved", _("approved by the chair meeting")  # waiting to be issued
    ISSUED = "issued", _("issued")  # the joint document is out; changes need a reason


PLAN_TRANSITIONS: TransitionTable = {
    PlanStatus.DRAFT: frozenset({PlanStatus.IN_REVISION}),
    PlanStatus.IN_REVISION: frozenset({PlanStatus.DRAFT, PlanStatus.APPROVED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.IN_REVISION, PlanStatus.ISSUED}),
    PlanStatus.ISSUED: frozenset(),
}

PLAN_STATUS_CSS: dict[str, str] = {
    PlanStatus.DRAFT: "status-draft",
    PlanStatus.IN_REVISION: "status-waiting",
    PlanStatus.APPROVED: "status-progress",
    PlanStatus.ISSUED: "status-done",
}


def ensure_plan_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the plan table allows current → target."""
    ensure_transition(PLAN_TRANSITIONS, current, target)


class SuggestionStatus(models.TextChoices):
    """A comment or proposed change from an oversight office, as staff decide it."""

    OPEN = "open", _("waiting for staff")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("not accepted")


SUGGESTION_TRANSITIONS: TransitionTable = {
    SuggestionStatus.OPEN: frozenset({SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED}),
    SuggestionStatus.ACCEPTED: frozenset(),
    SuggestionStatus.REJECTED: frozenset(),
}


def ensure_suggestion_transition(current: str, target: str) -> None:
    ensure_transition(SUGGESTION_TRANSITIONS, current, target)


class AmendmentKind(models.TextChoices):
    ADDED = "added", _("item added")
    CHANGED = "changed", _("item changed")
    WITHDRAWN = "withdrawn", _("item withdrawn")


class ConsultationStatus(models.TextChoices):
    PREPARING = "preparing", _("being prepared")  # participants, research, materials
    NOTIFIED = "notified", _("notice sent")  # participants told; waiting for the day
    HELD = "held", _("held")  # took place; minutes and outcome follow
    CLOSED = "closed", _("closed")  # minutes sent; the outcome is tracked on its own
    CANCELLED = "cancelled", _("cancelled")


CONSULTATION_TRANSITIONS: TransitionTable = {
    ConsultationStatus.PREPARING: frozenset({ConsultationStatus.NOTIFIED, ConsultationStatus.CANCELLED}),
    ConsultationStatus.NOTIFIED: frozenset({ConsultationStatus.HELD, ConsultationStatus.CANCELLED}),
    ConsultationStatus.HELD: frozenset({ConsultationStatus.CLOSED}),
    ConsultationStatus.CLOSED: frozenset(),
    ConsultationStatus.CANCELLED: frozenset(),
}

# Statuses in which the consultation has taken place ("consult before deciding").
HELD_STATUSES = frozenset({ConsultationStatus.HELD, ConsultationStatus.CLOSED})

CONSULTATION_STATUS_CSS: dict[str, str] = {
    ConsultationStatus.PREPARING: "status-draft",
    ConsultationStatus.NOTIFIED: "status-waiting",
    ConsultationStatus.HELD: "status-progress",
    ConsultationStatus.CLOSED: "status-done",
    ConsultationStatus.CANCELLED: "status-closed",
}


def ensure_consultation_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the consultation table allows current → target."""
    ensure_transition(CONSULTATION_TRANSITIONS, current, target)


class ParticipantCategory(models.TextChoices):
    MEMBER = "member", _("member")
    GOVERNMENT_LEADER = "government_leader", _("government leader")
    DEPARTMENT = "department", _("government department")
    EXPERT = "expert", _("expert")
    CITIZEN = "citizen", _("citizen representative")
    GRASSROOTS = "grassroots", _("grassroots worker")


class ActivityKind(models.TextChoices):
    """Pre-consultation work members take part in."""

    RESEARCH = "research", _("research")  # 调研
    INSPECTION = "inspection", _("inspection")  # 视察


class SpeechKind(models.TextChoices):
    BOOKED = "booked", _("booked speech")  # 大会发言 / 预约发言, submitted beforehand
    IMPROMPTU = "impromptu", _("impromptu speech")  # 即席发言


class OutcomeKind(models.TextChoices):
    SPECIAL_REPORT = "special_report", _("special report")  # 专报
    RECOMMENDATION = "recommendation", _("recommendation")  # 建议案


class OutcomeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # staff are writing it
    SENT = "sent", _("sent")  # with the party committee and government
    CONVERTED = "converted", _("conversion recorded")  # the final result is known


OUTCOME_TRANSITIONS: TransitionTable = {
    OutcomeStatus.DRAFT: frozenset({OutcomeStatus.SENT}),
    OutcomeStatus.SENT: frozenset({OutcomeStatus.CONVERTED}),
    OutcomeStatus.CONVERTED: frozenset(),
}

OUTCOME_STATUS_CSS: dict[str, str] = {
    OutcomeStatus.DRAFT: "status-draft",
    OutcomeStatus.SENT: "status-waiting",
    OutcomeStatus.CONVERTED: "status-done",
}


def ensure_outcome_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the outcome table allows current → target."""
    ensure_transition(OUTCOME_TRANSITIONS, current, target)


class Adoption(models.TextChoices):
    """What became of an outcome (成果转化)."""

    PENDING = "", _("not yet known")
    IN_PROGRESS = "in_progress", _("in progress")
    ADOPTED = "adopted", _("adopted")
    POLICY_ISSUED = "policy_issued", _("policy issued")
    NOT_ADOPTED = "not_adopted", _("not adopted")


# Results after which the outcome counts as converted (or finally refused).
FINAL_ADOPTIONS = frozenset({Adoption.ADOPTED, Adoption.POLICY_ISSUED, Adoption.NOT_ADOPTED})
# Results that count as a conversion in the year-end figures.
CONVERTED_ADOPTIONS = frozenset({Adoption.ADOPTED, Adoption.POLICY_ISSUED})


class EventType(models.TextChoices):
    """Event types written to plans', consultations' and outcomes' histories."""

    PLAN_CREATED = "consultation_plan.created", _("Plan drafted")
    PLAN_REVISION = "consultation_plan.in_revision", _("Sent to the offices for revision")
    PLAN_BACK_TO_DRAFT = "consultation_plan.back_to_draft", _("Taken back to draft")
    PLAN_APPROVED = "consultation_plan.approved", _("Approved by the chair meeting")
    PLAN_ISSUED = "consultation_plan.issued", _("Issued")
    PLAN_ITEM_ADDED = "consultation_plan.item_added", _("Item added")
    PLAN_ITEM_CHANGED = "consultation_plan.item_changed", _("Item changed")
    PLAN_ITEM_WITHDRAWN = "consultation_plan.item_withdrawn", _("Item withdrawn")
    SUGGESTION_MADE = "consultation_plan.suggestion", _("Comment or proposed change")
    SUGGESTION_ACCEPTED = "consultation_plan.suggestion_accepted", _("Proposed change accepted")
    SUGGESTION_REJECTED = "consultation_plan.suggestion_rejected", _("Proposed change not accepted")
    CREATED = "consultation.created", _("Consultation set up")
    UPDATED = "consultation.updated", _("Details changed")
    PARTICIPANT_ADDED = "consultation.participant_added", _("Participant added")
    NOTICE_SENT = "consultation.notice_sent", _("Notice sent")
    MATERIALS_SENT = "consultation.materials_sent", _("Materials sent")
    ACTIVITY_RECORDED = "consultation.activity", _("Research or inspection recorded")
    SPEECH_BOOKED = "consultation.speech_booked", _("Speech added")
    SPEECH_TIMED = "consultation.speech_timed", _("Speech delivered")
    HELD = "consultation.held", _("Held")
    MINUTES_SENT = "consultation.minutes_sent", _("Minutes sent")
    CLOSED = "consultation.closed", _("Closed")
    CANCELLED = "consultation.cancelled", _("Cancelled")
    DELIBERATION_OPENED = "consultation.deliberation_opened", _("Online deliberation opened")
    DELIBERATION_SUMMARY = "consultation.deliberation_summary", _("Online deliberation summary recorded")
    DRAFT_ADDED = "consultation.draft_added", _("Draft regulation added")
    JOINT_INVITED = "consultation.joint_invited", _("Lower council invited")
    OUTCOME_DRAFTED = "outcome.drafted", _("Outcome report written")
    OUTCOME_SENT = "outcome.sent", _("Outcome report sent")
    INSTRUCTED = "outcome.instructed", _("Leader's instruction recorded")
    ADOPTION_RECORDED = "outcome.adoption", _("Conversion recorded")
    FOLLOW_UP_SET = "outcome.follow_up", _("Follow-up date set")
