"""The periodic sweep: "consult before deciding" flags, late minutes and
outcome follow-ups. It only sends messages, each once (dedupe keys), so it
may run as often as wanted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.consultations.actions.common import consultation_url, outcome_url, users_with_role
from xieshang.consultations.queries import consultations_with_late_minutes, follow_ups_due, undecided_items
from xieshang.core.notifications import notify
from xieshang.councils.models import Council, Role


@dataclass(frozen=True)
class SweepRun:
    undecided: int = 0
    late_minutes: int = 0
    follow_ups: int = 0


def sweep_council(council: Council, today: dt.date) -> SweepRun:
    """Tell staff and leaders about plan items past their decision date
    without a consultation, and staff about late minutes and outcomes to ask
    about again."""
    staff = users_with_role(council, Role.STAFF)
    staff_and_leaders = users_with_role(council, Role.STAFF, Role.LEADER)
    flags = reverse("consultations:flags", kwargs={"council_slug": council.slug})
    undecided = list(undecided_items(council, today))
    for item in undecided:
        notify(
            recipients=staff_and_leaders,
            council=council,
            title=_("Decision date passed without consultation: %(topic)s") % {"topic": item.topic},
            url=flags,
            kind="consultations.undecided",
            dedupe_key=f"consultations.undecided.{item.pk}.{item.decision_expected_on}",
        )
    late = list(consultations_with_late_minutes(council, today))
    for consultation in late:
        notify(
            recipients=staff,
            council=council,
            title=_("Minutes overdue: %(topic)s") % {"topic": consultation.topic},
            url=consultation_url(consultation),
            kind="consultations.minutes_late",
            dedupe_key=f"consultations.minutes_late.{consultation.pk}",
        )
    due = list(follow_ups_due(council, today))
    for outcome in due:
        notify(
            recipients=staff,
            council=council,
            title=_("Ask again what became of: %(title)s") % {"title": outcome.title},
            url=outcome_url(outcome),
            kind="consultations.follow_up",
            dedupe_key=f"consultations.follow_up.{outcome.pk}.{outcome.follow_up_on}",
        )
    return SweepRun(len(undecided), len(late), len(due))


def sweep(today: dt.date) -> SweepRun:
    total = SweepRun()
    for council in Council.objects.filter(is_active=True):
        run = sweep_council(council, today)
        total = SweepRun(
            total.undecided + run.undecided,
            total.late_minutes + run.late_minutes,
            total.follow_ups + run.follow_ups,
        )
    return total
