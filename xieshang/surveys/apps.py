from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xieshang.surveys"
    label = "surveys"
    verbose_name = "surveys"
