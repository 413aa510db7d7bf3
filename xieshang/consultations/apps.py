from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "xieshang.consultations"
    verbose_name = "Consultations"
