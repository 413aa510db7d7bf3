"""Duty pages under /c/<council_slug>/duty/: a member's record and result,
the staff overview, manual records, scoring rules and the yearly assessment."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.audit import audit
from xieshang.core.events import labelled_timeline
from xieshang.core.exports import DOCX_TYPE, content_disposition, xlsx_response
from xieshang.core.pages import add_errors
from xieshang.councils.models import Member
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.duty import actions
from xieshang.duty.forms import (
    AdjustForm,
    BaseRuleFormSet,
    FilterForm,
    ManualRecordForm,
    RemoveRecordForm,
    RuleFormSet,
    rule_initial,
)
from xieshang.duty.permissions import can_add_records, can_assess, can_edit_rules, is_own
from xieshang.duty.queries import (
    access_assessment,
    access_member_duty,
    access_record,
    access_score,
    assessed_members,
    assessment_for,
    assessment_line,
    assessment_scores,
    council_overview,
    freshness_of,
    member_records,
    member_report,
    member_summary,
    own_member,
    record_facts,
    reviewers,
    rules_for,
)
from xieshang.duty.reports import member_report_docx, member_report_pdf, report_title
from xieshang.duty.scoring import RuleTable, preview
from xieshang.duty.states import DutyKind, EventType, Grade


def _year(request: CouncilRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    current = timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        return current
    return year if 2000 <= year <= current + 1 else current


def _years() -> list[int]:
    current = timezone.localdate().year
    return list(range(current, current - 5, -1))


def _kind_chart(summary: Any) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [line.label for line in summary.by_kind]},
        "series": [{"type": "bar", "name": _("Points"), "data": [line.points for line in summary.by_kind]}],
    }


def _member_page(request: CouncilRequest, member: Member, *, own: bool = False) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    year = filters.year_or(timezone.localdate().year)
    kind = filters.kind_or_all()
    summary = member_summary(member, year)
    page = Paginator(member_records(member, year, kind), 20).get_page(request.GET.get("page"))
    staff_view = request.actor.has(Perm.VIEW_ALL_DUTY)
    result = assessment_line(member, year, include_draft=staff_view)
    return render(
        request,
        "duty/member.html",
        {
            "member": member,
            "summary": summary,
            "year": year,
            "years": _years(),
            "kind": kind,
            "kinds": [(k.value, k.label) for k in DutyKind if k != DutyKind.BASE],
            "page": page,
            "chart": _kind_chart(summary),
            "result": result,
            "freshness": freshness_of(member),
            "is_own": own or is_own(request.actor, member),
            "may_add": can_add_records(request.actor, member),
            "query": urlencode({"year": str(year), "kind": kind}),
        },
    )


@council_view(Perm.VIEW_OWN_DUTY)
def mine(request: CouncilRequest) -> HttpResponse:
    """The member's own duty record and, once published, result."""
    member = own_member(request.actor)
    if member is None:
        return render(request, "duty/no_member.html")
    return _member_page(request, member, own=True)


@council_view(None)
def member_detail(request: CouncilRequest, pk: int) -> HttpResponse:
    """One member's duty record (staff and leaders; a member only their own)."""
    return _member_page(request, access_member_duty(request.actor, pk))


@council_view(Perm.VIEW_ALL_DUTY)
def overview(request: CouncilRequest) -> HttpResponse:
    """Staff's view of a year: ranking, distribution of grades, no activity."""
    year = _year(request)
    data = council_overview(request.council, year)
    labels = dict(Grade.choices)
    chart = {
        "tooltip": {},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(labels[g]) for g in data.grade_counts]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": _("Members"), "data": list(data.grade_counts.values())}],
    }
    page = Paginator(data.ranking, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "duty/overview.html",
        {
            "data": data,
            "year": year,
            "years": _years(),
            "page": page,
            "chart": chart,
            "grade_rows": [(labels[g], n) for g, n in data.grade_counts.items()],
            "assessment": assessment_for(request.council, year),
            "may_rebuild": request.actor.has(Perm.MANAGE_DUTY_RECORDS),
            "query": urlencode({"year": str(year)}),
        },
    )


