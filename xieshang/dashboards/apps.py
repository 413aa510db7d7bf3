from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xieshang.dashboards"
    label = "dashboards"
    verbose_name = "dashboards"
