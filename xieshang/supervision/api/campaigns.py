"""Campaigns, their targets (with the Excel import), group assignments and
inspections with photos."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from xieshang.core.api import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ObjectId, Page, PageQuery, paginate
from xieshang.councils.api.schemas import CouncilSlug
from xieshang.councils.models import HandlingUnit, Member, MemberGroup
from xieshang.councils.queries import council_row, council_rows
from xieshang.supervision import queries
from xieshang.supervision.actions import (
    CampaignData,
    InspectionData,
    ProblemData,
    TargetData,
    add_inspection_photo,
    add_targets,
    assign_groups,
    create_campaign,
    import_targets,
    record_inspection,
)
from xieshang.supervision.api.answers import (
    CampaignOut,
    InspectionDetailOut,
    InspectionOut,
    TargetAssignmentOut,
    TargetOut,
)
from xieshang.supervision.api.common import BASE, viewer
from xieshang.supervision.api.schemas import AssignmentIn, CampaignIn, InspectionIn, ListQuery, TargetsIn
from xieshang.supervision.models import (
    Inspection,
    SupervisionCampaign,
    TargetAssignment,
    TargetKind,
)

router = Router()


@router.get(f"{BASE}/campaigns", response={200: Page[CampaignOut], **ERROR_RESPONSES})
def list_supervision_campaigns(
    request: HttpRequest, council_slug: CouncilSlug, filters: Query[ListQuery]
) -> dict[str, Any]:
    rows = queries.visible_campaigns(viewer(request, council_slug))
    if filters.year:
        rows = rows.filter(year=filters.year)
    return paginate(rows, filters)


@router.post(f"{BASE}/campaigns", response={201: CampaignOut, **WRITE_ERROR_RESPONSES})
def create_supervision_campaign(
    request: HttpRequest, council_slug: CouncilSlug, payload: CampaignIn
) -> Status[Any]:
    actor = viewer(request, council_slug)
    data = CampaignData(payload.title, payload.year, payload.starts_on, payload.ends_on, payload.theme)
    return Status(201, create_campaign(actor=actor, data=data))


@router.get(f"{BASE}/campaigns/{{campaign_id}}", response={200: CampaignOut, **ERROR_RESPONSES})
def get_supervision_campaign(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId
) -> SupervisionCampaign:
    return queries.access_campaign(viewer(request, council_slug), campaign_id)


@router.get(f"{BASE}/campaigns/{{campaign_id}}/targets", response={200: Page[TargetOut], **ERROR_RESPONSES})
def list_supervision_targets(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, filters: Query[PageQuery]
) -> dict[str, Any]:
    """The campaign's targets with their state (not yet inspected, problems open, all resolved)."""
    campaign = queries.access_campaign(viewer(request, council_slug), campaign_id)
    return paginate(queries.targets_with_state(campaign), filters)


@router.post(
    f"{BASE}/campaigns/{{campaign_id}}/targets", response={201: list[TargetOut], **WRITE_ERROR_RESPONSES}
)
def add_supervision_targets(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, payload: TargetsIn
) -> Status[Any]:
    """Add targets, all or none; a bad one is named by its position (row_1 …)."""
    actor = viewer(request, council_slug)
    campaign = queries.access_campaign(actor, campaign_id)
    targets = [
        TargetData(
            code=row.code,
            name=row.name,
            district=row.district,
            kind=council_row(actor, TargetKind, row.kind_id, field=f"row_{n}"),
            handling_unit=council_row(actor, HandlingUnit, row.handling_unit_id, field=f"row_{n}"),
            latitude=row.latitude,
            longitude=row.longitude,
        )
        for n, row in enumerate(payload.targets, start=1)
    ]
    added = add_targets(campaign, actor=actor, targets=targets)
    return Status(201, list(queries.targets_with_state(campaign).filter(pk__in=[t.pk for t in added])))


