"""The duty API: records, rules and the yearly assessment, with the same
permissions and actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Overlay,
    Page,
    PageQuery,
    Printable,
    paginate,
)
from xieshang.core.errors import require
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.queries import council_row
from xieshang.councils.roles import Actor, Perm
from xieshang.duty import actions
from xieshang.duty.models import DESCRIPTION_MAX, REASON_MAX, DutyAssessment, DutyRecord, DutyScore
from xieshang.duty.permissions import can_see_result
from xieshang.duty.queries import (
    CouncilOverview,
    RankedMember,
    access_assessment,
    access_member_duty,
    access_score,
    assessed_members,
    assessment_scores,
    council_overview,
    member_records,
    member_summary,
    own_result,
    record_facts,
    reviewers,
    rules_for,
)
from xieshang.duty.scoring import Rule, RuleTable, preview, validate_rules
from xieshang.duty.states import DutyKind

router = Router(tags=["duty"])

Year = Annotated[int, Field(ge=2000, le=2100, description="The duty year, e.g. 2026.")]
Points = Annotated[int, Field(ge=-1000, le=1000)]


class RecordOut(Schema):
    id: int
    member_id: int
    year: int
    kind: str
    points: int
    role: str
    occurred_on: dt.date
    description: str
    is_manual: bool
    source_type: str | None
    source_id: int | None
    reviewer_id: int | None

    @staticmethod
    def resolve_source_type(record: DutyRecord) -> str | None:
        return record.source_type.model if record.source_type_id and record.source_type else None


class RecordFilters(PageQuery):
    member_id: ObjectId | None = Field(
        None, description="Staff: whose records. Members always get their own."
    )
    year: Year | None = None
    kind: DutyKind | None = None


class ManualRecordIn(Schema):
    kind: DutyKind
    points: Points
    occurred_on: dt.date
    description: Annotated[str, Field(min_length=1, max_length=DESCRIPTION_MAX), Printable]
    reviewer_id: ObjectId


class KindPointsOut(Schema):
    kind: str
    count: int
    points: int


class SummaryOut(Schema):
    member_id: int
    year: int
    total: int
    base: int
    grade: str
    by_kind: list[KindPointsOut]
    capped: list[str]
    council_median: float | None
    default_rules: bool


class RuleIO(Schema):
    kind: DutyKind
    points: Points
    cosigner_points: Points | None = None
    cap_per_year: int | None = Field(
        None, ge=-100000, le=100000, description="Negative caps are refused (400)."
    )
    shares_cap_of: DutyKind | None = None


class RulesIn(Schema):
    rules: list[RuleIO] = Field(..., min_length=1, max_length=40)


class RulesOut(Schema):
    year: int
    is_default: bool
    rules: list[RuleIO]
    grade_bands: list[int] = Field(
        ..., description="Lowest scores of excellent, good and competent (council setting duty_grade_bands)."
    )


class PreviewOut(Schema):
    members: int
    score_changes: int
    grade_changes: int


class ScoreOut(Schema):
    id: int
    member_id: int
    member_name: str
    computed: int
    adjustment: int
    adjustment_reason: str
    score: int
    grade: str

    @staticmethod
    def resolve_member_name(score: DutyScore) -> str:
        return score.member.full_name


class AssessmentOut(Schema):
    year: int
    status: str
    opened_at: dt.datetime
    computed_at: dt.datetime | None
    published_at: dt.datetime | None
    members: int

    @staticmethod
    def resolve_members(assessment: DutyAssessment) -> int:
        return assessment.scores.count()


class AdjustIn(Schema):
    adjustment: Annotated[int, Field(ge=-100, le=100)]
    reason: Annotated[str, Field(max_length=REASON_MAX), Printable] = ""


def _rules_answer(year: int, table: RuleTable) -> RulesOut:
    # A rule without a shared cap says so with None rather than "".
    rules = [
        RuleIO.model_validate(Overlay(r, shares_cap_of=r.shares_cap_of or None)) for r in table.rules.values()
    ]
    return RulesOut(year=year, is_default=table.is_default, grade_bands=list(table.bands), rules=rules)


def _rules_in(payload: RulesIn) -> list[Rule]:
    return [
        Rule(
            kind=r.kind,
            points=r.points,
            cosigner_points=r.cosigner_points,
            cap_per_year=r.cap_per_year,
            shares_cap_of=r.shares_cap_of or "",
        )
        for r in payload.rules
    ]


def _duty_actor(request: HttpRequest, council_slug: str) -> Actor:
    actor = council_actor(request, council_slug, None)
    require(actor.has(Perm.VIEW_ALL_DUTY) or actor.has(Perm.VIEW_OWN_DUTY))
    return actor


@router.get("/c/{council_slug}/duty/records", response={200: Page[RecordOut], **ERROR_RESPONSES})
def list_duty_records(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[RecordFilters]
) -> dict[str, Any]:
    """Duty records of one member and year (default: the requester's own, this
    year), newest first. Members see only their own."""
    actor = _duty_actor(request, council_slug)
    if filters.member_id is not None:
        member = access_member_duty(actor, filters.member_id)
    elif actor.member is not None:
        member = access_member_duty(actor, actor.member.pk)
    else:
        raise Http404
    year = filters.year or timezone.localdate().year
    rows = member_records(member, year, filters.kind or "").select_related("source_type")
    return paginate(rows, filters)


@router.post(
    "/c/{council_slug}/duty/members/{member_id}/records",
    response={201: RecordOut, **WRITE_ERROR_RESPONSES},
)
def add_duty_record(
    request: HttpRequest, council_slug: CouncilSlug, member_id: ObjectId, payload: ManualRecordIn
) -> Status[DutyRecord]:
    """Record offline duty work (staff), with a reviewer of the council.
    Evidence files are added on the page."""
    actor = council_actor(request, council_slug, Perm.MANAGE_DUTY_RECORDS)
    member = access_member_duty(actor, member_id)
    reviewer = council_row(
        actor,
        reviewers(actor.council),
        payload.reviewer_id,
        field="reviewer",
        message=_("The reviewer must be staff, a leader or an administrator of this council."),
    )
    record = actions.add_manual_record(
        member,
        actor=actor,
        kind=payload.kind,
        points=payload.points,
        occurred_on=payload.occurred_on,
        description=payload.description,
        reviewer=reviewer,
    )
    return Status(201, record)


@router.get(
    "/c/{council_slug}/duty/members/{member_id}/summary", response={200: SummaryOut, **ERROR_RESPONSES}
)
def get_duty_summary(
    request: HttpRequest, council_slug: CouncilSlug, member_id: ObjectId, year: Year
) -> SummaryOut:
    """A member's points of the year by kind, and the council's median."""
    actor = _duty_actor(request, council_slug)
    summary = member_summary(access_member_duty(actor, member_id), year)
    return SummaryOut(
        member_id=member_id,
        year=year,
        total=summary.score.total,
        base=summary.score.base,
        grade=summary.score.grade,
        by_kind=[KindPointsOut.model_validate(kind) for kind in summary.by_kind],
        capped=sorted(summary.score.capped_groups),
        council_median=summary.council_median,
        default_rules=summary.table.is_default,
    )


class RankedMemberOut(Schema):
    rank: int = Field(description="Members with the same total share a rank.")
    member_id: int
    member_name: str
    total: int
    record_count: int
    grade: str

    @staticmethod
    def resolve_member_id(row: RankedMember) -> int:
        return row.member.pk

    @staticmethod
    def resolve_member_name(row: RankedMember) -> str:
        return row.member.full_name

    @staticmethod
    def resolve_total(row: RankedMember) -> int:
        return row.score.total

    @staticmethod
    def resolve_record_count(row: RankedMember) -> int:
        return row.score.record_count

    @staticmethod
    def resolve_grade(row: RankedMember) -> str:
        return str(row.score.grade)


class DutyOverviewOut(Schema):
    # Built from duty.queries.CouncilOverview, as the overview page shows it.
    year: int
    ranking: list[RankedMemberOut]
    grade_counts: dict[str, int] = Field(description="Grade → members; they add up to the ranking's length.")
    no_activity: list[int] = Field(description="The ids of the members without any record this year.")
    council_median: float | None

    @staticmethod
    def resolve_no_activity(overview: CouncilOverview) -> list[int]:
        return [member.pk for member in overview.no_activity]


@router.get("/c/{council_slug}/duty/overview", response={200: DutyOverviewOut, **ERROR_RESPONSES})
def get_duty_overview(request: HttpRequest, council_slug: CouncilSlug, year: Year) -> CouncilOverview:
    """A year's figures, the same as the overview page: the members ranked by
    score, how many fall in each grade, and who has no activity."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_DUTY)
    return council_overview(actor.council, year)


