"""Building a survey: its details, copying last year's, opening, closing
and reminding those who have not answered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.accounts.models import User
from xieshang.core.errors import require
from xieshang.core.events import history
from xieshang.core.notifications import notify
from xieshang.core.states import ensure_state
from xieshang.core.versions import check_version, save_new_version
from xieshang.councils.models import CouncilRole, HandlingUnit, MemberGroup, Role, Sector, SpecialCommittee
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.surveys import keys
from xieshang.surveys.actions.common import answer_url, lock_survey
from xieshang.surveys.models import Option, Question, Response, Survey, Tally
from xieshang.surveys.permissions import can_close, can_edit, can_open, can_remind
from xieshang.surveys.queries import members_not_answered, questions_of
from xieshang.surveys.states import (
    CHOICE_KINDS,
    Audience,
    EventType,
    QuestionKind,
    SurveyStatus,
    ensure_survey_transition,
)


@dataclass(frozen=True)
class SurveyDetails:
    """What staff set on a survey (a form's or the API's cleaned input)."""

    title: str
    year: int
    audience: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    description: str = ""
    is_anonymous: bool = False
    sector: Sector | None = None
    member_group: MemberGroup | None = None
    special_committee: SpecialCommittee | None = None


def _check(details: SurveyDetails) -> None:
    if not details.title.strip():
        raise ValidationError({"title": _("Enter the title.")})
    if details.closes_at <= details.opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    narrowed = [x for x in (details.sector, details.member_group, details.special_committee) if x]
    if details.audience != Audience.MEMBERS and narrowed:
        raise ValidationError(
            {"audience": _("Only a survey of members is narrowed to a sector, group or committee.")}
        )
    if len(narrowed) > 1:
        raise ValidationError(
            {"audience": _("Choose one sector, group or committee, or none for all members.")}
        )


def _fields(details: SurveyDetails) -> dict[str, Any]:
    return {
        "title": details.title.strip(),
        "description": details.description.strip(),
        "year": details.year,
        "audience": details.audience,
        "opens_at": details.opens_at,
        "closes_at": details.closes_at,
        "is_anonymous": details.is_anonymous,
        "sector": details.sector,
        "member_group": details.member_group,
        "special_committee": details.special_committee,
    }


@transaction.atomic
def create_survey(*, actor: Actor, details: SurveyDetails) -> Survey:
    require(actor.has(Perm.MANAGE_SURVEYS))
    _check(details)
    survey = Survey.objects.create(council=actor.council, created_by=actor.user, **_fields(details))
    history(survey, EventType.CREATED, actor, title=survey.title)
    return survey


@transaction.atomic
def edit_survey(
    survey: Survey, *, actor: Actor, details: SurveyDetails, expected_version: int | None
) -> Survey:
    require(actor.has(Perm.MANAGE_SURVEYS))
    survey = lock_survey(survey, actor.council.pk)
    check_version(survey, expected_version)
    ensure_state(survey.status, {SurveyStatus.DRAFT})
    require(can_edit(actor, survey))
    _check(details)
    fields = _fields(details)
    for name, value in fields.items():
        setattr(survey, name, value)
    save_new_version(survey, update_fields=[*fields, "updated_at"])
    history(survey, EventType.CHANGED, actor)
    return survey


@transaction.atomic
def copy_survey(source: Survey, *, actor: Actor, details: SurveyDetails) -> Survey:
    """A new draft with the questions, options and skips of source (last
    year's survey, usually) and the details given."""
    require(actor.has(Perm.MANAGE_SURVEYS) and source.council_id == actor.council.pk)
    _check(details)
    survey = Survey.objects.create(
        council=actor.council, created_by=actor.user, copied_from=source, **_fields(details)
    )
    old = questions_of(source)
    new_of: dict[int, Question] = {}
    for q in old:
        new_of[q.pk] = Question.objects.create(
            council=actor.council,
            survey=survey,
            **{f: getattr(q, f) for f in QUESTION_FIELDS},
        )
    for q in old:
        Option.objects.bulk_create(
            Option(
                council=actor.council,
                question=new_of[q.pk],
                position=o.position,
                text=o.text,
                skip_to=new_of.get(o.skip_to_id) if o.skip_to_id else None,
            )
            for o in q.options.all()
        )
    history(survey, EventType.COPIED, actor, source=source.pk, questions=len(old))
    return survey


QUESTION_FIELDS = (
    "position",
    "kind",
    "text",
    "required",
    "has_other",
    "min_choices",
    "max_choices",
    "scale_max",
    "rows",
    "min_value",
    "max_value",
)


def tally_keys(question: Question) -> list[str]:
    """Every running total a question keeps."""
    found = ["answered"]
    if question.kind in CHOICE_KINDS:
        found += [f"o{o.pk}" for o in question.options.all()]
        if question.has_other:
            found.append("other")
    elif question.kind == QuestionKind.SCALE:
        found += [f"v{v}" for v in range(1, question.scale_max + 1)]
    elif question.kind == QuestionKind.MATRIX:
        found += [f"r{r}v{v}" for r in range(len(question.rows)) for v in range(1, question.scale_max + 1)]
    return found


@transaction.atomic
def open_survey(survey: Survey, *, actor: Actor, expected_version: int | None = None) -> Survey:
    """Open the survey: from its opening time it takes answers. Its running
    totals are created here, all at zero."""
    require(actor.has(Perm.MANAGE_SURVEYS))
    survey = lock_survey(survey, actor.council.pk)
    check_version(survey, expected_version)
    ensure_survey_transition(survey.status, SurveyStatus.OPEN)
    require(can_open(actor, survey))
    questions = questions_of(survey)
    if not questions:
        raise ValidationError(_("Add at least one question before opening the survey."))
    if survey.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("The closing time has passed. Set a later one first.")})
    Tally.objects.bulk_create(
        Tally(council=survey.council, survey=survey, question=q, key=key)
        for q in questions
        for key in tally_keys(q)
    )
    survey.status = SurveyStatus.OPEN
    save_new_version(survey, update_fields=["status", "updated_at"])
    history(survey, EventType.OPENED, actor)
    return survey


