"""The attendance sheet of a meeting: on the page, as an Excel download, and
as a printable sign-in sheet (PDF) for when phones or the network fail."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.audit import audit
from xieshang.core.exports import content_disposition, xlsx_response
from xieshang.councils.roles import Perm
from xieshang.councils.tenancy import CouncilRequest, council_view
from xieshang.meetings.forms import ManualCheckInForm
from xieshang.meetings.permissions import can_close, can_take_attendance
from xieshang.meetings.queries import access_meeting, attendance_sheet, guests_of
from xieshang.meetings.states import AttendanceStatus, MeetingStatus


@council_view(Perm.VIEW_ALL_MEETINGS)
def sheet(request: CouncilRequest, pk: int) -> HttpResponse:
    """Every invitee and walk-in with their check-ins per sitting, leave and
    status (live until the meeting closes, then as fixed)."""
    meeting = access_meeting(request.actor, pk)
    data = attendance_sheet(meeting)
    may_take = can_take_attendance(request.actor, meeting)
    if may_take:
        for sitting in data.sittings:
            form = ManualCheckInForm(meeting=meeting, auto_id=f"m-{sitting.pk}-%s")
            sitting.check_in_form = form  # type: ignore[attr-defined]
    return render(
        request,
        "meetings/sheet.html",
        {
            "meeting": meeting,
            "sheet": data,
            "statuses": [(s, s.label, data.counts.get(s, 0)) for s in AttendanceStatus],
            "may_take": may_take,
            "may_close": can_close(request.actor, meeting, now=timezone.now()),
            "is_open": meeting.status == MeetingStatus.PUBLISHED,
        },
    )


def _yes(value: bool) -> str:
    return _("yes") if value else ""


@council_view(Perm.VIEW_ALL_MEETINGS)
def sheet_xlsx(request: CouncilRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.actor, pk)
    data = attendance_sheet(meeting)
    headers = [_("Full name"), _("Sector"), _("Invited")]
    headers += [str(s) for s in data.sittings]
    headers += [_("Leave"), _("Arrived late"), _("Left early"), _("Attendance")]
    rows = []
    for row in data.rows:
        line: list[object] = [
            row.member.full_name,
            row.member.sector.name if row.member.sector else "",
            _yes(row.is_invited),
        ]
        for sitting in data.sittings:
            check_in = row.check_ins.get(sitting.pk)
            line.append(timezone.localtime(check_in.checked_in_at).strftime("%H:%M") if check_in else "")
        line += [
            row.leave.get_status_display() if row.leave else "",
            _yes(row.was_late),
            _yes(row.left_early),
            str(row.status.label),
        ]
        rows.append(line)
    audit(
        "meeting.sheet_exported",
        user=request.user,
        council=request.council,
        obj=meeting,
        data={"rows": len(rows)},
    )
    return xlsx_response(
        filename=f"{meeting.title}-{_('attendance')}.xlsx",
        sheet_title=str(_("Attendance")),
        headers=headers,
        rows=rows,
    )


@council_view(Perm.VIEW_ALL_MEETINGS)
def sign_in_pdf(request: CouncilRequest, pk: int) -> HttpResponse:
    """A sign-in sheet to print: one line per invitee with a box to sign in
    each sitting, then the guests."""
    from weasyprint import HTML  # Heavy; loaded only when a sheet is printed.

    meeting = access_meeting(request.actor, pk)
    data = attendance_sheet(meeting)
    html = render_to_string(
        "meetings/sign_in_sheet.html",
        {
            "meeting": meeting,
            "sittings": data.sittings,
            "rows": [r for r in data.rows if r.is_invited],
            "guests": guests_of(meeting),
            "council": request.council,
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    # No base URL: the sheet loads nothing, so printing never fetches anything.
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{meeting.title}-{_('sign-in sheet')}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
