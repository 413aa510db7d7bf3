"""Bulletin pages: issues, composing an issue, publishing, Word and PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.audit import audit
from xieshang.core.exports import DOCX_TYPE, content_disposition
from xieshang.core.pages import flash_errors
from xieshang.core.textinput import normalise_text
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.opinions import permissions as can
from xieshang.opinions.actions.bulletin import EntrySpec, compose_issue, create_issue, publish_issue
from xieshang.opinions.exports import issue_docx, issue_entries, issue_label, issue_pdf
from xieshang.opinions.forms import IssueForm
from xieshang.opinions.models import OpinionReport
from xieshang.opinions.queries import access_issue, issues_of, reports_for_bulletin


@council_view(Perm.VIEW_ALL_OPINIONS)
def issues(request: CouncilRequest) -> HttpResponse:
    form = IssueForm(initial={"year": timezone.localdate().year})
    return render(
        request,
        "opinions/issues.html",
        {
            "issues": list(issues_of(request.actor)),
            "form": form,
            "may_manage": request.actor.has(Perm.MANAGE_OPINIONS),
        },
    )


@require_POST
@council_view(Perm.MANAGE_OPINIONS)
def issue_create(request: CouncilRequest) -> HttpResponse:
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year of the issue."))
        return redirect("opinions:issues", council_slug=request.council.slug)
    issue = create_issue(
        actor=request.actor, year=form.cleaned_data["year"], title=form.cleaned_data["title"]
    )
    return redirect("opinions:issue", council_slug=request.council.slug, pk=issue.pk)


@council_view(Perm.VIEW_ALL_OPINIONS)
def issue(request: CouncilRequest, pk: int) -> HttpResponse:
    """An issue: its reports in order with notes; staff compose it from the
    adopted reports (tick, number the order, add notes) and publish it."""
    actor = request.actor
    bulletin = access_issue(actor, pk)
    entries = issue_entries(bulletin)
    may_compose = can.can_compose(actor, bulletin)
    candidates: list[OpinionReport] = []
    if may_compose:
        chosen = {e.report_id for e in entries}
        candidates = [r for r in reports_for_bulletin(actor) if r.pk not in chosen]
    if request.method == "POST" and may_compose:
        by_id = {e.report_id: e.report for e in entries} | {r.pk: r for r in candidates}
        picked: list[tuple[int, int, EntrySpec]] = []
        for raw in request.POST.getlist("report"):
            if not raw.isdigit() or int(raw) not in by_id:
                continue
            order = request.POST.get(f"position_{raw}", "")
            picked.append(
                (
                    int(order) if order.isdigit() else 999,
                    len(picked),
                    EntrySpec(by_id[int(raw)], normalise_text(request.POST.get(f"note_{raw}", ""))),
                )
            )
        try:
            compose_issue(
                bulletin,
                actor=actor,
                entries=[spec for *_key, spec in sorted(picked, key=lambda t: (t[0], t[1]))],
                title=normalise_text(request.POST.get("title", bulletin.title)),
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The issue's contents were saved."))
        return redirect("opinions:issue", council_slug=request.council.slug, pk=bulletin.pk)
    return render(
        request,
        "opinions/issue.html",
        {
            "issue": bulletin,
            "label": issue_label(bulletin),
            "entries": entries,
            "candidates": candidates,
            "may_compose": may_compose,
        },
    )


@require_POST
@council_view(Perm.MANAGE_OPINIONS)
def issue_publish(request: CouncilRequest, pk: int) -> HttpResponse:
    bulletin = access_issue(request.actor, pk)
    try:
        publish_issue(bulletin, actor=request.actor)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The issue was published."))
    return redirect("opinions:issue", council_slug=request.council.slug, pk=bulletin.pk)


@council_view(Perm.VIEW_ALL_OPINIONS)
def issue_export(request: CouncilRequest, pk: int, fmt: str) -> HttpResponse:
    """The issue as Word (docx) or PDF."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    bulletin = access_issue(request.actor, pk)
    name = f"{request.council.name}{issue_label(bulletin)}"
    if fmt == "pdf":
        response = HttpResponse(issue_pdf(bulletin), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(f"{name}.pdf")
    else:
        response = HttpResponse(issue_docx(bulletin), content_type=DOCX_TYPE)
        response["Content-Disposition"] = content_disposition(f"{name}.docx")
    response["X-Content-Type-Options"] = "nosniff"
    audit(
        "opinion.issue_exported",
        user=request.user,
        council=request.council,
        obj=bulletin,
        data={"format": fmt},
        request=request,
    )
    return response
