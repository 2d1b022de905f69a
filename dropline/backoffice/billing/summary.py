"""The customer hub's billing section: the account's balance, its latest invoices and
the charges and credits waiting for its next bill, with links to the billing pages the
staff member may open. Empty when the account has nothing to show there."""

from __future__ import annotations

from dataclasses import dataclass

from dropline.accounts.models import User
from dropline.billing.models import Adjustment, AdjustmentKind, Invoice
from dropline.billing.search import latest_invoices, unbilled_adjustments
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.ledger.queries import balance_cents


def signed_amount(adjustment: Adjustment) -> Money:
    """A charge as a positive amount, a credit as a negative one."""
    sign = -1 if adjustment.kind == AdjustmentKind.CREDIT else 1
    return Money(sign * adjustment.amount_cents, adjustment.currency)


@dataclass(frozen=True)
class AccountBilling:
    balance: Money
    owes: bool
    invoices: list[tuple[Invoice, Money]]
    unbilled: list[tuple[Adjustment, Money]]


def account_summary_context(account: CustomerAccount, *, user: User) -> dict[str, object]:
    """``{"billing": AccountBilling}`` for the hub when ``user`` may read invoices and
    the account has a balance, an invoice or an unbilled charge or credit; else ``{}``.
    Three queries."""
    if not user.has_perm("billing.view_invoice"):
        return {}
    invoices = latest_invoices(account_id=account.pk)
    unbilled = unbilled_adjustments(account_id=account.pk)
    balance = balance_cents(account.pk)
    if not invoices and not unbilled and balance == 0:
        return {}
    currency = account.currency
    return {
        "billing": AccountBilling(
            balance=Money(balance, currency),
            owes=balance > 0,
            invoices=[(invoice, Money(invoice.total_cents, currency)) for invoice in invoices],
            unbilled=[(adjustment, signed_amount(adjustment)) for adjustment in unbilled],
        )
    }
