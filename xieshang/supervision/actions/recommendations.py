"""Recommendations to the responsible bodies, made from problems found:
the unit replies by a due date counted in working days and reports progress
until staff mark the problems resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.calendar import add_working_days
from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.notifications import notify
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import HandlingUnit
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor
from xieshang.supervision import permissions as can
from xieshang.supervision.actions.common import (
    own_row,
    page_url,
    raise_if,
    staff_users,
    text_errors,
    unit_users,
)
from xieshang.supervision.models import (
    Problem,
    Recommendation,
    RecommendationReply,
    SupervisionCampaign,
)
from xieshang.supervision.states import (
    EventType,
    ProblemStatus,
    RecommendationStatus,
    ensure_recommendation_transition,
)


@transaction.atomic
def send_recommendation(
    campaign: SupervisionCampaign,
    *,
    actor: Actor,
    handling_unit: HandlingUnit | None,
    title: str,
    text: str,
    problems: Sequence[Problem] = (),
    today: dt.date | None = None,
) -> Recommendation:
    """Send a recommendation to a unit of this council, covering problems of
    the campaign found at that unit; the reply is due in the council's
    number of working days. The unit's liaisons are told.

    Raise PermissionDenied unless staff, ValidationError for a unit of
    another council, an empty title or text, or a problem of another
    campaign or unit or already covered."""
    require(can.is_staff(actor), _("Only staff can send a recommendation."))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not own_row(actor.council, handling_unit):
        errors["handling_unit"] = _("Choose a handling unit of this council.")
    text_errors(errors, "title", title, limit=100, missing=_("Give the recommendation a title."))
    text_errors(errors, "text", text, limit=5000, missing=_("Write the recommendation."))
    for problem in problems:
        if (
            problem.inspection.campaign_id != campaign.pk
            or problem.handling_unit_id != getattr(handling_unit, "pk", None)
            or problem.recommendation_id is not None
        ):
            errors["problems"] = _("Choose open problems of this campaign found at this unit.")
    raise_if(errors)
    assert handling_unit is not None
    days = int(get_setting(actor.council, "supervision_reply_working_days", year=today.year))
    row = Recommendation.objects.create(
        council=actor.council,
        campaign=campaign,
        handling_unit=handling_unit,
        title=title.strip(),
        text=text.strip(),
        year=today.year,
        sent_on=today,
        due_on=add_working_days(today, days, actor.council),
        sent_by=actor.user,
    )
    Problem.objects.filter(pk__in=[p.pk for p in problems]).update(recommendation=row)
    history(row, EventType.RECOMMENDATION_SENT, actor, unit=handling_unit.name, problems=len(problems))
    notify(
        recipients=unit_users(actor.council.pk, handling_unit.pk),
        council=actor.council,
        title=_("A supervision recommendation for your unit: %(title)s") % {"title": row.title},
        url=page_url("recommendation", row),
        kind="supervision.recommendation",
    )
    return row


def _lock(row: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update(of=("self",)).select_related("council").get(pk=row.pk)


@transaction.atomic
def reply_recommendation(
    recommendation: Recommendation, *, actor: Actor, text: str, today: dt.date | None = None
) -> RecommendationReply:
    """The unit replies (sent → replied) or reports progress (replied →
    replied). Raise InvalidTransition once resolved, PermissionDenied unless
    the actor is a liaison of the unit it was sent to, ValidationError for
    an empty or over-long reply."""
    row = _lock(recommendation)
    ensure_recommendation_transition(row.status, RecommendationStatus.REPLIED)
    require(can.can_reply_recommendation(actor, row), _("Only the unit it was sent to can reply."))
    errors: dict[str, str] = {}
    text_errors(errors, "text", text, limit=5000, missing=_("Write the reply."))
    raise_if(errors)
    reply = RecommendationReply.objects.create(
        council=row.council, recommendation=row, text=text.strip(), replied_by=actor.user
    )
    first = row.status == RecommendationStatus.SENT
    row.status = RecommendationStatus.REPLIED
    if first:
        row.first_replied_on = today or timezone.localdate()
    save_new_version(row, update_fields=["status", "first_replied_on"])
    history(row, EventType.RECOMMENDATION_REPLIED, actor, first=first)
    notify(
        recipients=staff_users(row.council_id),
        council=row.council,
        title=_("The unit replied to the recommendation: %(title)s") % {"title": row.title},
        url=page_url("recommendation", row),
        kind="supervision.replied",
    )
    return reply


@transaction.atomic
def resolve_recommendation(
    recommendation: Recommendation,
    *,
    actor: Actor,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> Recommendation:
    """Staff confirm the problems are resolved: replied → resolved, and every
    problem it covers is resolved. Raise PermissionDenied unless staff,
    InvalidTransition unless replied, StaleEdit when changed since loaded."""
    row = _lock(recommendation)
    require(can.is_staff(actor))
    check_version(row, expected_version)
    ensure_recommendation_transition(row.status, RecommendationStatus.RESOLVED)
    today = today or timezone.localdate()
    row.status = RecommendationStatus.RESOLVED
    row.resolved_on = today
    save_new_version(row, update_fields=["status", "resolved_on"])
    solved = Problem.objects.filter(recommendation=row, status=ProblemStatus.OPEN).update(
        status=ProblemStatus.RESOLVED, resolved_on=today
    )
    history(row, EventType.RECOMMENDATION_RESOLVED, actor, problems=solved)
    return row
