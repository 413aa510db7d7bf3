"""Meeting pages under /c/<council_slug>/meetings/."""

from django.urls import path

from xieshang.meetings.views import check_in, detail, member, sheets, staff

app_name = "meetings"
urlpatterns = [
    # Members
    path("", member.mine, name="mine"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/materials/<int:attachment_id>/", detail.material, name="material"),
    path("<int:pk>/leave/", member.request_leave, name="request_leave"),
    path("leave/<int:leave_id>/withdraw/", member.withdraw_leave, name="withdraw_leave"),
    path("check-in/<str:code>/", check_in.check_in, name="check_in"),
    # Staff and leaders
    path("all/", staff.meeting_list, name="list"),
    path("new/", staff.edit, name="create"),
    path("<int:pk>/edit/", staff.edit, name="edit"),
    path("<int:pk>/invitees/", staff.invitees, name="invitees"),
    path("<int:pk>/guests/", staff.add_guest, name="add_guest"),
    path("<int:pk>/guests/<int:guest_id>/remove/", staff.remove_guest, name="remove_guest"),
    path("<int:pk>/materials/", staff.add_material, name="add_material"),
    path("<int:pk>/materials/<int:attachment_id>/remove/", staff.remove_material, name="remove_material"),
    path("<int:pk>/publish/", staff.publish, name="publish"),
    path("<int:pk>/cancel/", staff.cancel, name="cancel"),
    path("<int:pk>/close/", staff.close, name="close"),
    path("<int:pk>/sheet/", sheets.sheet, name="sheet"),
    path("<int:pk>/sheet.xlsx", sheets.sheet_xlsx, name="sheet_xlsx"),
    path("<int:pk>/sign-in-sheet.pdf", sheets.sign_in_pdf, name="sign_in_pdf"),
    path("sittings/<int:sitting_id>/code/", check_in.code_screen, name="code_screen"),
    path("sittings/<int:sitting_id>/code/fragment/", check_in.code_fragment, name="code_fragment"),
    path("sittings/<int:sitting_id>/check-in/", check_in.manual_check_in, name="manual_check_in"),
    path("sittings/<int:sitting_id>/walk-ins/", check_in.walk_ins, name="walk_ins"),
    path("check-ins/<int:check_in_id>/", check_in.mark, name="mark"),
    path("leave/", staff.leave_queue, name="leave_queue"),
    path("leave/<int:leave_id>/decide/", staff.decide_leave, name="decide_leave"),
    path("flags/", staff.flags, name="flags"),
    path("members/<int:member_id>/", staff.member_record, name="member_record"),
]
