"""Answering a survey: one response, written in one short transaction
together with the running totals it raises.

The transaction first raises the survey's response count with a
conditional UPDATE (only while the survey takes answers), which also holds
the survey's row until the commit: responses to one survey are written one
after another, each in a few statements, and the totals stay exact.

Responses are not audited one by one: the response row is the record, and
an audit entry naming who answered would undo an anonymous survey.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import Conflict, require
from xieshang.councils.models import HandlingUnit, Member
from xieshang.councils.roles import Actor
from xieshang.surveys import keys
from xieshang.surveys.actions.answers import check_answers
from xieshang.surveys.models import Response, Survey, Tally
from xieshang.surveys.permissions import is_asked
from xieshang.surveys.queries import questions_of
from xieshang.surveys.states import Audience


@dataclass(frozen=True)
class Respondent:
    """Who answers: the key that stops a second answer, and (in a named
    survey) who it is."""

    key: str
    member: Member | None = None
    unit: HandlingUnit | None = None
    mobile: str = ""

    @classmethod
    def of_actor(cls, actor: Actor, survey: Survey) -> Respondent:
        """A member, or a handling unit through its liaison (the first of
        their units)."""
        require(is_asked(actor, survey))
        if survey.audience == Audience.UNITS:
            unit = HandlingUnit.objects.get(pk=min(actor.handling_unit_ids), council=survey.council)
            return cls(keys.unit_key(survey.salt, unit.pk), unit=unit)
        assert actor.member is not None  # is_asked checked it
        return cls(keys.member_key(survey.salt, actor.member.pk), member=actor.member)

    @classmethod
    def of_mobile(cls, survey: Survey, mobile: str) -> Respondent:
        return cls(keys.mobile_key(survey.salt, mobile), mobile=mobile)


def already_answered_message(survey: Survey) -> str:
    if survey.audience == Audience.PUBLIC:
        return _("This mobile number has already answered this survey. Each number answers once.")
    return _("You have already answered this survey.")


def _raise_totals(survey: Survey, bumps: list[tuple[int, str]], sums: list[tuple[int, int]]) -> None:
    if bumps:
        wanted = reduce(or_, (Q(question_id=q, key=k) for q, k in bumps))
        Tally.objects.filter(wanted, survey=survey).update(count=F("count") + 1)
    for question_id, value in sums:
        Tally.objects.filter(survey=survey, question_id=question_id, key="answered").update(
            total=F("total") + value
        )


def submit_response(
    survey: Survey, *, respondent: Respondent, answers: dict[str, Any], now: dt.datetime | None = None
) -> Response:
    """Store the answers and raise the running totals, or refuse with a
    ValidationError (wrong or missing answers, the survey closed) or a
    Conflict (this respondent has answered already), storing nothing."""
    now = now or timezone.now()
    if not survey.takes_answers(now):
        raise ValidationError(_("This survey is closed and takes no answers now."))
    checked = check_answers(questions_of(survey), answers)
    if Response.objects.filter(survey=survey, respondent_key=respondent.key).exists():
        raise Conflict(already_answered_message(survey))
    named = not survey.is_anonymous
    with transaction.atomic():
        taking = Survey.objects.filter(
            pk=survey.pk, status=survey.status, opens_at__lte=now, closes_at__gt=now
        ).update(response_count=F("response_count") + 1)
        if not taking:
            raise ValidationError(_("This survey is closed and takes no answers now."))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    council_id=survey.council_id,
                    survey=survey,
                    respondent_key=respondent.key,
                    member=respondent.member if named else None,
                    unit=respondent.unit if named else None,
                    mobile=respondent.mobile if named else "",
                    answers=checked.answers,
                )
        except IntegrityError as exc:
            raise Conflict(already_answered_message(survey)) from exc
        _raise_totals(survey, checked.bumps, checked.sums)
    return response
