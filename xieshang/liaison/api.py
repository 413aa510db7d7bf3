"""The liaison API: visits, the member's constituents and concerns, with the
same permissions and actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
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
from xieshang.core.errors import require
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.api.scoping import Context, asking_actor, council_actor
from xieshang.councils.roles import Actor, Perm
from xieshang.liaison import permissions as can
from xieshang.liaison.actions import (
    ConstituentData,
    note_progress,
    resolve_concern,
    save_constituent,
    start_concern,
)
from xieshang.liaison.models import Concern, ConcernNote, Constituent, LiaisonVisit
from xieshang.liaison.queries import (
    ConcernFilters,
    access_concern,
    access_constituent,
    access_visit,
    filtered_concerns,
    my_constituents,
    notes_of,
    visible_visits,
)
from xieshang.liaison.states import ConcernStatus, ConstituentKind
from xieshang.liaison.statistics import LiaisonFigures, year_figures

router = Router(tags=["liaison"])


class LiaisonVisitOut(Schema):
    id: int
    visited_on: dt.date
    member_id: int
    member_name: str
    leaders: list[str]

    @staticmethod
    def resolve_member_name(visit: LiaisonVisit) -> str:
        return visit.member.full_name

    @staticmethod
    def resolve_leaders(visit: LiaisonVisit) -> list[str]:
        return [leader.display_name for leader in visit.leaders.all()]


class LiaisonVisitDetailOut(LiaisonVisitOut):
    discussion: str
    constituents: list[str]
    concern_ids: list[int]

    @staticmethod
    def resolve_constituents(visit: LiaisonVisit) -> list[str]:
        return [c.name for c in visit.constituents.all()]

    @staticmethod
    def resolve_concern_ids(visit: LiaisonVisit) -> list[int]:
        return list(visit.concerns.values_list("pk", flat=True))


class ConstituentOut(Schema):
    id: int
    name: str
    kind: str
    sector_area: str
    phone: str
    note: str
    is_active: bool

    @staticmethod
    def resolve_phone(row: Constituent, context: Context) -> str:
        return row.phone if can.sees_full_phone(asking_actor(context), row) else row.masked_phone


class ConstituentIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100), Printable]
    kind: ConstituentKind = ConstituentKind.PERSON
    sector_area: Annotated[str, Field(max_length=100), Printable] = ""
    phone: Annotated[str, Field(max_length=20), Printable] = ""
    note: Annotated[str, Field(max_length=200), Printable] = ""
    is_active: bool = True


class NoteOut(Schema):
    text: str
    author: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(note: ConcernNote) -> str:
        return note.author.display_name


class ConcernOut(Schema):
    id: int
    year: int
    title: str
    status: str
    member_name: str
    responsible: str
    due_on: dt.date
    is_overdue: bool
    version: int

    @staticmethod
    def resolve_member_name(row: Concern) -> str:
        return row.member.full_name

    @staticmethod
    def resolve_responsible(row: Concern) -> str:
        return row.responsible_name

    @staticmethod
    def resolve_is_overdue(row: Concern) -> bool:
        return row.overdue_since is not None and row.is_unresolved


class ConcernDetailOut(ConcernOut):
    visit_id: int
    description: str
    resolution: str
    close_reason: str
    opinion_report_id: int | None
    proposal_id: int | None
    notes: list[NoteOut]

    @staticmethod
    def resolve_notes(row: Concern) -> list[ConcernNote]:
        return list(notes_of(row))


class ConcernQuery(PageQuery):
    status: ConcernStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    overdue: bool = False


class YearQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100)


class NoteIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=1000), Printable]


class ResolveIn(Schema):
    resolution: Annotated[str, Field(min_length=1, max_length=1500), Printable]
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


def _liaison_actor(request: HttpRequest, council_slug: str) -> Actor:
    actor = council_actor(request, council_slug)
    require(actor.has(Perm.VIEW_ALL_LIAISON) or actor.has(Perm.KEEP_CONSTITUENTS))
    return actor


@router.get("/c/{council_slug}/liaison/visits", response={200: Page[LiaisonVisitOut], **ERROR_RESPONSES})
def list_liaison_visits(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[YearQuery]
) -> dict[str, Any]:
    """Visits: all for staff and leaders, the visits made to them for a member."""
    actor = _liaison_actor(request, council_slug)
    rows = visible_visits(actor).prefetch_related("leaders").order_by("-visited_on", "-id")
    if filters.year:
        rows = rows.filter(year=filters.year)
    return paginate(rows, filters)


@router.get(
    "/c/{council_slug}/liaison/visits/{visit_id}", response={200: LiaisonVisitDetailOut, **ERROR_RESPONSES}
)
def get_liaison_visit(request: HttpRequest, council_slug: CouncilSlug, visit_id: ObjectId) -> LiaisonVisit:
    actor = council_actor(request, council_slug)
    return access_visit(actor, visit_id)


@router.get("/c/{council_slug}/liaison/constituents", response={200: Page[ConstituentOut], **ERROR_RESPONSES})
def list_my_constituents(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[PageQuery]
) -> dict[str, Any]:
    """The requesting member's own constituent list."""
    actor = council_actor(request, council_slug, Perm.KEEP_CONSTITUENTS)
    return paginate(my_constituents(actor).order_by("name", "id"), filters)


