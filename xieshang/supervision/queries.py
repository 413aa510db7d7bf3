"""Reads of democratic supervision, always filtered by the actor's council
first. access_* functions raise the same Http404 for a missing object and
for one the actor may not see."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from xieshang.councils.models import Council, HandlingUnit, Member, MemberGroup, MemberGroupKind
from xieshang.councils.roles import Actor, Perm
from xieshang.supervision.models import (
    Inspection,
    InspectionRound,
    LetterReply,
    Problem,
    Recommendation,
    RecommendationLetter,
    RecommendationReply,
    ResidentSupervision,
    SpecialReport,
    SupervisionActivity,
    SupervisionAppraisal,
    SupervisionCampaign,
    SupervisionTarget,
    TargetAssignment,
    TargetKind,
)
from xieshang.supervision.states import AWAITING_REPLY, ProblemStatus, RecommendationStatus, TargetState


def target_kinds(council: Council, *, active_only: bool = False) -> QuerySet[TargetKind]:
    rows = TargetKind.objects.filter(council=council)
    return rows.filter(is_active=True) if active_only else rows


def units_of(council: Council) -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(council=council, is_active=True).order_by("name")


def groups_of(council: Council, kind: str) -> QuerySet[MemberGroup]:
    return MemberGroup.objects.filter(council=council, kind=kind, is_active=True).order_by("name")


def contact_groups(council: Council) -> QuerySet[MemberGroup]:
    return groups_of(council, MemberGroupKind.CONTACT)


def supervisor_groups(council: Council) -> QuerySet[MemberGroup]:
    return groups_of(council, MemberGroupKind.SUPERVISORS)


def seated_members(council: Council) -> QuerySet[Member]:
    return Member.objects.filter(council=council, is_active=True).order_by("full_name", "id")


def member_in_group(actor: Actor, group_id: int) -> bool:
    return actor.member is not None and actor.member.groups.filter(pk=group_id).exists()


# ---------------------------------------------------------------- campaigns


def visible_campaigns(actor: Actor) -> QuerySet[SupervisionCampaign]:
    if not actor.has(Perm.VIEW_SUPERVISION):
        return SupervisionCampaign.objects.none()
    return SupervisionCampaign.objects.filter(council=actor.council)


def access_campaign(actor: Actor, pk: int) -> SupervisionCampaign:
    campaign = visible_campaigns(actor).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _count(model: type, field: str, **filters: object) -> Coalesce:
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")}, **filters)  # type: ignore[attr-defined]
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def targets_with_state(campaign: SupervisionCampaign) -> QuerySet[SupervisionTarget]:
    """The campaign's targets with their inspection and problem counts, in
    one query whatever their number (the state is read from the counts)."""
    return (
        SupervisionTarget.objects.filter(campaign=campaign)
        .select_related("kind", "handling_unit")
        .annotate(
            inspection_count=_count(Inspection, "target"),
            problem_count=_count(Problem, "target"),
            open_problem_count=_count(Problem, "target", status=ProblemStatus.OPEN),
        )
    )


def state_of(inspections: int, open_problems: int) -> str:
    """not inspected, problems open, or all resolved."""
    if not inspections:
        return TargetState.NOT_INSPECTED
    return TargetState.PROBLEMS_OPEN if open_problems else TargetState.RESOLVED


def target_state(target: SupervisionTarget) -> str:
    """A target's state, from the counts targets_with_state annotates."""
    return state_of(getattr(target, "inspection_count", 0), getattr(target, "open_problem_count", 0))


def access_target(actor: Actor, campaign: SupervisionCampaign, pk: int) -> SupervisionTarget:
    target = targets_with_state(campaign).filter(pk=pk).first()
    if target is None or not actor.has(Perm.VIEW_SUPERVISION):
        raise Http404
    return target


def rounds_of(campaign: SupervisionCampaign) -> QuerySet[InspectionRound]:
    return InspectionRound.objects.filter(campaign=campaign)


