from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dropline.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # allauth's and Django's authentication signals -> security events.
        from dropline.accounts import receivers, recovery_codes

        receivers.connect()
        recovery_codes.install()
