"""Check-in pages: the staff screen with the sitting's changing QR code,
the page a member's phone opens from the code, and staff's own check-ins
and marks on the attendance sheet."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieshang.core.links import public_url, qr_code
from xieshang.core.pages import flash_errors
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.meetings.actions import check_in as actions
from xieshang.meetings.codes import code_for, seconds_left
from xieshang.meetings.forms import ManualCheckInForm, MarkForm
from xieshang.meetings.permissions import can_take_attendance
from xieshang.meetings.queries import access_check_in, access_sitting
from xieshang.meetings.states import MeetingStatus

# How often the staff screen asks for a fresh code; well inside a window.
REFRESH_SECONDS = 5


def _code_context(request: CouncilRequest, sitting_id: int) -> dict[str, object]:
    sitting = access_sitting(request.actor, sitting_id)
    meeting = sitting.meeting
    if not can_take_attendance(request.actor, meeting) or meeting.status != MeetingStatus.PUBLISHED:
        raise Http404
    now = timezone.now()
    code = code_for(sitting.pk, now)
    url = public_url(
        reverse("meetings:check_in", kwargs={"council_slug": request.council.slug, "code": code})
    )
    return {
        "sitting": sitting,
        "meeting": meeting,
        "qr": qr_code(url),
        "check_in_url": url,
        "seconds_left": seconds_left(now),
        "checked_in": sitting.check_ins.count(),
        "invited": meeting.invitations.count(),
        "refresh": REFRESH_SECONDS,
    }


@never_cache
@council_view(Perm.MANAGE_MEETINGS)
def code_screen(request: CouncilRequest, sitting_id: int) -> HttpResponse:
    """The screen shown in the meeting room: a QR code that changes every
    30 seconds (the image refreshes itself every few seconds)."""
    return render(request, "meetings/code_screen.html", _code_context(request, sitting_id))


@never_cache
@council_view(Perm.MANAGE_MEETINGS)
def code_fragment(request: CouncilRequest, sitting_id: int) -> HttpResponse:
    return render(request, "meetings/_code.html", _code_context(request, sitting_id))


@never_cache
@council_view(Perm.ATTEND_MEETINGS)
def check_in(request: CouncilRequest, code: str) -> HttpResponse:
    """Where the scanned code leads: check the member in at once.

    A GET does it, because a phone's camera opens the link and nothing more;
    the code is valid for under a minute and only for the member logged in.
    """
    try:
        row = actions.check_in_with_code(actor=request.actor, code=code, now=timezone.now())
    except ValidationError as error:
        reason = error.code or "invalid_code"
        status = 200 if reason == "already_checked_in" else 400
        return render(
            request,
            "meetings/check_in_result.html",
            {"ok": False, "message": error.messages[0], "reason": reason},
            status=status,
        )
    except actions.CheckInClosed as closed:
        return render(
            request,
            "meetings/check_in_result.html",
            {"ok": False, "message": closed.message, "reason": closed.code},
            status=409,
        )
    return render(
        request,
        "meetings/check_in_result.html",
        {"ok": True, "check_in": row, "sitting": row.sitting, "meeting": row.sitting.meeting},
    )


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def manual_check_in(request: CouncilRequest, sitting_id: int) -> HttpResponse:
    """Check in the members chosen, each on their own: one who cannot be
    checked in (not invited, already in) is named and the others go in."""
    sitting = access_sitting(request.actor, sitting_id)
    form = ManualCheckInForm(request.POST, meeting=sitting.meeting)
    if not form.is_valid():
        messages.error(request, _("Choose a member."))
        return redirect("meetings:sheet", council_slug=request.council.slug, pk=sitting.meeting_id)
    done: list[str] = []
    for member in form.cleaned_data["members"]:
        try:
            row = actions.check_in_by_staff(
                sitting,
                actor=request.actor,
                member=member,
                now=timezone.now(),
                is_late=form.cleaned_data["is_late"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            done.append(row.member.full_name)
    if done:
        messages.success(request, _("Checked in: %(names)s.") % {"names": "、".join(done)})
    return redirect("meetings:sheet", council_slug=request.council.slug, pk=sitting.meeting_id)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def mark(request: CouncilRequest, check_in_id: int) -> HttpResponse:
    row = access_check_in(request.actor, check_in_id)
    form = MarkForm(request.POST)
    form.is_valid()
    if request.POST.get("undo") == "1":
        actions.undo_check_in(row, actor=request.actor)
        messages.success(request, _("The check-in was removed."))
    else:
        actions.mark_check_in(
            row,
            actor=request.actor,
            is_late=bool(form.cleaned_data.get("is_late")),
            left_early=bool(form.cleaned_data.get("left_early")),
        )
        messages.success(request, _("The marks were saved."))
    return redirect("meetings:sheet", council_slug=request.council.slug, pk=row.sitting.meeting_id)


@require_POST
@council_view(Perm.MANAGE_MEETINGS)
def walk_ins(request: CouncilRequest, sitting_id: int) -> HttpResponse:
    sitting = access_sitting(request.actor, sitting_id)
    allowed = request.POST.get("allowed") == "1"
    actions.set_walk_ins(sitting, actor=request.actor, allowed=allowed)
    messages.success(
        request,
        _("Members who are not invited may now check in.") if allowed else _("Only invitees may check in."),
    )
    return cast(
        HttpResponse, redirect("meetings:sheet", council_slug=request.council.slug, pk=sitting.meeting_id)
    )
