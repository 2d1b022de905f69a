from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dropline.portal"
    label = "portal"
    verbose_name = "Customer portal"
