"""A saved method in words, the same on every page and in both languages:
"Visa •••• 4242", "Chase Bank •••• 6789"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dropline.payments.models import PaymentMethod

BRANDS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "discover": "Discover",
}


def brand_name(brand: str) -> str:
    """A card network by its name; a bank by its own (as the gateway gave it)."""
    return BRANDS.get(brand.lower(), brand if brand[:1].isupper() else brand.title())


def method_name(method: PaymentMethod) -> str:
    """ "Visa •••• 4242": the brand and the last four digits, never more."""
    return _("%(brand)s •••• %(last4)s") % {
        "brand": brand_name(method.brand),
        "last4": method.last4,
    }


def method_with_expiry(method: PaymentMethod) -> str:
    """ "Visa •••• 4242, expires 12/2030" for a card; a bank account by its name."""
    if method.exp_month and method.exp_year:
        return _("%(method)s, expires %(month)02d/%(year)s") % {
            "method": method_name(method),
            "month": method.exp_month,
            "year": method.exp_year,
        }
    return method_name(method)
