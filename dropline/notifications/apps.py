from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dropline.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Register the tasks with Celery in every process, so that the domain can
        # queue them by name (``dispatch``) and run them at once without a broker.
        from dropline.notifications import tasks  # noqa: F401
