"""``{{ method|method_name }}``: a saved method in words ("Visa •••• 4242")."""

from __future__ import annotations

from django import template

from dropline.payments import describe
from dropline.payments.models import PaymentMethod

register = template.Library()


@register.filter
def method_name(method: PaymentMethod | None) -> str:
    return describe.method_name(method) if method is not None else ""
