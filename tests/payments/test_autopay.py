"""Autopay across simulated days: the cut-off, the notice, the charge on the due date,
retries of a declined card that then stop, and never a second charge."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dropline.billing.models import AccountDiscount
from dropline.core import clock
from dropline.payments import autopay, methods
from dropline.payments.autopay import business_days_between
from dropline.payments.errors import PaymentError
from dropline.payments.models import (
    AutopayCharge,
    AutopayEnrolment,
    AutopayOutcome,
    PaymentStatus,
)
from tests.support.autopay import (
    DECLINED,
    FIRST_DUE,
    SECOND_DUE,
    autopay_payments,
    run_days,
    told,
)
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import make_payer, save_card

D = dt.date
pytestmark = pytest.mark.django_db


def enrol_on(day: dt.date, payer) -> AutopayEnrolment:
    with clock.frozen(at(day)):
        return autopay.enrol(account=payer.account, method=payer.method, actor=payer.customer.user)


def test_business_days_count_weekdays_strictly_between():
    # Wed Jan 21 to Mon Jan 26: Thu, Fri.
    assert business_days_between(D(2026, 1, 21), D(2026, 1, 26)) == 2
    # Mon Jan 19 to Mon Jan 26: Tue to Fri.
    assert business_days_between(D(2026, 1, 19), D(2026, 1, 26)) == 4


def test_enrolled_in_time_the_bill_is_noticed_then_charged_once_on_its_due_date():
    payer = make_payer()
    owed = payer.balance
    enrolment = enrol_on(D(2026, 1, 12), payer)
    assert enrolment.charges_from == FIRST_DUE

    run_days(D(2026, 1, 12), D(2026, 1, 22))
    assert autopay_payments(payer.account.pk) == []
    assert len(told(payer.account.pk, "autopay_upcoming")) == 0
    run_days(D(2026, 1, 23), D(2026, 1, 25), twice=True)  # the notice, three days before
    notices = told(payer.account.pk, "autopay_upcoming")
    assert len(notices) == 1
    assert "$" in notices[0].body_text
    assert "4242" in notices[0].body_text
    assert autopay_payments(payer.account.pk) == []

    run_days(FIRST_DUE, D(2026, 2, 4), twice=True)
    payments = autopay_payments(payer.account.pk)
    assert [(p.amount_cents, p.status) for p in payments] == [(owed, PaymentStatus.SUCCEEDED)]
    assert payments[0].idempotency_key == f"autopay:{payer.invoice.number}:1"
    assert payer.balance == 0
    assert told(payer.account.pk, "autopay_failed") == []
    assert told(payer.account.pk, "payment_reminder") == []  # autopay pays it


def test_enrolled_inside_the_cutoff_it_starts_with_the_bill_after():
    payer = make_payer()
    # Wed Jan 21: only Thu and Fri are left before Mon Jan 26.
    enrolment = enrol_on(D(2026, 1, 21), payer)
    assert enrolment.charges_from == SECOND_DUE
    with clock.frozen(at(D(2026, 1, 21))):
        state = autopay.state_for(account=payer.account)
    assert state.starts_with_due_on == SECOND_DUE
    assert state.next_charge_on == SECOND_DUE
    run_days(D(2026, 1, 21), D(2026, 1, 31))
    assert autopay_payments(payer.account.pk) == []
    # Autopay does not pay this bill: the customer is reminded to pay it.
    assert len(told(payer.account.pk, "payment_reminder")) == 1


def test_a_declined_card_is_retried_on_the_schedule_then_autopay_stops_and_says_so():
    payer = make_payer(card=DECLINED)
    enrol_on(D(2026, 1, 12), payer)
    run_days(D(2026, 1, 12), D(2026, 2, 4), twice=True)
    payments = autopay_payments(payer.account.pk)
    # The due date, then 1, 3 and 5 days after: four tries, then nothing.
    assert [p.created_at.date() for p in payments] == [
        D(2026, 1, 26),
        D(2026, 1, 27),
        D(2026, 1, 29),
        D(2026, 1, 31),
    ]
    assert {p.status for p in payments} == {PaymentStatus.FAILED}
    outcomes = list(
        AutopayCharge.objects.filter(account=payer.account)
        .order_by("attempt")
        .values_list("outcome", flat=True)
    )
    assert outcomes[-1] == AutopayOutcome.STOPPED
    failures = told(payer.account.pk, "autopay_failed")
    assert len(failures) == 4
    assert "try again" in failures[0].body_text
    assert "won't try again" in failures[-1].body_text
    assert payer.balance > 0


def test_a_retry_with_a_new_card_pays_and_stops_the_retries():
    payer = make_payer(card=DECLINED)
    enrol_on(D(2026, 1, 12), payer)
    run_days(D(2026, 1, 12), FIRST_DUE)
    with clock.frozen(at(D(2026, 1, 26))):
        good = save_card(payer.customer)
        autopay.change_method(account=payer.account, method=good, actor=payer.customer.user)
    run_days(D(2026, 1, 27), D(2026, 2, 4), twice=True)
    payments = autopay_payments(payer.account.pk)
    assert [p.status for p in payments] == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert payer.balance == 0


def test_cancelling_inside_the_cutoff_still_charges_that_bill_then_nothing_more():
    payer = make_payer()
    enrol_on(D(2026, 1, 12), payer)
    with clock.frozen(at(D(2026, 1, 22))):
        cancelled = autopay.cancel(account=payer.account, actor=payer.customer.user)
        state = autopay.state_for(account=payer.account)
    assert cancelled.charges_until == FIRST_DUE
    assert state.still_charged_on == FIRST_DUE
    assert not state.enrolled
    run_days(D(2026, 1, 22), D(2026, 1, 28))
    assert len(autopay_payments(payer.account.pk)) == 1


def test_cancelling_in_time_charges_nothing():
    payer = make_payer()
    enrol_on(D(2026, 1, 12), payer)
    with clock.frozen(at(D(2026, 1, 13))):
        autopay.cancel(account=payer.account, actor=payer.customer.user)
    run_days(D(2026, 1, 13), D(2026, 2, 4))
    assert autopay_payments(payer.account.pk) == []
    assert len(told(payer.account.pk, "payment_reminder")) == 1


def test_enrolment_refusals_and_the_method_autopay_uses_cannot_be_removed():
    catalog = make_catalog()
    payer = make_payer(catalog=catalog)
    enrol_on(D(2026, 1, 12), payer)
    with pytest.raises(PaymentError) as twice:
        enrol_on(D(2026, 1, 12), payer)
    assert twice.value.code == "already_enrolled"
    with clock.frozen(at(D(2026, 1, 12))), pytest.raises(PaymentError) as removing:
        methods.remove_method(method=payer.method, actor=payer.customer.user)
    assert removing.value.code == "used_by_autopay"
    other = make_payer(catalog=catalog)
    with pytest.raises(PaymentError) as foreign, clock.frozen(at(D(2026, 1, 12))):
        autopay.enrol(account=other.account, method=payer.method, actor=other.customer.user)
    assert foreign.value.field == "payment_method_id"


def test_enrolment_gives_the_discount_from_the_next_cycle_and_cancelling_ends_it():
    payer = make_payer()
    enrol_on(D(2026, 1, 12), payer)
    discount = AccountDiscount.objects.get(account=payer.account, code="autopay")
    assert (discount.starts_on, discount.ends_on, discount.monthly_discount_cents) == (
        D(2026, 2, 5),
        None,
        500,
    )
    with clock.frozen(at(D(2026, 1, 13))):
        autopay.cancel(account=payer.account, actor=payer.customer.user)
    # It had not started: nothing was billed, so nothing is left.
    assert not AccountDiscount.objects.filter(account=payer.account).exists()


def test_a_discount_switched_off_gives_nothing(settings):
    settings.DROPLINE_AUTOPAY_DISCOUNT_CENTS = 0
    payer = make_payer()
    enrol_on(D(2026, 1, 12), payer)
    assert not AccountDiscount.objects.filter(account=payer.account).exists()


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    length=st.integers(min_value=-10, max_value=60),
)
def test_business_days_are_the_weekdays_strictly_between(start, length):
    end = start + dt.timedelta(days=length)
    expected = sum(
        1
        for offset in range(1, max(length, 0))
        if (start + dt.timedelta(days=offset)).weekday() < 5
    )
    assert business_days_between(start, end) == expected
    # A due date a full week or more away is never inside a cut-off of 3 business days.
    if length >= 8:
        assert not autopay.within_cutoff(today=start, due_on=end)
