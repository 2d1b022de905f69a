from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "dropline.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # Register the tasks with Celery in every process, and payments' ledger checks
        # with ``dropline ledger check``.
        from dropline.ledger import checks
        from dropline.payments import tasks  # noqa: F401
        from dropline.payments.checks import PAYMENT_CHECKS

        for name, check in PAYMENT_CHECKS:
            checks.register(name, check)
