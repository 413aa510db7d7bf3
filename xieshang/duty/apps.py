from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "xieshang.duty"
    verbose_name = "duty"
    default_auto_field = "django.db.models.BigAutoField"
