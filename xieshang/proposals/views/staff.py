"""Staff pages: the review queue, review outcomes, assignment, extensions,
checking replies, re-handling, conclusion and marks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core.attachments import attachments_of
from xieshang.core.pages import add_errors, form_page, version_of
from xieshang.councils.models import HandlingUnit
from xieshang.councils.queries import bodies_of
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.proposals.actions import filing, handling, review
from xieshang.proposals.forms import (
    AssignForm,
    CollectiveFilerForm,
    ConvertForm,
    DeclineForm,
    ExtensionForm,
    FollowThroughForm,
    MarkForm,
    MergeForm,
    QueueFilterForm,
    ReasonForm,
)
from xieshang.proposals.models import Proposal, ProposalCategory
from xieshang.proposals.queries import (
    QueueFilters,
    access_assignment,
    access_proposal,
    access_reply,
    assignment_meeting_rows,
    body_from_key,
    collective_filers,
    filed_proposals_by_ids,
    key_proposals,
    replies_to_check,
    staff_proposals,
    status_counts,
)
from xieshang.proposals.states import AssignmentRole, ProposalStatus
from xieshang.proposals.views.member import _to_detail


@council_view(Perm.VIEW_ALL_PROPOSALS)
def queue(request: CouncilRequest) -> HttpResponse:
    """Filed proposals by status (submitted by default), oldest first."""
    form = QueueFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    status = data.get("status") or ProposalStatus.SUBMITTED
    if status not in ProposalStatus.values or status == ProposalStatus.DRAFT:
        status = ProposalStatus.SUBMITTED
    filters = QueueFilters(
        status=status,
        category_id=data.get("category"),
        window=data.get("window") or "",
        text=data.get("q") or "",
    )
    rows = staff_proposals(request.actor, filters)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    counts = status_counts(request.actor)
    chips = [
        {"value": value, "label": label, "count": counts.get(value, 0), "active": value == status}
        for value, label in ProposalStatus.choices
        if value != ProposalStatus.DRAFT
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "proposals/queue.html",
        {
            "page": page,
            "chips": chips,
            "status": status,
            "filters": filters,
            "categories": list(bodies_of(request.council, ProposalCategory)),
            "query": params.urlencode(),
            "total": page.paginator.count,
        },
    )


def _around(request: CouncilRequest, proposal: Proposal) -> dict[str, Any]:
    """What a staff form page on proposal shows around its form."""
    return {
        "back": reverse("proposals:detail", kwargs={"council_slug": request.council.slug, "pk": proposal.pk}),
        "subject": f"{proposal.case_number} {proposal.title}".strip(),
        "submit": _("Confirm"),
        "breadcrumb": "proposals/_breadcrumb.html",
        "context": {"proposal": proposal},
    }


@require_POST
@council_view(Perm.REVIEW_PROPOSALS)
def accept(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    accepted = review.accept_proposal(proposal, actor=request.actor, expected_version=version_of(request))
    messages.success(request, _("Accepted as No. %(number)s.") % {"number": accepted.case_number})
    return _to_detail(request, proposal)


@council_view(Perm.REVIEW_PROPOSALS)
def decline(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    form = DeclineForm(request.POST or None, initial={"version": proposal.version}, council=request.council)
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Decline the proposal"),
        danger=True,
        success=_("The proposal was declined; the proposer sees the reason."),
        call=lambda d: review.decline_proposal(
            proposal, actor=request.actor, reason=d["reason"], note=d["note"], expected_version=d["version"]
        ),
    )


@council_view(Perm.REVIEW_PROPOSALS)
def convert(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    form = ConvertForm(request.POST or None, initial={"version": proposal.version})
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Convert the proposal"),
        success=_("The proposal was converted."),
        call=lambda d: review.convert_proposal(
            proposal,
            actor=request.actor,
            target=d["target"],
            consent_note=d["consent_note"],
            expected_version=d["version"],
        ),
    )


@council_view(Perm.REVIEW_PROPOSALS)
def merge(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    form = MergeForm(request.POST or None, initial={"version": proposal.version}, proposal=proposal)
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Merge into another proposal"),
        success=_("The proposal was merged."),
        call=lambda d: review.merge_proposal(
            proposal, actor=request.actor, into=d["into"], note=d["note"], expected_version=d["version"]
        ),
    )


@council_view(Perm.REVIEW_PROPOSALS)
def return_proposal(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    form = ReasonForm(request.POST or None, initial={"version": proposal.version})
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Return for revision"),
        success=_("The proposal was returned to the proposer."),
        call=lambda d: review.return_for_revision(
            proposal, actor=request.actor, reason=d["reason"], expected_version=d["version"]
        ),
    )


@council_view(Perm.ASSIGN_PROPOSALS)
def assign(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    again = proposal.status != ProposalStatus.ACCEPTED
    form = AssignForm(
        request.POST or None,
        initial={"version": proposal.version},
        council=request.council,
        suggested=None if again else proposal,
    )
    action = handling.reassign_proposal if again else handling.assign_proposal
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Change the handling units") if again else _("Assign to handling units"),
        success=_("The handling units were told."),
        call=lambda d: action(
            proposal,
            actor=request.actor,
            units=form.unit_roles(),  # type: ignore[attr-defined]
            assigned_on=d["assigned_on"],
            expected_version=d["version"],
        ),
    )


@council_view(Perm.ASSIGN_PROPOSALS)
def extend(request: CouncilRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.actor, pk)
    proposal = access_proposal(request.actor, assignment.proposal_id)
    form = ExtensionForm(request.POST or None, initial={"version": assignment.version})
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Extend the deadline of %(unit)s") % {"unit": assignment.unit.name},
        success=_("The extension was approved."),
        call=lambda d: handling.approve_extension(
            assignment,
            actor=request.actor,
            new_due_on=d["new_due_on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    )


@council_view(Perm.REVIEW_PROPOSALS)
def rehandle(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    form = ReasonForm(request.POST or None, initial={"version": proposal.version})
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Order rehandling"),
        success=_("The units were asked to handle the proposal again."),
        call=lambda d: review.order_rehandling(
            proposal,
            actor=request.actor,
            reason=d["reason"],
            today=timezone.localdate(),
            expected_version=d["version"],
        ),
    )


@require_POST
@council_view(Perm.REVIEW_PROPOSALS)
def conclude(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    review.conclude_proposal(
        proposal, actor=request.actor, today=timezone.localdate(), expected_version=version_of(request)
    )
    messages.success(request, _("The proposal was concluded."))
    return _to_detail(request, proposal)


@council_view(Perm.REVIEW_PROPOSALS)
def mark(request: CouncilRequest, pk: int) -> HttpResponse:
    proposal = access_proposal(request.actor, pk)
    initial = {
        "is_key": proposal.is_key,
        "supervising_leader": proposal.supervising_leader_id,
        "is_outstanding": proposal.is_outstanding,
    }
    form = MarkForm(request.POST or None, initial=initial, council=request.council)

    def run(d: dict[str, Any]) -> None:
        if d["is_key"] != proposal.is_key or d["supervising_leader"] != proposal.supervising_leader:
            review.mark_key(
                proposal, actor=request.actor, is_key=d["is_key"], supervising_leader=d["supervising_leader"]
            )
        if d["is_outstanding"] != proposal.is_outstanding:
            review.mark_outstanding(proposal, actor=request.actor, is_outstanding=d["is_outstanding"])

    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Key and outstanding"),
        success=_("Saved."),
        call=run,
    )


REPLY_DECISIONS = {"release": gettext_lazy("Release"), "return": gettext_lazy("Return for rework")}


@council_view(Perm.RELEASE_REPLIES)
def replies(request: CouncilRequest) -> HttpResponse:
    """Replies waiting for staff check, oldest first."""
    page = Paginator(replies_to_check(request.actor), 20).get_page(request.GET.get("page"))
    return render(request, "proposals/replies.html", {"page": page})


@council_view(Perm.RELEASE_REPLIES)
def check_reply(request: CouncilRequest, pk: int) -> HttpResponse:
    """Read a submitted reply, then release it or return it with a reason."""
    reply = access_reply(request.actor, pk)
    form = ReasonForm(request.POST or None, initial={"version": reply.version})
    if request.method == "POST":
        if request.POST.get("decision") == "release":
            handling.release_reply(
                reply, actor=request.actor, today=timezone.localdate(), expected_version=version_of(request)
            )
            messages.success(request, _("The reply was released to the proposers."))
            return redirect("proposals:replies", council_slug=request.council.slug)
        if form.is_valid():
            try:
                handling.return_reply(
                    reply,
                    actor=request.actor,
                    reason=form.cleaned_data["reason"],
                    expected_version=version_of(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The reply was returned to the unit."))
                return redirect("proposals:replies", council_slug=request.council.slug)
    return render(
        request,
        "proposals/check_reply.html",
        {
            "reply": reply,
            "proposal": reply.assignment.proposal,
            "form": form,
            "letters": list(attachments_of(reply)),
        },
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@require_POST
@council_view(Perm.REVIEW_PROPOSALS)
def accept_selected(request: CouncilRequest) -> HttpResponse:
    """Accept the proposals ticked in the review queue, all or none."""
    ids = _ids(request.POST.getlist("selected"))
    proposals = filed_proposals_by_ids(request.actor, ids)
    if not proposals or len(proposals) != len(set(ids)):
        messages.error(request, _("Tick the proposals to accept."))
    else:
        accepted = review.accept_many(proposals, actor=request.actor)
        messages.success(
            request,
            _("%(count)s proposals accepted: %(first)s to %(last)s.")
            % {"count": len(accepted), "first": accepted[0].case_number, "last": accepted[-1].case_number},
        )
    return redirect(
        f"{reverse('proposals:queue', kwargs={'council_slug': request.council.slug})}?status=submitted"
    )


@council_view(Perm.ASSIGN_PROPOSALS)
def meeting(request: CouncilRequest) -> HttpResponse:
    """The assignment meeting (交办会): every accepted proposal with a lead
    unit to choose (the first suggested unit preselected), assigned at once."""
    rows = assignment_meeting_rows(request.actor)
    units = list(bodies_of(request.council, HandlingUnit, active_only=True))
    by_id = {unit.pk: unit for unit in units}
    error = ""
    assigned_on = request.POST.get("assigned_on") or timezone.localdate().isoformat()
    if request.method == "POST":
        plan = []
        for proposal in rows:
            raw = request.POST.get(f"unit_{proposal.pk}", "")
            unit = by_id.get(int(raw)) if raw.isdigit() else None
            if unit is not None:
                plan.append((proposal, [handling.UnitRole(unit, AssignmentRole.LEAD)]))
        try:
            day = dt.date.fromisoformat(assigned_on)
        except ValueError:
            error = _("Enter the meeting date.")
        else:
            if not plan:
                error = _("Choose a lead unit for at least one proposal.")
            else:
                try:
                    handling.assign_in_batch(plan, actor=request.actor, assigned_on=day)
                except ValidationError as problem:
                    error = " ".join(problem.messages)
                else:
                    messages.success(request, _("%(count)s proposals assigned.") % {"count": len(plan)})
                    return redirect("proposals:meeting", council_slug=request.council.slug)
    for proposal in rows:
        suggested = [u.pk for u in proposal.suggested_units.all()]
        chosen = request.POST.get(f"unit_{proposal.pk}") if request.method == "POST" else None
        default = suggested[0] if suggested else None
        proposal.chosen_unit = int(chosen) if chosen and chosen.isdigit() else default  # type: ignore[attr-defined]
    return render(
        request,
        "proposals/meeting.html",
        {"rows": rows, "units": units, "assigned_on": assigned_on, "error": error},
        status=400 if error else 200,
    )


@council_view(Perm.VIEW_ALL_PROPOSALS)
def follow_through(request: CouncilRequest, pk: int) -> HttpResponse:
    """Record a follow-through activity of a key proposal (staff or its leader)."""
    proposal = access_proposal(request.actor, pk)
    form = FollowThroughForm(request.POST or None, initial={"happened_on": timezone.localdate()})
    return form_page(
        request,
        form,
        **_around(request, proposal),
        title=_("Record follow-through"),
        success=_("The follow-through activity was recorded."),
        call=lambda d: review.record_follow_through(
            proposal,
            actor=request.actor,
            kind=d["kind"],
            note=d["note"],
            happened_on=d["happened_on"],
            today=timezone.localdate(),
        ),
    )


@council_view(Perm.VIEW_ALL_PROPOSALS)
def key_list(request: CouncilRequest) -> HttpResponse:
    """Key proposals and their progress, for leaders and staff."""
    page = Paginator(key_proposals(request.actor), 50).get_page(request.GET.get("page"))
    return render(request, "proposals/key.html", {"page": page})


@council_view(Perm.REVIEW_PROPOSALS)
def collective(request: CouncilRequest) -> HttpResponse:
    """Who may file proposals in the name of an affiliation, sector group,
    special committee or member group."""
    form = CollectiveFilerForm(request.POST or None, council=request.council)
    if request.method == "POST" and form.is_valid():
        body = body_from_key(request.council, form.cleaned_data["body"])
        try:
            if body is None:
                raise ValidationError({"body": _("Choose a body of this council.")})
            filing.authorise_collective_filer(actor=request.actor, user=form.cleaned_data["user"], body=body)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The member may now file in the body's name."))
            return redirect("proposals:collective", council_slug=request.council.slug)
    return render(
        request, "proposals/collective.html", {"form": form, "filers": list(collective_filers(request.actor))}
    )


@require_POST
@council_view(Perm.REVIEW_PROPOSALS)
def collective_revoke(request: CouncilRequest, pk: int) -> HttpResponse:
    filer = collective_filers(request.actor).filter(pk=pk).first()
    if filer is None:
        raise Http404
    filing.revoke_collective_filer(filer, actor=request.actor)
    messages.success(request, _("The authorisation was withdrawn."))
    return redirect("proposals:collective", council_slug=request.council.slug)
