from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "dropline.ledger"
    label = "ledger"
    verbose_name = "Ledger"
