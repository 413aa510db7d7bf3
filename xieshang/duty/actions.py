"""Every write of the duty app: rebuilding records, manual records, rules,
and the yearly assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.attachments import attach, store_upload
from xieshang.core.audit import audit
from xieshang.core.errors import Conflict, require
from xieshang.core.events import record_event
from xieshang.core.notifications import notify
from xieshang.core.states import ensure_transition
from xieshang.core.versions import save_new_version
from xieshang.councils.models import Member
from xieshang.councils.roles import Actor, Perm
from xieshang.duty.models import (
    DESCRIPTION_MAX,
    REASON_MAX,
    DutyAssessment,
    DutyRecord,
    DutyScore,
    ScoringRule,
)
from xieshang.duty.permissions import can_add_records, can_assess, can_edit_rules
from xieshang.duty.queries import assessed_members, record_facts, reviewers, rules_for
from xieshang.duty.rebuild import RebuildResult, rebuild_duty_records
from xieshang.duty.scoring import Rule, RuleTable, score_members, validate_rules
from xieshang.duty.states import ALLOWED_TRANSITIONS, AssessmentStatus, DutyKind, EventType

EVIDENCE_KINDS = ("pdf", "jpg", "png", "docx", "xlsx")
EARLIEST_YEAR = 2000
BATCH = 2000


def _check_year(year: int) -> None:
    latest = timezone.localdate().year + 1
    if not EARLIEST_YEAR <= year <= latest:
        raise ValidationError(
            {
                "year": _("Choose a year between %(first)d and %(last)d.")
                % {"first": EARLIEST_YEAR, "last": latest}
            }
        )


@transaction.atomic
def rebuild_year(*, actor: Actor, year: int) -> RebuildResult:
    """Rebuild the actor's council's records for year now (staff)."""
    require(actor.has(Perm.MANAGE_DUTY_RECORDS))
    _check_year(year)
    result = rebuild_duty_records(actor.council, year)
    audit(
        "duty.records_rebuilt",
        user=actor.user,
        council=actor.council,
        data={"year": year, "created": result.created, "updated": result.updated, "removed": result.removed},
    )
    return result


@transaction.atomic
def add_manual_record(
    member: Member,
    *,
    actor: Actor,
    kind: str,
    points: int,
    occurred_on: dt.date,
    description: str,
    reviewer: User,
    evidence: File | None = None,
) -> DutyRecord:
    """Record offline duty work of member, with a reviewer who vouches for it
    and, when given, an evidence file.

    Raise PermissionDenied unless actor may add records in member's council,
    ValidationError for an unknown kind, a reviewer without a staff, leader or
    administrator role in the council, a blank description, or a bad file.
    """
    require(can_add_records(actor, member))
    problems: dict[str, str] = {}
    if kind not in DutyKind.values or kind == DutyKind.BASE:
        problems["kind"] = _("Choose a kind of duty work.")
    if not reviewers(actor.council).filter(pk=reviewer.pk).exists():
        problems["reviewer"] = _("The reviewer must be staff, a leader or an administrator of this council.")
    if not description.strip():
        problems["description"] = _("Describe the work.")
    if abs(points) > 1000:
        problems["points"] = _("Enter points between -1000 and 1000.")
    if problems:
        raise ValidationError(problems)
    _check_year(occurred_on.year)
    record = DutyRecord.objects.create(
        council=actor.council,
        member=member,
        year=occurred_on.year,
        kind=kind,
        points=points,
        occurred_on=occurred_on,
        description=description.strip()[:DESCRIPTION_MAX],
        is_manual=True,
        created_by=actor.user,
        reviewer=reviewer,
    )
    if evidence is not None:
        stored = store_upload(
            evidence,
            council=actor.council,
            user=actor.user,
            allowed_kinds=EVIDENCE_KINDS,
            purpose="duty_evidence",
        )
        attach(stored, record)
    record_event(
        record, EventType.RECORD_ADDED, council=actor.council, actor=actor.user, data={"points": points}
    )
    audit(
        "duty.record_added",
        user=actor.user,
        council=actor.council,
        obj=record,
        data={"member_id": member.pk, "kind": kind, "points": points, "reviewer_id": reviewer.pk},
    )
    return record


@transaction.atomic
def remove_manual_record(record: DutyRecord, *, actor: Actor, reason: str) -> None:
    """Delete a manual record entered in error (automatic ones follow their
    source and cannot be removed by hand)."""
    record = DutyRecord.objects.select_for_update(of=("self",)).select_related("member").get(pk=record.pk)
    require(can_add_records(actor, record.member))
    if not record.is_manual:
        raise Conflict(
            _("Records built from the platform follow their source and cannot be removed by hand.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is removed.")})
    audit(
        "duty.record_removed",
        user=actor.user,
        council=actor.council,
        obj=record,
        data={"member_id": record.member_id, "kind": record.kind, "points": record.points, "reason": reason},
    )
    record.delete()


@transaction.atomic
def save_rules(*, actor: Actor, year: int, rules: Sequence[Rule]) -> RuleTable:
    """Replace the council's scoring table for year, re-price that year's
    automatic records, and recompute a draft assessment of the year.

    Raise PermissionDenied unless actor administers the council,
    ValidationError for a bad table (see scoring.validate_rules), and
    Conflict when the year's assessment is already published.
    """
    require(can_edit_rules(actor))
    _check_year(year)
    validate_rules(rules)
    if DutyAssessment.objects.filter(
        council=actor.council, year=year, status=AssessmentStatus.PUBLISHED
    ).exists():
        raise Conflict(_("The assessment of this year is published; its rules can no longer change."))
    before = [
        (r.kind, r.points, r.cosigner_points, r.cap_per_year, r.shares_cap_of)
        for r in ScoringRule.objects.select_for_update().filter(council=actor.council, year=year)
    ]
    ScoringRule.objects.filter(council=actor.council, year=year).delete()
    ScoringRule.objects.bulk_create(
        ScoringRule(
            council=actor.council,
            year=year,
            kind=r.kind,
            points=r.points,
            cosigner_points=r.cosigner_points,
            cap_per_year=r.cap_per_year,
            shares_cap_of=r.shares_cap_of,
            updated_by=actor.user,
        )
        for r in rules
    )
    rebuild_duty_records(actor.council, year)
    draft = DutyAssessment.objects.filter(
        council=actor.council, year=year, status=AssessmentStatus.DRAFT
    ).first()
    if draft is not None:
        _compute_scores(draft)
    audit(
        "duty.rules_changed",
        user=actor.user,
        council=actor.council,
        data={
            "year": year,
            "before": before,
            "after": [(r.kind, r.points, r.cosigner_points, r.cap_per_year, r.shares_cap_of) for r in rules],
        },
    )
    return rules_for(actor.council, year)


def _compute_scores(assessment: DutyAssessment) -> None:
    """(Re)compute every seated member's line, keeping staff adjustments and
    the lines' ids; lines of members no longer seated go."""
    council = assessment.council
    members = list(assessed_members(council).values_list("id", flat=True))
    table = rules_for(council, assessment.year)
    scores = score_members(members, record_facts(council, assessment.year), table)
    existing = {row.member_id: row for row in DutyScore.objects.filter(assessment=assessment)}
    DutyScore.objects.filter(assessment=assessment).exclude(member_id__in=members).delete()
    to_create: list[DutyScore] = []
    to_update: list[DutyScore] = []
    for member_id in members:
        computed = scores[member_id].total
        row = existing.get(member_id)
        if row is None:
            to_create.append(
                DutyScore(
                    assessment=assessment,
                    member_id=member_id,
                    computed=computed,
                    score=computed,
                    grade=table.grade(computed),
                )
            )
        elif row.computed != computed or row.grade != table.grade(computed + row.adjustment):
            row.computed = computed
            row.score = computed + row.adjustment
            row.grade = table.grade(row.score)
            to_update.append(row)
    DutyScore.objects.bulk_create(to_create, batch_size=BATCH)
    DutyScore.objects.bulk_update(to_update, ["computed", "score", "grade"], batch_size=BATCH)
    DutyAssessment.objects.filter(pk=assessment.pk).update(computed_at=timezone.now())


