"""Pages of the councils app: council administration (under /c/<council_slug>/admin/):
structure, roles, settings and calendar."""

from django.urls import path

from xieshang.councils.views import calendar, roles, settings, structure

urlpatterns = [
    path("admin/", structure.structure, name="structure"),
    path("admin/terms/", structure.term_list, name="term_list"),
    path("admin/terms/new/", structure.term_create, name="term_create"),
    path("admin/terms/<int:term_id>/edit/", structure.term_edit, name="term_edit"),
    path("admin/terms/<int:term_id>/current/", structure.term_make_current, name="term_make_current"),
    path("admin/terms/<int:term_id>/sessions/new/", structure.session_create, name="session_create"),
    path("admin/sessions/<int:session_id>/edit/", structure.session_edit, name="session_edit"),
    path("admin/bodies/<slug:kind>/", structure.body_list, name="body_list"),
    path("admin/bodies/<slug:kind>/new/", structure.body_create, name="body_create"),
    path("admin/bodies/<slug:kind>/<int:body_id>/edit/", structure.body_edit, name="body_edit"),
    path("admin/bodies/<slug:kind>/<int:body_id>/active/", structure.body_set_active, name="body_set_active"),
    path("admin/bodies/<slug:kind>/<int:body_id>/delete/", structure.body_delete, name="body_delete"),
    path("admin/bodies/<slug:kind>/<int:body_id>/people/", structure.body_people, name="body_people"),
    path(
        "admin/bodies/<slug:kind>/<int:body_id>/people/link/",
        structure.body_people_link,
        name="body_people_link",
    ),
    path(
        "admin/bodies/<slug:kind>/<int:body_id>/people/new/",
        structure.body_people_create,
        name="body_people_create",
    ),
    path(
        "admin/bodies/<slug:kind>/<int:body_id>/people/<int:role_id>/remove/",
        structure.body_people_remove,
        name="body_people_remove",
    ),
    path("admin/roles/", roles.role_list, name="roles"),
    path("admin/roles/grant/", roles.role_grant, name="role_grant"),
    path("admin/roles/<int:role_id>/revoke/", roles.role_revoke, name="role_revoke"),
    path("admin/accounts/<int:user_id>/unlock/", roles.account_unlock, name="account_unlock"),
    path("admin/settings/", settings.settings_page, name="settings"),
    path("admin/settings/<slug:key>/", settings.setting_edit, name="setting_edit"),
    path("admin/settings/<slug:key>/reset/", settings.setting_reset, name="setting_reset"),
    path("admin/calendar/", calendar.calendar_page, name="calendar"),
    path("admin/calendar/add/", calendar.calendar_add, name="calendar_add"),
    path("admin/calendar/<int:override_id>/remove/", calendar.calendar_remove, name="calendar_remove"),
]
