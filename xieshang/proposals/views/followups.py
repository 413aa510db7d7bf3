"""Follow-ups of B-category proposals (跟踪办理): the list (staff and
leaders see the council's, a unit liaison their units'), and one follow-up
with the unit's report form and the staff's close form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import require
from xieshang.core.pages import add_errors
from xieshang.councils.models import HandlingUnit
from xieshang.councils.queries import bodies_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.actions.followups import close_follow_up, report_follow_up
from xieshang.proposals.forms import FollowUpCloseForm, FollowUpFilterForm, FollowUpReportForm
from xieshang.proposals.models import FollowUp
from xieshang.proposals.permissions import can_close_follow_up, can_report_follow_up
from xieshang.proposals.queries import FollowUpFilters, access_follow_up, follow_ups_for
from xieshang.proposals.states import FollowUpStatus

PER_PAGE = 25


def _may_list(request: CouncilRequest) -> bool:
    actor = request.actor
    return actor.has(Perm.VIEW_ALL_PROPOSALS) or (
        actor.has(Perm.HANDLE_PROPOSALS) and bool(actor.handling_unit_ids)
    )


def _default_year(request: CouncilRequest) -> int:
    """This year, unless nothing is due in it and open follow-ups fall due
    later: then the first such year, so the list opens on work to do."""
    this_year = timezone.localdate().year
    visible = follow_ups_for(request.actor, FollowUpFilters())
    if visible.filter(due_on__year=this_year).exists():
        return this_year
    first = (
        visible.filter(due_on__year__gt=this_year)
        .exclude(status=FollowUpStatus.CLOSED)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    return first.year if first is not None else this_year


@council_view()
def follow_up_list(request: CouncilRequest) -> HttpResponse:
    """Follow-ups due in a year (this year by default), soonest first,
    filtered by status and unit."""
    require(_may_list(request))
    form = FollowUpFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    year = data.get("year") or _default_year(request)
    filters = FollowUpFilters(year=year, status=data.get("status") or "", unit_id=data.get("unit"))
    page = Paginator(follow_ups_for(request.actor, filters), PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    is_staff = request.actor.has(Perm.VIEW_ALL_PROPOSALS)
    return render(
        request,
        "proposals/followups/list.html",
        {
            "page": page,
            "filters": filters,
            "year": year,
            "statuses": FollowUpStatus.choices,
            "units": list(bodies_of(request.council, HandlingUnit)) if is_staff else [],
            "query": params.urlencode(),
            "total": page.paginator.count,
        },
    )


def _page(
    request: CouncilRequest,
    follow_up: FollowUp,
    *,
    report_form: FollowUpReportForm | None = None,
    close_form: FollowUpCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    may_report = can_report_follow_up(actor, follow_up)
    may_close = can_close_follow_up(actor, follow_up)
    if may_report and report_form is None:
        report_form = FollowUpReportForm(initial={"result": follow_up.result, "version": follow_up.version})
    if may_close and close_form is None:
        close_form = FollowUpCloseForm(initial={"version": follow_up.version})
    return render(
        request,
        "proposals/followups/detail.html",
        {
            "follow_up": follow_up,
            "proposal": follow_up.proposal,
            "report_form": report_form if may_report else None,
            "close_form": close_form if may_close else None,
        },
        status=status,
    )


@council_view()
def follow_up_detail(request: CouncilRequest, pk: int) -> HttpResponse:
    """One follow-up: the B-category reply, the unit's account, and the form
    the actor may use now."""
    return _page(request, access_follow_up(request.actor, pk))


def _to_follow_up(request: CouncilRequest, follow_up: FollowUp) -> HttpResponse:
    return redirect("proposals:follow_up", council_slug=request.council.slug, pk=follow_up.pk)


@require_POST
@council_view(Perm.HANDLE_PROPOSALS)
def follow_up_report(request: CouncilRequest, pk: int) -> HttpResponse:
    follow_up = access_follow_up(request.actor, pk)
    form = FollowUpReportForm(request.POST)
    if form.is_valid():
        try:
            report_follow_up(
                follow_up,
                actor=request.actor,
                result=form.cleaned_data["result"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your account was sent to the proposals committee."))
            return _to_follow_up(request, follow_up)
    return _page(request, follow_up, report_form=form, status=400)


@require_POST
@council_view(Perm.REVIEW_PROPOSALS)
def follow_up_close(request: CouncilRequest, pk: int) -> HttpResponse:
    follow_up = access_follow_up(request.actor, pk)
    form = FollowUpCloseForm(request.POST)
    if form.is_valid():
        close_follow_up(
            follow_up,
            actor=request.actor,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("The follow-up is closed."))
        return _to_follow_up(request, follow_up)
    return _page(request, follow_up, close_form=form, status=400)
