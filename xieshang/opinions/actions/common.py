"""What every opinions action shares: locking, stale-edit checks, history,
audit and messages to the reporter."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xieshang.accounts.models import User
from xieshang.core.events import history
from xieshang.core.notifications import notify
from xieshang.councils.models import Role
from xieshang.councils.roles import Actor
from xieshang.opinions.models import OpinionReport


def lock_report(report: OpinionReport) -> OpinionReport:
    """Re-read the report under a row lock. Callers check the council: the
    parent council acts on a lower council's report through its forwarding."""
    return OpinionReport.objects.select_for_update(of=("self",)).select_related("council").get(pk=report.pk)


def report_history(report: OpinionReport, event_type: str, actor: Actor, **data: Any) -> None:
    """Record the step in the report's own history, whichever council acts
    (the reporter follows the report upward), naming the council that acted,
    and audit the write in that council."""
    history(report, event_type, actor, in_council=report.council, council=actor.council.name, **data)


def report_url(report: OpinionReport) -> str:
    return reverse("opinions:detail", kwargs={"council_slug": report.council.slug, "pk": report.pk})


def reporter_users(report: OpinionReport) -> list[User]:
    users: list[User] = [report.filed_by]
    if report.member is not None and report.member.user is not None:
        users.append(report.member.user)
    return users


def staff_users(council_id: int) -> list[User]:
    return list(
        User.objects.filter(
            council_roles__council_id=council_id, council_roles__role=Role.STAFF, is_active=True
        ).distinct()
    )


def tell_reporter(report: OpinionReport, title: str, *, kind: str, body: str = "") -> None:
    """Put a message linking to the report in its reporter's inbox (in the
    report's own council, wherever the step happened)."""
    notify(
        recipients=reporter_users(report),
        council=report.council,
        title=title,
        body=body,
        url=report_url(report),
        kind=kind,
    )