@require_POST
@council_view(Perm.MANAGE_DUTY_RECORDS)
def rebuild(request: CouncilRequest) -> HttpResponse:
    year = _year(request)
    result = actions.rebuild_year(actor=request.actor, year=year)
    messages.success(
        request,
        _("Records of %(year)d rebuilt: %(created)d added, %(updated)d updated, %(removed)d removed.")
        % {"year": year, "created": result.created, "updated": result.updated, "removed": result.removed},
    )
    return redirect(f"{_url('duty:overview', request)}?year={year}")


def _url(name: str, request: CouncilRequest, **kwargs: Any) -> str:
    return reverse(name, kwargs={"council_slug": request.council.slug, **kwargs})


@council_view(Perm.MANAGE_DUTY_RECORDS)
def record_add(request: CouncilRequest, pk: int) -> HttpResponse:
    """Staff record offline duty work of a member, with evidence and a reviewer."""
    member = access_member_duty(request.actor, pk)
    form = ManualRecordForm(request.POST or None, request.FILES or None, reviewers=reviewers(request.council))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = actions.add_manual_record(
                member,
                actor=request.actor,
                kind=data["kind"],
                points=data["points"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                reviewer=data["reviewer"],
                evidence=data.get("evidence"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The record was added."))
            return redirect(f"{_url('duty:member', request, pk=member.pk)}?year={record.year}")
    return render(request, "duty/record_form.html", {"member": member, "form": form})


@council_view(None)
def record_detail(request: CouncilRequest, pk: int) -> HttpResponse:
    record = access_record(request.actor, pk)
    return render(
        request,
        "duty/record.html",
        {
            "record": record,
            "evidence": list(attachments_of(record)),
            "events": labelled_timeline(record, EventType),
            "may_remove": record.is_manual and can_add_records(request.actor, record.member),
            "remove_form": RemoveRecordForm(),
        },
    )


@require_POST
@council_view(Perm.MANAGE_DUTY_RECORDS)
def record_remove(request: CouncilRequest, pk: int) -> HttpResponse:
    record = access_record(request.actor, pk)
    form = RemoveRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the record is removed."))
        return redirect(_url("duty:record", request, pk=record.pk))
    member_id, year = record.member_id, record.year
    actions.remove_manual_record(record, actor=request.actor, reason=form.cleaned_data["reason"])
    messages.success(request, _("The record was removed."))
    return redirect(f"{_url('duty:member', request, pk=member_id)}?year={year}")


@council_view(None)
def evidence(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Download a record's evidence: whoever may see the record."""
    record = access_record(request.actor, pk)
    attachment = attachments_of(record).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    # A streamed file; the tenancy decorator is typed for plain responses.
    return cast(HttpResponse, attachment_response(attachment))


@council_view(Perm.MANAGE_SCORING_RULES)
def rules(request: CouncilRequest) -> HttpResponse:
    """The year's scoring table as one form. "Preview" shows how the year's
    scores and grades would change; "Save" stores the table."""
    year = _year(request)
    current = rules_for(request.council, year)
    formset = cast(
        BaseRuleFormSet,
        RuleFormSet(
            request.POST or None, initial=None if request.POST else rule_initial(list(current.rules.values()))
        ),
    )
    preview_result = None
    names: dict[int, str] = {}
    if request.method == "POST" and formset.is_valid():
        proposed = formset.rules()
        if "save" in request.POST:
            try:
                actions.save_rules(actor=request.actor, year=year, rules=proposed)
            except ValidationError as error:
                formset.non_form_errors().extend(error.messages)
            else:
                messages.success(request, _("The scoring rules of %(year)d were saved.") % {"year": year})
                return redirect(f"{_url('duty:rules', request)}?year={year}")
        else:
            members = list(assessed_members(request.council).values_list("id", "full_name"))
            names = dict(members)
            preview_result = preview(
                [m for m, _name in members],
                record_facts(request.council, year),
                current,
                RuleTable.of(proposed, bands=current.bands),
            )
    return render(
        request,
        "duty/rules.html",
        {
            "formset": formset,
            "year": year,
            "years": _years(),
            "is_default": current.is_default,
            "bands": current.bands,
            "preview": preview_result,
            "changed_rows": [(names.get(r.member_id, ""), r) for r in preview_result.grade_changes][:50]
            if preview_result
            else [],
            "may_edit": can_edit_rules(request.actor),
        },
    )


@council_view(Perm.VIEW_ALL_DUTY)
def assessment(request: CouncilRequest) -> HttpResponse:
    """The year's assessment: every member's score and grade, adjustments,
    and (for staff) open, recompute and publish."""
    year = _year(request)
    current = assessment_for(request.council, year)
    rows = Paginator(assessment_scores(current), 50).get_page(request.GET.get("page")) if current else None
    return render(
        request,
        "duty/assessment.html",
        {
            "assessment": current,
            "year": year,
            "years": _years(),
            "page": rows,
            "may_assess": can_assess(request.actor, current),
            "events": labelled_timeline(current, EventType) if current else [],
            "adjust_form": AdjustForm(),
            "query": urlencode({"year": str(year)}),
        },
    )


@require_POST
@council_view(Perm.ASSESS_DUTY)
def assessment_open(request: CouncilRequest) -> HttpResponse:
    year = _year(request)
    actions.open_assessment(actor=request.actor, year=year)
    messages.success(
        request, _("The scores of %(year)d were computed from the current records.") % {"year": year}
    )
    return redirect(f"{_url('duty:assessment', request)}?year={year}")


@require_POST
@council_view(Perm.ASSESS_DUTY)
def assessment_adjust(request: CouncilRequest, year: int, pk: int) -> HttpResponse:
    current = access_assessment(request.actor, year)
    score = access_score(request.actor, current, pk)
    form = AdjustForm(request.POST)
    if form.is_valid():
        try:
            actions.adjust_score(
                score,
                actor=request.actor,
                adjustment=form.cleaned_data["adjustment"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        return render(
            request, "duty/adjust.html", {"form": form, "score": score, "assessment": current}, status=400
        )
    messages.success(request, _("The score of %(name)s was adjusted.") % {"name": score.member.full_name})
    return redirect(f"{_url('duty:assessment', request)}?year={year}")


@require_POST
@council_view(Perm.ASSESS_DUTY)
def assessment_publish(request: CouncilRequest, year: int) -> HttpResponse:
    current = access_assessment(request.actor, year)
    actions.publish_assessment(current, actor=request.actor)
    messages.success(
        request, _("The assessment of %(year)d is published; members were told.") % {"year": year}
    )
    return redirect(f"{_url('duty:assessment', request)}?year={year}")


@council_view(Perm.VIEW_ALL_DUTY)
def assessment_export(request: CouncilRequest, year: int) -> HttpResponse:
    """The council's assessment table in Excel."""
    current = access_assessment(request.actor, year)
    audit("duty.assessment_exported", user=request.actor.user, council=request.council, obj=current)
    rows = (
        (
            s.member.full_name,
            s.member.sector.name if s.member.sector else "",
            s.member.recommending_body,
            s.computed,
            s.adjustment,
            s.adjustment_reason,
            s.score,
            str(s.get_grade_display()),
        )
        for s in assessment_scores(current)
    )
    return xlsx_response(
        filename=_("duty assessment %(year)d.xlsx") % {"year": year},
        sheet_title=str(year),
        headers=[
            _("Member"),
            _("Sector"),
            _("Recommending body"),
            _("Computed score"),
            _("Adjustment"),
            _("Reason for the adjustment"),
            _("Score"),
            _("Grade"),
        ],
        rows=rows,
    )


def _report(request: CouncilRequest, pk: int) -> Any:
    member = access_member_duty(request.actor, pk)
    # A member downloads their own report in any year; the score stays
    # hidden from them until the assessment is published.
    return member_report(member, _year(request), include_draft=request.actor.has(Perm.VIEW_ALL_DUTY))


@council_view(None)
def report_docx(request: CouncilRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = HttpResponse(
        member_report_docx(report),
        content_type=DOCX_TYPE,
    )
    response["Content-Disposition"] = content_disposition(f"{report_title(report)}.docx")
    return response


@council_view(None)
def report_pdf(request: CouncilRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = HttpResponse(member_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{report_title(report)}.pdf")
    return response
