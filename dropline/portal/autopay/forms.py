"""Input for autopay: a choice among the account's own saved methods; the domain decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.payments.models import PaymentMethod

ACTIONS = ("enrol", "change", "cancel")


class MethodForm(forms.Form):
    method = forms.TypedChoiceField(label=_("Pay with"), coerce=int)

    def __init__(self, *args: Any, methods: list[PaymentMethod], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        method_field = self.fields["method"]
        assert isinstance(method_field, forms.TypedChoiceField)
        method_field.choices = [(method.pk, describe_method(method)) for method in methods]


def describe_method(method: PaymentMethod) -> str:
    """``Visa ending in 4242, expires 12/2030`` in the reader's language."""
    if method.exp_month and method.exp_year:
        return str(
            _("%(brand)s ending in %(last4)s, expires %(month)02d/%(year)d")
            % {
                "brand": method.brand.title(),
                "last4": method.last4,
                "month": method.exp_month,
                "year": method.exp_year,
            }
        )
    return str(
        _("%(brand)s ending in %(last4)s") % {"brand": method.brand.title(), "last4": method.last4}
    )