@router.get("/c/{council_slug}/duty/rules", response={200: RulesOut, **ERROR_RESPONSES})
def get_scoring_rules(request: HttpRequest, council_slug: CouncilSlug, year: Year) -> RulesOut:
    """The year's scoring table (is_default: none set, the defaults apply)."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_DUTY)
    return _rules_answer(year, rules_for(actor.council, year))


@router.put("/c/{council_slug}/duty/rules", response={200: RulesOut, **WRITE_ERROR_RESPONSES})
def replace_scoring_rules(
    request: HttpRequest, council_slug: CouncilSlug, year: Year, payload: RulesIn
) -> RulesOut:
    """Replace the year's scoring table (administrators); the year's records
    and a draft assessment are re-scored."""
    actor = council_actor(request, council_slug, Perm.MANAGE_SCORING_RULES)
    return _rules_answer(year, actions.save_rules(actor=actor, year=year, rules=_rules_in(payload)))


@router.post("/c/{council_slug}/duty/rules/preview", response={200: PreviewOut, **WRITE_ERROR_RESPONSES})
def preview_scoring_rules(
    request: HttpRequest, council_slug: CouncilSlug, year: Year, payload: RulesIn
) -> PreviewOut:
    """How many members would change score and grade under these rules; saves nothing."""
    actor = council_actor(request, council_slug, Perm.MANAGE_SCORING_RULES)
    proposed = _rules_in(payload)
    validate_rules(proposed)
    members = list(assessed_members(actor.council).values_list("id", flat=True))
    current = rules_for(actor.council, year)
    after = RuleTable.of(proposed, bands=current.bands)
    result = preview(members, record_facts(actor.council, year), current, after)
    return PreviewOut(
        members=len(members), score_changes=result.score_changes, grade_changes=len(result.grade_changes)
    )


@router.get("/c/{council_slug}/duty/assessments/{year}", response={200: AssessmentOut, **ERROR_RESPONSES})
def get_assessment(request: HttpRequest, council_slug: CouncilSlug, year: Year) -> DutyAssessment:
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_DUTY)
    return access_assessment(actor, year)


@router.get(
    "/c/{council_slug}/duty/assessments/{year}/scores", response={200: Page[ScoreOut], **ERROR_RESPONSES}
)
def list_assessment_scores(
    request: HttpRequest, council_slug: CouncilSlug, year: Year, query: Query[PageQuery]
) -> dict[str, Any]:
    """Every assessed member's score and grade, best first."""
    actor = council_actor(request, council_slug, Perm.VIEW_ALL_DUTY)
    return paginate(assessment_scores(access_assessment(actor, year)), query)


