"""Liaison pages under /c/<council_slug>/liaison/."""

from django.urls import path

from xieshang.liaison.views import concerns, constituents, statistics, visits

app_name = "liaison"
urlpatterns = [
    path("", visits.visits, name="visits"),
    path("visits/new/", visits.record, name="record"),
    path("visits/<int:pk>/", visits.visit, name="visit"),
    path("visits/<int:pk>/concerns/", visits.visit_concern, name="visit_concern"),
    path("plans/", visits.plans, name="plans"),
    path("plans/<int:leader_id>/<int:year>/", visits.plan_edit, name="plan_edit"),
    path("constituents/", constituents.constituents, name="constituents"),
    path("constituents/new/", constituents.constituent_edit, name="constituent_create"),
    path("constituents/<int:pk>/", constituents.constituent_edit, name="constituent_edit"),
    path("concerns/", concerns.concerns, name="concerns"),
    path("concerns/<int:pk>/", concerns.concern, name="concern"),
    path("concerns/<int:pk>/start/", concerns.concern_start, name="concern_start"),
    path("concerns/<int:pk>/notes/", concerns.concern_note, name="concern_note"),
    path("concerns/<int:pk>/resolve/", concerns.concern_resolve, name="concern_resolve"),
    path("concerns/<int:pk>/close/", concerns.concern_close, name="concern_close"),
    path("concerns/<int:pk>/report/", concerns.concern_to_report, name="concern_to_report"),
    path("concerns/<int:pk>/proposal/", concerns.concern_to_proposal, name="concern_to_proposal"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/export/", statistics.statistics_export, name="statistics_export"),
]
