from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bansos.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from bansos.accounts import labels  # noqa: F401
