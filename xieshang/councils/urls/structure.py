"""Pages of the councils app: structure area (under /c/<council_slug>/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
