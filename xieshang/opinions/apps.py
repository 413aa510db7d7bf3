from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "xieshang.opinions"
    verbose_name = "Opinion reports"
