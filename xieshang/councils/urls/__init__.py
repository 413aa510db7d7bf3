"""Council-scoped pages of the councils app, under /c/<council_slug>/.

Each area has its own module so that the lists stay short.
"""

from django.urls import path

from xieshang.councils.urls import members, structure
from xieshang.councils.views import audit, inbox

app_name = "councils"
urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:notification_id>/", inbox.open_message, name="inbox_open"),
    path("inbox/read-all/", inbox.read_all, name="inbox_read_all"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export/", audit.audit_log_export, name="audit_log_export"),
    *members.urlpatterns,
    *structure.urlpatterns,
]
