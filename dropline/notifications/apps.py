from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dropline.notifications"
    label = "notifications"
    verbose_name = "Notifications"
