from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dropline.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Register the tasks with Celery in every process, so that the domain can
        # queue them by name (``dispatch``) and run them at once without a broker.
        from dropline.notifications import tasks  # noqa: F401
