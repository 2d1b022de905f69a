"""``{{ invoice.total_cents|cents:invoice.currency }}``: an amount stored in integer
minor units, as ``Money`` says it ("$1,234.50", "-$3.00")."""

from __future__ import annotations

from django import template

from dropline.core.money import Money

register = template.Library()


@register.filter
def cents(amount: int | None, currency: str = "USD") -> str:
    return Money(int(amount or 0), currency or "USD").format()
