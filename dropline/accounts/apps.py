from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dropline.accounts"
    label = "accounts"
    verbose_name = "Accounts"
