"""Pages of the councils app: members area (under /c/<council_slug>/)."""

from django.urls import path

from xieshang.councils.views import members, picker

urlpatterns = [
    path("members/", members.member_list, name="member_list"),
    path("members/pick/", picker.member_pick, name="member_pick"),
    path("members/export.xlsx", members.member_export, name="member_export"),
    path("members/template.xlsx", members.member_template, name="member_template"),
    path("members/import/", members.member_import, name="member_import"),
    path("members/new/", members.member_create, name="member_create"),
    path("members/<int:member_id>/", members.member_detail, name="member_detail"),
    path("members/<int:member_id>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:member_id>/reveal/", members.member_reveal, name="member_reveal"),
    path("members/<int:member_id>/login/", members.member_create_login, name="member_create_login"),
]
