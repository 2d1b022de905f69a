from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dropline.api"
    label = "api"
    verbose_name = "JSON API"
