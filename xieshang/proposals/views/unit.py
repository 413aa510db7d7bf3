"""Handling-unit pages: the inbox, objections, the reply form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.attachments import attachments_of
from xieshang.core.pages import add_errors
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.actions.handling import object_to_assignment, record_handling_note, save_reply
from xieshang.proposals.forms import NoteForm, ReasonForm, ReplyForm
from xieshang.proposals.permissions import can_object, can_record_note, can_reply
from xieshang.proposals.queries import (
    FollowUpFilters,
    access_assignment,
    current_reply,
    follow_ups_for,
    unit_inbox_parts,
)
from xieshang.proposals.states import FollowUpStatus, NoteKind
from xieshang.proposals.views.detail import detail_context


@council_view(Perm.HANDLE_PROPOSALS)
def inbox(request: CouncilRequest) -> HttpResponse:
    """The unit's assigned proposals in two tabs: in hand, soonest due (so
    overdue) first, and closed; and its follow-ups of B-category proposals
    not yet closed."""
    parts = unit_inbox_parts(request.actor, today=timezone.localdate())
    closed = request.GET.get("tab") == "closed"
    rows = parts.closed if closed else parts.in_hand
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    other = (parts.in_hand if closed else parts.closed).count()
    here = page.paginator.count
    follow_ups = follow_ups_for(request.actor, FollowUpFilters()).exclude(status=FollowUpStatus.CLOSED)
    context = {
        "page": page,
        "closed": closed,
        "counts": {"in_hand": other if closed else here, "closed": here if closed else other},
        "overdue": parts.overdue,
        "page_query": "tab=closed" if closed else "",
        "follow_ups": list(follow_ups[:20]),
    }
    return render(request, "proposals/unit_inbox.html", context)


@council_view(Perm.HANDLE_PROPOSALS)
def assignment(request: CouncilRequest, pk: int) -> HttpResponse:
    """The proposal as the unit sees it, with the reply form."""
    item = access_assignment(request.actor, pk)
    proposal = item.proposal
    current = current_reply(item)
    initial = None
    if current is not None:
        initial = {
            "category": current.category_id,
            "text": current.text,
            "signer": current.signer,
            "contact_person": current.contact_person,
            "contact_phone": current.contact_phone,
            "version": current.version,
        }
    form = ReplyForm(request.POST or None, request.FILES or None, initial=initial, council=request.council)
    if request.method == "POST" and form.is_valid():
        try:
            save_reply(
                item,
                actor=request.actor,
                content=form.content(),
                submit="submit" in request.POST,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            done = (
                _("The reply was sent for checking.")
                if "submit" in request.POST
                else _("The draft was saved.")
            )
            messages.success(request, done)
            return redirect("proposals:assignment", council_slug=request.council.slug, pk=item.pk)
    context = detail_context(request, proposal)
    context.update(
        {
            "assignment": item,
            "reply_form": form if can_reply(request.actor, item) else None,
            "current_reply": current,
            "letters": list(attachments_of(current)) if current is not None else [],
            "objection_form": ReasonForm()
            if can_object(request.actor, item, today=timezone.localdate())
            else None,
            "note_form": NoteForm(role=item.role)
            if can_record_note(request.actor, item, kind=NoteKind.CONSULTATION)
            else None,
        }
    )
    return render(request, "proposals/assignment.html", context)


@require_POST
@council_view(Perm.HANDLE_PROPOSALS)
def object_view(request: CouncilRequest, pk: int) -> HttpResponse:
    item = access_assignment(request.actor, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        object_to_assignment(
            item, actor=request.actor, reason=form.cleaned_data["reason"], today=timezone.localdate()
        )
        messages.success(request, _("Your objection was sent to the council office."))
    else:
        messages.error(request, _("Say why the proposal is not your unit's."))
    return redirect("proposals:assignment", council_slug=request.council.slug, pk=item.pk)


@require_POST
@council_view(Perm.HANDLE_PROPOSALS)
def note(request: CouncilRequest, pk: int) -> HttpResponse:
    """Record a contact, a consultation or (helpers) the opinion to the lead unit."""
    item = access_assignment(request.actor, pk)
    form = NoteForm(request.POST, role=item.role)
    if form.is_valid():
        try:
            record_handling_note(
                item,
                actor=request.actor,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                happened_on=form.cleaned_data["happened_on"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Recorded."))
    return redirect("proposals:assignment", council_slug=request.council.slug, pk=item.pk)