@router.post(
    "/c/{council_slug}/duty/assessments/{year}/open", response={200: AssessmentOut, **WRITE_ERROR_RESPONSES}
)
def open_duty_assessment(request: HttpRequest, council_slug: CouncilSlug, year: Year) -> DutyAssessment:
    """Open the year's assessment, or recompute the open draft (staff)."""
    actor = council_actor(request, council_slug, Perm.ASSESS_DUTY)
    return actions.open_assessment(actor=actor, year=year)


@router.post(
    "/c/{council_slug}/duty/assessments/{year}/scores/{score_id}/adjust",
    response={200: ScoreOut, **WRITE_ERROR_RESPONSES},
)
def adjust_duty_score(
    request: HttpRequest, council_slug: CouncilSlug, year: Year, score_id: ObjectId, payload: AdjustIn
) -> DutyScore:
    """Adjust one member's score, with a reason (audited); drafts only."""
    actor = council_actor(request, council_slug, Perm.ASSESS_DUTY)
    assessment = access_assessment(actor, year)
    score = access_score(actor, assessment, score_id)
    return actions.adjust_score(score, actor=actor, adjustment=payload.adjustment, reason=payload.reason)


@router.post(
    "/c/{council_slug}/duty/assessments/{year}/publish",
    response={200: AssessmentOut, **WRITE_ERROR_RESPONSES},
)
def publish_duty_assessment(request: HttpRequest, council_slug: CouncilSlug, year: Year) -> DutyAssessment:
    """Publish the draft: final, and every assessed member is told."""
    actor = council_actor(request, council_slug, Perm.ASSESS_DUTY)
    return actions.publish_assessment(access_assessment(actor, year), actor=actor)


@router.get("/c/{council_slug}/duty/my-result", response={200: ScoreOut, **ERROR_RESPONSES})
def get_my_duty_result(request: HttpRequest, council_slug: CouncilSlug, year: Year) -> DutyScore:
    """The requester's own published result for year (404 until published)."""
    actor = council_actor(request, council_slug, Perm.VIEW_OWN_DUTY)
    if actor.member is None:
        raise Http404
    result = own_result(actor.member, year)
    if result is None or not can_see_result(actor, result.assessment, actor.member):
        raise Http404
    return result
