"""Staff pages: the meeting list, creating and changing meetings, invitees,
guests, materials, publishing, cancelling, closing, leave decisions and
the absence flags."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.pages import add_errors, flash_errors
from xieshang.councils.queries import access_member, current_term
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.meetings.actions import leave as leave_actions
from xieshang.meetings.actions import meetings as actions
from xieshang.meetings.forms import (
    DecisionForm,
    GuestForm,
    InviteesForm,
    ListFilterForm,
    MaterialForm,
    MeetingForm,
    ReasonForm,
)
from xieshang.meetings.permissions import can_manage
from xieshang.meetings.queries import (
    access_leave_request,
    access_meeting,
    find_guest,
    flagged_members,
    leave_requests_waiting,
    meeting_list_rows,
    meetings_for,
    member_attendance,
)
from xieshang.meetings.states import MeetingKind, MeetingStatus
from xieshang.meetings.views.common import to_detail


@council_view(Perm.VIEW_ALL_MEETINGS)
def meeting_list(request: CouncilRequest) -> HttpResponse:
    """Every meeting of the council, newest first, by kind, status and year."""
    form = ListFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows = meetings_for(request.actor)
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("year"):
        rows = rows.filter(starts_at__year=data["year"])
    per_page = request.GET.get("per_page", "20")
    size = int(per_page) if per_page in ("20", "50", "100") else 20
    page = Paginator(meeting_list_rows(rows.order_by("-starts_at", "-id")), size).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "filters": data,
            "kinds": MeetingKind.choices,
            "statuses": MeetingStatus.choices,
            "leave_waiting": leave_requests_waiting(request.actor).count(),
            "may_create": request.actor.has(Perm.MANAGE_MEETINGS),
        },
    )


@council_view(Perm.MANAGE_MEETINGS)
def edit(request: CouncilRequest, pk: int | None = None) -> HttpResponse:
    """Create a meeting (saved as a draft, or published at once) or change one."""
    meeting = access_meeting(request.actor, pk) if pk is not None else None
    if meeting is not None and not can_manage(request.actor, meeting):
        return to_detail(request, meeting)
    initial = (
        MeetingForm.initial_from(meeting) if meeting is not None else {"kind": request.GET.get("kind", "")}
    )
    form = MeetingForm(request.POST or None, initial=initial, council=request.council, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                saved = actions.create_meeting(
                    actor=request.actor, details=form.details(), publish="publish" in request.POST
                )
                messages.success(request, _("The meeting was created. Now choose whom to invite."))
                return redirect("meetings:invitees", council_slug=request.council.slug, pk=saved.pk)
            saved = actions.update_meeting(
                meeting,
                actor=request.actor,
                details=form.details(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return to_detail(request, saved)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@council_view(Perm.MANAGE_MEETINGS)
def invitees(request: CouncilRequest, pk: int) -> HttpResponse:
    """Choose the invitees: whole bodies, and members by name."""
    meeting = access_meeting(request.actor, pk)
    if not can_manage(request.actor, meeting):
        return to_detail(request, meeting)
    initial = InviteesForm.initial_from(actions.invitation_rules_of(meeting))
    form = InviteesForm(request.POST or None, initial=initial, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            total = actions.set_invitees(meeting, actor=request.actor, choice=form.choice())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(count)s members are invited.") % {"count": total})
            return to_detail(request, meeting)
    return render(request, "meetings/invitees.html", {"form": form, "meeting": meeting})


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def add_guest(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            actions.add_guest(meeting, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The guest was added."))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def remove_guest(request: CouncilRequest, pk: int, guest_id: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    guest = find_guest(meeting, guest_id)
    if guest is not None:
        actions.remove_guest(guest, actor=request.actor)
        messages.success(request, _("The guest was removed."))
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def add_material(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_material(meeting, actor=request.actor, upload=form.cleaned_data["file"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The material was added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def remove_material(request: CouncilRequest, pk: int, attachment_id: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    try:
        actions.remove_material(meeting, actor=request.actor, attachment_id=attachment_id)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The material was removed."))
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def publish(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    actions.publish_meeting(meeting, actor=request.actor)
    messages.success(
        request, _("The meeting is published; invitees see it and get the notice when it is due.")
    )
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def cancel(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel_meeting(meeting, actor=request.actor, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The meeting was cancelled and invitees were told."))
    else:
        messages.error(request, _("Say why the meeting is cancelled; invitees will read it."))
    return to_detail(request, meeting)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def close(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    actions.close_meeting(meeting, actor=request.actor, now=timezone.now())
    messages.success(request, _("The meeting is closed and attendance is fixed."))
    return redirect("meetings:sheet", council_slug=request.council.slug, pk=meeting.pk)


@council_view(Perm.DECIDE_LEAVE)
def leave_queue(request: CouncilRequest) -> HttpResponse:
    """Leave requests waiting for a decision, the soonest meeting first."""
    rows = list(leave_requests_waiting(request.actor)[:200])
    return render(request, "meetings/leave_queue.html", {"rows": rows, "form": DecisionForm()})


@require_POST
@council_view(Perm.DECIDE_LEAVE)
def decide_leave(request: CouncilRequest, leave_id: int) -> HttpResponse:
    leave = access_leave_request(request.actor, leave_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
    else:
        try:
            leave_actions.decide_leave(
                leave,
                actor=request.actor,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The member was told of the decision."))
    target = request.POST.get("next", "")
    if target == "queue":
        return redirect("meetings:leave_queue", council_slug=request.council.slug)
    return to_detail(request, leave.meeting)


@council_view(Perm.MANAGE_MEETINGS)
def flags(request: CouncilRequest) -> HttpResponse:
    """Members past the absence thresholds: for staff to follow up, never a sanction."""
    year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    rows = flagged_members(request.council, year=year)
    return render(
        request, "meetings/flags.html", {"rows": rows, "year": year, "term": current_term(request.council)}
    )


@council_view(Perm.VIEW_ALL_MEETINGS)
def member_record(request: CouncilRequest, member_id: int) -> HttpResponse:
    """One member's attendance of closed meetings."""
    member = access_member(request.actor, member_id)
    rows = list(member_attendance(request.actor, member)[:500])
    return render(request, "meetings/member_attendance.html", {"member": member, "rows": rows})
