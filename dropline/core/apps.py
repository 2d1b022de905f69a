from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dropline.core"
    label = "core"
    verbose_name = "Core"
