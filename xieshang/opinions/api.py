"""The opinion-report API: list, read, file, adopt, forward and record
instructions, with the same permissions and actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xieshang.core.api import (
    ERROR_RESPONSES,
    WRITE_ERROR_RESPONSES,
    ObjectId,
    Page,
    PageQuery,
    Printable,
    paginate,
)
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import council_actor
from xieshang.councils.models import OversightOffice
from xieshang.councils.queries import council_rows, parent_council
from xieshang.councils.roles import Perm
from xieshang.opinions.actions import filing
from xieshang.opinions.actions.forwarding import forward_report, record_instruction
from xieshang.opinions.actions.review import adopt_report
from xieshang.opinions.models import Forwarding, OpinionReport, ReportInstruction
from xieshang.opinions.queries import (
    QueueFilters,
    access_office_forwarding,
    access_report,
    access_report_to_tag,
    every_forwarding,
    instructions_of,
    my_reports,
    staff_reports,
)
from xieshang.opinions.states import AuthorKind, ForwardTarget, Level, ReportStatus
from xieshang.opinions.statistics import YearFigures, year_figures
from xieshang.themes.api import TaggedItemOut, TagIn, tag_with, untag_from
from xieshang.themes.queries import TaggedItem

router = Router(tags=["opinions"])
Text = Annotated[str, Field(max_length=20000), Printable]


class ReportOut(Schema):
    id: int
    year: int
    title: str
    status: str
    author_kind: str
    author_name: str
    highest_level: str
    origin_kind: str
    counts_for_duty: bool
    submitted_at: dt.datetime | None
    version: int


class ForwardingOut(Schema):
    id: int
    target: str
    from_council: str
    to: str
    status: str
    forwarded_at: dt.datetime

    @staticmethod
    def resolve_from_council(row: Forwarding) -> str:
        return row.from_council.name

    @staticmethod
    def resolve_to(row: Forwarding) -> str:
        if row.oversight_office:
            return row.oversight_office.name
        return row.council.name if row.target == "parent" else ""


class InstructionOut(Schema):
    id: int
    leader_name: str
    level: str
    text: str
    instructed_on: dt.date


class ReportDetailOut(ReportOut):
    problem: str
    analysis: str
    suggestion: str
    decline_reason: str
    forwardings: list[ForwardingOut]
    instructions: list[InstructionOut]

    @staticmethod
    def resolve_forwardings(report: OpinionReport) -> list[Forwarding]:
        return list(every_forwarding(report))

    @staticmethod
    def resolve_instructions(report: OpinionReport) -> list[ReportInstruction]:
        return list(instructions_of(report))


class ReportIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=100), Printable]
    problem: Text
    analysis: Text
    suggestion: Text
    author_kind: AuthorKind = AuthorKind.MEMBER
    body_id: ObjectId | None = None


class ReportFilters(PageQuery):
    status: ReportStatus | None = None
    mine: bool = False


class AdoptIn(Schema):
    version: int | None = None


class ForwardIn(Schema):
    target: ForwardTarget
    office_ids: list[ObjectId] = Field(default_factory=list, max_length=20)
    to_council_slug: Annotated[str, Field(max_length=64)] | None = None
    note: Annotated[str, Field(max_length=300), Printable] = ""


class InstructionIn(Schema):
    leader_name: Annotated[str, Field(min_length=1, max_length=50), Printable]
    leader_title: Annotated[str, Field(max_length=100), Printable] = ""
    level: Level
    text: Annotated[str, Field(min_length=1, max_length=5000), Printable]
    instructed_on: dt.date


@router.get("/c/{council_slug}/opinions", response={200: Page[ReportOut], **ERROR_RESPONSES})
def list_opinion_reports(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ReportFilters]
) -> dict[str, Any]:
    """Reports of the council: staff and leaders see every filed report (by
    status), everyone else their own (mine=true for staff too)."""
    actor = council_actor(request, council_slug)
    if filters.mine or not actor.has(Perm.VIEW_ALL_OPINIONS):
        rows = my_reports(actor)
        if filters.status:
            rows = rows.filter(status=filters.status)
    else:
        rows = staff_reports(actor, QueueFilters(status=filters.status or ReportStatus.SUBMITTED))
    return paginate(rows, filters)


class OpinionRowOut(Schema):
    name: str
    filed: int
    adopted: int
    instructions: int


class LowerCouncilRowOut(Schema):
    name: str
    received: int
    adopted: int


class OpinionStatisticsOut(Schema):
    # Built from opinions.statistics.YearFigures, as the statistics page shows it.
    year: int
    filed: int
    adopted: int
    declined: int
    published: int
    adoption_rate: float | None = Field(
        description="adopted / filed, in percent with one decimal; null when nothing was filed."
    )
    reached: dict[str, int] = Field(description="Level → reports whose highest level it is.")
    forwarded: dict[str, int] = Field(description="Target → reports forwarded there.")
    instructions: dict[str, int] = Field(description="Level → instructions recorded.")
    by_member: list[OpinionRowOut]
    by_sector: list[OpinionRowOut]
    by_affiliation: list[OpinionRowOut]
    by_lower_council: list[LowerCouncilRowOut]


class StatisticsQuery(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None


@router.get("/c/{council_slug}/opinions/statistics", response={200: OpinionStatisticsOut, **ERROR_RESPONSES})
def get_opinion_statistics(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[StatisticsQuery]
) -> YearFigures:
    """A year's figures, the same as the statistics page (this year when no
    year is given)."""
    actor = council_actor(request, council_slug, Perm.VIEW_OPINION_STATISTICS)
    return year_figures(actor.council, filters.year or timezone.localdate().year)


@router.get("/c/{council_slug}/opinions/{report_id}", response={200: ReportDetailOut, **ERROR_RESPONSES})
def get_opinion_report(request: HttpRequest, council_slug: CouncilSlug, report_id: ObjectId) -> OpinionReport:
    actor = council_actor(request, council_slug)
    return access_report(actor, report_id)


@router.post("/c/{council_slug}/opinions", response={201: ReportDetailOut, **WRITE_ERROR_RESPONSES})
def file_opinion_report(request: HttpRequest, council_slug: CouncilSlug, payload: ReportIn) -> Status[Any]:
    """File a report in the member's name or a body of theirs (no draft)."""
    actor = council_actor(request, council_slug, Perm.FILE_OPINIONS)
    report = filing.file_opinion_report(
        actor=actor,
        content=filing.ReportContent(
            payload.title,
            payload.problem,
            payload.analysis,
            payload.suggestion,
            payload.author_kind,
            payload.body_id,
        ),
    )
    return Status(201, report)


