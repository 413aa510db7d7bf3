from django.contrib import admin
from django.urls import include, path

from config.api import api
from xieshang.accounts.views import login as account_views
from xieshang.dashboards import views as dashboard_views

council_patterns = [
    path("", include("xieshang.dashboards.urls")),
    path("", include("xieshang.councils.urls")),
    path("proposals/", include("xieshang.proposals.urls")),
]

urlpatterns = [
    path("", dashboard_views.root, name="root"),
    path("accounts/", include("xieshang.accounts.urls")),
    path("platform/", include("xieshang.councils.urls.platform")),
    path("i18n/setlang/", account_views.language, name="set_language"),
    path("c/<slug:council_slug>/", include(council_patterns)),
    path("django-admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