@router.post(
    "/c/{council_slug}/liaison/constituents", response={201: ConstituentOut, **WRITE_ERROR_RESPONSES}
)
def add_constituent(request: HttpRequest, council_slug: CouncilSlug, payload: ConstituentIn) -> Status[Any]:
    actor = council_actor(request, council_slug, Perm.KEEP_CONSTITUENTS)
    row = save_constituent(None, actor=actor, data=ConstituentData(**payload.dict()))
    return Status(201, row)


@router.put(
    "/c/{council_slug}/liaison/constituents/{constituent_id}",
    response={200: ConstituentOut, **WRITE_ERROR_RESPONSES},
)
def change_constituent(
    request: HttpRequest, council_slug: CouncilSlug, constituent_id: ObjectId, payload: ConstituentIn
) -> Constituent:
    actor = council_actor(request, council_slug, Perm.KEEP_CONSTITUENTS)
    return save_constituent(
        access_constituent(actor, constituent_id), actor=actor, data=ConstituentData(**payload.dict())
    )


@router.get("/c/{council_slug}/liaison/concerns", response={200: Page[ConcernOut], **ERROR_RESPONSES})
def list_liaison_concerns(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ConcernQuery]
) -> dict[str, Any]:
    """Concerns: all for staff and leaders, their unit's or office's for a
    liaison or office user, their own for a member."""
    actor = council_actor(request, council_slug)
    rows = filtered_concerns(
        actor, ConcernFilters(status=filters.status or "", year=filters.year, overdue=filters.overdue)
    ).order_by("due_on", "id")
    return paginate(rows, filters)


@router.get(
    "/c/{council_slug}/liaison/concerns/{concern_id}", response={200: ConcernDetailOut, **ERROR_RESPONSES}
)
def get_liaison_concern(request: HttpRequest, council_slug: CouncilSlug, concern_id: ObjectId) -> Concern:
    actor = council_actor(request, council_slug)
    return access_concern(actor, concern_id)


@router.post(
    "/c/{council_slug}/liaison/concerns/{concern_id}/start",
    response={200: ConcernDetailOut, **WRITE_ERROR_RESPONSES},
)
def start_liaison_concern(
    request: HttpRequest, council_slug: CouncilSlug, concern_id: ObjectId, payload: VersionIn
) -> Concern:
    actor = council_actor(request, council_slug)
    return start_concern(access_concern(actor, concern_id), actor=actor, expected_version=payload.version)


@router.post(
    "/c/{council_slug}/liaison/concerns/{concern_id}/notes",
    response={201: ConcernDetailOut, **WRITE_ERROR_RESPONSES},
)
def note_liaison_concern(
    request: HttpRequest, council_slug: CouncilSlug, concern_id: ObjectId, payload: NoteIn
) -> Status[Any]:
    actor = council_actor(request, council_slug)
    row = access_concern(actor, concern_id)
    note_progress(row, actor=actor, text=payload.text)
    return Status(201, access_concern(actor, concern_id))


@router.post(
    "/c/{council_slug}/liaison/concerns/{concern_id}/resolve",
    response={200: ConcernDetailOut, **WRITE_ERROR_RESPONSES},
)
def resolve_liaison_concern(
    request: HttpRequest, council_slug: CouncilSlug, concern_id: ObjectId, payload: ResolveIn
) -> Concern:
    actor = council_actor(request, council_slug)
    row = resolve_concern(
        access_concern(actor, concern_id),
        actor=actor,
        resolution=payload.resolution,
        expected_version=payload.version,
    )
    return access_concern(actor, row.pk)


class LiaisonRowOut(Schema):
    name: str = Field(description="The leader; empty in the overall row.")
    title: str
    visits: int
    members_visited: int
    constituents_reached: int
    concerns_raised: int
    concerns_resolved: int
    concerns_open: int


class LiaisonStatisticsOut(Schema):
    # Built from liaison.statistics.LiaisonFigures, as the statistics page shows it.
    year: int
    overall: LiaisonRowOut
    by_leader: list[LiaisonRowOut]
    concerns_closed: int
    concerns_overdue: int
    resolution_rate: float | None = Field(
        description="concerns_resolved / concerns_raised of the overall row, in percent with one "
        "decimal; null when no concern was raised."
    )


class StatisticsYearQuery(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None


@router.get("/c/{council_slug}/liaison/statistics", response={200: LiaisonStatisticsOut, **ERROR_RESPONSES})
def get_liaison_statistics(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[StatisticsYearQuery]
) -> LiaisonFigures:
    """A year's liaison figures, the same as the statistics page: per leader
    and overall (this year when no year is given)."""
    actor = council_actor(request, council_slug, Perm.VIEW_LIAISON_STATISTICS)
    return year_figures(actor.council, filters.year or timezone.localdate().year)
