from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xieshang.accounts"
    label = "accounts"
    verbose_name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from xieshang.accounts.middleware import mark_session_active

        user_logged_in.connect(mark_session_active, dispatch_uid="xieshang.accounts.session_active")
