from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "dropline.usage"
    label = "usage"
    verbose_name = _("Usage")

    def ready(self) -> None:
        # Register the tasks with Celery in every process.
        from dropline.usage import tasks  # noqa: F401
