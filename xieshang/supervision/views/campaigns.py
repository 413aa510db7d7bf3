"""Campaign pages: the list, a campaign with every target's state and the
figures (each opening its rows), and staff's forms for targets, the Excel
import, group assignments, rounds and concluding."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.pages import form_page, version_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.supervision import permissions as can
from xieshang.supervision import queries
from xieshang.supervision.actions import (
    CampaignData,
    TargetData,
    add_round,
    add_targets,
    assign_groups,
    create_campaign,
    import_targets,
    set_campaign_status,
)
from xieshang.supervision.forms import AssignForm, CampaignForm, ImportForm, RoundForm, TargetForm
from xieshang.supervision.states import STATUS_CSS, CampaignStatus, TargetState
from xieshang.supervision.statistics import CampaignFigures, campaign_figures
from xieshang.supervision.views.common import url

TARGETS_PER_PAGE = 100
STATE_COLOURS: dict[str, str] = {
    TargetState.NOT_INSPECTED: "#6c757d",
    TargetState.PROBLEMS_OPEN: "#dc3545",
    TargetState.RESOLVED: "#198754",
}


@council_view(Perm.VIEW_SUPERVISION)
def campaigns(request: CouncilRequest) -> HttpResponse:
    rows = queries.visible_campaigns(request.actor)
    return render(
        request,
        "supervision/campaigns.html",
        {"campaigns": rows, "status_css": STATUS_CSS, "may_manage": can.is_staff(request.actor)},
    )


@council_view(Perm.MANAGE_SUPERVISION)
def campaign_create(request: CouncilRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("New supervision campaign"),
        back=url(request, "list"),
        call=lambda d: create_campaign(
            actor=request.actor,
            data=CampaignData(d["title"], d["year"], d["starts_on"], d["ends_on"], d["theme"]),
        ),
        success=_("The campaign was started."),
        done=lambda c: url(request, "campaign", pk=c.pk),
    )


def _scatter(figures: CampaignFigures) -> dict[str, Any]:
    """A plain scatter of longitude and latitude, one series per state; no map tiles."""
    series = []
    for state, label in TargetState.choices:
        data = [{"name": p["name"], "value": p["value"]} for p in figures.points if p["state"] == state]
        series.append(
            {
                "name": str(label),
                "type": "scatter",
                "data": data,
                "itemStyle": {"color": STATE_COLOURS[state]},
            }
        )
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "grid": {"containLabel": True, "top": 40, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {"type": "value", "scale": True, "name": _("Longitude")},
        "yAxis": {"type": "value", "scale": True, "name": _("Latitude")},
        "series": series,
    }


def _trend(figures: CampaignFigures) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "top": 16, "left": 8, "right": 8, "bottom": 8},
        "xAxis": {"type": "category", "data": [row.label for row in figures.trend]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": _("Inspections"), "type": "line", "data": [row.count for row in figures.trend]}],
    }


@council_view(Perm.VIEW_SUPERVISION)
def campaign(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = queries.access_campaign(actor, pk)
    figures = campaign_figures(row)
    page = Paginator(queries.targets_with_state(row).order_by("code", "id"), TARGETS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for target in page.object_list:
        target.state = queries.target_state(target)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/campaign.html",
        {
            "campaign": row,
            "page": page,
            "targets": page.object_list,
            "target_count": page.paginator.count,
            "figures": figures,
            "state_labels": dict(TargetState.choices),
            "scatter": _scatter(figures) if figures.points else None,
            "trend": _trend(figures) if figures.trend else None,
            "rounds": list(queries.rounds_of(row)),
            "status_css": STATUS_CSS,
            "may_manage": can.can_manage_campaign(actor, row),
            "may_close": can.is_staff(actor),
            "may_inspect": row.status == CampaignStatus.OPEN
            and (can.is_staff(actor) or queries.my_targets(actor, row).exists()),
        },
    )


@council_view(Perm.VIEW_SUPERVISION)
def campaign_rows(request: CouncilRequest, pk: int) -> HttpResponse:
    """The rows behind a figure of the campaign page: targets in a state, or
    inspections of a round, a group, a month or unannounced."""
    row = queries.access_campaign(request.actor, pk)
    state = request.GET.get("state", "")
    targets = []
    if state in TargetState.values:
        targets = [t for t in queries.targets_with_state(row) if queries.target_state(t) == state]
    inspections = queries.inspections_of(row)
    shown = ""
    for key in ("round", "group"):
        value = request.GET.get(key, "")
        if value == "none":
            inspections = inspections.filter(**{f"{key}__isnull": True})
            shown = key
        elif value.isdigit():
            inspections = inspections.filter(**{f"{key}_id": int(value)})
            shown = key
    month = request.GET.get("month", "")
    if len(month) == 7 and month[:4].isdigit() and month[5:].isdigit():
        inspections = inspections.filter(
            inspected_on__year=int(month[:4]), inspected_on__month=int(month[5:])
        )
        shown = "month"
    if request.GET.get("unannounced") == "1":
        inspections = inspections.filter(is_unannounced=True)
        shown = "unannounced"
    return render(
        request,
        "supervision/campaign_rows.html",
        {
            "campaign": row,
            "state": state,
            "state_label": dict(TargetState.choices).get(state, ""),
            "targets": targets,
            "inspections": inspections[:500] if shown else [],
            "shown": shown,
        },
    )


@council_view(Perm.MANAGE_SUPERVISION)
def targets_add(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_campaign(request.actor, pk)
    form = TargetForm(request.POST or None, council=request.council)
    return form_page(
        request,
        form,
        title=_("Add a target"),
        subject=row.title,
        back=url(request, "campaign", pk=row.pk),
        call=lambda d: add_targets(
            row,
            actor=request.actor,
            targets=[
                TargetData(
                    d["code"],
                    d["name"],
                    d["district"],
                    d["kind"],
                    d["handling_unit"],
                    d["latitude"],
                    d["longitude"],
                )
            ],
        ),
        success=_("The target was added."),
    )


@council_view(Perm.MANAGE_SUPERVISION)
def targets_import(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_campaign(request.actor, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        title=_("Import targets from Excel"),
        subject=_(
            "The first row names the columns: 编号, 名称, 类型, 所在区县, 责任单位, "
            "and optionally 经度 and 纬度. Nothing is imported while a row has an error."
        ),
        back=url(request, "campaign", pk=row.pk),
        call=lambda d: import_targets(row, actor=request.actor, upload=d["file"]),
        success=_("The targets were imported."),
        multipart=True,
        submit=_("Import"),
    )


@council_view(Perm.MANAGE_SUPERVISION)
def assign(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_campaign(request.actor, pk)
    form = AssignForm(request.POST or None, campaign=row)
    return form_page(
        request,
        form,
        title=_("Assign a group to targets"),
        subject=row.title,
        back=url(request, "campaign", pk=row.pk),
        call=lambda d: assign_groups(row, actor=request.actor, group=d["group"], targets=list(d["targets"])),
        success=_("The group was assigned."),
    )


@council_view(Perm.MANAGE_SUPERVISION)
def round_add(request: CouncilRequest, pk: int) -> HttpResponse:
    row = queries.access_campaign(request.actor, pk)
    form = RoundForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Schedule a round"),
        subject=row.title,
        back=url(request, "campaign", pk=row.pk),
        call=lambda d: add_round(row, actor=request.actor, starts_on=d["starts_on"], ends_on=d["ends_on"]),
        success=_("The round was scheduled."),
    )


@require_POST
@council_view(Perm.MANAGE_SUPERVISION)
def campaign_status(request: CouncilRequest, pk: int) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect

    row = queries.access_campaign(request.actor, pk)
    target = CampaignStatus.CLOSED if row.status == CampaignStatus.OPEN else CampaignStatus.OPEN
    set_campaign_status(row, actor=request.actor, status=target, expected_version=version_of(request))
    messages.success(
        request,
        _("The campaign was concluded.")
        if target == CampaignStatus.CLOSED
        else _("The campaign was reopened."),
    )
    return redirect(url(request, "campaign", pk=row.pk))
