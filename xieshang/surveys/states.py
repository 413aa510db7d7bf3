"""Surveys (问卷), as tables.

A survey is built as a draft, opened (it takes answers between its opening
and closing times) and closed, by staff or by the sweep once its closing
time has passed. Closed is final: its figures stay as they were.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable, ensure_transition


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # being built; nobody can answer
    OPEN = "open", _("open")  # takes answers between opens_at and closes_at
    CLOSED = "closed", _("closed")  # takes no more answers


SURVEY_TRANSITIONS: TransitionTable = {
    SurveyStatus.DRAFT: frozenset({SurveyStatus.OPEN}),
    SurveyStatus.OPEN: frozenset({SurveyStatus.CLOSED}),
    SurveyStatus.CLOSED: frozenset(),
}

SURVEY_STATUS_CSS = {
    SurveyStatus.DRAFT: "status-draft",
    SurveyStatus.OPEN: "status-progress",
    SurveyStatus.CLOSED: "status-done",
}


def ensure_survey_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless the survey table allows current → target."""
    ensure_transition(SURVEY_TRANSITIONS, current, target)


class Audience(models.TextChoices):
    """Who a survey asks."""

    MEMBERS = "members", _("members")  # all, or of one sector, group or committee
    UNITS = "units", _("handling units")  # each unit answers once, through its liaison
    PUBLIC = "public", _("the public")  # through a link and a QR code, verified by SMS


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale")
    MATRIX = "matrix", _("matrix of scales")
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    NUMBER = "number", _("number")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
SCALE_SIZES = (5, 10)


class EventType(models.TextChoices):
    """Event types written to a survey's history, with timeline labels."""

    CREATED = "survey.created", _("Survey created")
    COPIED = "survey.copied", _("Survey copied from an earlier one")
    CHANGED = "survey.changed", _("Survey details changed")
    QUESTIONS_CHANGED = "survey.questions_changed", _("Questions changed")
    OPENED = "survey.opened", _("Survey opened")
    CLOSED = "survey.closed", _("Survey closed")
    REMINDED = "survey.reminded", _("Reminders sent to those who have not answered")
