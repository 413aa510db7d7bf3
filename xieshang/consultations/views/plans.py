"""The yearly plan: list, detail with items and the offices' comments, item
forms, the revision, approval and issue steps, the joint document, and the
"consult before deciding" flags."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.consultations import exports
from xieshang.consultations import permissions as can
from xieshang.consultations.actions import plans as actions
from xieshang.consultations.forms import (
    ApprovalForm,
    DecisionForm,
    IssueForm,
    PlanForm,
    PlanItemForm,
    ReasonForm,
    SuggestionForm,
)
from xieshang.consultations.models import ConsultationPlan, PlanItem
from xieshang.consultations.queries import (
    access_plan,
    access_plan_item,
    access_suggestion,
    flagged_items,
    plan_items,
    plan_suggestions,
    plans_of_council,
)
from xieshang.consultations.states import PLAN_STATUS_CSS, EventType
from xieshang.consultations.views.common import run_post
from xieshang.core.events import labelled_timeline
from xieshang.core.exports import DOCX_TYPE, content_disposition
from xieshang.core.pages import form_page
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


def _plan_url(request: CouncilRequest, plan: ConsultationPlan) -> str:
    return reverse("consultations:plan", kwargs={"council_slug": request.council.slug, "pk": plan.pk})


@council_view(Perm.VIEW_CONSULTATION_PLANS)
def plans(request: CouncilRequest) -> HttpResponse:
    rows = list(plans_of_council(request.actor))
    return render(
        request,
        "consultations/plans.html",
        {"plans": rows, "status_css": PLAN_STATUS_CSS, "may_create": can.can_create_plan(request.actor)},
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def plan_create(request: CouncilRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    return form_page(
        request,
        form,
        title=_("New consultation plan"),
        back=reverse("consultations:plans", kwargs={"council_slug": request.council.slug}),
        call=lambda data: actions.create_plan(year=data["year"], title=data["title"], actor=request.actor),
        success=_("The plan was created. Add its items."),
        done=lambda plan: _plan_url(request, plan),
    )


@council_view(Perm.VIEW_CONSULTATION_PLANS)
def plan(request: CouncilRequest, pk: int) -> HttpResponse:
    """The plan's items, the offices' comments, amendments and history; the
    side panel holds the steps the actor may take now."""
    the_plan = access_plan(request.actor, pk)
    actor = request.actor
    items = list(plan_items(the_plan))
    suggestions = list(plan_suggestions(the_plan))
    may = {
        "edit": can.can_edit_items(actor, the_plan),
        "revision": can.can_send_for_revision(actor, the_plan),
        "draft": can.can_take_back_to_draft(actor, the_plan),
        "approve": can.can_approve_plan(actor, the_plan),
        "reopen": can.can_reopen_plan(actor, the_plan),
        "issue": can.can_issue_plan(actor, the_plan),
        "suggest": can.can_suggest(actor, the_plan),
        "create_consultation": actor.has(Perm.MANAGE_CONSULTATIONS),
    }
    for suggestion in suggestions:
        suggestion.may_decide = can.can_decide_suggestion(actor, suggestion)  # type: ignore[attr-defined]
    return render(
        request,
        "consultations/plan.html",
        {
            "plan": the_plan,
            "items": items,
            "suggestions": suggestions,
            "amendments": list(the_plan.amendments.select_related("item", "made_by")),
            "status_css": PLAN_STATUS_CSS,
            "may": may,
            "today": timezone.localdate(),
            "events": labelled_timeline(the_plan, EventType),
            "suggestion_form": SuggestionForm(items=[i for i in items if not i.is_withdrawn])
            if may["suggest"]
            else None,
        },
    )


def _item_form_page(
    request: CouncilRequest, the_plan: ConsultationPlan, item: PlanItem | None
) -> HttpResponse:
    initial = {}
    if item is not None:
        initial = {
            "topic": item.topic,
            "kind": item.kind,
            "lead_committee": item.lead_committee_id,
            "partner_unit": item.partner_unit_id,
            "quarter": item.quarter,
            "decision_expected_on": item.decision_expected_on,
            "themes": "，".join(t.name for t in item.themes.all()),
            "note": item.note,
        }
    form = PlanItemForm(request.POST or None, initial=initial, council=request.council)
    if not the_plan.is_issued:
        del form.fields["reason"]
    else:
        form.fields["reason"].required = False  # the action names the missing reason
        form.fields["reason"].widget.attrs["required"] = "required"

    def call(data: dict[str, object]) -> PlanItem:
        values = actions.ItemValues(
            topic=str(data["topic"]),
            kind=str(data["kind"]),
            quarter=int(data["quarter"]),  # type: ignore[call-overload]
            lead_committee=data.get("lead_committee"),  # type: ignore[arg-type]
            partner_unit=data.get("partner_unit"),  # type: ignore[arg-type]
            decision_expected_on=data.get("decision_expected_on"),  # type: ignore[arg-type]
            note=str(data.get("note") or ""),
            themes=data.get("themes") or [],  # type: ignore[arg-type]
        )
        return actions.save_plan_item(
            the_plan, values=values, item=item, reason=str(data.get("reason") or ""), actor=request.actor
        )

    return form_page(
        request,
        form,
        title=_("Change the item") if item else _("Add an item"),
        subject=the_plan.title,
        back=_plan_url(request, the_plan),
        call=call,
        success=_("The item was saved."),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def item_create(request: CouncilRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    if not can.can_edit_items(request.actor, the_plan):
        raise Http404
    return _item_form_page(request, the_plan, None)


@council_view(Perm.MANAGE_CONSULTATIONS)
def item_edit(request: CouncilRequest, pk: int, item_id: int) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    item = access_plan_item(request.actor, the_plan, item_id)
    if not can.can_edit_items(request.actor, the_plan):
        raise Http404
    return _item_form_page(request, the_plan, item)


@council_view(Perm.MANAGE_CONSULTATIONS)
def item_remove(request: CouncilRequest, pk: int, item_id: int) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    item = access_plan_item(request.actor, the_plan, item_id)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Withdraw the item") if the_plan.is_issued else _("Delete the item"),
        subject=item.topic,
        back=_plan_url(request, the_plan),
        call=lambda data: actions.remove_plan_item(
            the_plan, item=item, reason=data["reason"], actor=request.actor
        ),
        success=_("The item was removed from the plan."),
        confirm=_("Remove this item from the plan?"),
        submit=_("Withdraw") if the_plan.is_issued else _("Delete"),
    )


def _step(request: CouncilRequest, pk: int, step: str) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    calls = {
        "revision": (
            actions.send_plan_for_revision,
            _("The plan was sent to the offices for their comments."),
        ),
        "draft": (actions.take_plan_back_to_draft, _("The plan is a draft again.")),
        "reopen": (actions.reopen_plan, _("The plan is back in revision.")),
    }
    action, success = calls[step]
    return run_post(
        request, lambda: action(the_plan, actor=request.actor), success, _plan_url(request, the_plan)
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def plan_revision(request: CouncilRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "revision")


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def plan_draft(request: CouncilRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "draft")


@require_POST
@council_view(Perm.VIEW_CONSULTATION_PLANS)
def plan_reopen(request: CouncilRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "reopen")


@council_view(Perm.APPROVE_CONSULTATION_PLANS)
def plan_approve(request: CouncilRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    form = ApprovalForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    return form_page(
        request,
        form,
        title=_("Record the chair meeting's approval"),
        subject=the_plan.title,
        back=_plan_url(request, the_plan),
        call=lambda data: actions.approve_plan(
            the_plan, approved_on=data["approved_on"], note=data["note"], actor=request.actor
        ),
        success=_("The approval was recorded."),
        submit=_("Record"),
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def plan_issue(request: CouncilRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    form = IssueForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    return form_page(
        request,
        form,
        title=_("Issue the plan"),
        subject=the_plan.title,
        back=_plan_url(request, the_plan),
        call=lambda data: actions.issue_plan(
            the_plan,
            issued_on=data["issued_on"],
            document_number=data["document_number"],
            actor=request.actor,
        ),
        success=_("The plan was issued."),
        confirm=_("Issue the plan? Later changes will need a recorded reason."),
        submit=_("Issue the plan"),
    )


@require_POST
@council_view(Perm.COMMENT_CONSULTATION_PLANS)
def plan_suggest(request: CouncilRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    items = list(plan_items(the_plan).filter(is_withdrawn=False))
    form = SuggestionForm(request.POST, items=items)
    back = _plan_url(request, the_plan)
    if not form.is_valid():
        return render(
            request,
            "core/form_page.html",
            {"form": form, "title": _("Comment on the plan"), "subject": the_plan.title, "back": back},
            status=400,
        )
    item_id = form.cleaned_data.get("item")
    item = access_plan_item(request.actor, the_plan, item_id) if item_id else None
    return run_post(
        request,
        lambda: actions.suggest_plan_change(
            the_plan, item=item, text=form.cleaned_data["text"], proposed=form.proposed(), actor=request.actor
        ),
        _("Your comment was sent to the council's staff."),
        back,
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def suggestion_decide(request: CouncilRequest, pk: int, suggestion_id: int, verdict: str) -> HttpResponse:
    the_plan = access_plan(request.actor, pk)
    suggestion = access_suggestion(request.actor, the_plan, suggestion_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    accept = verdict == "accept"
    return run_post(
        request,
        lambda: actions.decide_plan_suggestion(
            suggestion, accept=accept, note=form.cleaned_data.get("note") or "", actor=request.actor
        ),
        _("The proposed change was accepted.") if accept else _("The proposed change was not accepted."),
        _plan_url(request, the_plan),
    )


@council_view(Perm.VIEW_CONSULTATION_PLANS)
def plan_export(request: CouncilRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan as the joint document: Word or PDF."""
    the_plan = access_plan(request.actor, pk)
    name = f"{the_plan.council.name}{the_plan.year}年度协商计划"
    if fmt == "docx":
        response = HttpResponse(
            exports.plan_docx(the_plan),
            content_type=DOCX_TYPE,
        )
    elif fmt == "pdf":
        response = HttpResponse(exports.plan_pdf(the_plan), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    return response


@council_view(Perm.VIEW_CONSULTATIONS)
def flags(request: CouncilRequest) -> HttpResponse:
    """ "Consult before deciding": items whose decision date passed without
    their consultation held."""
    today = timezone.localdate()
    return render(
        request,
        "consultations/flags.html",
        {"items": list(flagged_items(request.actor, today)), "today": today},
    )
