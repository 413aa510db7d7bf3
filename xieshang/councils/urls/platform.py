"""Platform administration (the council tree), outside any council."""

from django.urls import path

from xieshang.councils.views import platform

app_name = "platform"
urlpatterns = [
    path("councils/", platform.council_tree, name="councils"),
]
