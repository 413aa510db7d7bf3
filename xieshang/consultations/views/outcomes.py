"""Outcome reports: staff write and send them and set follow-up dates; the
party-committee and government offices read them in their inbox and record
instructions and what became of them; the year-end report."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.consultations import exports
from xieshang.consultations import permissions as can
from xieshang.consultations.actions import outcomes as actions
from xieshang.consultations.forms import (
    AdoptionForm,
    FollowUpForm,
    OutcomeForm,
    SendOutcomeForm,
)
from xieshang.consultations.models import Outcome
from xieshang.consultations.queries import (
    access_consultation,
    access_outcome,
    instructions_of,
    office_outcomes,
    outcomes_of_council,
    year_report,
)
from xieshang.consultations.states import OUTCOME_STATUS_CSS, EventType
from xieshang.consultations.views.consultations import detail_url
from xieshang.core.attachments import attachment_response, attachments_of
from xieshang.core.events import labelled_timeline
from xieshang.core.exports import DOCX_TYPE, content_disposition
from xieshang.core.pages import add_errors, form_page
from xieshang.councils.forms.instructions import InstructionForm
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view


def outcome_url(request: CouncilRequest, outcome: Outcome) -> str:
    return reverse("consultations:outcome", kwargs={"council_slug": request.council.slug, "pk": outcome.pk})


def office_url(request: CouncilRequest, outcome: Outcome) -> str:
    return reverse(
        "consultations:office_outcome", kwargs={"council_slug": request.council.slug, "pk": outcome.pk}
    )


@council_view(Perm.VIEW_CONSULTATIONS)
def outcome_list(request: CouncilRequest) -> HttpResponse:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    rows = outcomes_of_council(request.actor, year).prefetch_related("offices")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/outcomes.html",
        {
            "page": page,
            "status_css": OUTCOME_STATUS_CSS,
            "year": year,
            "query": f"year={year}" if year else "",
        },
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def outcome_create(request: CouncilRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.actor, pk)
    form = OutcomeForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Write the outcome report"),
        subject=consultation.topic,
        back=detail_url(request, consultation),
        call=lambda data: actions.write_outcome(
            consultation, kind=data["kind"], title=data["title"], text=data["text"], actor=request.actor
        ),
        success=_("The outcome report was saved as a draft."),
        done=lambda outcome: outcome_url(request, outcome),
    )


@council_view(Perm.VIEW_CONSULTATIONS)
def outcome(request: CouncilRequest, pk: int) -> HttpResponse:
    the_outcome = access_outcome(request.actor, pk)
    actor = request.actor
    may = {
        "edit": can.can_edit_outcome(actor, the_outcome),
        "send": can.can_send_outcome(actor, the_outcome),
        "follow_up": can.can_set_follow_up(actor, the_outcome),
    }
    return render(
        request,
        "consultations/outcome.html",
        {
            "outcome": the_outcome,
            "consultation": the_outcome.consultation,
            "status_css": OUTCOME_STATUS_CSS,
            "offices": list(the_outcome.offices.all()),
            "instructions": list(instructions_of(the_outcome)),
            "evidence": list(attachments_of(the_outcome)),
            "events": labelled_timeline(the_outcome, EventType),
            "may": may,
            "send_form": SendOutcomeForm(council=request.council) if may["send"] else None,
            "follow_up_form": FollowUpForm(initial={"follow_up_on": the_outcome.follow_up_on})
            if may["follow_up"]
            else None,
            "file_url": "consultations:outcome_file",
        },
    )


@council_view(Perm.MANAGE_CONSULTATIONS)
def outcome_edit(request: CouncilRequest, pk: int) -> HttpResponse:
    the_outcome = access_outcome(request.actor, pk)
    if not can.can_edit_outcome(request.actor, the_outcome):
        raise Http404
    initial = {
        "kind": the_outcome.kind,
        "title": the_outcome.title,
        "text": the_outcome.text,
        "version": the_outcome.version,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Change the outcome report"),
        subject=the_outcome.title,
        back=outcome_url(request, the_outcome),
        call=lambda data: actions.update_outcome(
            the_outcome,
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            expected_version=data.get("version"),
            actor=request.actor,
        ),
        success=_("The outcome report was saved."),
    )


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def outcome_send(request: CouncilRequest, pk: int) -> HttpResponse:
    the_outcome = access_outcome(request.actor, pk)
    form = SendOutcomeForm(request.POST, council=request.council)
    if form.is_valid():
        try:
            actions.send_outcome(the_outcome, offices=list(form.cleaned_data["offices"]), actor=request.actor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The outcome report was sent."))
    else:
        messages.error(request, _("Choose the party-committee or government offices."))
    return redirect(outcome_url(request, the_outcome))


@require_POST
@council_view(Perm.MANAGE_CONSULTATIONS)
def outcome_follow_up(request: CouncilRequest, pk: int) -> HttpResponse:
    the_outcome = access_outcome(request.actor, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.set_follow_up(
                the_outcome, follow_up_on=form.cleaned_data["follow_up_on"], actor=request.actor
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You will be reminded on that day."))
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect(outcome_url(request, the_outcome))


@council_view(Perm.VIEW_COUNCIL)
def outcome_file(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Evidence of an outcome's conversion, for staff, leaders and the receiving offices."""
    the_outcome = access_outcome(request.actor, pk)
    attachment = attachments_of(the_outcome).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return cast(HttpResponse, attachment_response(attachment))


