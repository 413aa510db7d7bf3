"""Reads of duty records, rules and assessments, always within one council."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import Http404

from xieshang.accounts.models import User
from xieshang.councils.models import Council, CouncilRole, Member, Role
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Actor, Perm
from xieshang.duty.models import DutyAssessment, DutyFreshness, DutyRecord, DutyScore, ScoringRule
from xieshang.duty.permissions import can_see_result, can_view_member_duty
from xieshang.duty.scoring import (
    MemberScore,
    RecordFact,
    Rule,
    RuleTable,
    default_table,
    median,
    score_members,
)
from xieshang.duty.states import DEFAULT_GRADE_BANDS, AssessmentStatus, DutyKind, Grade

REVIEWER_ROLES = (Role.STAFF, Role.COUNCIL_ADMIN, Role.LEADER)


def rule_rows(council: Council, year: int) -> list[ScoringRule]:
    return list(ScoringRule.objects.filter(council=council, year=year).order_by("id"))


def rules_for(council: Council, year: int) -> RuleTable:
    """The year's scoring table, or DOMAIN.md's defaults when the council has
    set none for that year (is_default tells the page to say so)."""
    rows = rule_rows(council, year)
    bands = grade_bands(council, year)
    if not rows:
        return default_table(bands)
    return RuleTable.of(
        (
            Rule(
                kind=r.kind,
                points=r.points,
                cosigner_points=r.cosigner_points,
                cap_per_year=r.cap_per_year,
                shares_cap_of=r.shares_cap_of,
            )
            for r in rows
        ),
        bands=bands,
    )


def grade_bands(council: Council, year: int) -> tuple[int, int, int]:
    """The lowest scores of excellent, good and competent for year: the
    council's setting when it names three different scores, else DOMAIN.md's."""
    value = get_setting(council, "duty_grade_bands", year=year)
    bands = sorted({int(v) for v in value}, reverse=True) if isinstance(value, list) else []
    if len(bands) != 3:
        return DEFAULT_GRADE_BANDS
    return (bands[0], bands[1], bands[2])


def assessed_members(council: Council) -> QuerySet[Member]:
    """The members a year's assessment covers: those seated in the council."""
    return Member.objects.filter(council=council, is_active=True).order_by("full_name", "id")


def record_facts(council: Council, year: int, member_ids: Sequence[int] | None = None) -> list[RecordFact]:
    rows = DutyRecord.objects.filter(council=council, year=year)
    if member_ids is not None:
        rows = rows.filter(member_id__in=member_ids)
    return [
        RecordFact(member_id=m, kind=k, role=r, points=p, is_manual=manual)
        for m, k, r, p, manual in rows.values_list(
            "member_id", "kind", "role", "points", "is_manual"
        ).iterator(chunk_size=5000)
    ]


def council_scores(council: Council, year: int, table: RuleTable | None = None) -> dict[int, MemberScore]:
    """Every seated member's score for year (under table, default the year's)."""
    member_ids = list(assessed_members(council).values_list("id", flat=True))
    return score_members(member_ids, record_facts(council, year), table or rules_for(council, year))


def own_member(actor: Actor) -> Member | None:
    """The seat whose duty record is the actor's own: a member's, or that of a
    leader who is a seated member too (leaders are members as well)."""
    if actor.member is not None or not actor.has(Perm.VIEW_OWN_DUTY):
        return actor.member
    return (
        Member.objects.filter(council=actor.council, user=actor.user, is_active=True)
        .select_related("sector", "affiliation")
        .order_by("-term__number")
        .first()
    )


def access_member_duty(actor: Actor, member_id: int) -> Member:
    """The member whose duty record the actor may see, or Http404."""
    member = (
        Member.objects.filter(council=actor.council, pk=member_id)
        .select_related("sector", "affiliation")
        .first()
    )
    if member is None or not can_view_member_duty(actor, member):
        raise Http404
    return member


def member_records(member: Member, year: int, kind: str = "") -> QuerySet[DutyRecord]:
    rows = DutyRecord.objects.filter(council_id=member.council_id, member=member, year=year)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("reviewer", "created_by").order_by("-occurred_on", "-id")


def freshness_of(member: Member) -> DutyFreshness | None:
    """When member's automatic records were last brought up to date, and
    whether a refresh is waiting (None: never rebuilt yet)."""
    return DutyFreshness.objects.filter(member=member).first()


def access_record(actor: Actor, record_id: int) -> DutyRecord:
    record = DutyRecord.objects.filter(council=actor.council, pk=record_id).select_related("member").first()
    if record is None or not can_view_member_duty(actor, record.member):
        raise Http404
    return record


def reviewers(council: Council) -> QuerySet[User]:
    """People who may review a manual record: staff, administrators, leaders."""
    ids = CouncilRole.objects.filter(council=council, role__in=REVIEWER_ROLES).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "id")


@dataclass(frozen=True)
class KindPoints:
    kind: str
    label: str
    count: int
    points: int


@dataclass(frozen=True)
class MemberSummary:
    member: Member
    year: int
    score: MemberScore
    by_kind: list[KindPoints]
    council_median: float | None
    table: RuleTable


