"""Reads of plans, consultations, speeches and outcomes, always within the
actor's council. access_* raise the same Http404 for missing and forbidden
objects. The duty app reads members' speeches and research participations
through speeches_per_member and activity_participations_per_member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.consultations import permissions as can
from xieshang.consultations.models import (
    Activity,
    Consultation,
    ConsultationPlan,
    Deliberation,
    DraftRegulation,
    JointInvitation,
    Outcome,
    OutcomeInstruction,
    PlanItem,
    PlanSuggestion,
    Speech,
    Theme,
    ThemeTag,
)
from xieshang.consultations.states import (
    CONVERTED_ADOPTIONS,
    FINAL_ADOPTIONS,
    HELD_STATUSES,
    ConsultationStatus,
    OutcomeStatus,
    PlanStatus,
)
from xieshang.consultations.taggable import DRAFT, TAGGABLE, TaggableKind
from xieshang.core.calendar import add_working_days
from xieshang.councils.models import Council
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm

# Deadlines ---------------------------------------------------------------------


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


# Plans -------------------------------------------------------------------------


def plans_of_council(actor: Actor) -> QuerySet[ConsultationPlan]:
    if not actor.has(Perm.VIEW_CONSULTATION_PLANS):
        return ConsultationPlan.objects.none()
    rows = ConsultationPlan.objects.filter(council=actor.council)
    if not (actor.has(Perm.MANAGE_CONSULTATIONS) or actor.has(Perm.APPROVE_CONSULTATION_PLANS)):
        rows = rows.exclude(status=PlanStatus.DRAFT)
    return rows.annotate(item_count=Count("items", filter=Q(items__is_withdrawn=False))).order_by("-year")


def access_plan(actor: Actor, plan_id: int) -> ConsultationPlan:
    plan = ConsultationPlan.objects.filter(council=actor.council, pk=plan_id).first()
    if plan is None or not can.can_view_plan(actor, plan):
        raise Http404
    return plan


def _held(item_ref: str = "pk") -> Exists:
    return Exists(Consultation.objects.filter(plan_item=OuterRef(item_ref), status__in=HELD_STATUSES))


def plan_items(plan: ConsultationPlan) -> QuerySet[PlanItem]:
    """The plan's items in order, with whether their consultation was held."""
    return (
        PlanItem.objects.filter(plan=plan)
        .select_related("lead_committee", "partner_unit")
        .prefetch_related("themes")
        .annotate(is_held=_held())
        .order_by("position", "id")
    )


def access_plan_item(actor: Actor, plan: ConsultationPlan, item_id: int) -> PlanItem:
    item = PlanItem.objects.filter(plan=plan, council=actor.council, pk=item_id).first()
    if item is None:
        raise Http404
    return item


def access_plan_item_any(actor: Actor, item_id: int) -> PlanItem:
    """A plan item of the council (from any of its plans) that staff may
    start a consultation from."""
    item = (
        PlanItem.objects.filter(council=actor.council, pk=item_id, is_withdrawn=False)
        .select_related("plan")
        .first()
    )
    if item is None or not can.can_view_plan(actor, item.plan):
        raise Http404
    return item


def plan_suggestions(plan: ConsultationPlan) -> QuerySet[PlanSuggestion]:
    return PlanSuggestion.objects.filter(plan=plan).select_related("item", "office", "author", "decided_by")


def access_suggestion(actor: Actor, plan: ConsultationPlan, suggestion_id: int) -> PlanSuggestion:
    row = plan_suggestions(plan).filter(council=actor.council, pk=suggestion_id).first()
    if row is None:
        raise Http404
    return row


def undecided_items(council: Council, today: dt.date) -> QuerySet[PlanItem]:
    """ "Consult before deciding": items of approved or issued plans whose
    decision date has passed without their consultation being held."""
    return (
        PlanItem.objects.filter(
            council=council,
            is_withdrawn=False,
            decision_expected_on__lt=today,
            plan__status__in=(PlanStatus.APPROVED, PlanStatus.ISSUED),
        )
        .annotate(is_held=_held())
        .filter(is_held=False)
        .select_related("plan", "lead_committee", "partner_unit")
        .order_by("decision_expected_on", "id")
    )


def flagged_items(actor: Actor, today: dt.date) -> QuerySet[PlanItem]:
    """undecided_items, for the staff and leaders who are told about them."""
    if not (actor.has(Perm.VIEW_CONSULTATIONS) and actor.has(Perm.VIEW_CONSULTATION_PLANS)):
        return PlanItem.objects.none()
    return undecided_items(actor.council, today)


def themes_of_council(council: Council) -> QuerySet[Theme]:
    return Theme.objects.filter(council=council).order_by("name")


# Themes on proposals and opinion reports (see taggable.py) ---------------------