def assignments_of(campaign: SupervisionCampaign) -> QuerySet[TargetAssignment]:
    return TargetAssignment.objects.filter(campaign=campaign).select_related("group", "target")


def in_assigned_group(actor: Actor, target: SupervisionTarget) -> bool:
    """Is the actor a member of a group assigned to target?"""
    if actor.member is None:
        return False
    groups = TargetAssignment.objects.filter(target=target).values("group_id")
    return actor.member.groups.filter(pk__in=groups).exists()


def my_targets(actor: Actor, campaign: SupervisionCampaign) -> QuerySet[SupervisionTarget]:
    """The targets of campaign that a group of the actor is assigned to."""
    if actor.member is None:
        return SupervisionTarget.objects.none()
    groups = actor.member.groups.values("pk")
    return SupervisionTarget.objects.filter(campaign=campaign, assignments__group_id__in=groups).distinct()


def inspections_of(campaign: SupervisionCampaign) -> QuerySet[Inspection]:
    return Inspection.objects.filter(campaign=campaign).select_related("target", "group", "round")


def access_inspection(actor: Actor, pk: int) -> Inspection:
    inspection = (
        Inspection.objects.filter(council=actor.council, pk=pk)
        .select_related("campaign", "target__handling_unit", "group", "round", "recorded_by")
        .first()
    )
    if inspection is None or not actor.has(Perm.VIEW_SUPERVISION):
        raise Http404
    return inspection


def problems_of(inspection: Inspection) -> QuerySet[Problem]:
    return inspection.problems.select_related("handling_unit", "recommendation")


def open_problems(campaign: SupervisionCampaign, unit: HandlingUnit | None = None) -> QuerySet[Problem]:
    """Problems not yet covered by a recommendation."""
    rows = Problem.objects.filter(
        inspection__campaign=campaign, status=ProblemStatus.OPEN, recommendation__isnull=True
    )
    if unit is not None:
        rows = rows.filter(handling_unit=unit)
    return rows.select_related("target", "handling_unit")


# ---------------------------------------------------------------- recommendations


def visible_recommendations(actor: Actor) -> QuerySet[Recommendation]:
    rows = Recommendation.objects.filter(council=actor.council)
    if not actor.has(Perm.VIEW_SUPERVISION):
        if not actor.has(Perm.ANSWER_SUPERVISION):
            return rows.none()
        rows = rows.filter(handling_unit_id__in=actor.handling_unit_ids)
    return rows.select_related("handling_unit", "campaign")


