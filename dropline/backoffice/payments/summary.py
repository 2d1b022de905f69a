"""The customer hub's payments section: the account's latest payments and its saved
methods (brand and last four digits only). Empty when the staff member may not read
payments or the account has none of either."""

from __future__ import annotations

from dropline.accounts.models import User
from dropline.customers.models import CustomerAccount
from dropline.payments.search import latest_payments, saved_methods


def account_payments_context(account: CustomerAccount, *, user: User) -> dict[str, object]:
    """``{"payments_hub": {...}}`` for the hub, or ``{}``. Two queries."""
    if not user.has_perm("payments.view_payment"):
        return {}
    payments = latest_payments(account_id=account.pk)
    methods = saved_methods(account_id=account.pk)
    if not payments and not methods:
        return {}
    return {"payments_hub": {"payments": payments, "methods": methods}}
