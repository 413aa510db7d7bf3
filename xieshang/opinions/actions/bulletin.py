"""The council's bulletin (期刊): numbered issues composed from adopted
reports, then published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import InvalidTransition, require
from xieshang.core.events import audit_only
from xieshang.core.versions import save_new_version
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.actions.common import lock_report, report_history, tell_reporter
from xieshang.opinions.models import BulletinEntry, BulletinIssue, OpinionReport
from xieshang.opinions.queries import is_adopted_here
from xieshang.opinions.states import (
    EventType,
    IssueStatus,
    ReportStatus,
    ensure_issue_transition,
    ensure_report_transition,
)


@dataclass(frozen=True)
class EntrySpec:
    report: OpinionReport
    editor_note: str = ""


@transaction.atomic
def create_issue(*, actor: Actor, year: int, title: str = "") -> BulletinIssue:
    """Open the next issue of the year (numbered per council and year).

    Raise PermissionDenied unless actor is staff of the council."""
    require(actor.has(Perm.MANAGE_OPINIONS))
    # Lock the council row so that two staff never take the same number
    # (PostgreSQL refuses FOR UPDATE together with an aggregate).
    Council.objects.select_for_update().filter(pk=actor.council.pk).first()
    last = BulletinIssue.objects.filter(council=actor.council, year=year).aggregate(n=Max("number"))["n"]
    issue = BulletinIssue.objects.create(
        council=actor.council,
        year=year,
        number=(last or 0) + 1,
        title=title.strip()[:100],
        created_by=actor.user,
    )
    audit_only("opinion.issue_created", actor, issue, year=year, number=issue.number)
    return issue


def _lock_issue(issue: BulletinIssue, actor: Actor) -> BulletinIssue:
    return BulletinIssue.objects.select_for_update().get(pk=issue.pk, council=actor.council)


@transaction.atomic
def compose_issue(
    issue: BulletinIssue, *, actor: Actor, entries: Sequence[EntrySpec], title: str | None = None
) -> BulletinIssue:
    """Set the issue's reports in the given order, with editor's notes.

    Raise PermissionDenied unless actor is staff of the council, Conflict when
    the issue was published, ValidationError for a report the council has not
    adopted, a report twice, or a report already printed in another issue.
    """
    require(actor.has(Perm.MANAGE_OPINIONS))
    issue = _lock_issue(issue, actor)
    if issue.status != IssueStatus.DRAFT:
        raise InvalidTransition(_("A published issue cannot be changed."))
    ids = [spec.report.pk for spec in entries]
    if len(set(ids)) != len(ids):
        raise ValidationError({"entries": _("Each report can appear only once in an issue.")})
    for spec in entries:
        if not is_adopted_here(actor, spec.report):
            raise ValidationError(
                {"entries": _("“%(title)s” is not adopted by this council.") % {"title": spec.report.title}}
            )
    elsewhere = BulletinEntry.objects.filter(council=actor.council, report_id__in=ids).exclude(issue=issue)
    if elsewhere.exists():
        raise ValidationError({"entries": _("A report can be printed in one issue only.")})
    issue.entries.all().delete()
    for position, spec in enumerate(entries, start=1):
        BulletinEntry.objects.create(
            council=actor.council,
            issue=issue,
            report=spec.report,
            position=position,
            editor_note=spec.editor_note.strip()[:300],
        )
    if title is not None:
        issue.title = title.strip()[:100]
        issue.save(update_fields=["title"])
    audit_only("opinion.issue_composed", actor, issue, reports=ids)
    return issue


@transaction.atomic
def publish_issue(issue: BulletinIssue, *, actor: Actor) -> BulletinIssue:
    """Publish the issue: its council's own reports become published, and
    every reporter hears of it.

    Raise PermissionDenied unless actor is staff of the council,
    InvalidTransition when it is already published, ValidationError when it is empty.
    """
    require(actor.has(Perm.MANAGE_OPINIONS))
    issue = _lock_issue(issue, actor)
    ensure_issue_transition(issue.status, IssueStatus.PUBLISHED)
    entries = list(issue.entries.select_related("report"))
    if not entries:
        raise ValidationError({"entries": _("Add at least one adopted report before publishing.")})
    issue.status = IssueStatus.PUBLISHED
    issue.published_at = timezone.now()
    issue.save()
    label = _("%(year)s, issue %(number)s") % {"year": issue.year, "number": issue.number}
    for entry in entries:
        report = lock_report(entry.report)
        if report.council_id == actor.council.pk:
            ensure_report_transition(report.status, ReportStatus.PUBLISHED)
            report.status = ReportStatus.PUBLISHED
            save_new_version(report)
        report_history(report, EventType.PUBLISHED, actor, detail=label)
        tell_reporter(
            report,
            _("Your opinion report was published in %(council)s's bulletin, %(issue)s")
            % {"council": actor.council.name, "issue": label},
            kind="opinion.published",
        )
    audit_only("opinion.issue_published", actor, issue, year=issue.year, number=issue.number)
    return issue
