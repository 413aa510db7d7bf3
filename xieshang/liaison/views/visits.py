"""Visits: the list, recording a visit, a visit's page with its concerns;
and the leaders' yearly plans."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.accounts.models import User
from xieshang.core.errors import require
from xieshang.core.events import labelled_timeline
from xieshang.core.pages import add_errors
from xieshang.councils.models import Member
from xieshang.councils.queries import get_setting
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.liaison import permissions as can
from xieshang.liaison.actions import raise_concern, record_visit, set_visit_plan
from xieshang.liaison.forms import ConcernForm, MemberChoiceForm, PlanForm, VisitForm
from xieshang.liaison.models import LiaisonVisit
from xieshang.liaison.queries import (
    access_visit,
    concerns_raised_at,
    constituents_of,
    leader_titles,
    leaders_of,
    plan_rows,
    plans_of_year,
    seated_members,
    visible_visits,
)
from xieshang.liaison.states import CONCERN_STATUS_CSS, EventType
from xieshang.liaison.views.common import recent_years, year_of


@council_view()
def visits(request: CouncilRequest) -> HttpResponse:
    """Visits of a year: all for staff and leaders, the visits made to them
    for a member."""
    actor = request.actor
    require(actor.has(Perm.VIEW_ALL_LIAISON) or actor.has(Perm.KEEP_CONSTITUENTS))
    year = year_of(request)
    rows = (
        visible_visits(actor)
        .filter(year=year)
        .prefetch_related(Prefetch("leaders", queryset=User.objects.order_by("id")))
        .order_by("-visited_on", "-id")
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "liaison/visits.html",
        {
            "page": page,
            "year": year,
            "years": recent_years(),
            "may_record": actor.has(Perm.RECORD_VISITS),
            "query": f"year={year}",
        },
    )


@council_view(Perm.RECORD_VISITS)
def record(request: CouncilRequest) -> HttpResponse:
    """Record a visit in two steps: choose the member (so that their
    constituents can be listed), then the rest."""
    actor = request.actor
    members = seated_members(actor.council.pk)
    chooser = MemberChoiceForm(request.GET or None, members=members)
    member: Member | None = None
    if chooser.is_valid():
        member = chooser.cleaned_data["member"]
    if member is None:
        return render(request, "liaison/record_member.html", {"chooser": chooser})
    leaders = leaders_of(actor.council.pk)
    initial_leaders = [actor.user.pk] if can.is_leader(actor) else []
    form = VisitForm(
        request.POST or None,
        leaders=leaders,
        constituents=constituents_of(actor, member),
        initial={"leaders": initial_leaders},
    )
    concern_form = ConcernForm(request.POST or None, council_id=actor.council.pk, prefix="concern")
    if request.method == "POST" and form.is_valid():
        wants_concern = bool(request.POST.get("concern-title", "").strip())
        if not wants_concern or concern_form.is_valid():
            try:
                visit = record_visit(
                    actor=actor,
                    member=member,
                    visited_on=form.cleaned_data["visited_on"],
                    leaders=list(form.cleaned_data["leaders"]),
                    constituents=list(form.cleaned_data["constituents"]),
                    discussion=form.cleaned_data["discussion"],
                    concerns=[concern_form.data_object()] if wants_concern else [],
                )
            except ValidationError as error:
                names = set(error.message_dict) if hasattr(error, "error_dict") else set()
                if names & {"title", "description", "handling_unit", "due_on"}:
                    add_errors(concern_form, error)
                else:
                    add_errors(form, error)
            else:
                messages.success(request, _("The visit was recorded."))
                return redirect("liaison:visit", council_slug=actor.council.slug, pk=visit.pk)
    return render(
        request,
        "liaison/record.html",
        {"form": form, "concern_form": concern_form, "member": member},
    )


def _visit_page(
    request: CouncilRequest,
    row: LiaisonVisit,
    leaders: list[User],
    concern_form: ConcernForm | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "liaison/visit.html",
        {
            "visit": row,
            "leaders": leaders,
            "constituents": list(row.constituents.all()),
            "concerns": list(concerns_raised_at(row)),
            "status_css": CONCERN_STATUS_CSS,
            "concern_form": concern_form,
            "events": labelled_timeline(row, EventType),
        },
        status=status,
    )


@council_view()
def visit(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = access_visit(actor, pk)
    leaders = list(row.leaders.order_by("id"))
    may_raise = can.can_raise_concern(actor, row, {u.pk for u in leaders})
    return _visit_page(request, row, leaders, ConcernForm(council_id=actor.council.pk) if may_raise else None)


@require_POST
@council_view(Perm.RECORD_VISITS)
def visit_concern(request: CouncilRequest, pk: int) -> HttpResponse:
    """Add a concern to a recorded visit."""
    actor = request.actor
    row: LiaisonVisit = access_visit(actor, pk)
    form = ConcernForm(request.POST, council_id=actor.council.pk)
    if form.is_valid():
        try:
            raise_concern(row, actor=actor, data=form.data_object())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The concern was added."))
            return redirect("liaison:visit", council_slug=actor.council.slug, pk=row.pk)
    return _visit_page(request, row, list(row.leaders.order_by("id")), form, status=400)


@council_view(Perm.VIEW_ALL_LIAISON)
def plans(request: CouncilRequest) -> HttpResponse:
    """Every leader's plan for the year, month by month."""
    actor = request.actor
    year = year_of(request)
    by_leader = {plan.leader_id: plan for plan in plans_of_year(actor, year).prefetch_related("rows__member")}
    titles = leader_titles(actor.council.pk)
    rows = []
    for leader in leaders_of(actor.council.pk):
        plan = by_leader.get(leader.pk)
        months: list[list[str]] = [[] for _m in range(12)]
        if plan is not None:
            for planned in plan.rows.all():
                months[planned.month - 1].append(planned.member.full_name)
        rows.append(
            {
                "leader": leader,
                "title": titles.get(leader.pk, ""),
                "months": months,
                "may_edit": can.can_plan_for(actor, leader),
            }
        )
    return render(
        request,
        "liaison/plans.html",
        {"rows": rows, "year": year, "years": recent_years(), "month_numbers": range(1, 13)},
    )


@council_view(Perm.PLAN_VISITS)
def plan_edit(request: CouncilRequest, leader_id: int, year: int) -> HttpResponse:
    actor = request.actor
    leader = leaders_of(actor.council.pk).filter(pk=leader_id).first()
    if leader is None or not 2000 <= year <= 2100:
        raise Http404
    require(can.can_plan_for(actor, leader), _("Only staff or the leader can set a visit plan."))
    plan = plans_of_year(actor, year).filter(leader=leader).first()
    initial = PlanForm.initial_from([(r.month, r.member_id) for r in plan_rows(plan)]) if plan else {}
    per_month = int(get_setting(actor.council, "liaison_visits_per_month", year=year))
    form = PlanForm(
        request.POST or None, initial=initial, members=seated_members(actor.council.pk), per_month=per_month
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_visit_plan(actor=actor, leader=leader, year=year, rows=form.rows())
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                target = f"m{name.split('_')[1]}_1" if name.startswith("month_") else None
                for problem in problems:
                    form.add_error(target, problem)
        else:
            messages.success(request, _("The visit plan was saved."))
            target = reverse("liaison:plans", kwargs={"council_slug": actor.council.slug})
            return redirect(f"{target}?year={year}")
    return render(request, "liaison/plan_form.html", {"form": form, "leader": leader, "year": year})