@dataclass(frozen=True)
class TaggedItem:
    """A proposal or opinion report of the actor's council, to tag."""

    kind: TaggableKind
    obj: Model
    year: int

    @property
    def title(self) -> str:
        return str(getattr(self.obj, "title", self.obj))

    @property
    def url(self) -> str:
        council = getattr(self.obj, "council")  # noqa: B009 - any tenant model
        return reverse(self.kind.detail_url, kwargs={"council_slug": council.slug, "pk": self.obj.pk})


def access_taggable(actor: Actor, kind_key: str, item_id: int) -> TaggedItem:
    """A filed item of kind in the actor's council that the actor may tag;
    Http404 for an unknown kind, a missing, draft or foreign item, or an
    actor who may not tag it (the same answer for all)."""
    kind = TAGGABLE.get(kind_key)
    if kind is None or not can.can_tag(actor, kind):
        raise Http404
    obj = (
        kind.model.objects.filter(council=actor.council, pk=item_id)  # type: ignore[attr-defined]
        .exclude(status=DRAFT)
        .select_related("council", *kind.joins)
        .first()
    )
    if obj is None:
        raise Http404
    return TaggedItem(kind=kind, obj=obj, year=kind.year_of(obj))


def tags_of(obj: Model) -> QuerySet[ThemeTag]:
    """The themes an item is tagged with, by name."""
    return (
        ThemeTag.objects.filter(
            council_id=obj.council_id,  # type: ignore[attr-defined]
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )
        .select_related("theme")
        .order_by("theme__name", "id")
    )


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


# Joint consultations ---------------------------------------------------------------
# An upper council's consultation seen from a lower council it invited. The
# lower council reads it only through its invitation: its staff and leaders
# see every invitation the council received, its members the accepted ones
# that name them. Nothing here reads another council's rows otherwise.

JOINT_INVITED = "invited"
JOINT_ACCEPTED = "accepted"


def joint_invitations_for(actor: Actor) -> QuerySet[JointInvitation]:
    """The invitations the actor's council received that the actor may see,
    soonest consultation first."""
    rows = JointInvitation.objects.filter(lower_council=actor.council).select_related(
        "consultation", "council"
    )
    if actor.has(Perm.VIEW_CONSULTATIONS):
        return rows.order_by("-consultation__starts_at", "-id")
    if actor.member is not None and actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        return rows.filter(status=JOINT_ACCEPTED, members=actor.member).order_by(
            "-consultation__starts_at", "-id"
        )
    return rows.none()


def access_joint_invitation(actor: Actor, invitation_id: int) -> JointInvitation:
    """An invitation of the actor's council, with its upper council's
    consultation, if the actor may see it; Http404 otherwise."""
    invitation = joint_invitations_for(actor).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def my_joint_invitations(actor: Actor) -> QuerySet[JointInvitation]:
    """Accepted invitations naming the actor as a member (their own list)."""
    if actor.member is None or not actor.has(Perm.SPEAK_AT_CONSULTATIONS):
        return JointInvitation.objects.none()
    return (
        JointInvitation.objects.filter(
            lower_council=actor.council, status=JOINT_ACCEPTED, members=actor.member
        )
        .select_related("consultation", "council")
        .order_by("-consultation__starts_at", "-id")
    )


def upcoming_joint_invitations(actor: Actor, now: dt.datetime) -> QuerySet[JointInvitation]:
    """my_joint_invitations whose consultation is still to be held."""
    return my_joint_invitations(actor).filter(
        consultation__status__in=(ConsultationStatus.PREPARING, ConsultationStatus.NOTIFIED),
        consultation__starts_at__gte=now,
    )


def joint_invitations_to_accept(actor: Actor) -> QuerySet[JointInvitation]:
    """Invitations the actor's council has not answered yet (staff work)."""
    if not actor.has(Perm.MANAGE_CONSULTATIONS):
        return JointInvitation.objects.none()
    return (
        JointInvitation.objects.filter(lower_council=actor.council, status=JOINT_INVITED)
        .exclude(consultation__status=ConsultationStatus.CANCELLED)
        .select_related("consultation", "council")
        .order_by("consultation__starts_at", "id")
    )


# For the duty app ---------------------------------------------------------------


def held_speeches(council: Council, year: int) -> QuerySet[Speech]:
    """Speeches at the council's consultations held in year: one duty fact each."""
    return Speech.objects.filter(
        council=council, consultation__year=year, consultation__status__in=HELD_STATUSES
    ).select_related("consultation", "member")


def speeches_per_member(council: Council, year: int) -> dict[int, int]:
    """member id → speeches made at consultations held in year."""
    rows = held_speeches(council, year).values("member_id").annotate(n=Count("id"))
    return {row["member_id"]: row["n"] for row in rows}


