"""The configured payment gateway (``DROPLINE_PAYMENT_GATEWAY``): ``simulator`` or ``stripe``."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from dropline.payments.gateways.base import Gateway

GATEWAYS = {
    "simulator": "dropline.payments.gateways.simulator.SimulatorGateway",
    "stripe": "dropline.payments.gateways.stripe_gateway.StripeGateway",
}


def get_gateway(name: str | None = None) -> Gateway:
    """The gateway called ``name`` (the configured one by default)."""
    chosen = name or settings.DROPLINE_PAYMENT_GATEWAY
    gateway: Gateway = import_string(GATEWAYS[chosen])()
    return gateway
