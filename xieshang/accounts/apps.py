from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xieshang.accounts"
    label = "accounts"
    verbose_name = "accounts"
