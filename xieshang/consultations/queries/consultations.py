"""Consultations, their deadlines, deliberations, drafts, speeches and
activities, read within the actor's council."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.consultations import permissions as can
from xieshang.consultations.models import (
    Activity,
    Consultation,
    Deliberation,
    DeliberationComment,
    DraftRegulation,
    PublicIdentity,
    Speech,
)
from xieshang.consultations.states import ConsultationStatus
from xieshang.core.calendar import add_working_days
from xieshang.councils.models import Council
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm


@dataclass(frozen=True)
class DueDates:
    notice_due_on: dt.date
    materials_due_on: dt.date


def preparation_due_dates(council: Council, day: dt.date) -> DueDates:
    """Notice and materials due dates for a consultation on day: the
    council's working days before it, on its calendar."""
    notice = int(get_setting(council, "consultation_notice_working_days", year=day.year))
    materials = int(get_setting(council, "consultation_materials_working_days", year=day.year))
    return DueDates(
        notice_due_on=add_working_days(day, -notice, council),
        materials_due_on=add_working_days(day, -materials, council),
    )


def minutes_due_date(council: Council, held_on: dt.date) -> dt.date:
    days = int(get_setting(council, "consultation_minutes_working_days", year=held_on.year))
    return add_working_days(held_on, days, council)


@dataclass(frozen=True)
class DeadlineCheck:
    """One preparation or follow-up step and whether it is done, late or due."""

    label: str | Promise
    due_on: dt.date
    done_at: dt.datetime | None
    is_late: bool

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


def deadline_checks(consultation: Consultation, today: dt.date) -> list[DeadlineCheck]:
    """The notice, materials and minutes steps of a consultation: done (late
    or in time) or still open (late once the due date passed)."""

    def check(label: Promise, due_on: dt.date, done_at: dt.datetime | None) -> DeadlineCheck:
        late = done_at.date() > due_on if done_at is not None else today > due_on
        return DeadlineCheck(label, due_on, done_at, late)

    if consultation.status == ConsultationStatus.CANCELLED:
        return []
    checks = [
        check(_("Notice"), consultation.notice_due_on, consultation.notice_sent_at),
        check(_("Materials"), consultation.materials_due_on, consultation.materials_sent_at),
    ]
    if consultation.minutes_due_on is not None:
        checks.append(check(_("Minutes"), consultation.minutes_due_on, consultation.minutes_sent_at))
    return checks


# Consultations -------------------------------------------------------------------

CONSULTATION_JOINS = ("plan_item", "lead_committee")


@dataclass(frozen=True)
class ConsultationFilters:
    status: str = ""
    year: int | None = None
    kind: str = ""
    text: str = ""


def consultations_of_council(actor: Actor, filters: ConsultationFilters) -> QuerySet[Consultation]:
    if not actor.has(Perm.VIEW_CONSULTATIONS):
        return Consultation.objects.none()
    rows = Consultation.objects.filter(council=actor.council).select_related(*CONSULTATION_JOINS)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.text.strip():
        rows = rows.filter(topic__icontains=filters.text.strip())
    return rows.annotate(speech_count=Count("speeches", distinct=True)).order_by("-starts_at", "-id")


def consultation_status_counts(actor: Actor, year: int | None = None) -> dict[str, int]:
    if not actor.has(Perm.VIEW_CONSULTATIONS):
        return {}
    rows = Consultation.objects.filter(council=actor.council)
    if year:
        rows = rows.filter(year=year)
    return dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def my_consultations(actor: Actor) -> QuerySet[Consultation]:
    """Consultations the actor is invited to as a member, once notified."""
    if actor.member is None or not actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        return Consultation.objects.none()
    return (
        Consultation.objects.filter(council=actor.council, participants__member=actor.member)
        .exclude(status=ConsultationStatus.PREPARING)
        .select_related(*CONSULTATION_JOINS)
        .order_by("-starts_at", "-id")
    )


def access_consultation(actor: Actor, consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.filter(council=actor.council, pk=consultation_id)
        .select_related(*CONSULTATION_JOINS, "plan_item__plan")
        .first()
    )
    if consultation is None or not can.can_view_consultation(actor, consultation):
        raise Http404
    return consultation