def activity_participations(council: Council, year: int) -> QuerySet[Activity]:
    """Research and inspections of year (by their date), with their members."""
    return (
        Activity.objects.filter(council=council, held_on__year=year)
        .exclude(consultation__status=ConsultationStatus.CANCELLED)
        .prefetch_related("members")
    )


def activity_participations_per_member(council: Council, year: int) -> dict[int, int]:
    """member id → research and inspection activities taken part in during year."""
    through = Activity.members.through
    rows = (
        through.objects.filter(activity__council=council, activity__held_on__year=year)
        .exclude(activity__consultation__status=ConsultationStatus.CANCELLED)
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {row["member_id"]: row["n"] for row in rows}


# Outcomes ----------------------------------------------------------------------

OUTCOME_JOINS = ("consultation",)


def outcomes_of_council(actor: Actor, year: int | None = None) -> QuerySet[Outcome]:
    if not actor.has(Perm.VIEW_CONSULTATIONS):
        return Outcome.objects.none()
    rows = Outcome.objects.filter(council=actor.council).select_related(*OUTCOME_JOINS)
    if year:
        rows = rows.filter(consultation__year=year)
    return rows.order_by("-created_at", "-id")


def outcomes_of(consultation: Consultation) -> QuerySet[Outcome]:
    return Outcome.objects.filter(consultation=consultation).order_by("created_at", "id")


def access_outcome(actor: Actor, outcome_id: int) -> Outcome:
    outcome = (
        Outcome.objects.filter(council=actor.council, pk=outcome_id).select_related("consultation").first()
    )
    if outcome is None or not can.can_view_outcome(actor, outcome):
        raise Http404
    return outcome


def office_outcomes(actor: Actor) -> QuerySet[Outcome]:
    """Outcomes sent to the actor's offices, newest first."""
    if not actor.has(Perm.RECEIVE_OUTCOMES) or not actor.oversight_office_ids:
        return Outcome.objects.none()
    return (
        Outcome.objects.filter(
            council=actor.council,
            offices__in=actor.oversight_office_ids,
            status__in=(OutcomeStatus.SENT, OutcomeStatus.CONVERTED),
        )
        .distinct()
        .select_related(*OUTCOME_JOINS)
        .annotate(instruction_count=Count("instructions", distinct=True))
        .order_by("-sent_at", "-id")
    )


def office_outcomes_waiting(actor: Actor) -> QuerySet[Outcome]:
    """Sent outcomes whose conversion the office has not recorded finally."""
    return office_outcomes(actor).filter(status=OutcomeStatus.SENT)


def instructions_of(outcome: Outcome) -> QuerySet[OutcomeInstruction]:
    return (
        OutcomeInstruction.objects.filter(outcome=outcome)
        .select_related("office")
        .order_by("instructed_on", "id")
    )


def follow_ups_due(council: Council, today: dt.date) -> QuerySet[Outcome]:
    """Sent outcomes whose follow-up date has come."""
    return Outcome.objects.filter(
        council=council, status=OutcomeStatus.SENT, follow_up_on__isnull=False, follow_up_on__lte=today
    ).order_by("follow_up_on", "id")


# Year-end report -----------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    consultation: Consultation
    outcomes: list[Outcome]


@dataclass(frozen=True)
class YearReport:
    council: Council
    year: int
    rows: list[YearRow]
    held: int
    planned: int
    outcome_count: int
    instructed: int
    converted: int
    in_progress: int
    not_adopted: int

    @property
    def conversion_rate(self) -> float | None:
        return None if not self.outcome_count else round(100 * self.converted / self.outcome_count, 1)


def year_report(council: Council, year: int) -> YearReport:
    """All consultations of year and what became of their outcomes."""
    consultations = list(
        Consultation.objects.filter(council=council, year=year)
        .exclude(status=ConsultationStatus.CANCELLED)
        .select_related("plan_item")
        .order_by("starts_at", "id")
    )
    outcomes = list(
        Outcome.objects.filter(council=council, consultation__year=year)
        .exclude(status=OutcomeStatus.DRAFT)
        .prefetch_related("instructions")
        .order_by("created_at", "id")
    )
    by_consultation: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        by_consultation.setdefault(outcome.consultation_id, []).append(outcome)
    planned = PlanItem.objects.filter(council=council, plan__year=year, is_withdrawn=False).count()
    return YearReport(
        council=council,
        year=year,
        rows=[YearRow(c, by_consultation.get(c.pk, [])) for c in consultations],
        held=sum(1 for c in consultations if c.status in HELD_STATUSES),
        planned=planned,
        outcome_count=len(outcomes),
        instructed=sum(1 for o in outcomes if o.instructions.all()),
        converted=sum(1 for o in outcomes if o.adoption in CONVERTED_ADOPTIONS),
        in_progress=sum(1 for o in outcomes if o.adoption not in FINAL_ADOPTIONS),
        not_adopted=sum(1 for o in outcomes if o.adoption == "not_adopted"),
    )
