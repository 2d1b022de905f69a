from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dropline.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from dropline.accounts import recovery_codes

        recovery_codes.install()