@council_view(Perm.RECEIVE_OUTCOMES)
def office_inbox(request: CouncilRequest) -> HttpResponse:
    page = Paginator(office_outcomes(request.actor), 20).get_page(request.GET.get("page"))
    return render(
        request, "consultations/office_inbox.html", {"page": page, "status_css": OUTCOME_STATUS_CSS}
    )


def _office_outcome(request: CouncilRequest, pk: int) -> Outcome:
    row = office_outcomes(request.actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@council_view(Perm.RECEIVE_OUTCOMES)
def office_outcome(request: CouncilRequest, pk: int) -> HttpResponse:
    """An outcome sent to the office, with the forms to record an instruction
    and what became of it."""
    the_outcome = _office_outcome(request, pk)
    actor = request.actor
    # A leader's instruction comes, most often, from the office's own level.
    level = {"level": request.council.level}
    may_instruct = can.can_instruct_outcome(actor, the_outcome)
    instruction_form = InstructionForm(prefix="i", initial=level) if may_instruct else None
    adoption_form = AdoptionForm(prefix="a") if can.can_record_adoption(actor, the_outcome) else None
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "instruction" and instruction_form is not None:
            instruction_form = InstructionForm(request.POST, prefix="i", initial=level)
            if instruction_form.is_valid():
                try:
                    actions.record_outcome_instruction(
                        the_outcome, actor=actor, **instruction_form.cleaned_data
                    )
                except ValidationError as error:
                    add_errors(instruction_form, error)
                else:
                    messages.success(
                        request, _("The instruction was recorded; the council's staff are told.")
                    )
                    return redirect(office_url(request, the_outcome))
        elif which == "adoption" and adoption_form is not None:
            adoption_form = AdoptionForm(request.POST, request.FILES, prefix="a")
            if adoption_form.is_valid():
                data = adoption_form.cleaned_data
                try:
                    actions.record_adoption(
                        the_outcome,
                        adoption=data["adoption"],
                        note=data.get("note") or "",
                        follow_up_on=data.get("follow_up_on"),
                        evidence=request.FILES.getlist("a-evidence"),
                        actor=actor,
                    )
                except ValidationError as error:
                    add_errors(adoption_form, error)
                else:
                    messages.success(request, _("What became of the outcome was recorded."))
                    return redirect(office_url(request, the_outcome))
        else:
            raise Http404
    return render(
        request,
        "consultations/office_outcome.html",
        {
            "outcome": the_outcome,
            "consultation": the_outcome.consultation,
            "instructions": list(instructions_of(the_outcome)),
            "evidence": list(attachments_of(the_outcome)),
            "instruction_form": instruction_form,
            "adoption_form": adoption_form,
            "minutes": the_outcome.consultation.minutes if the_outcome.consultation.minutes_sent_at else "",
        },
    )


def _year(raw: int) -> int:
    if not 2000 <= raw <= 2100:
        raise Http404
    return raw


@council_view(Perm.VIEW_CONSULTATIONS)
def year_end(request: CouncilRequest, year: int) -> HttpResponse:
    report = year_report(request.council, _year(year))
    return render(
        request,
        "consultations/year_report.html",
        {"report": report, "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1)},
    )


@council_view(Perm.VIEW_CONSULTATIONS)
def year_end_export(request: CouncilRequest, year: int, fmt: str) -> HttpResponse:
    report = year_report(request.council, _year(year))
    name = f"{request.council.name}{year}年度协商工作及成果转化情况"
    if fmt == "docx":
        response = HttpResponse(
            exports.year_docx(report),
            content_type=DOCX_TYPE,
        )
    elif fmt == "pdf":
        response = HttpResponse(exports.year_pdf(report), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    return response
