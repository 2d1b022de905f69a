from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "dropline.subscriptions"
    label = "subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        # Register the tasks with Celery in every process, so a price change applied to
        # subscribers can queue its chunks by name.
        from dropline.subscriptions import tasks  # noqa: F401
