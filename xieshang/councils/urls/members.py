"""Pages of the councils app: members area (under /c/<council_slug>/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
