"""Amounts in cents on the billing pages: ``{{ cents|money:currency }}`` ("$1,234.50",
"-$3.00") and ``{{ cents|signed_money:currency }}`` for a change ("+$25.00")."""

from __future__ import annotations

from django import template

from dropline.billing.describe import signed
from dropline.core.money import Money

register = template.Library()


@register.filter
def money(cents: int, currency: str = "USD") -> str:
    return Money(int(cents), currency or "USD").format()


@register.filter
def signed_money(cents: int, currency: str = "USD") -> str:
    return signed(int(cents), currency or "USD")
