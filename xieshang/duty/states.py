"""Duty records (履职档案) and the yearly assessment (履职考核), as tables.

A duty record is one fact of a member's year, of one kind. An assessment is
opened as a draft (scores computed from the records and the year's rules,
adjustable with a reason) and then published; a published assessment is final.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.states import TransitionTable


class DutyKind(models.TextChoices):
    """What a record counts. Scoring rules name these kinds."""

    BASE = "base", _("base points")  # not a record: every member starts with it
    PLENARY_PRESENT = "plenary_present", _("plenary session attended")
    PLENARY_EXCUSED = "plenary_excused", _("plenary session, excused leave")
    PLENARY_ABSENT = "plenary_absent", _("plenary session, unexcused absence")
    STANDING_COMMITTEE_MEETING = "standing_committee_meeting", _("standing committee meeting attended")
    PROPOSAL_FILED = "proposal_filed", _("proposal filed")
    PROPOSAL_ACCEPTED = "proposal_accepted", _("proposal accepted")
    PROPOSAL_OUTSTANDING = "proposal_outstanding", _("outstanding proposal")
    PROPOSAL_KEY = "proposal_key", _("key proposal")
    OPINION_REPORT = "opinion_report", _("opinion report filed")
    OPINION_ADOPTED = "opinion_adopted", _("opinion report adopted")
    OPINION_INSTRUCTED = "opinion_instructed", _("opinion report instructed")
    SPEECH = "speech", _("speech")
    ACTIVITY = "activity", _("activity")
    # 民主监督: inspections, resident supervisors' activities and the letters
    # their group issued; one kind, so a council weighs them with one rule.
    SUPERVISION = "supervision", _("democratic supervision")
    OFFLINE = "offline", _("other duty work")  # entered by staff with evidence


# Kinds a record may have (BASE is only a rule).
RECORD_KINDS = [k for k in DutyKind if k != DutyKind.BASE]


class SourceRole(models.TextChoices):
    """The member's part in a joint piece of work."""

    LEAD = "lead", _("lead")  # 本人: the member's own work (role_label names it per kind)
    COSIGNER = "cosigner", _("co-signer")
    PARTICIPANT = "participant", _("participant")


# The lead's part as each kind of source names it: the first proposer of a
# proposal (第一提案人), the reporter of an opinion report (报送人), the
# speaker of a speech (发言人). Never one kind's word for another's.
LEAD_ROLE_LABELS = {
    DutyKind.PROPOSAL_FILED: _("lead proposer"),
    DutyKind.PROPOSAL_ACCEPTED: _("lead proposer"),
    DutyKind.PROPOSAL_OUTSTANDING: _("lead proposer"),
    DutyKind.PROPOSAL_KEY: _("lead proposer"),
    DutyKind.OPINION_REPORT: _("reporter"),
    DutyKind.OPINION_ADOPTED: _("reporter"),
    DutyKind.OPINION_INSTRUCTED: _("reporter"),
    DutyKind.SPEECH: _("speaker"),
}


def role_label(kind: str, role: str) -> str:
    """The member's part in a record's source, in the words of its kind."""
    if role == SourceRole.LEAD and kind in LEAD_ROLE_LABELS:
        return str(LEAD_ROLE_LABELS[DutyKind(kind)])
    return str(SourceRole(role).label) if role in SourceRole.values else ""


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")  # 优秀
    GOOD = "good", _("good")  # 良好
    COMPETENT = "competent", _("competent")  # 称职
    NOT_COMPETENT = "not_competent", _("not competent")  # 不称职


# Grade bands: the lowest score of excellent, good and competent (DOMAIN.md §3);
# below the last, not competent. Councils may set their own per year (setting
# duty_grade_bands).
DEFAULT_GRADE_BANDS: tuple[int, int, int] = (90, 80, 60)
GRADES_BY_BAND = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPETENT)


def grade_for(score: int, bands: tuple[int, int, int] = DEFAULT_GRADE_BANDS) -> Grade:
    for lowest, grade in zip(bands, GRADES_BY_BAND, strict=True):
        if score >= lowest:
            return grade
    return Grade.NOT_COMPETENT


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")  # staff see and adjust the scores; members see nothing
    PUBLISHED = "published", _("published")  # final; each member sees their own result


ALLOWED_TRANSITIONS: TransitionTable = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.PUBLISHED}),
    AssessmentStatus.PUBLISHED: frozenset(),
}


class EventType(models.TextChoices):
    RECORD_ADDED = "duty.record_added", _("Duty record added")
    RECORD_REMOVED = "duty.record_removed", _("Duty record removed")
    RULES_CHANGED = "duty.rules_changed", _("Scoring rules changed")
    ASSESSMENT_OPENED = "duty.assessment_opened", _("Assessment opened")
    ASSESSMENT_REFRESHED = "duty.assessment_refreshed", _("Assessment scores recomputed")
    SCORE_ADJUSTED = "duty.score_adjusted", _("Score adjusted")
    ASSESSMENT_PUBLISHED = "duty.assessment_published", _("Assessment published")
