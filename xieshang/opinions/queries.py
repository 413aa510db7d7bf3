"""Reads of opinion reports, always within the actor's council.

access_* raise the same Http404 for missing and forbidden objects. A report
of a lower council is never read by id here: the parent council reads it only
through the Forwarding row in its own tenant scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xieshang.core.attachments import attachments_of
from xieshang.core.models import Attachment
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions import permissions as can
from xieshang.opinions.models import BulletinIssue, Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.states import ADOPTED_STATUSES, ForwardTarget, ReceiptStatus, ReportStatus
from xieshang.themes.queries import TaggedItem

REPORT_JOINS = ("member", "affiliation", "sector", "special_committee", "filed_by")


def reports_of_council(actor: Actor) -> QuerySet[OpinionReport]:
    return OpinionReport.objects.filter(council=actor.council).select_related(*REPORT_JOINS)


def access_report(actor: Actor, report_id: int) -> OpinionReport:
    """The report, if the actor may see it; Http404 otherwise."""
    report = reports_of_council(actor).filter(pk=report_id).first()
    if report is None or not can.can_view(actor, report):
        raise Http404
    return report


def access_report_to_tag(actor: Actor, report_id: int) -> TaggedItem:
    """A filed report of the actor's council that the actor may tag with
    themes, counting in the report's year; Http404 for a missing, draft or
    foreign report, or an actor who may not tag it (the same answer for all)."""
    report = reports_of_council(actor).filter(pk=report_id).first()
    if report is None or not can.can_tag_themes(actor, report):
        raise Http404
    return TaggedItem(
        kind="opinion",
        label=_("opinion report"),
        obj=report,
        year=report.year,
        title=report.title,
        url=reverse("opinions:detail", kwargs={"council_slug": actor.council.slug, "pk": report.pk}),
    )


def my_reports(actor: Actor) -> QuerySet[OpinionReport]:
    """Reports the actor filed or that are filed for their member record."""
    mine = Q(filed_by=actor.user)
    if actor.member is not None:
        mine |= Q(member=actor.member)
    return reports_of_council(actor).filter(mine).order_by("-created_at", "-id")


@dataclass(frozen=True)
class QueueFilters:
    status: str = ReportStatus.SUBMITTED
    year: int | None = None
    text: str = ""


def staff_reports(actor: Actor, filters: QueueFilters) -> QuerySet[OpinionReport]:
    """Filed reports of the council in one status, oldest first."""
    if not actor.has(Perm.VIEW_ALL_OPINIONS):
        return OpinionReport.objects.none()
    rows = reports_of_council(actor).exclude(status=ReportStatus.DRAFT).filter(status=filters.status)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.text.strip():
        rows = rows.filter(title__icontains=filters.text.strip())
    return rows.order_by("submitted_at", "id")


def status_counts(actor: Actor, year: int | None = None) -> dict[str, int]:
    if not actor.has(Perm.VIEW_ALL_OPINIONS):
        return {}
    rows = OpinionReport.objects.filter(council=actor.council).exclude(status=ReportStatus.DRAFT)
    if year:
        rows = rows.filter(year=year)
    return dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


FORWARDING_JOINS = (
    "report__council",
    "report__member",
    "report__affiliation",
    "report__sector",
    "report__special_committee",
    "from_council",
    "oversight_office",
)


def received_reports(actor: Actor, status: str | None = None) -> QuerySet[Forwarding]:
    """Reports forwarded up to this council by its lower councils."""
    if not actor.has(Perm.MANAGE_OPINIONS) and not actor.has(Perm.VIEW_ALL_OPINIONS):
        return Forwarding.objects.none()
    rows = Forwarding.objects.filter(council=actor.council, target=ForwardTarget.PARENT).select_related(
        *FORWARDING_JOINS
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("forwarded_at", "id")


def access_received(actor: Actor, forwarding_id: int) -> Forwarding:
    """A report forwarded up to the actor's council, for its staff and leaders."""
    row = received_reports(actor).filter(pk=forwarding_id).first()
    if row is None:
        raise Http404
    return row


