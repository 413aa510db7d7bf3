"""Staff work on a submitted report: edit it (keeping every version), adopt
it or decline it with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import InvalidTransition, require
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.actions.common import lock_report, report_history, tell_reporter
from xieshang.opinions.actions.filing import ReportContent, validate_text
from xieshang.opinions.models import OpinionReport, OpinionReportVersion
from xieshang.opinions.permissions import can_decide, can_staff_edit
from xieshang.opinions.states import EventType, ReportStatus, ensure_report_transition, higher_level


def _start(report: OpinionReport, actor: Actor, expected_version: int | None) -> OpinionReport:
    require(actor.has(Perm.MANAGE_OPINIONS))
    report = lock_report(report)
    require(report.council_id == actor.council.pk)
    check_version(report, expected_version)
    return report


@transaction.atomic
def edit_report(
    report: OpinionReport,
    *,
    actor: Actor,
    content: ReportContent,
    note: str = "",
    expected_version: int | None = None,
) -> OpinionReport:
    """Change the text of a submitted report as staff, keeping the previous
    versions; the reporter sees the edited text and what changed.

    Raise PermissionDenied unless actor is staff of the report's council,
    InvalidTransition unless it is submitted, ValidationError for an empty
    section or text over the limit, StaleEdit when it changed meanwhile.
    """
    report = _start(report, actor, expected_version)
    if not can_staff_edit(actor, report):
        raise InvalidTransition(_("Only a submitted report can be edited."))
    validate_text(report.council, content, complete=True)
    report.title = content.title.strip()
    report.problem = content.problem
    report.analysis = content.analysis
    report.suggestion = content.suggestion
    save_new_version(report)
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = OpinionReportVersion.objects.create(
        council=report.council,
        report=report,
        number=last + 1,
        title=report.title,
        problem=report.problem,
        analysis=report.analysis,
        suggestion=report.suggestion,
        note=note.strip()[:300],
        edited_by=actor.user,
    )
    report_history(report, EventType.EDITED, actor, version=version.number, detail=version.note)
    tell_reporter(
        report,
        _("Your opinion report was edited: %(title)s") % {"title": report.title},
        kind="opinion.edited",
    )
    return report


@transaction.atomic
def adopt_report(
    report: OpinionReport, *, actor: Actor, expected_version: int | None = None
) -> OpinionReport:
    """Adopt a submitted report for the council (采用); it reaches the
    council's level and may then be published and forwarded.

    Raise PermissionDenied unless actor is staff of the report's council,
    InvalidTransition unless it is submitted, ValidationError when its text is
    over the limit (a converted proposal must be shortened first).
    """
    report = _start(report, actor, expected_version)
    ensure_report_transition(report.status, ReportStatus.ADOPTED)
    require(can_decide(actor, report))
    validate_text(
        report.council,
        ReportContent(report.title, report.problem, report.analysis, report.suggestion),
        complete=True,
    )
    report.status = ReportStatus.ADOPTED
    report.decided_at = timezone.now()
    report.highest_level = higher_level(report.highest_level, report.council.level)
    save_new_version(report)
    # Duty records read the level and whether the report may score.
    report_history(
        report, EventType.ADOPTED, actor, level=report.council.level, counts_for_duty=report.counts_for_duty
    )
    tell_reporter(
        report,
        _("Your opinion report was adopted: %(title)s") % {"title": report.title},
        kind="opinion.adopted",
    )
    return report


@transaction.atomic
def decline_report(
    report: OpinionReport, *, actor: Actor, reason: str, expected_version: int | None = None
) -> OpinionReport:
    """Do not adopt a submitted report; the reporter is told why.

    Raise ValidationError without a reason; otherwise as adopt_report.
    """
    report = _start(report, actor, expected_version)
    ensure_report_transition(report.status, ReportStatus.DECLINED)
    require(can_decide(actor, report))
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the reporter why the report is not adopted.")})
    report.status = ReportStatus.DECLINED
    report.decided_at = timezone.now()
    report.decline_reason = reason.strip()[:300]
    save_new_version(report)
    report_history(report, EventType.DECLINED, actor, reason=report.decline_reason)
    tell_reporter(
        report,
        _("Your opinion report was not adopted: %(title)s") % {"title": report.title},
        kind="opinion.declined",
        body=report.decline_reason,
    )
    return report
