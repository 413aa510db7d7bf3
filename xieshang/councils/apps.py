from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "xieshang.councils"
    label = "councils"
    verbose_name = "councils"
