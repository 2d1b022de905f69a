"""Dunning timelines: a bill not paid is reminded, noticed overdue, charged a late fee
once, warned and suspended; a payment restores the services. A disputed amount is held
out of it and out of autopay; an extension holds it to the day after it ends."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.billing.models import Adjustment
from dropline.core import clock
from dropline.customers.models import AccountStatus
from dropline.payments import autopay, extensions
from dropline.payments.disputes.opening import open_dispute
from dropline.payments.models import DunningStep
from dropline.payments.paying import pay
from dropline.subscriptions.models import Subscription, SubscriptionStatus
from tests.support.autopay import FIRST_DUE, autopay_payments, run_days, told
from tests.support.billing import at
from tests.support.payments import make_payer

D = dt.date
pytestmark = pytest.mark.django_db


def steps(account_id: int) -> list[tuple[str, dt.date]]:
    return list(
        DunningStep.objects.filter(account_id=account_id)
        .order_by("taken_at", "id")
        .values_list("step", "taken_on")
    )


def late_fees(account_id: int) -> list[Adjustment]:
    return list(Adjustment.objects.filter(account_id=account_id, description__startswith="Late"))


def pay_off(payer, day: dt.date, cents: int | None = None) -> None:
    with clock.frozen(at(day)):
        pay(
            account=payer.account,
            amount_cents=cents if cents is not None else payer.balance,
            idempotency_key=f"pay-{day}",
            source="portal",
            actor=payer.customer.user,
        )


def test_an_unpaid_bill_goes_from_reminder_to_suspension_and_a_payment_restores_it():
    payer = make_payer()
    run_days(D(2026, 1, 15), D(2026, 2, 28), twice=True)
    assert steps(payer.account.pk) == [
        ("reminder", D(2026, 1, 21)),
        ("overdue", D(2026, 1, 27)),
        ("late_fee", D(2026, 2, 5)),
        ("warning", D(2026, 2, 18)),
        ("suspended", D(2026, 2, 25)),
    ]
    for event in (
        "payment_reminder",
        "payment_overdue",
        "late_fee",
        "suspension_warning",
        "services_suspended",
    ):
        assert len(told(payer.account.pk, event)) == 1, event
    (fee,) = late_fees(payer.account.pk)
    assert (fee.kind, fee.amount_cents, fee.invoice_id) == ("charge", 1000, None)
    assert payer.invoice.number in fee.description
    payer.account.refresh_from_db()
    assert payer.account.status == AccountStatus.SUSPENDED
    assert set(
        Subscription.objects.filter(account=payer.account).values_list("status", flat=True)
    ) == {SubscriptionStatus.SUSPENDED}

    pay_off(payer, D(2026, 3, 1))
    payer.account.refresh_from_db()
    assert payer.account.status == AccountStatus.ACTIVE
    assert set(
        Subscription.objects.filter(account=payer.account).values_list("status", flat=True)
    ) == {SubscriptionStatus.ACTIVE}
    assert len(told(payer.account.pk, "services_restored")) == 1
    run_days(D(2026, 3, 1), D(2026, 3, 3))
    assert len(late_fees(payer.account.pk)) == 1


def test_a_partial_payment_leaves_the_services_suspended():
    payer = make_payer()
    run_days(D(2026, 2, 25), D(2026, 2, 25))
    payer.account.refresh_from_db()
    assert payer.account.status == AccountStatus.SUSPENDED
    pay_off(payer, D(2026, 2, 26), cents=100)
    payer.account.refresh_from_db()
    assert payer.account.status == AccountStatus.SUSPENDED


def test_a_bill_paid_on_time_gets_only_its_reminder():
    payer = make_payer()
    run_days(D(2026, 1, 15), D(2026, 1, 22))
    pay_off(payer, D(2026, 1, 23))
    run_days(D(2026, 1, 23), D(2026, 3, 1))
    assert steps(payer.account.pk) == [("reminder", D(2026, 1, 21))]
    assert late_fees(payer.account.pk) == []


def dispute_most_of_it(payer, day: dt.date) -> int:
    """Dispute all of the bill but $5.00."""
    line = payer.invoice.lines.filter(kind="recurring").first()
    with clock.frozen(at(day)):
        dispute = open_dispute(
            account=payer.account,
            invoice_line=line,
            amount_cents=min(line.amount_cents, payer.balance - 500),
            reason="outage",
            description="The service was down all month.",
            actor=payer.customer.user,
        )
    return dispute.amount_cents


def test_the_disputed_amount_is_held_out_of_late_fees_and_suspension():
    payer = make_payer()
    held = dispute_most_of_it(payer, D(2026, 1, 20))
    pay_off(payer, D(2026, 1, 20), cents=payer.balance - held)
    assert payer.balance == held
    run_days(D(2026, 1, 20), D(2026, 2, 28))
    assert [step for step, _day in steps(payer.account.pk)] == []
    assert late_fees(payer.account.pk) == []
    payer.account.refresh_from_db()
    assert payer.account.status == AccountStatus.ACTIVE


def test_autopay_charges_the_amount_due_less_the_disputed_amount():
    payer = make_payer()
    owed = payer.balance
    with clock.frozen(at(D(2026, 1, 12))):
        autopay.enrol(account=payer.account, method=payer.method, actor=payer.customer.user)
    held = dispute_most_of_it(payer, D(2026, 1, 13))
    run_days(D(2026, 1, 13), FIRST_DUE)
    (payment,) = autopay_payments(payer.account.pk)
    assert payment.amount_cents == owed - held
    assert payer.balance == held


def test_an_extension_holds_the_overdue_notice_the_late_fee_and_suspension():
    payer = make_payer()
    with clock.frozen(at(D(2026, 1, 24))):
        extensions.ask_extension(
            account=payer.account, until=D(2026, 2, 9), actor=payer.customer.user
        )
    assert len(told(payer.account.pk, "payment_extension")) == 1
    run_days(D(2026, 1, 24), D(2026, 2, 9))
    assert [step for step, _day in steps(payer.account.pk)] == []
    run_days(D(2026, 2, 10), D(2026, 2, 10))
    assert steps(payer.account.pk) == [
        ("overdue", D(2026, 2, 10)),
        ("late_fee", D(2026, 2, 10)),
    ]


def test_a_day_run_twice_changes_nothing_more():
    payer = make_payer()
    run_days(D(2026, 2, 5), D(2026, 2, 5))
    before = (steps(payer.account.pk), len(late_fees(payer.account.pk)))
    run_days(D(2026, 2, 5), D(2026, 2, 5))
    assert (steps(payer.account.pk), len(late_fees(payer.account.pk))) == before
