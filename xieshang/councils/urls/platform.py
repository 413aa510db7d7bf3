"""Platform administration (the council tree), outside any council."""

from django.urls import path

from xieshang.councils.views import platform

app_name = "platform"
urlpatterns = [
    path("councils/", platform.council_tree, name="councils"),
    path("councils/new/", platform.council_create, name="council_create"),
    path("councils/<int:council_id>/", platform.council_detail, name="council_detail"),
    path("councils/<int:council_id>/edit/", platform.council_edit, name="council_edit"),
    path("councils/<int:council_id>/active/", platform.council_set_active, name="council_set_active"),
    path("councils/<int:council_id>/admins/appoint/", platform.admin_appoint, name="admin_appoint"),
    path("councils/<int:council_id>/admins/new/", platform.admin_create, name="admin_create"),
]
