from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "dropline.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        # Register the daily task with Celery in every process.
        from dropline.orders import tasks  # noqa: F401