@router.post(
    f"{BASE}/campaigns/{{campaign_id}}/targets/import",
    response={201: list[TargetOut], **WRITE_ERROR_RESPONSES},
)
def upload_supervision_targets(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, file: File[UploadedFile]
) -> Status[Any]:
    """Import targets from an .xlsx (multipart field "file"); the first row
    names the columns (编号, 名称, 类型, 所在区县, 责任单位, 经度, 纬度). Every bad
    row is named on "file" and nothing is imported then."""
    actor = viewer(request, council_slug)
    campaign = queries.access_campaign(actor, campaign_id)
    added = import_targets(campaign, actor=actor, upload=file)
    return Status(201, list(queries.targets_with_state(campaign).filter(pk__in=[t.pk for t in added])))


@router.get(
    f"{BASE}/campaigns/{{campaign_id}}/assignments",
    response={200: list[TargetAssignmentOut], **ERROR_RESPONSES},
)
def list_supervision_assignments(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId
) -> list[TargetAssignment]:
    campaign = queries.access_campaign(viewer(request, council_slug), campaign_id)
    return list(queries.assignments_of(campaign))


@router.post(
    f"{BASE}/campaigns/{{campaign_id}}/assignments",
    response={201: list[TargetAssignmentOut], **WRITE_ERROR_RESPONSES},
)
def assign_supervision_group(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, payload: AssignmentIn
) -> Status[Any]:
    actor = viewer(request, council_slug)
    campaign = queries.access_campaign(actor, campaign_id)
    group = council_row(actor, MemberGroup, payload.group_id, field="group_id")
    targets = council_rows(
        actor,
        queries.campaign_targets(campaign),
        payload.target_ids,
        field="target_ids",
        message=_("Choose targets of this campaign."),
    )
    assign_groups(campaign, actor=actor, group=group, targets=targets)
    return Status(201, list(queries.assignments_of(campaign)))


@router.get(
    f"{BASE}/campaigns/{{campaign_id}}/inspections", response={200: Page[InspectionOut], **ERROR_RESPONSES}
)
def list_supervision_inspections(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, filters: Query[PageQuery]
) -> dict[str, Any]:
    campaign = queries.access_campaign(viewer(request, council_slug), campaign_id)
    return paginate(queries.inspections_of(campaign), filters)


@router.post(
    f"{BASE}/campaigns/{{campaign_id}}/inspections",
    response={201: InspectionDetailOut, **WRITE_ERROR_RESPONSES},
)
def record_supervision_inspection(
    request: HttpRequest, council_slug: CouncilSlug, campaign_id: ObjectId, payload: InspectionIn
) -> Status[Any]:
    """Record an inspection; add its photos one by one with the photos endpoint."""
    actor = viewer(request, council_slug)
    campaign = queries.access_campaign(actor, campaign_id)
    target = council_row(
        actor,
        queries.campaign_targets(campaign),
        payload.target_id,
        field="target_id",
        message=_("Choose a target of this campaign."),
    )
    data = InspectionData(
        target=target,
        inspected_on=payload.inspected_on,
        is_unannounced=payload.is_unannounced,
        participants=council_rows(actor, Member, payload.participant_ids, field="participant_ids"),
        findings=payload.findings,
        problems=[
            ProblemData(p.description, council_row(actor, HandlingUnit, p.handling_unit_id, field="problems"))
            for p in payload.problems
        ],
        round=council_row(actor, queries.rounds_of(campaign), payload.round_id, field="round_id"),
    )
    return Status(201, record_inspection(campaign, actor=actor, data=data))


@router.get(f"{BASE}/inspections/{{inspection_id}}", response={200: InspectionDetailOut, **ERROR_RESPONSES})
def get_supervision_inspection(
    request: HttpRequest, council_slug: CouncilSlug, inspection_id: ObjectId
) -> Inspection:
    return queries.access_inspection(viewer(request, council_slug), inspection_id)


@router.post(
    f"{BASE}/inspections/{{inspection_id}}/photos",
    response={201: InspectionDetailOut, **WRITE_ERROR_RESPONSES},
)
def add_supervision_photo(
    request: HttpRequest, council_slug: CouncilSlug, inspection_id: ObjectId, file: File[UploadedFile]
) -> Status[Any]:
    """Add one photo (multipart field "file", JPG or PNG); its metadata is
    removed, the location kept only where the council allows it."""
    actor = viewer(request, council_slug)
    inspection = queries.access_inspection(actor, inspection_id)
    add_inspection_photo(inspection, actor=actor, photo=file)
    return Status(201, queries.access_inspection(actor, inspection_id))
