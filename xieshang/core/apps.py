from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xieshang.core"
    label = "core"
    verbose_name = "core"
