"""Opinion-report pages under /c/<council_slug>/opinions/."""

from django.urls import path

from xieshang.opinions.views import bulletin, member, office, staff, statistics, themes

app_name = "opinions"
urlpatterns = [
    # Reporters
    path("", member.mine, name="mine"),
    path("new/", member.edit, name="create"),
    path("<int:pk>/", member.detail, name="detail"),
    path("<int:pk>/edit/", member.edit, name="edit"),
    path("<int:pk>/submit/", member.submit, name="submit"),
    path("<int:pk>/files/<int:attachment_id>/", member.attachment, name="attachment"),
    # Staff
    path("queue/", staff.queue, name="queue"),
    path("queue/file-for-member/", staff.file_for_member, name="file_for_member"),
    path("<int:pk>/revise/", staff.staff_edit, name="staff_edit"),
    path("<int:pk>/adopt/", staff.adopt, name="adopt"),
    path("<int:pk>/decline/", staff.decline, name="decline"),
    path("<int:pk>/forward/", staff.forward, name="forward"),
    path("<int:pk>/themes/", themes.themes, name="themes"),
    path("<int:pk>/themes/<int:tag_id>/remove/", themes.theme_untag, name="theme_untag"),
    path("received/", staff.received, name="received"),
    path("received/<int:pk>/", staff.received_detail, name="received_detail"),
    path("received/<int:pk>/adopt/", staff.received_adopt, name="received_adopt"),
    path(
        "received/<int:pk>/files/<int:attachment_id>/", staff.received_attachment, name="received_attachment"
    ),
    path("received/<int:pk>/decline/", staff.received_decline, name="received_decline"),
    path("received/<int:pk>/forward/", staff.received_forward, name="received_forward"),
    path("bulletin/", bulletin.issues, name="issues"),
    path("bulletin/new/", bulletin.issue_create, name="issue_create"),
    path("bulletin/<int:pk>/", bulletin.issue, name="issue"),
    path("bulletin/<int:pk>/publish/", bulletin.issue_publish, name="issue_publish"),
    path("bulletin/<int:pk>/export.<str:fmt>", bulletin.issue_export, name="issue_export"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/export/", statistics.statistics_export, name="statistics_export"),
    # Oversight offices
    path("office/", office.inbox, name="office_inbox"),
    path("office/<int:pk>/", office.item, name="office_item"),
    path("office/<int:pk>/files/<int:attachment_id>/", office.item_attachment, name="office_attachment"),
]
