"""Liaison (三联系): leaders' yearly visit plans, visits to members, the
constituents each member keeps contact with, and the concerns raised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core import crypto
from xieshang.core.fields import EncryptedTextField
from xieshang.core.models import TenantModel
from xieshang.councils.models import HandlingUnit, Member, OversightOffice
from xieshang.liaison.states import ConcernStatus, ConstituentKind


class VisitPlan(TenantModel):
    """One leader's plan for a year: which member to visit in which month."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "leader_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "leader", "year"], name="liaison_one_plan_per_leader_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.year}"


class PlannedVisit(TenantModel):
    """A row of a plan: in month, visit member."""

    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="rows")
    month = models.PositiveSmallIntegerField(_("month"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))

    class Meta:
        ordering = ["month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month", "member"], name="liaison_planned_once_a_month"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="liaison_month_1_12"
            ),
        ]


class Constituent(TenantModel):
    """A person or organisation a member keeps contact with (联系群众),
    kept in the member's own list. The phone is personal data: encrypted at
    rest and masked on screen for everyone but the member."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="constituents")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ConstituentKind.choices)
    sector_area = models.CharField(_("sector or area"), max_length=100, blank=True)
    phone = EncryptedTextField(_("contact phone"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in contact"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["council", "member"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return crypto.mask_mobile(self.phone) if self.phone else ""


class LiaisonVisit(TenantModel):
    """A leader's visit (走访) to a member: who went, whom they met, what
    was said."""

    visited_on = models.DateField(_("date of visit"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("leaders"))
    constituents = models.ManyToManyField(Constituent, related_name="visits", blank=True)
    discussion = models.TextField(_("what was discussed"), max_length=3000)
    planned = models.ForeignKey(
        PlannedVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["council", "year", "visited_on"], name="liaison_visit_year_idx")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.member}"


class Concern(TenantModel):
    """A concern raised on a visit, followed until resolved or closed by the
    responsible handling unit or oversight office (exactly one of them)."""

    visit = models.ForeignKey(LiaisonVisit, on_delete=models.PROTECT, related_name="concerns")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("concern"), max_length=100)
    description = models.TextField(_("details"), max_length=1500, blank=True)
    handling_unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    oversight_office = models.ForeignKey(
        OversightOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=16, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    resolution = models.TextField(_("resolution"), max_length=1500, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    opinion_report = models.ForeignKey(
        "opinions.OpinionReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_concerns",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_concerns",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["council", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handling_unit__isnull=True, oversight_office__isnull=False)
                | models.Q(handling_unit__isnull=False, oversight_office__isnull=True),
                name="liaison_concern_one_responsible",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible_name(self) -> str:
        body = self.handling_unit or self.oversight_office
        return body.name if body is not None else ""

    @property
    def is_unresolved(self) -> bool:
        return self.status in (ConcernStatus.OPEN, ConcernStatus.IN_PROGRESS)


class ConcernNote(TenantModel):
    """A progress note on a concern, by the unit, the office or the staff."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("progress"), max_length=1000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
