"""The demo household's payments: Maria saves a Visa a couple of days after the
account opens and pays each bill online a couple of days after it comes (one month
from the family's bank account, saved for that); after the eighth bill she turns
autopay on with the Visa, so the bills after it show the autopay discount and are
charged on their due dates. The simulator's late outcomes (card payments settling two
days later, the bank payment clearing after three) arrive as the days pass, through
the real webhook path.

Every payment goes through ``paying.pay`` (or autopay's daily run) under the clock of
its day, interleaved with the bill runs by the billing step (``billing.py`` replays
these events with the year's others), so each next bill shows the payment. The latest
bill is not paid yet: it came ``household.LATEST_BILL_DAYS_AGO`` days ago and is due
after today (autopay would charge it on its due date), so "Pay now" can be tried at
once with the saved Visa, the default method.

Idempotent: a method is looked up by its last four digits, a payment by its
idempotency key (``demo:<invoice number>``), the enrolment by the account, and
autopay's run never charges a bill twice, so loading again pays nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dropline.accounts.models import User
from dropline.billing.models import Invoice, InvoiceStatus
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.payments import autopay, autopay_run, methods, paying, queries
from dropline.payments.gateways import simulator
from dropline.payments.models import AutopayEnrolment, Payment, PaymentMethod, PaymentSource
from dropline.seeding.demo import household, year

CARD_NUMBER = "4242424242424242"  # the simulator's Visa that is always approved
CARD_CVC = "123"
CARD_YEARS = 4  # the card expires this many years after the account opened
BANK_ACCOUNT = "000123456789"  # processing, then paid three days later
SAVED_AFTER = dt.timedelta(days=2)
PAID_AFTER = dt.timedelta(days=2)  # each bill is paid this many days after it comes,
# before the household reads its notices (``year.READS_NOTICES_AFTER``)
BANK_BILL = 5  # the sixth bill is paid from the bank account
AUTOPAY_FROM_BILL = 8  # autopay pays the ninth bill and every one after it
HOLDER_NAME = "Maria Rivera"
ONE_DAY = dt.timedelta(days=1)


def _maria() -> User:
    return User.objects.get(username="demo")


def _method(account: CustomerAccount, last4: str) -> PaymentMethod | None:
    return PaymentMethod.objects.filter(
        account=account, last4=last4, removed_at__isnull=True
    ).first()


def _save_card(account: CustomerAccount) -> Callable[[], int]:
    def apply() -> int:
        if _method(account, CARD_NUMBER[-4:]) is not None:
            return 0
        token = simulator.tokenise_card(
            number=CARD_NUMBER,
            exp_month=account.opened_on.month,
            exp_year=account.opened_on.year + CARD_YEARS,
            cvc=CARD_CVC,
            holder_name=HOLDER_NAME,
        )
        methods.add_method(account=account, token=token, actor=_maria(), make_default=True)
        return 1

    return apply


def _save_bank_account(account: CustomerAccount) -> Callable[[], int]:
    def apply() -> int:
        if _method(account, BANK_ACCOUNT[-4:]) is not None:
            return 0
        token = simulator.tokenise_bank_account(
            routing_number=simulator.ROUTING_NUMBER,
            account_number=BANK_ACCOUNT,
            holder_name=HOLDER_NAME,
        )
        methods.add_method(account=account, token=token, actor=_maria(), make_default=False)
        return 1

    return apply


def release_due() -> int:
    """The simulator's late outcomes due by now, through the real webhook path (they
    create no demo records of their own: the count is of the payments made)."""
    simulator.release_due_events(now=clock.now())
    return 0


def _pay_bill(account: CustomerAccount, billed_on: dt.date, *, last4: str) -> Callable[[], int]:
    def apply() -> int:
        release_due()
        invoice = (
            Invoice.objects.filter(account=account, issued_on=billed_on)
            .exclude(status=InvoiceStatus.VOID)
            .first()
        )
        if invoice is None:
            return 0
        key = f"demo:{invoice.number}"
        if Payment.objects.filter(account=account, idempotency_key=key).exists():
            return 0
        due = queries.amounts_for(account=account).amount_due_cents
        if due <= 0:
            return 0
        paying.pay(
            account=account,
            amount_cents=due,
            idempotency_key=key,
            source=PaymentSource.PORTAL,
            actor=_maria(),
            method=_method(account, last4),
        )
        return 1

    return apply


def _enrol(account: CustomerAccount) -> Callable[[], int]:
    def apply() -> int:
        if AutopayEnrolment.objects.filter(account=account).exists():
            return 0
        card = _method(account, CARD_NUMBER[-4:])
        assert card is not None
        autopay.enrol(account=account, method=card, actor=_maria())
        return 1

    return apply


def _autopay_day(day: dt.date) -> Callable[[], int]:
    """The day's autopay run (its notices, its charges), as the daily task does, after
    the simulator's late outcomes due by then."""

    def apply() -> int:
        release_due()
        return autopay_run.run_autopay(today=day).charged

    return apply


def events(account: CustomerAccount) -> list[year.Event]:
    """The household's payments in date order, for the billing step to replay."""
    saved_on = account.opened_on + SAVED_AFTER
    bank_bill_on = year.cycle_start(account, BANK_BILL)
    # Maria turns autopay on the day after paying the eighth bill herself: the bill
    # after it is the first autopay pays, on its due date, and the discount starts
    # with that bill's cycle. The latest bill is due after today, so it is still to pay.
    enrolled_on = year.cycle_start(account, AUTOPAY_FROM_BILL - 1) + PAID_AFTER + ONE_DAY
    happened = [
        year.Event(saved_on, "Visa saved", _save_card(account)),
        year.Event(bank_bill_on, "bank account saved", _save_bank_account(account)),
        year.Event(enrolled_on, "autopay turned on", _enrol(account)),
    ]
    day = enrolled_on
    while day <= clock.today():
        happened.append(year.Event(day, "autopay's daily run", _autopay_day(day)))
        day += ONE_DAY
    for month in range(AUTOPAY_FROM_BILL):
        billed_on = year.cycle_start(account, month)
        last4 = BANK_ACCOUNT[-4:] if month == BANK_BILL else CARD_NUMBER[-4:]
        happened.append(
            year.Event(
                billed_on + PAID_AFTER,
                "bill paid online",
                _pay_bill(account, billed_on, last4=last4),
            )
        )
    return sorted(happened, key=lambda event: event.day)


def load() -> int:
    """After the year: the late outcomes due by now arrive."""
    account = household.loaded_account()
    if account is None:
        return 0
    return release_due()
