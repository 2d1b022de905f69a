"""Accounts that owe money and hold a saved simulator card, made through the real writes."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from dropline.billing.models import Invoice
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.ledger.queries import balance_cents
from dropline.payments import methods
from dropline.payments.gateways import simulator
from dropline.payments.models import PaymentMethod
from tests.support.billing import at
from tests.support.bills import billed_customer
from tests.support.catalog import Catalog
from tests.support.factories import Customer

APPROVED = "4242424242424242"
BILL_DAY = dt.date(2026, 1, 5)  # the first bill's day (``billed_customer``)
PAY_DAY = dt.date(2026, 1, 10)
_serial = itertools.count(1)


@dataclass
class Payer:
    customer: Customer
    invoice: Invoice
    method: PaymentMethod

    @property
    def account(self) -> CustomerAccount:
        return self.customer.account

    @property
    def balance(self) -> int:
        return balance_cents(self.customer.account.pk)


def card_token(number: str = APPROVED, *, exp_year: int = 2030, cvc: str = "") -> str:
    return simulator.tokenise_card(
        number=number,
        exp_month=12,
        exp_year=exp_year,
        cvc=cvc or ("1234" if number.startswith("37") else "123"),
        holder_name="Pat Payer",
    )


def save_card(
    customer: Customer, number: str = APPROVED, *, default: bool = False
) -> PaymentMethod:
    return methods.add_method(
        account=customer.account,
        token=card_token(number),
        actor=customer.user,
        make_default=default,
    )


def save_bank_account(
    customer: Customer, account_number: str, *, default: bool = False
) -> PaymentMethod:
    token = simulator.tokenise_bank_account(
        routing_number=simulator.ROUTING_NUMBER, account_number=account_number, holder_name="Pat"
    )
    return methods.add_method(
        account=customer.account, token=token, actor=customer.user, make_default=default
    )


def make_payer(
    *, username: str = "", card: str = APPROVED, catalog: Catalog | None = None
) -> Payer:
    """A customer with one bill issued on ``BILL_DAY`` (owing all of it) and a saved card."""
    household = billed_customer(
        username=username or f"payer{next(_serial)}", months=1, catalog=catalog
    )
    customer = Customer(account=household.account, user=household.user)
    with clock.frozen(at(BILL_DAY)):
        method = save_card(customer, card)
    return Payer(customer=customer, invoice=household.invoices[0], method=method)
