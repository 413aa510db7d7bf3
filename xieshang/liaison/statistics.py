"""The year's liaison figures, as councils publish them: members visited,
constituents reached, concerns raised, resolved and open — per leader and
overall. Counted in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from xieshang.councils.models import Council
from xieshang.liaison.models import Concern, LiaisonVisit
from xieshang.liaison.queries import leader_titles, leaders_of
from xieshang.liaison.states import UNRESOLVED, ConcernStatus


@dataclass(frozen=True)
class LiaisonRow:
    name: str
    title: str
    visits: int
    members_visited: int
    constituents_reached: int
    concerns_raised: int
    concerns_resolved: int
    concerns_open: int


@dataclass(frozen=True)
class LiaisonFigures:
    year: int
    overall: LiaisonRow
    by_leader: list[LiaisonRow]
    concerns_closed: int
    concerns_overdue: int

    @property
    def resolution_rate(self) -> float | None:
        raised = self.overall.concerns_raised
        return round(100 * self.overall.concerns_resolved / raised, 1) if raised else None


def year_figures(council: Council, year: int) -> LiaisonFigures:
    visits = LiaisonVisit.objects.filter(council=council, year=year)
    visit_leaders = list(visits.values_list("pk", "member_id", "leaders"))
    met = list(
        LiaisonVisit.constituents.through.objects.filter(liaisonvisit__in=visits).values_list(
            "liaisonvisit_id", "constituent_id"
        )
    )
    concerns = list(
        Concern.objects.filter(council=council, year=year).values_list("visit_id", "status", "overdue_since")
    )

    constituents_of_visit: dict[int, set[int]] = defaultdict(set)
    for visit_id, constituent_id in met:
        constituents_of_visit[visit_id].add(constituent_id)
    concerns_of_visit: dict[int, list[str]] = defaultdict(list)
    for visit_id, status, _overdue in concerns:
        concerns_of_visit[visit_id].append(status)

    def row(name: str, title: str, visit_ids: set[int], member_ids: set[int]) -> LiaisonRow:
        reached: set[int] = set()
        statuses: list[str] = []
        for visit_id in visit_ids:
            reached |= constituents_of_visit[visit_id]
            statuses.extend(concerns_of_visit[visit_id])
        return LiaisonRow(
            name=name,
            title=title,
            visits=len(visit_ids),
            members_visited=len(member_ids),
            constituents_reached=len(reached),
            concerns_raised=len(statuses),
            concerns_resolved=sum(1 for s in statuses if s == ConcernStatus.RESOLVED),
            concerns_open=sum(1 for s in statuses if s in UNRESOLVED),
        )

    per_leader_visits: dict[int, set[int]] = defaultdict(set)
    per_leader_members: dict[int, set[int]] = defaultdict(set)
    all_visits: set[int] = set()
    all_members: set[int] = set()
    for visit_id, member_id, leader_id in visit_leaders:
        all_visits.add(visit_id)
        all_members.add(member_id)
        if leader_id is not None:
            per_leader_visits[leader_id].add(visit_id)
            per_leader_members[leader_id].add(member_id)
    titles = leader_titles(council.pk)
    by_leader = [
        row(
            leader.display_name,
            titles.get(leader.pk, ""),
            per_leader_visits[leader.pk],
            per_leader_members[leader.pk],
        )
        for leader in leaders_of(council.pk)
    ]
    return LiaisonFigures(
        year=year,
        overall=row("", "", all_visits, all_members),
        by_leader=by_leader,
        concerns_closed=sum(1 for _v, s, _o in concerns if s == ConcernStatus.CLOSED),
        concerns_overdue=sum(1 for _v, s, o in concerns if s in UNRESOLVED and o is not None),
    )


def status_counts(council: Council, year: int) -> dict[str, int]:
    rows = Concern.objects.filter(council=council, year=year).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}
