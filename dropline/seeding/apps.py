from django.apps import AppConfig


class SeedingConfig(AppConfig):
    name = "dropline.seeding"
    label = "seeding"
    verbose_name = "Demo and synthetic data"
