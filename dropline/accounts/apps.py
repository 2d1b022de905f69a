from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dropline.accounts"
    label = "accounts"
    # Logins of customers and staff; customer accounts are the customers app's.
    verbose_name = _("Logins and staff")

    def ready(self) -> None:
        from dropline.accounts import allauth_limits, recovery_codes

        recovery_codes.install()
        # allauth's rate limits (sign-in failures among them) on Dropline's one limiter.
        allauth_limits.install()