def _close(survey: Survey, now: dt.datetime) -> None:
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = now
    save_new_version(survey, update_fields=["status", "closed_at", "updated_at"])


@transaction.atomic
def close_survey(survey: Survey, *, actor: Actor, expected_version: int | None = None) -> Survey:
    require(actor.has(Perm.MANAGE_SURVEYS))
    survey = lock_survey(survey, actor.council.pk)
    check_version(survey, expected_version)
    ensure_survey_transition(survey.status, SurveyStatus.CLOSED)
    require(can_close(actor, survey))
    _close(survey, timezone.now())
    history(survey, EventType.CLOSED, actor, responses=survey.response_count)
    return survey


def close_ended_surveys(now: dt.datetime | None = None) -> int:
    """Close every open survey whose closing time has passed (the sweep)."""
    now = now or timezone.now()
    closed = 0
    for pk in Survey.objects.filter(status=SurveyStatus.OPEN, closes_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            survey = Survey.objects.select_for_update().select_related("council").get(pk=pk)
            if survey.status != SurveyStatus.OPEN:
                continue
            _close(survey, now)
            history(
                survey, EventType.CLOSED, None, in_council=survey.council, responses=survey.response_count
            )
            closed += 1
    return closed


def _units_not_answered(survey: Survey) -> list[User]:
    answered = set(Response.objects.filter(survey=survey).values_list("respondent_key", flat=True))
    units = HandlingUnit.objects.filter(council=survey.council)
    left = [u.pk for u in units if keys.unit_key(survey.salt, u.pk) not in answered]
    roles = CouncilRole.objects.filter(council=survey.council, role=Role.UNIT_LIAISON, handling_unit__in=left)
    return list(User.objects.filter(pk__in=roles.values("user_id"), is_active=True))


def not_answered_users(survey: Survey) -> list[User]:
    """The logins of those a survey asks who have not answered."""
    if survey.audience == Audience.UNITS:
        return _units_not_answered(survey)
    if survey.audience == Audience.MEMBERS:
        left = members_not_answered(survey).filter(user__isnull=False, user__is_active=True)
        return list(User.objects.filter(pk__in=left.values("user_id")))
    return []


def _send_reminders(survey: Survey) -> int:
    users = not_answered_users(survey)
    notify(
        recipients=users,
        council=survey.council,
        title=_("Please answer the survey “%(title)s” before %(closes)s.")
        % {"title": survey.title, "closes": timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M")},
        url=answer_url(survey),
        kind="survey_reminder",
        dedupe_key=f"survey-reminder:{survey.pk}:{timezone.localdate().isoformat()}",
    )
    return len(users)


@transaction.atomic
def remind_not_answered(survey: Survey, *, actor: Actor) -> int:
    """Remind, in their inbox, everyone asked who has not answered; return
    how many were reminded (at most once a day each)."""
    require(actor.has(Perm.MANAGE_SURVEYS))
    survey = lock_survey(survey, actor.council.pk)
    ensure_state(survey.status, {SurveyStatus.OPEN})
    require(can_remind(actor, survey))
    reminded = _send_reminders(survey)
    history(survey, EventType.REMINDED, actor, reminded=reminded)
    return reminded


def remind_before_close(now: dt.datetime | None = None) -> int:
    """The sweep: remind once per survey, the council's configured days
    before it closes."""
    now = now or timezone.now()
    due = Survey.objects.filter(
        status=SurveyStatus.OPEN, reminded_at__isnull=True, opens_at__lte=now, closes_at__gt=now
    ).exclude(audience=Audience.PUBLIC)
    sent = 0
    for survey in due.select_related("council"):
        days = int(get_setting(survey.council, "survey_reminder_days"))
        if now < survey.closes_at - dt.timedelta(days=days):
            continue
        with transaction.atomic():
            if not Survey.objects.filter(pk=survey.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            reminded = _send_reminders(survey)
            history(survey, EventType.REMINDED, None, in_council=survey.council, reminded=reminded)
            sent += 1
    return sent