@router.post(
    "/c/{council_slug}/opinions/{report_id}/adopt", response={200: ReportDetailOut, **WRITE_ERROR_RESPONSES}
)
def adopt_opinion_report(
    request: HttpRequest, council_slug: CouncilSlug, report_id: ObjectId, payload: AdoptIn
) -> OpinionReport:
    actor = council_actor(request, council_slug, Perm.MANAGE_OPINIONS)
    return adopt_report(access_report(actor, report_id), actor=actor, expected_version=payload.version)


@router.post(
    "/c/{council_slug}/opinions/{report_id}/forward", response={200: ReportDetailOut, **WRITE_ERROR_RESPONSES}
)
def forward_opinion_report(
    request: HttpRequest, council_slug: CouncilSlug, report_id: ObjectId, payload: ForwardIn
) -> OpinionReport:
    """Send an adopted report to this council's offices, its parent council
    (the only council upward it may go to) or, from a province, the national committee."""
    actor = council_actor(request, council_slug, Perm.MANAGE_OPINIONS)
    report = access_report(actor, report_id)
    offices = council_rows(
        actor,
        OversightOffice,
        payload.office_ids,
        field="offices",
        message=_("Choose offices of this council's party committee and government."),
    )
    to_council = None
    if payload.to_council_slug:
        to_council = parent_council(actor, payload.to_council_slug, field="to_council")
    forward_report(
        report, actor=actor, target=payload.target, offices=offices, to_council=to_council, note=payload.note
    )
    report.refresh_from_db()
    return report


@router.post(
    "/c/{council_slug}/opinions/office/{forwarding_id}/instructions",
    response={201: InstructionOut, **WRITE_ERROR_RESPONSES},
)
def instruct_opinion_report(
    request: HttpRequest, council_slug: CouncilSlug, forwarding_id: ObjectId, payload: InstructionIn
) -> Status[Any]:
    """Record a leader's instruction on a report sent to the requester's office."""
    actor = council_actor(request, council_slug, Perm.INSTRUCT_OPINIONS)
    forwarding = access_office_forwarding(actor, forwarding_id)
    row = record_instruction(
        forwarding,
        actor=actor,
        leader_name=payload.leader_name,
        leader_title=payload.leader_title,
        level=payload.level,
        text=payload.text,
        instructed_on=payload.instructed_on,
    )
    return Status(201, row)


# Themes on opinion reports (see the themes app) -----------------------------------

THEME_TAGS = "/c/{council_slug}/theme-tags/opinion/{item_id}"


@router.get(THEME_TAGS, response={200: TaggedItemOut, **ERROR_RESPONSES})
def get_opinion_report_themes(
    request: HttpRequest, council_slug: CouncilSlug, item_id: ObjectId
) -> TaggedItem:
    """The themes a filed opinion report is tagged with, for the staff who tag them."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return access_report_to_tag(actor, item_id)


@router.post(THEME_TAGS, response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES})
def tag_opinion_report_with_themes(
    request: HttpRequest, council_slug: CouncilSlug, item_id: ObjectId, payload: TagIn
) -> TaggedItem:
    """Tag an opinion report with themes (counting in the report's year),
    creating the names the council does not have yet."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return tag_with(access_report_to_tag(actor, item_id), payload, actor)


@router.post(f"{THEME_TAGS}/{{tag_id}}/remove", response={200: TaggedItemOut, **WRITE_ERROR_RESPONSES})
def untag_opinion_report_theme(
    request: HttpRequest, council_slug: CouncilSlug, item_id: ObjectId, tag_id: ObjectId
) -> TaggedItem:
    """Remove one theme (by its tag id) from an opinion report."""
    actor = council_actor(request, council_slug, Perm.MANAGE_CONSULTATIONS)
    return untag_from(access_report_to_tag(actor, item_id), tag_id, actor)
