"""Opinion reports (社情民意信息), their edited versions, bulletin issues,
forwardings and leaders' instructions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import TenantModel
from xieshang.councils.models import (
    Affiliation,
    Instruction,
    Member,
    OversightOffice,
    Sector,
    SpecialCommittee,
)
from xieshang.opinions.states import (
    AuthorKind,
    ForwardTarget,
    IssueStatus,
    Level,
    OriginKind,
    ReceiptStatus,
    ReportStatus,
)

SECTIONS = ("problem", "analysis", "suggestion")


class OpinionReport(TenantModel):
    """One report, filed by a member or in the name of a body of the council.

    The text fields hold the current (possibly staff-edited) text; every
    version, the reporter's original first, is an OpinionReportVersion.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    problem = models.TextField(_("problem"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    suggestion = models.TextField(_("suggestion"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default="draft")
    author_kind = models.CharField(_("filed in the name of"), max_length=24, choices=AuthorKind.choices)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    affiliation = models.ForeignKey(
        Affiliation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    special_committee = models.ForeignKey(
        SpecialCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The highest level that adopted the report or received it from a
    # province ("" until adopted); duty points read it.
    highest_level = models.CharField(
        _("highest level reached"), max_length=16, choices=Level.choices, blank=True
    )
    # What the report was made from (a proposal, a liaison concern), if anything.
    origin_kind = models.CharField(max_length=16, choices=OriginKind.choices, blank=True, default="")
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_id = models.BigIntegerField(null=True, blank=True)
    origin_label = models.CharField(max_length=200, blank=True)
    origin_url = models.CharField(max_length=300, blank=True)
    # Whether the report scores in duty records. A proposal converted into a
    # report scores here, once, as the report: the duty rules skip converted
    # proposals (duty/sources.py), and origin_kind tells the two apart.
    counts_for_duty = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("opinion report")
        indexes = [models.Index(fields=["council", "year", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(author_kind="member", member__isnull=False)
                    | models.Q(author_kind="affiliation", affiliation__isnull=False)
                    | models.Q(author_kind="sector", sector__isnull=False)
                    | models.Q(author_kind="special_committee", special_committee__isnull=False)
                ),
                name="opinion_report_names_its_author",
            ),
            models.CheckConstraint(
                condition=models.Q(origin_kind="") | models.Q(origin_id__isnull=False),
                name="opinion_report_origin_has_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def author_name(self) -> str:
        body = {
            AuthorKind.MEMBER: self.member,
            AuthorKind.AFFILIATION: self.affiliation,
            AuthorKind.SECTOR: self.sector,
            AuthorKind.SPECIAL_COMMITTEE: self.special_committee,
        }.get(self.author_kind)  # type: ignore[call-overload]
        return str(body) if body is not None else ""

    @property
    def length(self) -> int:
        return sum(len(getattr(self, name)) for name in SECTIONS)


class OpinionReportVersion(TenantModel):
    """One version of a report's text: number 1 is what the reporter submitted,
    later numbers are staff edits. Never changed after it is written."""

    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=100)
    problem = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    suggestion = models.TextField(blank=True)
    note = models.CharField(_("editor's note"), max_length=300, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="opinion_version_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class Forwarding(TenantModel):
    """An adopted report sent on. council is the tenant whose people receive
    it: the forwarding council itself for its oversight offices, the parent
    council for an upward forwarding (whose staff then adopt or decline it
    there, as status). report is always the original report, which may live in
    a lower council: read it only through this row."""

    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="forwardings")
    from_council = models.ForeignKey(
        "councils.Council", on_delete=models.PROTECT, related_name="+", verbose_name=_("from council")
    )
    target = models.CharField(_("sent to"), max_length=16, choices=ForwardTarget.choices)
    oversight_office = models.ForeignKey(
        OversightOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The upward forwarding through which the forwarding council received the
    # report, when it forwards a report from below again.
    via = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="onward")
    note = models.CharField(_("note"), max_length=300, blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField()
    # Upward forwardings only: the receiving council's decision.
    status = models.CharField(
        _("status"), max_length=16, choices=ReceiptStatus.choices, default=ReceiptStatus.RECEIVED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-forwarded_at", "-id"]
        indexes = [models.Index(fields=["council", "target", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(target="oversight") | models.Q(oversight_office__isnull=False),
                name="oversight_forwarding_names_office",
            ),
            models.UniqueConstraint(
                fields=["report", "from_council", "oversight_office"],
                condition=models.Q(target="oversight"),
                name="forward_once_per_office",
            ),
            models.UniqueConstraint(
                fields=["report", "from_council", "target"],
                condition=~models.Q(target="oversight"),
                name="forward_upward_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.target}"


class ReportInstruction(Instruction):
    """A leader's written instruction (批示) on a forwarded report, recorded by
    a user of the oversight office that received it (the forwarding's
    office). The instruction itself is a councils.Instruction row."""

    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="instructions")
    forwarding = models.ForeignKey(Forwarding, on_delete=models.PROTECT, related_name="instructions")


class BulletinIssue(TenantModel):
    """One numbered issue of the council's bulletin (期刊), e.g. 2026年第12期."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "number"], name="bulletin_issue_number_unique")
        ]

    def __str__(self) -> str:
        return str(_("%(year)s, issue %(number)s") % {"year": self.year, "number": self.number})


class BulletinEntry(TenantModel):
    """A report printed in an issue, in order, with the editor's note."""

    issue = models.ForeignKey(BulletinIssue, on_delete=models.CASCADE, related_name="entries")
    report = models.ForeignKey(OpinionReport, on_delete=models.PROTECT, related_name="bulletin_entries")
    position = models.PositiveSmallIntegerField(default=1)
    editor_note = models.CharField(_("editor's note"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "report"], name="bulletin_report_once_per_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} #{self.position}"
