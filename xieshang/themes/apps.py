from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "xieshang.themes"
    verbose_name = "Themes"
