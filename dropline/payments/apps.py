from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "dropline.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from dropline.ledger import checks
        from dropline.payments.disputes.checks import DISPUTE_CHECKS

        for name, check in DISPUTE_CHECKS:
            checks.register(name, check)
