"""Duty records, scoring rules and yearly assessments of a council's members."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import TenantModel
from xieshang.councils.models import Member
from xieshang.duty.states import AssessmentStatus, DutyKind, Grade, SourceRole, role_label

DESCRIPTION_MAX = 300
REASON_MAX = 300


class DutyRecord(TenantModel):
    """One duty fact of one member in one year, citing its source.

    Automatic records (is_manual False) are derived from other apps' tables by
    rebuild_duty_records and replaced by it; the unique constraint makes a fact
    count once however often the rebuild runs. Manual records are entered by
    staff for offline work, with evidence and a reviewer, and have no source.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="duty_records")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=32, choices=DutyKind.choices)
    points = models.IntegerField(_("points"), default=0)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.BigIntegerField(null=True, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=SourceRole.choices, default=SourceRole.LEAD)
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX)
    is_manual = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["council", "year", "member"]),
            models.Index(fields=["council", "year", "is_manual"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "source_type", "source_id"], name="duty_record_counts_once"
            ),
            models.CheckConstraint(
                condition=Q(is_manual=True) | (Q(source_type__isnull=False) & Q(source_id__isnull=False)),
                name="duty_record_automatic_cites_source",
            ),
            models.CheckConstraint(
                condition=Q(is_manual=False) | (Q(created_by__isnull=False) & Q(reviewer__isnull=False)),
                name="duty_record_manual_has_author_and_reviewer",
            ),
            models.CheckConstraint(condition=~Q(kind=DutyKind.BASE), name="duty_record_not_base"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.kind}"

    @property
    def role_label(self) -> str:
        return role_label(self.kind, self.role)


class ScoringRule(TenantModel):
    """One line of a council's scoring table for one year.

    points go to the lead (or sole) author; cosigner_points, when set, to each
    co-signer of joint work. cap_per_year limits the year's sum of this line
    and of the lines that share its cap (shares_cap_of names this line).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("item"), max_length=32, choices=DutyKind.choices)
    points = models.IntegerField(_("points"))
    cosigner_points = models.IntegerField(_("co-signer points"), null=True, blank=True)
    cap_per_year = models.PositiveIntegerField(_("cap per year"), null=True, blank=True)
    shares_cap_of = models.CharField(
        _("counts toward the cap of"), max_length=32, choices=DutyKind.choices, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "kind"], name="scoring_rule_once_per_year"),
            models.CheckConstraint(
                condition=~Q(shares_cap_of=models.F("kind")), name="scoring_rule_cap_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.points}"


class DutyAssessment(TenantModel):
    """The council's yearly assessment of its members (履职考核)."""

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="duty_assessment_once_per_year"),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="duty_assessment_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED


class DutyScore(models.Model):
    """One member's line in an assessment: the computed score, the staff's
    adjustment with its reason, and the resulting score and grade."""

    assessment = models.ForeignKey(DutyAssessment, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="duty_scores")
    computed = models.IntegerField(_("computed score"))
    adjustment = models.IntegerField(_("adjustment"), default=0)
    adjustment_reason = models.CharField(_("reason for the adjustment"), max_length=REASON_MAX, blank=True)
    score = models.IntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)

    class Meta:
        ordering = ["-score", "member__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member"], name="duty_score_once_per_member"),
            models.CheckConstraint(
                condition=Q(adjustment=0) | ~Q(adjustment_reason=""), name="duty_score_adjustment_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(score=models.F("computed") + models.F("adjustment")), name="duty_score_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.score}"


class DutyFreshness(TenantModel):
    """How up to date one member's automatic records are.

    refreshed_at is when the last rebuild that covered the member began (a
    rebuild reads the sources after it begins, so whatever happened before
    it is in the records). refresh_requested_at is set while a refresh of
    the member is queued and not yet begun: a later event finds it set and
    enqueues nothing more, since that refresh will read its work too.
    """

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="duty_freshness")
    refreshed_at = models.DateTimeField(null=True, blank=True)
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member_id} {self.refreshed_at}"
