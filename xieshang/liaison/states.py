"""The liaison workflow (三联系), as tables.

A concern raised on a visit: open → in progress → resolved, or closed with a
reason (no longer the responsible unit's to solve, withdrawn, merged). A
resolved or closed concern is final; a new concern is raised instead.
Visits and plans have no status: a visit is a record of what happened.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable, ensure_transition


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("open")  # raised, waiting for the responsible unit
    IN_PROGRESS = "in_progress", _("in progress")  # the unit is working on it
    RESOLVED = "resolved", _("resolved")  # solved, with the resolution written down
    CLOSED = "closed", _("closed")  # ended without a solution, with the reason


CONCERN_TRANSITIONS: TransitionTable = {
    ConcernStatus.OPEN: frozenset({ConcernStatus.IN_PROGRESS, ConcernStatus.RESOLVED, ConcernStatus.CLOSED}),
    ConcernStatus.IN_PROGRESS: frozenset({ConcernStatus.RESOLVED, ConcernStatus.CLOSED}),
    ConcernStatus.RESOLVED: frozenset(),
    ConcernStatus.CLOSED: frozenset(),
}

UNRESOLVED = (ConcernStatus.OPEN, ConcernStatus.IN_PROGRESS)

CONCERN_STATUS_CSS: dict[str, str] = {
    ConcernStatus.OPEN: "text-bg-primary",
    ConcernStatus.IN_PROGRESS: "text-bg-warning",
    ConcernStatus.RESOLVED: "text-bg-success",
    ConcernStatus.CLOSED: "text-bg-secondary",
}


def ensure_concern_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the table allows current → target."""
    ensure_transition(CONCERN_TRANSITIONS, current, target)


class ConstituentKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class EventType(models.TextChoices):
    PLAN_SET = "liaison.plan_set", _("visit plan set")
    VISIT_RECORDED = "liaison.visit_recorded", _("visit recorded")
    CONCERN_RAISED = "liaison.concern_raised", _("concern raised")
    CONCERN_STARTED = "liaison.concern_started", _("work started")
    PROGRESS_NOTED = "liaison.progress_noted", _("progress noted")
    CONCERN_RESOLVED = "liaison.concern_resolved", _("resolved")
    CONCERN_CLOSED = "liaison.concern_closed", _("closed")
    CONCERN_REMINDED = "liaison.concern_reminded", _("reminder sent")
    CONCERN_OVERDUE = "liaison.concern_overdue", _("flagged overdue")
    CONVERTED_TO_REPORT = "liaison.converted_to_report", _("turned into an opinion report")
    CONVERTED_TO_PROPOSAL = "liaison.converted_to_proposal", _("turned into a proposal draft")
    CONSTITUENT_SAVED = "liaison.constituent_saved", _("constituent saved")
