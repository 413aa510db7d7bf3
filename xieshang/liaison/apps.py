from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "xieshang.liaison"
    verbose_name = "Liaison"
