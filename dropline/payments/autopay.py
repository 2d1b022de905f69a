"""Autopay: the account's bill paid on its due date with a saved method.

Enrolling or cancelling takes effect from the next bill when fewer than
``DROPLINE_AUTOPAY_CUTOFF_BUSINESS_DAYS`` business days (Monday to Friday) are left
before the next due date: an enrolment that late starts with the bill after, and a bill
that close is still charged after a cancellation. Enrolment gives the autopay-and-paperless
discount (``DROPLINE_AUTOPAY_DISCOUNT_CENTS``) from the next bill cycle through billing's
account discounts; cancelling ends it with the cycle already billed.

The daily charges are ``autopay_run.run_autopay``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dropline.billing.discounts import end_account_discount, give_account_discount
from dropline.billing.models import AccountDiscount, Invoice, InvoiceStatus
from dropline.core import audit, clock
from dropline.customers.cycles import cycle_containing
from dropline.customers.models import CustomerAccount
from dropline.payments import queries
from dropline.payments.disputes.queries import held_cents
from dropline.payments.errors import PaymentError
from dropline.payments.models import (
    AutopayEnrolment,
    PaymentMethod,
)

DISCOUNT_CODE = "autopay"
PAGE_PATH = "/billing/autopay/"
_ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- dates


def business_days_between(start: dt.date, end: dt.date) -> int:
    """The business days (Monday to Friday) after ``start`` and before ``end``."""
    count = 0
    day = start + _ONE_DAY
    while day < end:
        if day.weekday() < 5:
            count += 1
        day += _ONE_DAY
    return count


def _terms() -> dt.timedelta:
    return dt.timedelta(days=int(settings.DROPLINE_PAYMENT_TERMS_DAYS))


def due_dates(*, account: CustomerAccount, today: dt.date) -> tuple[dt.date, dt.date]:
    """The next due date on or after ``today`` (the open bill's, or the next bill's to
    come) and the one after it."""
    latest = (
        Invoice.objects.filter(account_id=account.pk)
        .exclude(status=InvoiceStatus.VOID)
        .order_by("-period_start", "-id")
        .values_list("period_start", "due_on", "status")
        .first()
    )
    if latest is not None and latest[2] == InvoiceStatus.OPEN and latest[1] >= today:
        cycle = cycle_containing(account.bill_cycle_day, latest[0])
        return latest[1], cycle.next().start + _terms()
    cycle = cycle_containing(account.bill_cycle_day, today)
    if latest is not None and latest[0] >= cycle.start:
        cycle = cycle.next()
    while cycle.start + _terms() < today:
        cycle = cycle.next()
    return cycle.start + _terms(), cycle.next().start + _terms()


def within_cutoff(*, today: dt.date, due_on: dt.date) -> bool:
    """Whether ``due_on`` is too close for a change of autopay to reach it."""
    cutoff = int(settings.DROPLINE_AUTOPAY_CUTOFF_BUSINESS_DAYS)
    return business_days_between(today, due_on) < cutoff


def discount_starts_on(*, account: CustomerAccount, today: dt.date) -> dt.date:
    """The first day of the next bill cycle: the discount's first day."""
    return cycle_containing(account.bill_cycle_day, today).next().start


# ---------------------------------------------------------------- reads


def enrolment_for(*, account: CustomerAccount) -> AutopayEnrolment | None:
    """The account's autopay enrolment that is on (not cancelled), with its method."""
    return (
        AutopayEnrolment.objects.filter(account=account, cancelled_at__isnull=True)
        .select_related("method")
        .first()
    )


@dataclass(frozen=True)
class AutopayState:
    """What the autopay page and the API show."""

    enrolment: AutopayEnrolment | None
    method: PaymentMethod | None
    next_charge_on: dt.date | None  # the next due date autopay pays
    next_charge_cents: int | None  # what it would charge for that bill today, when issued
    starts_with_due_on: dt.date | None  # enrolled inside the cut-off: the first bill it pays
    still_charged_on: dt.date | None  # cancelled inside the cut-off: the bill still paid
    discount_cents: int  # the monthly discount autopay gives (0: none)
    discount_from: dt.date | None  # the day the account's discount starts (enrolled)
    currency: str

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None


def state_for(*, account: CustomerAccount, today: dt.date | None = None) -> AutopayState:
    """The account's autopay (the caller chose the account the person may see)."""
    today = today or clock.today()
    enrolment = enrolment_for(account=account)
    discount = int(settings.DROPLINE_AUTOPAY_DISCOUNT_CENTS)
    still = (
        AutopayEnrolment.objects.filter(
            account=account,
            cancelled_at__isnull=False,
            charges_until__gte=today,
        )
        .filter(charges_until__gte=F("charges_from"))
        .order_by("-charges_until")
        .values_list("charges_until", flat=True)
        .first()
    )
    if enrolment is None:
        return AutopayState(
            enrolment=None,
            method=None,
            next_charge_on=still,
            next_charge_cents=_amount_for(account, still),
            starts_with_due_on=None,
            still_charged_on=still,
            discount_cents=discount,
            discount_from=None,
            currency=account.currency,
        )
    next_due, after = due_dates(account=account, today=today)
    charge_on = next_due if next_due >= enrolment.charges_from else after
    charge_on = max(charge_on, enrolment.charges_from)
    discount_from = (
        AccountDiscount.objects.filter(account=account, code=DISCOUNT_CODE, ends_on__isnull=True)
        .values_list("starts_on", flat=True)
        .first()
    )
    return AutopayState(
        enrolment=enrolment,
        method=enrolment.method,
        next_charge_on=charge_on,
        next_charge_cents=_amount_for(account, charge_on),
        starts_with_due_on=enrolment.charges_from if enrolment.charges_from > today else None,
        still_charged_on=None,
        discount_cents=discount,
        discount_from=discount_from,
        currency=account.currency,
    )