def member_summary(member: Member, year: int) -> MemberSummary:
    """The member's year: score, points by kind, and the council's median
    score (the median only: never other members' names or scores)."""
    council = member.council
    table = rules_for(council, year)
    own = score_members([member.pk], record_facts(council, year, [member.pk]), table)[member.pk]
    counts = Counter(member_records(member, year).values_list("kind", flat=True))
    labels = dict(DutyKind.choices)
    by_kind = [
        KindPoints(kind=k, label=str(labels.get(k, k)), count=counts.get(k, 0), points=own.by_kind.get(k, 0))
        for k in DutyKind
        if k != DutyKind.BASE and (counts.get(k) or own.by_kind.get(k))
    ]
    return MemberSummary(
        member=member,
        year=year,
        score=own,
        by_kind=by_kind,
        council_median=council_median(council, year, table),
        table=table,
    )


MEDIAN_CACHE_SECONDS = 600


def council_median(council: Council, year: int, table: RuleTable) -> float | None:
    """The median score of the council's seated members in year.

    Scoring the whole council for every member's page is the slow part of
    that page, so the median is cached under a key that changes whenever a
    record or a seated member is added or removed, or the rules change (an
    automatic record's role changing in place is caught by the expiry).
    """
    records = DutyRecord.objects.filter(council=council, year=year).aggregate(n=Count("id"), last=Max("id"))
    seated = assessed_members(council).aggregate(n=Count("id"), last=Max("id"))
    signature = repr((council.pk, year, records, seated, sorted(table.rules.items())))
    key = "duty.median:" + hashlib.sha256(signature.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cast(float | None, cached["median"])
    value = median([s.total for s in council_scores(council, year, table).values()])
    cache.set(key, {"median": value}, MEDIAN_CACHE_SECONDS)
    return value


@dataclass(frozen=True)
class RankedMember:
    rank: int
    member: Member
    score: MemberScore


@dataclass(frozen=True)
class CouncilOverview:
    year: int
    ranking: list[RankedMember]
    grade_counts: dict[str, int]
    no_activity: list[Member]
    council_median: float | None
    table: RuleTable


def council_overview(council: Council, year: int) -> CouncilOverview:
    """Staff's view of the year: members ranked by score (ties share a rank),
    how many fall in each grade, and who has no record at all."""
    table = rules_for(council, year)
    members = list(assessed_members(council).select_related("sector"))
    scores = score_members([m.pk for m in members], record_facts(council, year), table)
    ordered = sorted(members, key=lambda m: (-scores[m.pk].total, m.full_name, m.pk))
    ranking: list[RankedMember] = []
    previous: int | None = None
    rank = 0
    for position, member in enumerate(ordered, start=1):
        total = scores[member.pk].total
        if total != previous:
            rank, previous = position, total
        ranking.append(RankedMember(rank=rank, member=member, score=scores[member.pk]))
    grades = Counter(s.grade for s in scores.values())
    return CouncilOverview(
        year=year,
        ranking=ranking,
        grade_counts={g.value: grades.get(g, 0) for g in Grade},
        no_activity=[m for m in ordered if scores[m.pk].record_count == 0],
        council_median=median([s.total for s in scores.values()]),
        table=table,
    )


def assessment_for(council: Council, year: int) -> DutyAssessment | None:
    return DutyAssessment.objects.filter(council=council, year=year).first()


def access_assessment(actor: Actor, year: int) -> DutyAssessment:
    """The year's assessment for those who may see all duty, or Http404."""
    assessment = assessment_for(actor.council, year) if actor.has(Perm.VIEW_ALL_DUTY) else None
    if assessment is None:
        raise Http404
    return assessment


def assessment_scores(assessment: DutyAssessment) -> QuerySet[DutyScore]:
    return assessment.scores.select_related("member", "member__sector").order_by(
        "-score", "member__full_name", "id"
    )


def access_score(actor: Actor, assessment: DutyAssessment, score_id: int) -> DutyScore:
    row = DutyScore.objects.filter(assessment=assessment, pk=score_id).select_related("member").first()
    if row is None or not can_see_result(actor, assessment, row.member):
        raise Http404
    return row


def own_result(member: Member, year: int) -> DutyScore | None:
    """The member's published result for year, or None (not yet published)."""
    return (
        DutyScore.objects.filter(
            assessment__council_id=member.council_id,
            assessment__year=year,
            assessment__status=AssessmentStatus.PUBLISHED,
            member=member,
        )
        .select_related("assessment")
        .first()
    )


def published_years(member: Member) -> list[int]:
    return list(
        DutyScore.objects.filter(member=member, assessment__status=AssessmentStatus.PUBLISHED)
        .order_by("-assessment__year")
        .values_list("assessment__year", flat=True)
    )


@dataclass(frozen=True)
class MemberReport:
    """What the annual duty report of one member shows."""

    summary: MemberSummary
    records: list[DutyRecord]
    result: DutyScore | None  # the assessment line, when the year has one


def assessment_line(member: Member, year: int, *, include_draft: bool) -> DutyScore | None:
    """The member's line in the year's assessment: only once published,
    unless include_draft (for staff preparing the assessment)."""
    result = (
        DutyScore.objects.filter(
            assessment__council_id=member.council_id, assessment__year=year, member=member
        )
        .select_related("assessment")
        .first()
    )
    if result is not None and not include_draft and not result.assessment.is_published:
        return None
    return result


def member_report(member: Member, year: int, *, include_draft: bool) -> MemberReport:
    """The member's annual report (see assessment_line for include_draft)."""
    return MemberReport(
        summary=member_summary(member, year),
        records=list(member_records(member, year)),
        result=assessment_line(member, year, include_draft=include_draft),
    )
