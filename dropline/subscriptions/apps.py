from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "dropline.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"
