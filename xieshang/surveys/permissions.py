"""Who may do what to which survey, now. Used by the actions (to refuse)
and by the pages (to show only what the user may do).

Times are passed in so that pages and actions agree on "now".
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from xieshang.councils.models import Member
from xieshang.councils.roles import Actor, Perm
from xieshang.surveys.models import Survey
from xieshang.surveys.states import Audience, SurveyStatus


def _in_council(actor: Actor, survey: Survey) -> bool:
    return survey.council_id == actor.council.pk


def can_view_results(actor: Actor, survey: Survey) -> bool:
    """Staff and leaders read every survey and its results, while it is
    open too."""
    return _in_council(actor, survey) and actor.has(Perm.VIEW_SURVEYS)


def can_manage(actor: Actor, survey: Survey) -> bool:
    return _in_council(actor, survey) and actor.has(Perm.MANAGE_SURVEYS)


def can_edit(actor: Actor, survey: Survey) -> bool:
    """Questions and details change only while the survey is a draft: once
    anyone has answered, the questions are what they answered."""
    return can_manage(actor, survey) and survey.status == SurveyStatus.DRAFT


def can_open(actor: Actor, survey: Survey) -> bool:
    return can_manage(actor, survey) and survey.status == SurveyStatus.DRAFT


def can_close(actor: Actor, survey: Survey) -> bool:
    return can_manage(actor, survey) and survey.status == SurveyStatus.OPEN


def can_remind(actor: Actor, survey: Survey) -> bool:
    return can_close(actor, survey) and survey.audience != Audience.PUBLIC


def members_asked(survey: Survey) -> Q:
    """Which seated members a members' survey asks (a filter on Member)."""
    asked = Q(council_id=survey.council_id, is_active=True, term__is_current=True)
    if survey.sector_id:
        asked &= Q(sector_id=survey.sector_id)
    if survey.member_group_id:
        asked &= Q(groups=survey.member_group_id)
    if survey.special_committee_id:
        asked &= Q(special_committees=survey.special_committee_id)
    return asked


def is_asked(actor: Actor, survey: Survey) -> bool:
    """Whether the survey is put to the actor (as a member, or as the
    liaison of a handling unit)."""
    if not _in_council(actor, survey) or not actor.has(Perm.ANSWER_SURVEYS):
        return False
    if survey.audience == Audience.UNITS:
        return bool(actor.handling_unit_ids)
    if survey.audience == Audience.MEMBERS and actor.member is not None:
        return Member.objects.filter(members_asked(survey), pk=actor.member.pk).exists()
    return False


def can_answer(actor: Actor, survey: Survey, *, now: dt.datetime) -> bool:
    return survey.takes_answers(now) and is_asked(actor, survey)
