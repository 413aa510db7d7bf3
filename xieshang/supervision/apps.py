from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xieshang.supervision"
    label = "supervision"
    verbose_name = "Democratic supervision"
