"""Accounts that owe money and hold a saved simulator card, made through the real writes."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.db.models import Model

from dropline.billing.models import Invoice
from dropline.catalog.models import AddOn, EquipmentModel, Plan, Promotion
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.ledger.queries import balance_cents
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind
from dropline.payments import methods
from dropline.payments.gateways import simulator
from dropline.payments.models import Payment, PaymentMethod
from tests.support.billing import at
from tests.support.bills import billed_customer
from tests.support.catalog import Catalog, make_catalog
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


def _catalog() -> Catalog:
    """The test catalogue, made once per test database state."""
    if not Plan.objects.filter(code="internet-500").exists():
        return make_catalog()
    return Catalog(
        internet=Plan.objects.get(code="internet-500"),
        faster=Plan.objects.get(code="internet-1000"),
        tv=Plan.objects.get(code="tv"),
        promotion=Promotion.objects.get(code="spring"),
        boost=AddOn.objects.get(code="boost"),
        static_ip=AddOn.objects.get(code="static-ip"),
        sports=AddOn.objects.get(code="sports"),
        modem=EquipmentModel.objects.get(code="modem"),
    )


def make_payer(
    *, username: str = "", card: str = APPROVED, catalog: Catalog | None = None
) -> Payer:
    """A customer with one bill issued on ``BILL_DAY`` (owing all of it) and a saved card."""
    household = billed_customer(
        username=username or f"payer{next(_serial)}",
        months=1,
        catalog=catalog or _catalog(),
    )
    customer = Customer(account=household.account, user=household.user)
    add_verified_contact(
        user=customer.user, kind=ContactKind.EMAIL, address=customer.user.email, primary=True
    )
    with clock.frozen(at(BILL_DAY)):
        method = save_card(customer, card)
    return Payer(customer=customer, invoice=household.invoices[0], method=method)


def broken_invariants() -> list[str]:
    """Every ledger check (the ledger's, billing's, payments') that does not hold."""
    from dropline.ledger.checks import run_checks

    return [f"{name}: {finding}" for name, finding in run_checks() if finding]


def messages(account: CustomerAccount, event: str) -> list[str]:
    """The e-mail bodies sent to the account's people about ``event``, oldest first."""
    from dropline.notifications.models import Message

    return list(
        Message.objects.filter(account=account, event=event, channel="email")
        .order_by("id")
        .values_list("body_text", flat=True)
    )


def pay_on(day: dt.date, payer: Payer, amount: int, key: str, **extra: object) -> Payment:
    """``payer`` pays ``amount`` on ``day`` (the clock frozen at noon)."""
    from dropline.payments.paying import pay

    with clock.frozen(at(day)):
        return pay(
            account=payer.account,
            amount_cents=amount,
            idempotency_key=key,
            source=str(extra.pop("source", "portal")),
            actor=payer.customer.user,
            **extra,  # type: ignore[arg-type]
        )


def release(day: dt.date) -> int:
    """The simulator's late outcomes due by ``day``, delivered with the clock on it."""
    with clock.frozen(at(day)):
        return simulator.release_due_events()


def sweep_ids(customer: Customer) -> dict[str, list[object]]:
    """For the cross-account sweep: a saved card and a payment of ``customer``'s (who
    owes money), as the paths name them."""
    from dropline.payments.paying import pay

    method = save_card(customer)
    payment = pay(
        account=customer.account,
        amount_cents=100,
        idempotency_key="sweep",
        source="portal",
        actor=customer.user,
    )
    return {"method_id": [method.pk], "confirmation_number": [payment.confirmation_number]}


def sweep_rows(account: CustomerAccount) -> dict[str, list[dict[str, object]]]:
    """Everything of the account's in payments a request could change."""
    from dropline.payments.models import ScheduledPayment

    models: tuple[tuple[str, type[Model]], ...] = (
        ("payment_methods", PaymentMethod),
        ("payments", Payment),
        ("scheduled_payments", ScheduledPayment),
    )
    return {
        name: [
            dict(row)
            for row in model._default_manager.filter(account=account).order_by("pk").values()
        ]
        for name, model in models
    }
