"""Supervision pages under /c/<council_slug>/supervision/."""

from django.urls import path

from xieshang.supervision.views import campaigns, inspections, recommendations, resident, statistics

app_name = "supervision"
urlpatterns = [
    path("", campaigns.campaigns, name="list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path("campaigns/<int:pk>/rows/", campaigns.campaign_rows, name="campaign_rows"),
    path("campaigns/<int:pk>/targets/", campaigns.targets_add, name="targets_add"),
    path("campaigns/<int:pk>/import/", campaigns.targets_import, name="targets_import"),
    path("campaigns/<int:pk>/assign/", campaigns.assign, name="assign"),
    path("campaigns/<int:pk>/rounds/", campaigns.round_add, name="round_add"),
    path("campaigns/<int:pk>/status/", campaigns.campaign_status, name="campaign_status"),
    path("campaigns/<int:pk>/inspect/", inspections.inspect, name="inspect"),
    path("campaigns/<int:pk>/recommend/", recommendations.recommend, name="recommend"),
    path("campaigns/<int:pk>/reports/new/", recommendations.report_create, name="report_create"),
    path("inspections/<int:pk>/", inspections.inspection, name="inspection"),
    path("inspections/<int:pk>/photos/<int:photo_id>/", inspections.photo, name="photo"),
    path("recommendations/", recommendations.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", recommendations.recommendation, name="recommendation"),
    path(
        "recommendations/<int:pk>/reply/", recommendations.recommendation_reply, name="recommendation_reply"
    ),
    path(
        "recommendations/<int:pk>/resolve/",
        recommendations.recommendation_resolve,
        name="recommendation_resolve",
    ),
    path("reports/", recommendations.reports, name="reports"),
    path("reports/<int:pk>/", recommendations.report, name="report"),
    path("reports/<int:pk>/<str:fmt>/", recommendations.report_download, name="report_download"),
    path("resident/", resident.postings, name="postings"),
    path("resident/new/", resident.posting_create, name="posting_create"),
    path("resident/<int:pk>/", resident.posting, name="posting"),
    path("resident/<int:pk>/activities/", resident.activity_add, name="activity_add"),
    path("resident/<int:pk>/letters/", resident.letter_issue, name="letter_issue"),
    path("resident/<int:pk>/appraisals/", resident.appraisal_add, name="appraisal_add"),
    path("letters/", resident.letters, name="letters"),
    path("letters/<int:pk>/", resident.letter, name="letter"),
    path("letters/<int:pk>/answer/", resident.letter_answer, name="letter_answer"),
    path("letters/<int:pk>/return/", resident.letter_return, name="letter_return"),
    path("letters/<int:pk>/close/", resident.letter_close, name="letter_close"),
    path("statistics/", statistics.statistics, name="statistics"),
]
