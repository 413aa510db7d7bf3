"""Council-scoped pages of the councils app, under /c/<council_slug>/.

Each area has its own module so that the lists stay short.
"""

from django.urls import path

from xieshang.councils.urls import members, structure
from xieshang.councils.views import inbox, search

app_name = "councils"
urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("search/", search.search, name="search"),
    *members.urlpatterns,
    *structure.urlpatterns,
]