@transaction.atomic
def open_assessment(*, actor: Actor, year: int) -> DutyAssessment:
    """Open the year's assessment as a draft, or recompute an open draft from
    the current records (adjustments are kept). Records are rebuilt first.

    Raise PermissionDenied unless actor may assess, Conflict when the year's
    assessment is already published.
    """
    require(can_assess(actor))
    _check_year(year)
    assessment = DutyAssessment.objects.select_for_update().filter(council=actor.council, year=year).first()
    if assessment is not None and assessment.is_published:
        raise Conflict(_("The assessment of this year is published and can no longer change."))
    created = assessment is None
    if assessment is None:
        assessment = DutyAssessment.objects.create(council=actor.council, year=year, opened_by=actor.user)
    rebuild_duty_records(actor.council, year)
    _compute_scores(assessment)
    event = EventType.ASSESSMENT_OPENED if created else EventType.ASSESSMENT_REFRESHED
    record_event(assessment, event, council=actor.council, actor=actor.user, data={"year": year})
    audit(event.value, user=actor.user, council=actor.council, obj=assessment, data={"year": year})
    assessment.refresh_from_db()
    return assessment


@transaction.atomic
def adjust_score(score: DutyScore, *, actor: Actor, adjustment: int, reason: str) -> DutyScore:
    """Set the staff adjustment of one member's score, with its reason.

    Raise PermissionDenied unless actor may assess, ValidationError without a
    reason (or with an adjustment beyond ±100), Conflict once published.
    """
    score = DutyScore.objects.select_for_update(of=("self",)).select_related("assessment").get(pk=score.pk)
    assessment = DutyAssessment.objects.select_for_update().get(pk=score.assessment_id)
    require(can_assess(actor, assessment))
    if assessment.is_published:
        raise Conflict(_("The assessment is published; scores can no longer change."))
    reason = reason.strip()
    if adjustment != 0 and not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    if abs(adjustment) > 100:
        raise ValidationError({"adjustment": _("Adjust by at most 100 points either way.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}})
    before = (score.adjustment, score.adjustment_reason)
    score.adjustment = adjustment
    score.adjustment_reason = reason if adjustment else ""
    score.score = score.computed + adjustment
    score.grade = rules_for(actor.council, assessment.year).grade(score.score)
    score.save(update_fields=["adjustment", "adjustment_reason", "score", "grade"])
    record_event(
        assessment,
        EventType.SCORE_ADJUSTED,
        council=actor.council,
        actor=actor.user,
        data={"member_id": score.member_id, "adjustment": adjustment, "reason": reason},
    )
    audit(
        "duty.score_adjusted",
        user=actor.user,
        council=actor.council,
        obj=score,
        data={"member_id": score.member_id, "before": before, "adjustment": adjustment, "reason": reason},
    )
    return score


@transaction.atomic
def publish_assessment(assessment: DutyAssessment, *, actor: Actor) -> DutyAssessment:
    """Make the draft final and tell each assessed member (who has a login)
    that their result is ready.

    Raise PermissionDenied unless actor may assess, InvalidTransition unless
    the assessment is a draft.
    """
    assessment = DutyAssessment.objects.select_for_update().get(pk=assessment.pk)
    require(can_assess(actor, assessment))
    ensure_transition(ALLOWED_TRANSITIONS, assessment.status, AssessmentStatus.PUBLISHED)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.published_by = actor.user
    save_new_version(assessment, update_fields=["status", "published_at", "published_by"])
    record_event(assessment, EventType.ASSESSMENT_PUBLISHED, council=actor.council, actor=actor.user)
    audit("duty.assessment_published", user=actor.user, council=actor.council, obj=assessment)
    transaction.on_commit(partial(_notify_published, assessment.pk))
    return assessment


def _notify_published(assessment_id: int) -> None:
    assessment = DutyAssessment.objects.select_related("council").get(pk=assessment_id)
    users = User.objects.filter(
        pk__in=DutyScore.objects.filter(assessment=assessment, member__user__isnull=False).values(
            "member__user_id"
        )
    )
    notify(
        recipients=users,
        council=assessment.council,
        title=_("Your duty assessment for %(year)d is published") % {"year": assessment.year},
        url=reverse("duty:mine", kwargs={"council_slug": assessment.council.slug})
        + f"?year={assessment.year}",
        kind="duty",
        dedupe_key=f"duty.assessment_published:{assessment.pk}",
    )
