from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dropline.catalog"
    label = "catalog"
    verbose_name = "Catalogue"
