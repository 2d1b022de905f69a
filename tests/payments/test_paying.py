"""Paying now: the amount checked against what is owed, a repeat of a request key giving
the first answer, declines and timeouts, the ledger and the bill kept in step."""

import datetime as dt

import pytest

from dropline.billing.models import InvoiceStatus
from dropline.core import clock
from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.payments import methods, paying, queries
from dropline.payments.errors import PaymentError, PaymentInProgressError
from dropline.payments.models import Payment, PaymentStatus
from tests.support.billing import at
from tests.support.payments import (
    PAY_DAY,
    broken_invariants,
    make_payer,
    messages,
    pay_on,
    save_card,
)

pytestmark = pytest.mark.django_db


def refused(call) -> PaymentError:
    with pytest.raises(PaymentError) as caught:
        call()
    return caught.value


def test_paying_the_whole_balance_pays_the_bill_and_sends_a_receipt():
    payer = make_payer()
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "k1")
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.confirmation_number.startswith("P")
    assert len(payment.confirmation_number) == 10
    assert payer.balance == 0
    payer.invoice.refresh_from_db()
    assert payer.invoice.status == InvoiceStatus.PAID
    [receipt] = messages(payer.account, "payment_received")
    assert payment.confirmation_number in receipt
    assert "Visa ••••4242" in receipt
    assert "Your balance is now $0.00" in receipt
    assert broken_invariants() == []


def test_a_part_payment_leaves_the_bill_open_and_lowers_the_amount_due():
    payer = make_payer()
    owed = payer.balance
    pay_on(PAY_DAY, payer, 1000, "part")
    payer.invoice.refresh_from_db()
    assert payer.invoice.status == InvoiceStatus.OPEN
    amounts = queries.amounts_for(account=payer.account)
    assert amounts.balance_cents == owed - 1000
    assert amounts.amount_due_cents == owed - 1000
    assert amounts.max_cents == owed - 1000


def test_a_repeat_of_the_key_returns_the_first_payment_and_charges_once():
    payer = make_payer()
    first = pay_on(PAY_DAY, payer, 1000, "same")
    again = pay_on(PAY_DAY, payer, 1000, "same")
    assert again.pk == first.pk
    assert Payment.objects.count() == 1
    assert JournalTransaction.objects.filter(kind=TransactionKind.PAYMENT).count() == 1
    assert len(messages(payer.account, "payment_received")) == 1


def test_the_same_key_with_another_amount_or_method_is_refused():
    payer = make_payer()
    pay_on(PAY_DAY, payer, 1000, "same")
    error = refused(lambda: pay_on(PAY_DAY, payer, 1200, "same"))
    assert error.code == "key_reused"
    assert error.field == "idempotency_key"
    with clock.frozen(at(PAY_DAY)):
        other = save_card(payer.customer, "5555555555554444")
    error = refused(lambda: pay_on(PAY_DAY, payer, 1000, "same", method=other))
    assert error.code == "key_reused"
    assert Payment.objects.count() == 1


def test_a_key_still_being_sent_answers_in_progress():
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        timeout_card = save_card(payer.customer, "4000000000000408")
    first = pay_on(PAY_DAY, payer, 1000, "slow", method=timeout_card)
    assert first.status == PaymentStatus.SENDING
    with pytest.raises(PaymentInProgressError) as caught:
        pay_on(PAY_DAY, payer, 1000, "slow", method=timeout_card)
    assert caught.value.code == "in_progress"


def test_a_timeout_is_found_out_later_with_the_same_key():
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        timeout_card = save_card(payer.customer, "4000000000000408")
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "t", method=timeout_card)
    assert payment.status == PaymentStatus.SENDING
    assert payer.balance == owed  # not posted while unknown
    # While it is unknown it counts as paid: nothing more may be paid.
    amounts = queries.amounts_for(account=payer.account)
    assert (amounts.max_cents, amounts.amount_due_cents, amounts.pending_cents) == (0, 0, owed)
    assert refused(lambda: pay_on(PAY_DAY, payer, 100, "x")).code == "nothing_to_pay"
    later = at(PAY_DAY) + dt.timedelta(minutes=5)
    with clock.frozen(later):
        assert paying.resolve_unknown() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payer.balance == 0
    assert pay_on(PAY_DAY, payer, owed, "t", method=timeout_card).pk == payment.pk
    assert broken_invariants() == []


