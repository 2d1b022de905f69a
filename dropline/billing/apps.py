from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "dropline.billing"
    label = "billing"
    verbose_name = "Billing"