def access_recommendation(actor: Actor, pk: int) -> Recommendation:
    row = visible_recommendations(actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def replies_of(recommendation: Recommendation) -> QuerySet[RecommendationReply]:
    return recommendation.replies.select_related("replied_by")


# ---------------------------------------------------------------- resident supervision


def visible_postings(actor: Actor) -> QuerySet[ResidentSupervision]:
    rows = ResidentSupervision.objects.filter(council=actor.council)
    if not actor.has(Perm.VIEW_SUPERVISION):
        if not actor.has(Perm.ANSWER_SUPERVISION):
            return rows.none()
        rows = rows.filter(handling_unit_id__in=actor.handling_unit_ids)
    return rows.select_related("group", "handling_unit", "leader")


def access_posting(actor: Actor, pk: int) -> ResidentSupervision:
    row = visible_postings(actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def activities_of(posting: ResidentSupervision) -> QuerySet[SupervisionActivity]:
    return posting.activities.prefetch_related("participants")


def appraisals_of(posting: ResidentSupervision) -> QuerySet[SupervisionAppraisal]:
    return posting.appraisals.all()


def visible_letters(actor: Actor) -> QuerySet[RecommendationLetter]:
    rows = RecommendationLetter.objects.filter(council=actor.council)
    if not actor.has(Perm.VIEW_SUPERVISION):
        if not actor.has(Perm.ANSWER_SUPERVISION):
            return rows.none()
        rows = rows.filter(handling_unit_id__in=actor.handling_unit_ids)
    return rows.select_related("handling_unit", "posting__group")


def access_letter(actor: Actor, pk: int) -> RecommendationLetter:
    row = visible_letters(actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def letter_replies(letter: RecommendationLetter) -> QuerySet[LetterReply]:
    return letter.replies.select_related("replied_by")


def unit_open_letters(actor: Actor) -> QuerySet[RecommendationLetter]:
    """Letters and their rework requests waiting for the actor's unit."""
    if not actor.has(Perm.ANSWER_SUPERVISION):
        return RecommendationLetter.objects.none()
    return visible_letters(actor).filter(
        handling_unit_id__in=actor.handling_unit_ids, status__in=AWAITING_REPLY
    )


def unit_open_recommendations(actor: Actor) -> QuerySet[Recommendation]:
    if not actor.has(Perm.ANSWER_SUPERVISION):
        return Recommendation.objects.none()
    return visible_recommendations(actor).filter(
        handling_unit_id__in=actor.handling_unit_ids, status=RecommendationStatus.SENT
    )


# ---------------------------------------------------------------- special reports


def visible_reports(actor: Actor) -> QuerySet[SpecialReport]:
    if not (actor.has(Perm.VIEW_SUPERVISION) or actor.has(Perm.INSTRUCT_SUPERVISION)):
        return SpecialReport.objects.none()
    return SpecialReport.objects.filter(council=actor.council).select_related("campaign")


def access_report(actor: Actor, pk: int) -> SpecialReport:
    row = visible_reports(actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def next_number(model: type, council: Council, year: int) -> int:
    """The next number of a letter or report in council's year."""
    last = (
        model._default_manager.filter(council=council, year=year)  # type: ignore[attr-defined]
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def report_rows(report: SpecialReport) -> dict[str, object]:
    """What a special report compiles: the period's inspections, problems,
    recommendations and their answers."""
    campaign = report.campaign
    period = Q(inspected_on__gte=report.period_start, inspected_on__lte=report.period_end)
    inspections = Inspection.objects.filter(period, campaign=campaign)
    problems = Problem.objects.filter(inspection__in=inspections).select_related("target", "handling_unit")
    recommendations = (
        Recommendation.objects.filter(
            campaign=campaign, sent_on__gte=report.period_start, sent_on__lte=report.period_end
        )
        .select_related("handling_unit")
        .prefetch_related("replies")
    )
    return {
        "inspections": inspections.count(),
        "unannounced": inspections.filter(is_unannounced=True).count(),
        "problems": list(problems),
        "recommendations": list(recommendations),
    }


def inspection_participants(actor: Actor, campaign: SupervisionCampaign) -> QuerySet[Member]:
    """Whom an inspection may name as taking part: the members of the groups
    assigned in the campaign (for a member, of their own assigned groups)."""
    assigned = TargetAssignment.objects.filter(campaign=campaign)
    if not actor.has(Perm.MANAGE_SUPERVISION):
        if actor.member is None:
            return Member.objects.none()
        assigned = assigned.filter(group__in=actor.member.groups.all())
    return seated_members(actor.council).filter(groups__in=assigned.values("group_id")).distinct()


def inspection_targets(actor: Actor, campaign: SupervisionCampaign) -> QuerySet[SupervisionTarget]:
    if actor.has(Perm.MANAGE_SUPERVISION):
        return SupervisionTarget.objects.filter(campaign=campaign)
    return my_targets(actor, campaign)


def campaign_targets(campaign: SupervisionCampaign) -> QuerySet[SupervisionTarget]:
    return SupervisionTarget.objects.filter(campaign=campaign)


def campaign_problems(campaign: SupervisionCampaign) -> QuerySet[Problem]:
    return Problem.objects.filter(inspection__campaign=campaign).select_related("inspection")
