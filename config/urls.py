from django.urls import include, path

from config.api import api
from xieshang.accounts.views import login as account_views
from xieshang.dashboards import views as dashboard_views

council_patterns = [
    path("", include("xieshang.dashboards.urls")),
    path("", include("xieshang.councils.urls")),
    path("proposals/", include("xieshang.proposals.urls")),
    path("opinions/", include("xieshang.opinions.urls")),
    path("meetings/", include("xieshang.meetings.urls")),
    path("consultations/", include("xieshang.consultations.urls")),
    path("duty/", include("xieshang.duty.urls")),
    path("liaison/", include("xieshang.liaison.urls")),
    path("supervision/", include("xieshang.supervision.urls")),
    path("surveys/", include("xieshang.surveys.urls")),
]

urlpatterns = [
    path("", dashboard_views.root, name="root"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("accounts/", include("xieshang.accounts.urls")),
    path("platform/", include("xieshang.councils.urls.platform")),
    path("i18n/setlang/", account_views.language, name="set_language"),
    path("c/<slug:council_slug>/", include(council_patterns)),
    # No Django admin site: operators work on the platform's own pages,
    # which go through the actions, permissions and audit log
    # (docs/adr/0005-no-django-admin.md).
    path("api/v1/", api.urls),
]

# Refusals say why: JSON under /api/, the platform's pages elsewhere.
handler400 = "xieshang.core.rejections.bad_request"
handler403 = "xieshang.core.rejections.permission_denied"
handler404 = "xieshang.core.rejections.page_not_found"
handler500 = "xieshang.core.rejections.server_error"
