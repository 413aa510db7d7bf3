"""Sending adopted reports on: to the council's party-committee and
government offices, and upward to the parent council (from a province, to
the national committee); the parent's decision; leaders' instructions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.errors import Conflict, InvalidTransition, require
from xieshang.core.notifications import notify
from xieshang.core.versions import save_new_version
from xieshang.councils.actions.instructions import InstructionDetails, add_instruction
from xieshang.councils.models import Council, OversightOffice, Role
from xieshang.councils.roles import Actor, Perm
from xieshang.opinions.actions.common import lock_report, report_history, staff_users, tell_reporter
from xieshang.opinions.models import Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.permissions import can_decide_receipt, can_forward, can_forward_receipt, can_instruct
from xieshang.opinions.states import (
    ADOPTED_STATUSES,
    EventType,
    ForwardTarget,
    Level,
    ReceiptStatus,
    ensure_receipt_transition,
    higher_level,
)


def _office_users(offices: Sequence[OversightOffice]) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__role=Role.OVERSIGHT,
            council_roles__oversight_office__in=list(offices),
            is_active=True,
        ).distinct()
    )


def _check_parent(actor: Actor, to_council: Council | None) -> Council:
    parent = actor.council.parent
    if parent is None:
        raise ValidationError(
            {
                "to_council": _("%(council)s has no parent council here: forward to the national committee.")
                % {"council": actor.council.name}
            }
        )
    if to_council is not None and to_council.pk != parent.pk:
        raise ValidationError(
            {
                "to_council": _(
                    "Reports go upward to the parent council only: %(target)s is not the parent of "
                    "%(council)s (its parent is %(parent)s)."
                )
                % {"target": to_council.name, "council": actor.council.name, "parent": parent.name}
            }
        )
    return parent


def _forward(
    report: OpinionReport,
    actor: Actor,
    *,
    via: Forwarding | None,
    target: str,
    offices: Sequence[OversightOffice],
    to_council: Council | None,
    note: str,
) -> list[Forwarding]:
    if target not in ForwardTarget.values:
        raise ValidationError({"target": _("Choose where to send the report.")})
    common = {
        "report": report,
        "from_council": actor.council,
        "via": via,
        "note": note.strip()[:300],
        "forwarded_by": actor.user,
        "forwarded_at": timezone.now(),
    }
    if target == ForwardTarget.OVERSIGHT:
        created, message = _to_offices(report, actor, offices, common)
    elif target == ForwardTarget.PARENT:
        created, message = _to_parent(report, actor, to_council, common)
    else:
        created, message = _to_national(report, actor, to_council, common)
    tell_reporter(report, message % {"title": report.title}, kind="opinion.forwarded")
    return created


def _already(report: OpinionReport, actor: Actor, target: str) -> QuerySet[Forwarding]:
    return Forwarding.objects.filter(report=report, from_council=actor.council, target=target)


def _to_offices(
    report: OpinionReport, actor: Actor, offices: Sequence[OversightOffice], common: dict[str, Any]
) -> tuple[list[Forwarding], str]:
    """Send the report to this council's party-committee and government
    offices (those it was not sent to yet), whose users are told."""
    target = ForwardTarget.OVERSIGHT
    if not offices:
        raise ValidationError({"offices": _("Choose the party-committee or government offices.")})
    if any(office.council_id != actor.council.pk for office in offices):
        raise ValidationError(
            {"offices": _("Choose offices of this council's party committee and government.")}
        )
    done = set(_already(report, actor, target).values_list("oversight_office_id", flat=True))
    if all(office.pk in done for office in offices):
        raise Conflict(_("The report was already sent to these offices."))
    created = [
        Forwarding.objects.create(council=actor.council, target=target, oversight_office=office, **common)
        for office in offices
        if office.pk not in done
    ]
    report_history(
        report, EventType.FORWARDED, actor, target=target, detail="、".join(o.name for o in offices)
    )
    notify(
        recipients=_office_users(offices),
        council=actor.council,
        title=_("Opinion report for your attention: %(title)s") % {"title": report.title},
        url=reverse("opinions:office_inbox", kwargs={"council_slug": actor.council.slug}),
        kind="opinion.forwarded",
    )
    return created, _("Your opinion report was sent to the party committee and government: %(title)s")


def _to_parent(
    report: OpinionReport, actor: Actor, to_council: Council | None, common: dict[str, Any]
) -> tuple[list[Forwarding], str]:
    """Forward the report to the parent council, whose staff are told."""
    target = ForwardTarget.PARENT
    parent = _check_parent(actor, to_council)
    if _already(report, actor, target).exists():
        raise Conflict(_("The report was already forwarded to %(council)s.") % {"council": parent.name})
    created = [Forwarding.objects.create(council=parent, target=target, **common)]
    report_history(report, EventType.FORWARDED, actor, target=target, detail=parent.name)
    notify(
        recipients=staff_users(parent.pk),
        council=parent,
        title=_("Opinion report from %(council)s: %(title)s")
        % {"council": actor.council.name, "title": report.title},
        url=reverse("opinions:received", kwargs={"council_slug": parent.slug}),
        kind="opinion.received",
    )
    message = _("Your opinion report was forwarded to %(council)s: %(title)s") % {
        "council": parent.name,
        "title": "%(title)s",
    }
    return created, message


def _to_national(
    report: OpinionReport, actor: Actor, to_council: Council | None, common: dict[str, Any]
) -> tuple[list[Forwarding], str]:
    """From a province council, send the report to the national committee
    (recorded as adopted there: the report reaches the national level)."""
    target = ForwardTarget.NATIONAL
    if actor.council.parent is not None:
        raise ValidationError(
            {
                "target": _(
                    "Only a province council sends reports to the national committee; "
                    "forward to the parent council."
                )
            }
        )
    if to_council is not None:
        _check_parent(actor, to_council)
    if _already(report, actor, target).exists():
        raise Conflict(_("The report was already sent to the national committee."))
    created = [
        Forwarding.objects.create(
            council=actor.council, target=target, status=ReceiptStatus.ADOPTED, **common
        )
    ]
    report.highest_level = higher_level(report.highest_level, Level.NATIONAL)
    save_new_version(report, update_fields=["highest_level", "updated_at"])
    report_history(report, EventType.FORWARDED, actor, target=target, level=Level.NATIONAL)
    return created, _("Your opinion report was sent to the national committee: %(title)s")


@transaction.atomic
def forward_report(
    report: OpinionReport,
    *,
    actor: Actor,
    target: str,
    offices: Sequence[OversightOffice] = (),
    to_council: Council | None = None,
    note: str = "",
) -> list[Forwarding]:
    """Send one of the council's adopted reports to its party-committee and
    government offices (target OVERSIGHT), to the parent council (PARENT) or,
    from a province, to the national committee (NATIONAL).

    Raise PermissionDenied unless actor is staff of the report's council,
    InvalidTransition unless the report is adopted, ValidationError for offices
    of another council or a council that is not the parent, and Conflict when
    it was already sent there.
    """
    require(actor.has(Perm.MANAGE_OPINIONS))
    report = lock_report(report)
    require(report.council_id == actor.council.pk)
    if report.status not in ADOPTED_STATUSES:
        raise InvalidTransition(_("Only an adopted report can be forwarded; adopt it first."))
    require(can_forward(actor, report))
    return _forward(report, actor, via=None, target=target, offices=offices, to_council=to_council, note=note)


def _lock_receipt(forwarding: Forwarding, actor: Actor) -> Forwarding:
    return (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("report", "from_council")
        .get(pk=forwarding.pk, council=actor.council)
    )


@transaction.atomic
def forward_received(
    forwarding: Forwarding,
    *,
    actor: Actor,
    target: str,
    offices: Sequence[OversightOffice] = (),
    to_council: Council | None = None,
    note: str = "",
) -> list[Forwarding]:
    """Send a report that a lower council forwarded here, and this council
    adopted, on again: to this council's offices, its parent or the national
    committee. Errors as forward_report."""
    require(actor.has(Perm.MANAGE_OPINIONS))
    forwarding = _lock_receipt(forwarding, actor)
    if forwarding.status != ReceiptStatus.ADOPTED:
        raise InvalidTransition(_("Only an adopted report can be forwarded; adopt it first."))
    require(can_forward_receipt(actor, forwarding))
    report = lock_report(forwarding.report)
    return _forward(
        report, actor, via=forwarding, target=target, offices=offices, to_council=to_council, note=note
    )


@transaction.atomic
def adopt_received(forwarding: Forwarding, *, actor: Actor) -> Forwarding:
    """Adopt, for this council, a report a lower council forwarded here; the
    report then reaches this council's level.

    Raise PermissionDenied unless actor is staff of the receiving council and
    InvalidTransition unless it waits for a decision.
    """
    require(actor.has(Perm.MANAGE_OPINIONS))
    forwarding = _lock_receipt(forwarding, actor)
    ensure_receipt_transition(forwarding.status, ReceiptStatus.ADOPTED)
    require(can_decide_receipt(actor, forwarding))
    report = lock_report(forwarding.report)
    forwarding.status = ReceiptStatus.ADOPTED
    forwarding.decided_by = actor.user
    forwarding.decided_at = timezone.now()
    forwarding.save()
    report.highest_level = higher_level(report.highest_level, actor.council.level)
    save_new_version(report, update_fields=["highest_level", "updated_at"])
    report_history(
        report,
        EventType.ADOPTED_UPWARD,
        actor,
        level=actor.council.level,
        counts_for_duty=report.counts_for_duty,
    )
    tell_reporter(
        report,
        _("%(council)s adopted your opinion report: %(title)s")
        % {"council": actor.council.name, "title": report.title},
        kind="opinion.adopted_upward",
    )
    return forwarding


@transaction.atomic
def decline_received(forwarding: Forwarding, *, actor: Actor, reason: str) -> Forwarding:
    """Do not adopt a report forwarded here; the lower council and the
    reporter are told why. Raise ValidationError without a reason."""
    require(actor.has(Perm.MANAGE_OPINIONS))
    forwarding = _lock_receipt(forwarding, actor)
    ensure_receipt_transition(forwarding.status, ReceiptStatus.DECLINED)
    require(can_decide_receipt(actor, forwarding))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is not adopted.")})
    forwarding.status = ReceiptStatus.DECLINED
    forwarding.decided_by = actor.user
    forwarding.decided_at = timezone.now()
    forwarding.decline_reason = reason.strip()[:300]
    forwarding.save()
    report_history(forwarding.report, EventType.DECLINED_UPWARD, actor, reason=forwarding.decline_reason)
    tell_reporter(
        forwarding.report,
        _("%(council)s did not adopt your opinion report: %(title)s")
        % {"council": actor.council.name, "title": forwarding.report.title},
        kind="opinion.declined_upward",
        body=forwarding.decline_reason,
    )
    return forwarding


@transaction.atomic
def record_instruction(
    forwarding: Forwarding,
    *,
    actor: Actor,
    leader_name: str,
    level: str,
    text: str,
    instructed_on: dt.date,
    leader_title: str = "",
) -> ReportInstruction:
    """Record a leader's written instruction (批示) on a report sent to the
    actor's office; the report keeps it at every level and its reporter is told.

    Raise PermissionDenied unless actor is an oversight-office user of the
    office the report was sent to, and ValidationError as
    councils.actions.instructions.check_instruction does.
    """
    require(
        actor.has(Perm.INSTRUCT_OPINIONS),
        _("Only users of the party-committee or government office can record instructions."),
    )
    locked = (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("report", "oversight_office")
        .filter(pk=forwarding.pk, council=actor.council)
        .first()
    )
    require(
        locked is not None and can_instruct(actor, locked),
        _("Only users of the office the report was sent to can record its instructions."),
    )
    assert locked is not None
    forwarding = locked
    report = lock_report(forwarding.report)
    assert forwarding.oversight_office_id is not None  # can_instruct: sent to an office
    instruction = add_instruction(
        ReportInstruction,
        InstructionDetails(leader_name, level, text, instructed_on, leader_title),
        actor=actor,
        office_id=forwarding.oversight_office_id,
        report=report,
        forwarding=forwarding,
    )
    report_history(
        report,
        EventType.INSTRUCTED,
        actor,
        leader=instruction.leader_name,
        level=level,
        detail=instruction.text[:300],
    )
    tell_reporter(
        report,
        _("A leader gave an instruction on your opinion report: %(title)s") % {"title": report.title},
        kind="opinion.instructed",
        body=f"{instruction.leader_name}: {instruction.text[:200]}",
    )
    return instruction