def _amount_for(account: CustomerAccount, due_on: dt.date | None) -> int | None:
    """What autopay would charge for the open bill due on ``due_on``; None before the
    bill is issued."""
    if due_on is None:
        return None
    amounts = queries.amounts_for(account=account)
    if amounts.due_on != due_on:
        return None
    return charge_cents(amounts=amounts, account_id=account.pk)


def charge_cents(*, amounts: queries.PayableAmounts, account_id: int) -> int:
    """The amount due less the disputed amount held, never more than may be paid."""
    due = amounts.amount_due_cents - held_cents(account_id=account_id)
    return max(0, min(due, amounts.balance_cents - amounts.pending_cents))


# ---------------------------------------------------------------- writes


def _usable_method(account: CustomerAccount, method: PaymentMethod) -> PaymentMethod:
    if method.account_id != account.pk or method.removed_at is not None:
        raise PaymentError(
            "payment_method_id",
            _("Choose one of your saved payment methods."),
            "method_removed",
        )
    return method


def enrol(
    *, account: CustomerAccount, method: PaymentMethod, actor: Any, paperless: bool = True
) -> AutopayEnrolment:
    """Turn autopay on with ``method``. Inside the cut-off it starts with the bill after
    the next; the discount starts with the next bill cycle."""
    _usable_method(account, method)
    today = clock.today()
    with transaction.atomic():
        CustomerAccount.objects.select_for_update().filter(pk=account.pk).first()
        if AutopayEnrolment.objects.filter(account=account, cancelled_at__isnull=True).exists():
            raise PaymentError(
                "payment_method_id",
                _("Autopay is already on. Change its payment method instead."),
                "already_enrolled",
            )
        next_due, after = due_dates(account=account, today=today)
        charges_from = after if within_cutoff(today=today, due_on=next_due) else next_due
        enrolment = AutopayEnrolment.objects.create(
            account=account,
            method=method,
            paperless=paperless,
            charges_from=charges_from,
            enrolled_at=clock.now(),
            enrolled_by=actor,
        )
        discount = int(settings.DROPLINE_AUTOPAY_DISCOUNT_CENTS)
        if paperless and discount > 0:
            give_account_discount(
                account=account,
                code=DISCOUNT_CODE,
                label="Autopay and paperless discount",
                label_es="Descuento por pago automático y factura electrónica",
                monthly_discount_cents=discount,
                starts_on=discount_starts_on(account=account, today=today),
                actor=actor,
            )
        audit.record(
            action="payments.autopay_enrolled",
            actor=actor,
            target=enrolment,
            account_number=account.number,
            data={"method": method.pk, "charges_from": str(charges_from)},
        )
        return enrolment


def change_method(
    *, account: CustomerAccount, method: PaymentMethod, actor: Any
) -> AutopayEnrolment:
    """Pay with ``method`` from now on (a charge already sent keeps its own)."""
    _usable_method(account, method)
    with transaction.atomic():
        enrolment = (
            AutopayEnrolment.objects.select_for_update()
            .filter(account=account, cancelled_at__isnull=True)
            .first()
        )
        if enrolment is None:
            raise PaymentError("payment_method_id", _("Autopay is not on."), "not_enrolled")
        if enrolment.method_id != method.pk:
            enrolment.method = method
            enrolment.save(update_fields=["method"])
            audit.record(
                action="payments.autopay_method_changed",
                actor=actor,
                target=enrolment,
                account_number=account.number,
                data={"method": method.pk},
            )
        return enrolment


def cancel(*, account: CustomerAccount, actor: Any) -> AutopayEnrolment:
    """Turn autopay off. A bill due inside the cut-off is still charged; the discount
    ends with the cycle already billed."""
    today = clock.today()
    with transaction.atomic():
        enrolment = (
            AutopayEnrolment.objects.select_for_update()
            .filter(account=account, cancelled_at__isnull=True)
            .first()
        )
        if enrolment is None:
            raise PaymentError("autopay", _("Autopay is not on."), "not_enrolled")
        next_due, _after = due_dates(account=account, today=today)
        enrolment.charges_until = (
            next_due if within_cutoff(today=today, due_on=next_due) else today - _ONE_DAY
        )
        enrolment.cancelled_at = clock.now()
        enrolment.cancelled_by = actor
        enrolment.save(update_fields=["charges_until", "cancelled_at", "cancelled_by"])
        end_account_discount(
            account=account,
            code=DISCOUNT_CODE,
            last_day=discount_starts_on(account=account, today=today) - _ONE_DAY,
            actor=actor,
        )
        audit.record(
            action="payments.autopay_cancelled",
            actor=actor,
            target=enrolment,
            account_number=account.number,
            data={"charges_until": str(enrolment.charges_until)},
        )
        return enrolment
