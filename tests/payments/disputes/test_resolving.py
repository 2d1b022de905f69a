"""Resolving: a credit posted once on the ledger (and `ledger check` holding), a
rejection, a withdrawal; assignment; the thread with internal notes; the customer told
at each step."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dropline.ledger.checks import run_checks
from dropline.ledger.models import JournalTransaction, TransactionKind
from dropline.ledger.posting import Entry, Posting, post
from dropline.ledger.queries import balance_cents
from dropline.notifications.models import Message
from dropline.payments.disputes.messages import add_message
from dropline.payments.disputes.models import DisputeStatus
from dropline.payments.disputes.queries import customer_thread, held_cents, staff_thread
from dropline.payments.disputes.resolving import assign, reject, resolve_with_credit, withdraw
from dropline.payments.errors import PaymentError
from tests.support.disputes import TODAY, charge_line, dispute_of, household
from tests.support.examples import examples
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def _broken() -> list[str]:
    return [f"{name}: {found}" for name, found in run_checks() if found]


def test_a_credit_is_posted_once_and_the_ledger_check_holds(today):
    found = household()
    agent = make_staff(username="agent", role="Customer care")
    dispute = dispute_of(found, amount_cents=2000)
    before = balance_cents(found.account.pk)
    resolve_with_credit(dispute=dispute, amount_cents=1500, note="Sorry: $15 back.", actor=agent)
    assert dispute.status == DisputeStatus.CREDITED
    assert dispute.credited_cents == 1500
    assert balance_cents(found.account.pk) == before - 1500
    posted = JournalTransaction.objects.get(kind=TransactionKind.DISPUTE_CREDIT)
    assert posted.reference == dispute.number
    entries = {(e.book, e.sub): e.amount_cents for e in posted.entries.all()}
    line = charge_line(found.invoices[-1])
    assert entries == {("discounts", line.category): 1500, ("receivable", ""): -1500}
    assert held_cents(account_id=found.account.pk) == 0
    assert _broken() == []
    out = io.StringIO()
    call_command("ledger", "check", stdout=out)
    assert "every credited dispute is posted once" in out.getvalue()
    told = Message.objects.filter(event="dispute_resolved", user=found.user).first()
    assert told is not None
    assert "$15.00" in told.body_text
    # Resolved is resolved: no second credit.
    with pytest.raises(PaymentError) as again:
        resolve_with_credit(dispute=dispute, amount_cents=100, note="again", actor=agent)
    assert again.value.code == "closed"
    assert JournalTransaction.objects.filter(kind=TransactionKind.DISPUTE_CREDIT).count() == 1


def test_the_ledger_check_finds_a_credit_posted_twice_or_missing(today):
    found = household()
    dispute = dispute_of(found, amount_cents=2000)
    resolve_with_credit(dispute=dispute, amount_cents=500, note="ok", actor=None)
    twice = Posting(
        kind=TransactionKind.DISPUTE_CREDIT,
        reference=dispute.number,
        effective_on=TODAY,
        account_id=found.account.pk,
        entries=(
            Entry(book="discounts", sub="internet", amount_cents=500),
            Entry(book="receivable", account_id=found.account.pk, amount_cents=-500),
        ),
    )
    post(twice)
    assert any("2 credits" in finding for finding in _broken())


def test_a_credit_above_the_disputed_amount_or_not_positive_is_refused(today):
    found = household()
    dispute = dispute_of(found, amount_cents=2000)
    for amount, code in [(2001, "over_disputed"), (0, "amount_not_positive")]:
        with pytest.raises(PaymentError) as refused:
            resolve_with_credit(dispute=dispute, amount_cents=amount, note="x", actor=None)
        assert refused.value.code == code
    with pytest.raises(PaymentError):
        resolve_with_credit(dispute=dispute, amount_cents=100, note="  ", actor=None)
    assert not JournalTransaction.objects.filter(kind=TransactionKind.DISPUTE_CREDIT).exists()
    assert dispute.status == DisputeStatus.OPEN


@settings(
    max_examples=examples(12),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(disputed=st.integers(min_value=1, max_value=4500), share=st.fractions(0, 1))
def test_any_credit_within_the_disputed_amount_moves_the_balance_by_exactly_it(
    today, disputed, share
):
    credit = max(1, int(disputed * share))
    with transaction.atomic():
        found = household()
        dispute = dispute_of(found, amount_cents=disputed)
        before = balance_cents(found.account.pk)
        resolve_with_credit(dispute=dispute, amount_cents=credit, note="ok", actor=None)
        assert balance_cents(found.account.pk) == before - credit
        assert dispute.credited_cents == credit
        assert _broken() == []
        transaction.set_rollback(True)


def test_rejecting_tells_the_customer_and_posts_nothing(today):
    found = household()
    dispute = dispute_of(found)
    reject(dispute=dispute, reason="The price was on your order.", actor=None)
    assert dispute.status == DisputeStatus.REJECTED
    assert not JournalTransaction.objects.filter(kind=TransactionKind.DISPUTE_CREDIT).exists()
    assert Message.objects.filter(event="dispute_resolved", user=found.user).exists()
    with pytest.raises(PaymentError) as closed:
        add_message(dispute=dispute, body="But!", actor=found.user, from_staff=False)
    assert closed.value.code == "closed"


def test_withdrawing_releases_the_hold_and_tells_nobody(today):
    found = household()
    dispute = dispute_of(found, amount_cents=999)
    withdraw(dispute=dispute, actor=found.user)
    assert dispute.status == DisputeStatus.WITHDRAWN
    assert held_cents(account_id=found.account.pk) == 0
    assert not Message.objects.filter(event="dispute_resolved").exists()


def test_assigning_puts_it_in_review_and_it_stays_held(today):
    found = household()
    agent = make_staff(username="agent", role="Customer care")
    dispute = dispute_of(found, amount_cents=800)
    assign(dispute=dispute, staff=agent, actor=agent)
    assert dispute.status == DisputeStatus.IN_REVIEW
    assert dispute.assigned_to_id == agent.pk
    assert held_cents(account_id=found.account.pk) == 800


def test_internal_notes_stay_with_staff_and_replies_reach_the_customer(today):
    found = household()
    agent = make_staff(username="agent", role="Customer care")
    dispute = dispute_of(found)
    note = add_message(
        dispute=dispute,
        body="Looks like a duplicate; check the order.",
        actor=agent,
        from_staff=True,
        internal=True,
    )
    assert dispute.status == DisputeStatus.OPEN  # a note is no answer
    assert not Message.objects.filter(event="dispute_message").exists()
    reply = add_message(
        dispute=dispute, body="We are looking into it.", actor=agent, from_staff=True
    )
    assert dispute.status == DisputeStatus.IN_REVIEW
    assert Message.objects.filter(event="dispute_message", user=found.user).exists()
    seen = customer_thread(dispute=dispute)
    assert note not in seen
    assert reply in seen
    assert note in staff_thread(dispute=dispute)
    with pytest.raises(PaymentError) as refused:
        add_message(dispute=dispute, body="x", actor=found.user, from_staff=False, internal=True)
    assert refused.value.code == "internal"
    assert not any("duplicate" in m.body_text for m in Message.objects.all())


def test_a_credit_that_covers_the_balance_marks_the_bills_paid(today):
    from dropline.billing.models import Invoice, InvoiceStatus

    found = household()
    balance = balance_cents(found.account.pk)
    latest = found.invoices[-1]
    line = charge_line(latest)
    assert balance > 0
    # Everything but what the dispute credits is paid off the books by hand.
    paid_elsewhere = balance - line.amount_cents
    post(
        Posting(
            kind=TransactionKind.CREDIT_NOTE,
            reference="TEST-PAID",
            effective_on=TODAY,
            account_id=found.account.pk,
            entries=(
                Entry(book="cash", sub="test", amount_cents=paid_elsewhere),
                Entry(book="receivable", account_id=found.account.pk, amount_cents=-paid_elsewhere),
            ),
        )
    )
    dispute = dispute_of(found, amount_cents=line.amount_cents)
    assert Invoice.objects.get(pk=latest.pk).status == InvoiceStatus.OPEN
    resolve_with_credit(
        dispute=dispute, amount_cents=line.amount_cents, note="All back.", actor=None
    )
    assert balance_cents(found.account.pk) == 0
    assert Invoice.objects.get(pk=latest.pk).status == InvoiceStatus.PAID
