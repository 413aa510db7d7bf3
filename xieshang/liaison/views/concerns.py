"""Concerns: the list (all, the unit's, or the member's own), a concern's
page with the actions this user may take, and the conversions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.events import labelled_timeline
from xieshang.core.pages import add_errors, flash_errors, version_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.liaison import permissions as can
from xieshang.liaison.actions import (
    close_concern,
    convert_concern_to_proposal,
    convert_concern_to_report,
    note_progress,
    resolve_concern,
    start_concern,
)
from xieshang.liaison.forms import (
    CloseForm,
    ConcernFilterForm,
    ConvertProposalForm,
    ConvertReportForm,
    NoteForm,
    ResolveForm,
)
from xieshang.liaison.models import Concern
from xieshang.liaison.queries import (
    ConcernFilters,
    access_concern,
    filtered_concerns,
    notes_of,
    visible_concerns,
)
from xieshang.liaison.states import CONCERN_STATUS_CSS, ConcernStatus, EventType


def _to_concern(request: CouncilRequest, concern: Concern) -> HttpResponse:
    return redirect("liaison:concern", council_slug=request.council.slug, pk=concern.pk)


@council_view()
def concerns(request: CouncilRequest) -> HttpResponse:
    """Concerns the user may see, filtered by status, year and overdue,
    oldest due first, with status chips and counts."""
    actor = request.actor
    form = ConcernFilterForm(request.GET)
    filters = ConcernFilters()
    if form.is_valid():
        filters = ConcernFilters(
            status=form.cleaned_data.get("status") or "",
            year=form.cleaned_data.get("year"),
            overdue=bool(form.cleaned_data.get("overdue")),
        )
    counts = {
        row["status"]: row["n"] for row in visible_concerns(actor).values("status").annotate(n=Count("id"))
    }
    page = Paginator(filtered_concerns(actor, filters).order_by("due_on", "id"), 20).get_page(
        request.GET.get("page")
    )
    chips = [(value, label, counts.get(value, 0)) for value, label in ConcernStatus.choices]
    return render(
        request,
        "liaison/concerns.html",
        {
            "page": page,
            "filters": filters,
            "chips": chips,
            "status_css": CONCERN_STATUS_CSS,
            "total": sum(counts.values()),
        },
    )


@council_view()
def concern(request: CouncilRequest, pk: int) -> HttpResponse:
    actor = request.actor
    row = access_concern(actor, pk)
    may = {
        "work": can.can_work_on(actor, row),
        "close": can.can_close(actor, row),
        "report": can.can_convert_to_report(actor, row),
        "proposal": can.can_convert_to_proposal(actor, row),
        "visit": can.can_view_visit(actor, row.visit.member_id),
    }
    return render(
        request,
        "liaison/concern.html",
        {
            "concern": row,
            "status_css": CONCERN_STATUS_CSS.get(row.status, ""),
            "notes": list(notes_of(row)),
            "may": may,
            "note_form": NoteForm() if may["work"] else None,
            "resolve_form": ResolveForm(initial={"version": row.version}) if may["work"] else None,
            "close_form": CloseForm(initial={"version": row.version}) if may["close"] else None,
            "events": labelled_timeline(row, EventType),
            "report_url": reverse(
                "opinions:detail", kwargs={"council_slug": actor.council.slug, "pk": row.opinion_report_id}
            )
            if row.opinion_report_id
            else "",
            "proposal_url": reverse(
                "proposals:detail", kwargs={"council_slug": actor.council.slug, "pk": row.proposal_id}
            )
            if row.proposal_id
            else "",
        },
    )


@require_POST
@council_view()
def concern_start(request: CouncilRequest, pk: int) -> HttpResponse:
    row = access_concern(request.actor, pk)
    start_concern(row, actor=request.actor, expected_version=version_of(request))
    messages.success(request, _("Work on the concern has started."))
    return _to_concern(request, row)


def _act_on_form(
    request: CouncilRequest,
    row: Concern,
    form: forms.Form,
    *,
    invalid: str,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """Run one action from a form on the concern's page: say what happened,
    or why not, and go back to the concern."""
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, success)
    return _to_concern(request, row)


@require_POST
@council_view()
def concern_note(request: CouncilRequest, pk: int) -> HttpResponse:
    row = access_concern(request.actor, pk)
    return _act_on_form(
        request,
        row,
        NoteForm(request.POST),
        invalid=_("Write what was done."),
        call=lambda data: note_progress(row, actor=request.actor, text=data["text"]),
        success=_("The progress note was added."),
    )


@require_POST
@council_view()
def concern_resolve(request: CouncilRequest, pk: int) -> HttpResponse:
    row = access_concern(request.actor, pk)
    return _act_on_form(
        request,
        row,
        ResolveForm(request.POST),
        invalid=_("Say how the concern was resolved."),
        call=lambda data: resolve_concern(
            row, actor=request.actor, resolution=data["resolution"], expected_version=data.get("version")
        ),
        success=_("The concern is resolved; the member was told."),
    )


@require_POST
@council_view(Perm.MANAGE_CONCERNS)
def concern_close(request: CouncilRequest, pk: int) -> HttpResponse:
    row = access_concern(request.actor, pk)
    return _act_on_form(
        request,
        row,
        CloseForm(request.POST),
        invalid=_("Give the reason for closing the concern."),
        call=lambda data: close_concern(
            row, actor=request.actor, reason=data["reason"], expected_version=data.get("version")
        ),
        success=_("The concern was closed."),
    )


@council_view(Perm.FILE_OPINIONS)
def concern_to_report(request: CouncilRequest, pk: int) -> HttpResponse:
    """The member writes an opinion report from the concern, prefilled."""
    actor = request.actor
    row = access_concern(actor, pk)
    if not can.can_convert_to_report(actor, row):
        return _to_concern(request, row)
    form = ConvertReportForm(
        request.POST or None, initial={"title": row.title, "problem": row.description or row.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = convert_concern_to_report(row, actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your opinion report was filed; it links back to the concern."))
            return redirect("opinions:detail", council_slug=actor.council.slug, pk=report.pk)
    return render(request, "liaison/convert.html", {"form": form, "concern": row, "kind": "report"})


@council_view(Perm.FILE_PROPOSALS)
def concern_to_proposal(request: CouncilRequest, pk: int) -> HttpResponse:
    """The member starts a proposal draft from the concern."""
    actor = request.actor
    row = access_concern(actor, pk)
    if not can.can_convert_to_proposal(actor, row):
        return _to_concern(request, row)
    form = ConvertProposalForm(
        request.POST or None, initial={"title": row.title, "situation": row.description or row.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = convert_concern_to_proposal(row, actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("A proposal draft was started; finish and file it on the proposal page.")
            )
            return redirect("proposals:edit", council_slug=actor.council.slug, pk=proposal.pk)
    return render(request, "liaison/convert.html", {"form": form, "concern": row, "kind": "proposal"})
