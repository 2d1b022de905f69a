from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "dropline.network"
    label = "network"
    verbose_name = "Network"
