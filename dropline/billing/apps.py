from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "dropline.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        # Register the tasks with Celery in every process, so bill runs can queue them
        # by name.
        from dropline.billing import tasks  # noqa: F401
        from dropline.billing.checks import BILLING_CHECKS
        from dropline.ledger import checks

        for name, check in BILLING_CHECKS:
            checks.register(name, check)
