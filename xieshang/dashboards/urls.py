from django.urls import path

from xieshang.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("aggregates/", views.aggregates, name="aggregates"),
    path("search/", views.search, name="search"),
]
