"""Duty pages under /c/<council_slug>/duty/."""

from django.urls import path

from xieshang.duty import views

app_name = "duty"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/records/new/", views.record_add, name="record_add"),
    path("members/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("members/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/remove/", views.record_remove, name="record_remove"),
    path("records/<int:pk>/evidence/<int:attachment_id>/", views.evidence, name="evidence"),
    path("overview/", views.overview, name="overview"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("rules/", views.rules, name="rules"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/open/", views.assessment_open, name="assessment_open"),
    path("assessment/<int:year>/scores/<int:pk>/", views.assessment_adjust, name="assessment_adjust"),
    path("assessment/<int:year>/publish/", views.assessment_publish, name="assessment_publish"),
    path("assessment/<int:year>/export.xlsx", views.assessment_export, name="assessment_export"),
]
