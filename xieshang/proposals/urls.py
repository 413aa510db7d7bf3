"""Proposal pages under /c/<council_slug>/proposals/."""

from django.urls import path

from xieshang.proposals import views

app_name = "proposals"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
