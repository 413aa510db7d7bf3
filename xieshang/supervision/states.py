"""The democratic supervision workflows (民主监督), as tables.

A campaign is open while its inspections are recorded, then closed.
A problem found on an inspection is open until the recommendation that
covers it is resolved. A recommendation to a responsible body: sent → replied
(the unit answered and works on it; further replies note progress) →
resolved (staff confirm). A recommendation letter (民主监督建议书) of a
resident supervisor group: issued → answered → closed (staff accept the
answer), or answered → returned for rework, once, → answered again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable, ensure_transition


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("under way")
    CLOSED = "closed", _("concluded")


CAMPAIGN_TRANSITIONS: TransitionTable = {
    CampaignStatus.OPEN: frozenset({CampaignStatus.CLOSED}),
    CampaignStatus.CLOSED: frozenset({CampaignStatus.OPEN}),
}


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class RecommendationStatus(models.TextChoices):
    SENT = "sent", _("awaiting reply")
    REPLIED = "replied", _("being rectified")
    RESOLVED = "resolved", _("resolved")


RECOMMENDATION_TRANSITIONS: TransitionTable = {
    RecommendationStatus.SENT: frozenset({RecommendationStatus.REPLIED}),
    RecommendationStatus.REPLIED: frozenset({RecommendationStatus.REPLIED, RecommendationStatus.RESOLVED}),
    RecommendationStatus.RESOLVED: frozenset(),
}


class LetterStatus(models.TextChoices):
    ISSUED = "issued", _("awaiting reply")
    ANSWERED = "answered", _("answered")
    RETURNED = "returned", _("returned for rework")
    CLOSED = "closed", _("reply accepted")


LETTER_TRANSITIONS: TransitionTable = {
    LetterStatus.ISSUED: frozenset({LetterStatus.ANSWERED}),
    LetterStatus.ANSWERED: frozenset({LetterStatus.RETURNED, LetterStatus.CLOSED}),
    LetterStatus.RETURNED: frozenset({LetterStatus.ANSWERED}),
    LetterStatus.CLOSED: frozenset(),
}

AWAITING_REPLY = (LetterStatus.ISSUED, LetterStatus.RETURNED)
ANSWERED = (LetterStatus.ANSWERED, LetterStatus.CLOSED)

STATUS_CSS: dict[str, str] = {
    CampaignStatus.OPEN: "text-bg-primary",
    CampaignStatus.CLOSED: "text-bg-secondary",
    RecommendationStatus.SENT: "text-bg-warning",
    RecommendationStatus.REPLIED: "text-bg-info",
    RecommendationStatus.RESOLVED: "text-bg-success",
    LetterStatus.ISSUED: "text-bg-warning",
    LetterStatus.ANSWERED: "text-bg-info",
    LetterStatus.RETURNED: "text-bg-danger",
    LetterStatus.CLOSED: "text-bg-success",
}


class TargetState(models.TextChoices):
    """What the campaign page shows for a target; derived, never stored."""

    NOT_INSPECTED = "not_inspected", _("not yet inspected")
    PROBLEMS_OPEN = "problems_open", _("problems open")
    RESOLVED = "resolved", _("all resolved")


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("visit")
    SYMPOSIUM = "symposium", _("symposium")
    UNANNOUNCED_CHECK = "unannounced_check", _("unannounced check")
    UNIT_MEETING = "unit_meeting", _("attending the unit's meeting")


def ensure_campaign_transition(current: str, target: str) -> None:
    ensure_transition(CAMPAIGN_TRANSITIONS, current, target)


def ensure_recommendation_transition(current: str, target: str) -> None:
    ensure_transition(RECOMMENDATION_TRANSITIONS, current, target)


def ensure_letter_transition(current: str, target: str) -> None:
    ensure_transition(LETTER_TRANSITIONS, current, target)


class EventType(models.TextChoices):
    CAMPAIGN_CREATED = "supervision.campaign_created", _("campaign started")
    CAMPAIGN_CLOSED = "supervision.campaign_closed", _("campaign concluded")
    CAMPAIGN_REOPENED = "supervision.campaign_reopened", _("campaign reopened")
    TARGETS_ADDED = "supervision.targets_added", _("targets added")
    GROUPS_ASSIGNED = "supervision.groups_assigned", _("groups assigned to targets")
    ROUND_ADDED = "supervision.round_added", _("round scheduled")
    INSPECTION_RECORDED = "supervision.inspection_recorded", _("inspection recorded")
    RECOMMENDATION_SENT = "supervision.recommendation_sent", _("recommendation sent")
    RECOMMENDATION_REPLIED = "supervision.recommendation_replied", _("reply received")
    RECOMMENDATION_RESOLVED = "supervision.recommendation_resolved", _("resolved")
    RECOMMENDATION_REMINDED = "supervision.recommendation_reminded", _("reminder sent")
    RECOMMENDATION_OVERDUE = "supervision.recommendation_overdue", _("flagged overdue")
    REPORT_ISSUED = "supervision.report_issued", _("special report issued")
    REPORT_INSTRUCTED = "supervision.report_instructed", _("leader's instruction recorded")
    POSTING_CREATED = "supervision.posting_created", _("supervisor group posted")
    ACTIVITY_RECORDED = "supervision.activity_recorded", _("activity recorded")
    LETTER_ISSUED = "supervision.letter_issued", _("recommendation letter issued")
    LETTER_ANSWERED = "supervision.letter_answered", _("reply received")
    LETTER_RETURNED = "supervision.letter_returned", _("reply returned for rework")
    LETTER_CLOSED = "supervision.letter_closed", _("reply accepted")
    LETTER_OVERDUE = "supervision.letter_overdue", _("flagged overdue")
    TARGET_KIND_SAVED = "supervision.target_kind_saved", _("target kind saved")
    APPRAISAL_RECORDED = "supervision.appraisal_recorded", _("yearly feedback or report recorded")