def test_a_payment_just_sent_is_not_asked_about_again_at_once():
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        timeout_card = save_card(payer.customer, "4000000000000408")
    pay_on(PAY_DAY, payer, 500, "t", method=timeout_card)
    with clock.frozen(at(PAY_DAY)):
        assert paying.resolve_unknown() == 0


@pytest.mark.parametrize(
    ("card", "code", "retryable"),
    [
        ("4000000000000002", "card_declined", False),
        ("4000000000009995", "insufficient_funds", False),
        ("4000000000000069", "expired_card", False),
        ("4000000000000119", "processing_error", True),
    ],
)
def test_a_declined_card_fails_and_moves_no_money(card, code, retryable):
    payer = make_payer(card=card)
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed, "d")
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_code == code
    assert payer.balance == owed
    assert not JournalTransaction.objects.filter(kind=TransactionKind.PAYMENT).exists()
    payer.invoice.refresh_from_db()
    assert payer.invoice.status == InvoiceStatus.OPEN
    assert len(messages(payer.account, "payment_failed")) == 1
    assert messages(payer.account, "payment_received") == []
    assert broken_invariants() == []


def test_amounts_over_what_is_owed_are_refused_with_the_most_that_may_be_paid():
    payer = make_payer()
    owed = payer.balance
    error = refused(lambda: pay_on(PAY_DAY, payer, owed + 1, "over"))
    assert error.code == "over_balance"
    assert error.field == "amount_cents"
    assert f"${owed // 100:,}.{owed % 100:02d}" in error.reason
    assert refused(lambda: pay_on(PAY_DAY, payer, 0, "zero")).code == "amount_not_positive"
    assert refused(lambda: pay_on(PAY_DAY, payer, -5, "neg")).code == "amount_not_positive"
    assert Payment.objects.count() == 0  # a refusal leaves no row


def test_a_prepayment_allowance_lets_a_customer_pay_ahead(settings):
    settings.DROPLINE_PREPAYMENT_ALLOWANCE_CENTS = 5000
    payer = make_payer()
    owed = payer.balance
    payment = pay_on(PAY_DAY, payer, owed + 5000, "ahead")
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payer.balance == -5000
    assert refused(lambda: pay_on(PAY_DAY, payer, 1, "more")).code == "nothing_to_pay"


def test_nothing_owed_is_refused():
    payer = make_payer()
    pay_on(PAY_DAY, payer, payer.balance, "all")
    assert refused(lambda: pay_on(PAY_DAY, payer, 100, "again")).code == "nothing_to_pay"


def test_no_method_and_a_removed_method_are_refused():
    payer = make_payer()
    method = payer.method
    with clock.frozen(at(PAY_DAY)):
        methods.remove_method(method=method, actor=payer.customer.user)
    assert refused(lambda: pay_on(PAY_DAY, payer, 100, "a")).code == "no_method"
    error = refused(lambda: pay_on(PAY_DAY, payer, 100, "b", method=method))
    assert error.code == "method_removed"


def test_another_accounts_method_cannot_be_used():
    payer = make_payer()
    other = make_payer()
    error = refused(lambda: pay_on(PAY_DAY, payer, 100, "a", method=other.method))
    assert error.code == "method_removed"
    assert Payment.objects.count() == 0


def test_a_blank_key_is_refused():
    payer = make_payer()
    assert refused(lambda: pay_on(PAY_DAY, payer, 100, "  ")).field == "idempotency_key"


def test_the_billing_summary_shows_the_last_payment_and_the_next_bill_shows_payments():
    from dropline.billing import queries as billing_queries
    from tests.support.billing import bill

    payer = make_payer()
    pay_on(PAY_DAY, payer, 1234, "p")
    summary = billing_queries.billing_summary(account=payer.account)
    assert summary.last_payment is not None
    assert (summary.last_payment.amount_cents, summary.last_payment.received_on) == (
        1234,
        PAY_DAY,
    )
    next_day = dt.date(2026, 2, 5)
    outcome = bill(payer.account, next_day)
    from dropline.billing.models import Invoice

    invoice = Invoice.objects.get(pk=outcome.invoice_ids[0])
    totals = billing_queries.invoice_detail(invoice=invoice, language="en").totals
    assert totals.payments_cents == -1234
    assert totals.previous_balance_cents == payer.invoice.amount_due_cents
    assert (
        totals.previous_balance_cents + totals.payments_cents + totals.new_charges_cents
        == totals.amount_due_cents
    )