def office_inbox(actor: Actor) -> QuerySet[Forwarding]:
    """Reports sent to the actor's oversight offices, newest first."""
    if not actor.has(Perm.RECEIVE_OPINIONS) or not actor.oversight_office_ids:
        return Forwarding.objects.none()
    return (
        Forwarding.objects.filter(
            council=actor.council,
            target=ForwardTarget.OVERSIGHT,
            oversight_office_id__in=actor.oversight_office_ids,
        )
        .select_related(*FORWARDING_JOINS)
        .annotate(instruction_count=Count("instructions"))
        .order_by("-forwarded_at", "-id")
    )


def access_office_forwarding(actor: Actor, forwarding_id: int) -> Forwarding:
    row = office_inbox(actor).filter(pk=forwarding_id).first()
    if row is None:
        raise Http404
    return row


def report_files(report: OpinionReport) -> list[Attachment]:
    """The report's attachments (the member's Word file, pictures …), which
    travel with it wherever it is forwarded. Call after an access_* function."""
    return list(attachments_of(report))


def access_report_file(report: OpinionReport, attachment_id: int) -> Attachment:
    """One attachment of report, after an access_* function gave the report
    (or the forwarding that carried it) to the actor; 404 for any other id."""
    row = attachments_of(report).filter(pk=attachment_id).first()
    if row is None:
        raise Http404
    return row


def forwardings_by(report: OpinionReport, council_id: int) -> QuerySet[Forwarding]:
    """What council_id forwarded of this report (to its offices and upward)."""
    return Forwarding.objects.filter(report=report, from_council_id=council_id).select_related(
        "oversight_office", "council"
    )


def every_forwarding(report: OpinionReport) -> QuerySet[Forwarding]:
    """Every forwarding of the report at any level: for its reporter and the
    staff of its own council, who follow it upward."""
    return Forwarding.objects.filter(report=report).select_related(
        "oversight_office", "council", "from_council"
    )


def instructions_of(report: OpinionReport) -> QuerySet[ReportInstruction]:
    """Every instruction on the report, at any level."""
    return ReportInstruction.objects.filter(report=report).select_related(
        "forwarding__oversight_office", "council"
    )


def issues_of(actor: Actor) -> QuerySet[BulletinIssue]:
    return BulletinIssue.objects.filter(council=actor.council).annotate(entry_count=Count("entries"))


def access_issue(actor: Actor, issue_id: int) -> BulletinIssue:
    if not actor.has(Perm.VIEW_ALL_OPINIONS):
        raise Http404
    issue = BulletinIssue.objects.filter(council=actor.council, pk=issue_id).first()
    if issue is None:
        raise Http404
    return issue


def reports_for_bulletin(actor: Actor) -> list[OpinionReport]:
    """Adopted reports the council may print: its own adopted (not yet
    published) reports and reports from below that it adopted."""
    own = list(reports_of_council(actor).filter(status=ReportStatus.ADOPTED).order_by("decided_at", "id"))
    received = [
        row.report
        for row in received_reports(actor, ReceiptStatus.ADOPTED).exclude(
            report__bulletin_entries__issue__council=actor.council
        )
    ]
    return own + received


def is_adopted_here(actor: Actor, report: OpinionReport) -> bool:
    """The report was adopted by the actor's council, itself or from below."""
    if report.council_id == actor.council.pk:
        # Read the status from the database: the caller's copy may be stale.
        return OpinionReport.objects.filter(pk=report.pk, status__in=list(ADOPTED_STATUSES)).exists()
    return Forwarding.objects.filter(
        council=actor.council, report=report, target=ForwardTarget.PARENT, status=ReceiptStatus.ADOPTED
    ).exists()


def my_drafts(actor: Actor) -> QuerySet[OpinionReport]:
    """The actor's unfinished drafts, oldest first."""
    if not actor.has(Perm.FILE_OPINIONS):
        return OpinionReport.objects.none()
    return OpinionReport.objects.filter(
        council=actor.council, filed_by=actor.user, status=ReportStatus.DRAFT
    ).order_by("created_at", "id")


def office_without_instructions(actor: Actor) -> QuerySet[Forwarding]:
    """Reports sent to the actor's offices that have no instruction yet."""
    return office_inbox(actor).filter(instructions__isnull=True)
