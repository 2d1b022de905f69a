from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "dropline.customers"
    label = "customers"
    verbose_name = "Customers"
