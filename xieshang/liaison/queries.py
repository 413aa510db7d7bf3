"""Reads of liaison data, always filtered by the actor's council first.

access_* functions raise the same Http404 for a missing object and for one
the actor may not see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from xieshang.accounts.models import User
from xieshang.councils.models import CouncilRole, Member, Role
from xieshang.councils.roles import Actor, Perm
from xieshang.liaison.models import Concern, ConcernNote, Constituent, LiaisonVisit, PlannedVisit, VisitPlan
from xieshang.liaison.states import UNRESOLVED


def leaders_of(council_id: int) -> QuerySet[User]:
    """The chair-meeting members (主席, 副主席, 秘书长): users with the leader role."""
    return (
        User.objects.filter(council_roles__council_id=council_id, council_roles__role=Role.LEADER)
        .distinct()
        .order_by("id")
    )


def leader_titles(council_id: int) -> dict[int, str]:
    rows = CouncilRole.objects.filter(council_id=council_id, role=Role.LEADER).values_list("user_id", "title")
    return {user_id: title for user_id, title in rows}


def seated_members(council_id: int) -> QuerySet[Member]:
    return Member.objects.filter(council_id=council_id, is_active=True).order_by("full_name", "id")


def plans_of_year(actor: Actor, year: int) -> QuerySet[VisitPlan]:
    return VisitPlan.objects.filter(council=actor.council, year=year).select_related("leader")


def plan_rows(plan: VisitPlan) -> QuerySet[PlannedVisit]:
    return plan.rows.select_related("member")


def visible_visits(actor: Actor) -> QuerySet[LiaisonVisit]:
    """Visits the actor may read: all for staff and leaders, their own for a
    member (the visits made to them)."""
    rows = LiaisonVisit.objects.filter(council=actor.council)
    if not actor.has(Perm.VIEW_ALL_LIAISON):
        if actor.member is None:
            return rows.none()
        rows = rows.filter(member=actor.member)
    return rows.select_related("member")


def access_visit(actor: Actor, pk: int) -> LiaisonVisit:
    visit = visible_visits(actor).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


@dataclass(frozen=True)
class ConcernFilters:
    status: str = ""
    year: int | None = None
    overdue: bool = False


def concerns_raised_at(visit: LiaisonVisit) -> QuerySet[Concern]:
    """The concerns raised at a visit the caller has read through access_visit."""
    return Concern.objects.filter(visit=visit).select_related("handling_unit", "oversight_office")


def visible_concerns(actor: Actor) -> QuerySet[Concern]:
    """Concerns the actor may read: all for staff and leaders; those of their
    unit or office for a unit liaison or office user; their own for a member."""
    rows = Concern.objects.filter(council=actor.council)
    if not actor.has(Perm.VIEW_ALL_LIAISON):
        allowed = Q(pk__in=[])
        if actor.has(Perm.HANDLE_CONCERNS):
            allowed |= Q(handling_unit_id__in=actor.handling_unit_ids)
            allowed |= Q(oversight_office_id__in=actor.oversight_office_ids)
        if actor.member is not None:
            allowed |= Q(member=actor.member)
        rows = rows.filter(allowed)
    return rows.select_related("member", "handling_unit", "oversight_office")


def filtered_concerns(actor: Actor, filters: ConcernFilters) -> QuerySet[Concern]:
    rows = visible_concerns(actor)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.overdue:
        rows = rows.filter(status__in=UNRESOLVED, overdue_since__isnull=False)
    return rows


def access_concern(actor: Actor, pk: int) -> Concern:
    concern = visible_concerns(actor).select_related("visit").filter(pk=pk).first()
    if concern is None:
        raise Http404
    return concern


def notes_of(concern: Concern) -> QuerySet[ConcernNote]:
    return concern.notes.select_related("author")


def my_constituents(actor: Actor) -> QuerySet[Constituent]:
    if actor.member is None:
        return Constituent.objects.none()
    return Constituent.objects.filter(council=actor.council, member=actor.member)


def constituents_of(actor: Actor, member: Member) -> QuerySet[Constituent]:
    """A member's list, for recording a visit to them."""
    return Constituent.objects.filter(council=actor.council, member=member, is_active=True)


def access_constituent(actor: Actor, pk: int) -> Constituent:
    """Only the member who keeps the constituent reaches it by id."""
    constituent = my_constituents(actor).filter(pk=pk).first()
    if constituent is None:
        raise Http404
    return constituent


def unit_open_concerns(actor: Actor) -> QuerySet[Concern]:
    """Unresolved concerns assigned to the actor's unit or office."""
    if not actor.has(Perm.HANDLE_CONCERNS):
        return Concern.objects.none()
    return Concern.objects.filter(
        Q(handling_unit_id__in=actor.handling_unit_ids)
        | Q(oversight_office_id__in=actor.oversight_office_ids),
        council=actor.council,
        status__in=UNRESOLVED,
    ).order_by("due_on", "id")


def overdue_count(actor: Actor) -> int:
    return Concern.objects.filter(
        council=actor.council, status__in=UNRESOLVED, overdue_since__isnull=False
    ).count()


def planned_not_visited(actor: Actor, year: int, month: int) -> QuerySet[PlannedVisit]:
    """The actor's planned visits of a month not yet recorded."""
    visited = LiaisonVisit.objects.filter(council=actor.council, leaders=actor.user, year=year).values(
        "member_id"
    )
    return (
        PlannedVisit.objects.filter(
            council=actor.council, plan__leader=actor.user, plan__year=year, month=month
        )
        .exclude(member_id__in=visited)
        .select_related("member")
    )
