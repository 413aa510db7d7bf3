"""Special reports (民主监督专报): one period of a campaign compiled for the
party committee and the government, numbered per year; leaders'
instructions on them (批示) through the shared instruction table."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.councils.actions.instructions import InstructionDetails, add_instruction
from xieshang.councils.models import Council
from xieshang.councils.roles import Actor
from xieshang.supervision import permissions as can
from xieshang.supervision.actions.common import raise_if, text_errors
from xieshang.supervision.models import SpecialReport, SpecialReportInstruction, SupervisionCampaign
from xieshang.supervision.queries import next_number
from xieshang.supervision.states import EventType


@transaction.atomic
def issue_special_report(
    campaign: SupervisionCampaign,
    *,
    actor: Actor,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    summary: str = "",
    today: dt.date | None = None,
) -> SpecialReport:
    """Issue the year's next special report on campaign for the period.

    Raise PermissionDenied unless staff, ValidationError for an empty title
    or a period ending before it starts."""
    require(can.is_staff(actor), _("Only staff can issue a special report."))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    text_errors(errors, "title", title, limit=100, missing=_("Give the report a title."))
    if len(summary) > 5000:
        errors["summary"] = _("At most %(n)s characters.") % {"n": "5,000"}
    if period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    raise_if(errors)
    Council.objects.select_for_update().filter(pk=actor.council.pk).first()
    report = SpecialReport.objects.create(
        council=actor.council,
        campaign=campaign,
        year=today.year,
        number=next_number(SpecialReport, actor.council, today.year),
        title=title.strip(),
        summary=summary.strip(),
        period_start=period_start,
        period_end=period_end,
        issued_on=today,
        issued_by=actor.user,
    )
    history(report, EventType.REPORT_ISSUED, actor, number=report.number)
    return report


@transaction.atomic
def record_report_instruction(
    report: SpecialReport, *, actor: Actor, details: InstructionDetails
) -> SpecialReportInstruction:
    """A user of an oversight office records a leader's instruction on the
    report. Raise PermissionDenied unless such a user, ValidationError as
    councils.actions.instructions.check_instruction does."""
    report = SpecialReport.objects.select_for_update().get(pk=report.pk)
    require(can.can_instruct(actor), _("Only the party committee or government office records instructions."))
    office_id = min(actor.oversight_office_ids)
    instruction = add_instruction(
        SpecialReportInstruction,
        details,
        actor=actor,
        office_id=office_id,
        not_before=report.issued_on,
        report=report,
    )
    history(report, EventType.REPORT_INSTRUCTED, actor, leader=instruction.leader_name)
    return instruction
