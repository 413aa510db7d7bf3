"""Democratic supervision (民主监督): special campaigns with their targets,
group assignments, rounds, inspections, problems, recommendations and
special reports; resident supervision with postings of supervisor groups to
handling units, their activities and recommendation letters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import TenantModel
from xieshang.councils.models import HandlingUnit, Instruction, Member, MemberGroup
from xieshang.supervision.states import (
    ActivityKind,
    CampaignStatus,
    LetterStatus,
    ProblemStatus,
    RecommendationStatus,
)

USER = settings.AUTH_USER_MODEL


class TargetKind(TenantModel):
    """A kind of target the council supervises (river, street, market …)."""

    name = models.CharField(_("name"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="supervision_kind_unique")]

    def __str__(self) -> str:
        return self.name


class SupervisionCampaign(TenantModel):
    """A themed special campaign (专项民主监督) for a year or a period."""

    title = models.CharField(_("title"), max_length=100)
    theme = models.TextField(_("theme and aims"), max_length=2000, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SupervisionTarget(TenantModel):
    """A river, street, market … supervised in a campaign, with the body
    responsible for it and, optionally, where it is."""

    campaign = models.ForeignKey(SupervisionCampaign, on_delete=models.CASCADE, related_name="targets")
    kind = models.ForeignKey(TargetKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    district = models.CharField(_("district"), max_length=50)
    handling_unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible body")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="supervision_target_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TargetAssignment(TenantModel):
    """A member group (委员联系小组) assigned to a target of a campaign."""

    campaign = models.ForeignKey(SupervisionCampaign, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(MemberGroup, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(SupervisionTarget, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        ordering = ["target_id", "group_id"]
        constraints = [models.UniqueConstraint(fields=["group", "target"], name="supervision_assigned_once")]


class InspectionRound(TenantModel):
    """One round of the campaign's schedule (第一轮 …)."""

    campaign = models.ForeignKey(SupervisionCampaign, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="supervision_round_unique")
        ]

    def __str__(self) -> str:
        return str(self.number)


class Inspection(TenantModel):
    """An inspection of a target (明察 announced / 暗访 unannounced), with
    the participants, the findings, photos (attachments) and problems."""

    campaign = models.ForeignKey(SupervisionCampaign, on_delete=models.PROTECT, related_name="inspections")
    target = models.ForeignKey(SupervisionTarget, on_delete=models.PROTECT, related_name="inspections")
    round = models.ForeignKey(
        InspectionRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections"
    )
    group = models.ForeignKey(MemberGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("date of the inspection"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    is_unannounced = models.BooleanField(_("unannounced"), default=False)
    participants = models.ManyToManyField(Member, related_name="+", verbose_name=_("participants"))
    findings = models.TextField(_("findings"), max_length=3000)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["campaign", "target"], name="supervision_insp_target_idx"),
            models.Index(fields=["council", "year"], name="supervision_insp_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.target_id}"


class Recommendation(TenantModel):
    """Staff's recommendation to a responsible body, made from problems
    found, answered by a due date counted in working days and followed until
    resolved."""

    campaign = models.ForeignKey(
        SupervisionCampaign, on_delete=models.PROTECT, related_name="recommendations"
    )
    handling_unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("recommendation"), max_length=5000)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("reply due on"))
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.SENT
    )
    first_replied_on = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["council", "status", "due_on"], name="supervision_rec_due_idx")]

    def __str__(self) -> str:
        return self.title


class Problem(TenantModel):
    """A problem found on an inspection, with the body responsible for it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="problems")
    target = models.ForeignKey(SupervisionTarget, on_delete=models.PROTECT, related_name="problems")
    description = models.CharField(_("problem"), max_length=500)
    handling_unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible body")
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    status = models.CharField(max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target", "status"], name="supervision_problem_idx")]

    def __str__(self) -> str:
        return self.description


class RecommendationReply(TenantModel):
    """The unit's reply to a recommendation, or a later progress report."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"), max_length=5000)
    replied_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replied_at", "id"]


class SpecialReport(TenantModel):
    """A special report (民主监督专报) compiling one period of a campaign for
    the party committee and the government, numbered per year."""

    campaign = models.ForeignKey(SupervisionCampaign, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("issue"))
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "number"], name="supervision_report_number")
        ]

    def __str__(self) -> str:
        return self.title


class SpecialReportInstruction(Instruction):
    """A leader's instruction (批示) on a special report (ADR 0004)."""

    report = models.ForeignKey(SpecialReport, on_delete=models.PROTECT, related_name="instructions")


class ResidentSupervision(TenantModel):
    """A supervisor group (MemberGroup of kind supervisors) posted to a
    handling unit for a term, with its leader (派驻民主监督)."""

    group = models.ForeignKey(MemberGroup, on_delete=models.PROTECT, related_name="postings")
    handling_unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader"))
    starts_on = models.DateField(_("posted from"))
    ends_on = models.DateField(_("posted until"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["handling_unit_id", "-starts_on"]

    def __str__(self) -> str:
        return f"{self.group_id} → {self.handling_unit_id}"


class SupervisionActivity(TenantModel):
    """What a posted group did: a visit, a symposium, an unannounced check,
    attending the unit's meeting; with the participants and the outcome."""

    posting = models.ForeignKey(ResidentSupervision, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    participants = models.ManyToManyField(Member, related_name="+", verbose_name=_("participants"))
    outcome = models.TextField(_("outcome"), max_length=3000)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]


class RecommendationLetter(TenantModel):
    """A recommendation letter (民主监督建议书) issued in the council's name
    to the unit a group is posted to, numbered per year, answered by a due
    date; a reply may be returned once for rework."""

    posting = models.ForeignKey(ResidentSupervision, on_delete=models.PROTECT, related_name="letters")
    handling_unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("recommendations"), max_length=5000)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("reply due on"))
    status = models.CharField(max_length=16, choices=LetterStatus.choices, default=LetterStatus.ISSUED)
    first_answered_on = models.DateField(null=True, blank=True)
    was_returned = models.BooleanField(default=False)
    return_reason = models.CharField(_("why the reply was returned"), max_length=500, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "number"], name="supervision_letter_number")
        ]
        indexes = [models.Index(fields=["council", "status", "due_on"], name="supervision_letter_due_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.first_answered_on is not None


class LetterReply(TenantModel):
    """The unit's reply to a letter (a second one after a rework request)."""

    letter = models.ForeignKey(RecommendationLetter, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"), max_length=5000)
    replied_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replied_at", "id"]


class AppraisalKind(models.TextChoices):
    UNIT_FEEDBACK = "unit_feedback", _("the unit's feedback on its supervisors")
    GROUP_REPORT = "group_report", _("the supervisors' yearly report")


class SupervisionAppraisal(TenantModel):
    """Once a year per posting: the unit's feedback on the supervisors posted
    to it, and the supervisors' own report; both count in the group members'
    duty records."""

    posting = models.ForeignKey(ResidentSupervision, on_delete=models.PROTECT, related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=AppraisalKind.choices)
    text = models.TextField(_("text"), max_length=5000)
    recorded_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "year", "kind"], name="supervision_appraisal_once")
        ]
