from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "dropline.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from dropline.billing.checks import BILLING_CHECKS
        from dropline.ledger import checks

        for name, check in BILLING_CHECKS:
            checks.register(name, check)