def access_deliberation(actor: Actor, deliberation_id: int) -> Deliberation:
    deliberation = (
        Deliberation.objects.filter(council=actor.council, pk=deliberation_id)
        .select_related("consultation")
        .first()
    )
    if deliberation is None or not can.can_view_deliberation(actor, deliberation):
        raise Http404
    return deliberation


def public_deliberation(council_slug: str, deliberation_id: int) -> Deliberation:
    """A deliberation its council opened to the public; no login needed."""
    deliberation = (
        Deliberation.objects.filter(
            council__slug=council_slug, council__is_active=True, pk=deliberation_id, public_enabled=True
        )
        .select_related("council", "consultation")
        .first()
    )
    if deliberation is None:
        raise Http404
    return deliberation


def visible_comments(
    deliberation: Deliberation,
    *,
    user_id: int | None = None,
    identity_id: int | None = None,
    staff: bool = False,
) -> QuerySet[DeliberationComment]:
    """The deliberation's visible comments, most supported first; staff also
    see the hidden ones, and an author (a user, or a verified member of the
    public) their own."""
    rows = DeliberationComment.objects.filter(deliberation=deliberation)
    if not staff:
        own = Q(pk__in=[])
        if user_id:
            own = Q(user_id=user_id)
        elif identity_id:
            own = Q(identity_id=identity_id)
        rows = rows.filter(Q(is_hidden=False) | own)
    return rows.order_by("-support_count", "-created_at")


def access_comment(deliberation: Deliberation, comment_id: int) -> DeliberationComment:
    """A comment of a deliberation the caller has already read through
    access_deliberation or public_deliberation, or Http404."""
    comment = DeliberationComment.objects.filter(deliberation=deliberation, pk=comment_id).first()
    if comment is None:
        raise Http404
    return comment


def public_identity(council: Council, identity_id: int | None) -> PublicIdentity | None:
    """The council's verified member of the public with this id (from their
    session), or None."""
    if not identity_id:
        return None
    return PublicIdentity.objects.filter(council=council, pk=identity_id).first()


def access_draft(actor: Actor, draft_id: int) -> DraftRegulation:
    """Members who may comment, and staff and leaders, read a draft regulation."""
    draft = (
        DraftRegulation.objects.filter(council=actor.council, pk=draft_id)
        .select_related("consultation")
        .first()
    )
    if draft is None or not (can.can_comment(actor, draft) or actor.has(Perm.VIEW_CONSULTATIONS)):
        raise Http404
    return draft


def speeches_of(consultation: Consultation) -> QuerySet[Speech]:
    return (
        Speech.objects.filter(consultation=consultation).select_related("member").order_by("position", "id")
    )


def access_speech(actor: Actor, consultation: Consultation, speech_id: int) -> Speech:
    speech = speeches_of(consultation).filter(council=actor.council, pk=speech_id).first()
    if speech is None:
        raise Http404
    return speech


def activities_of(consultation: Consultation) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(consultation=consultation)
        .prefetch_related("members")
        .order_by("held_on", "id")
    )


def consultations_with_late_minutes(council: Council, today: dt.date) -> QuerySet[Consultation]:
    """Held consultations whose minutes were not sent by their due date."""
    return Consultation.objects.filter(
        council=council,
        status=ConsultationStatus.HELD,
        minutes_sent_at__isnull=True,
        minutes_due_on__lt=today,
    ).order_by("minutes_due_on", "id")


def preparation_to_do(actor: Actor) -> QuerySet[Consultation]:
    """Consultations still being prepared or notified, soonest first (staff work)."""
    if not actor.has(Perm.MANAGE_CONSULTATIONS):
        return Consultation.objects.none()
    return Consultation.objects.filter(
        council=actor.council, status__in=(ConsultationStatus.PREPARING, ConsultationStatus.NOTIFIED)
    ).order_by("starts_at", "id")


def minutes_to_send(actor: Actor) -> QuerySet[Consultation]:
    if not actor.has(Perm.MANAGE_CONSULTATIONS):
        return Consultation.objects.none()
    return Consultation.objects.filter(
        council=actor.council, status=ConsultationStatus.HELD, minutes_sent_at__isnull=True
    ).order_by("minutes_due_on", "id")
