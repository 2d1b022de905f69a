"""Amounts of data on the usage pages: ``{{ bytes|data_amount }}`` ("612 GB", "1.2 TB"),
in the page's language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from dropline.core.money import Money
from dropline.usage.amounts import data_amount as _data_amount

register = template.Library()


@register.filter
def data_amount(value: int) -> str:
    return _data_amount(int(value))


@register.filter
def share(value: int, percent: int) -> int:
    """``percent`` of ``value`` bytes, for a meter's thresholds."""
    return int(value) * int(percent) // 100


@register.filter
def cents(value: int, currency: str) -> str:
    return Money(int(value), currency).format()


@register.filter
def per_gb_price(value: Decimal, currency: str) -> str:
    """A price per GB, to the cent."""
    return Money.from_decimal(value, currency).format()
