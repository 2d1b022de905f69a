"""Opening a dispute: what may be disputed, what is refused (and leaves nothing), the
held amount, the due date and the customer being told."""

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.notifications.models import Message
from dropline.payments.disputes.models import Dispute, DisputeMessage, DisputeStatus
from dropline.payments.disputes.opening import due_on, open_dispute
from dropline.payments.disputes.queries import held_cents
from dropline.payments.disputes.resolving import reject, withdraw
from dropline.payments.errors import PaymentError
from tests.support.billing import at
from tests.support.disputes import (
    a_pdf,
    charge_line,
    credit_line,
    dispute_of,
    household,
)

pytestmark = pytest.mark.django_db


def test_a_dispute_is_opened_told_audited_and_held(today):
    found = household()
    dispute = dispute_of(found, amount_cents=1500, files=[a_pdf()])
    assert dispute.status == DisputeStatus.OPEN
    assert dispute.number.startswith("D")
    assert len(dispute.number) == 10
    assert dispute.invoice == found.invoices[-1]
    # Ten business days from Friday March 20, 2026: Friday April 3.
    assert dispute.due_on == dt.date(2026, 4, 3)
    first = DisputeMessage.objects.get(dispute=dispute)
    assert first.body == "I never asked for this."
    assert not first.from_staff
    assert first.attachments.count() == 1
    assert held_cents(account_id=found.account.pk) == 1500
    told = Message.objects.filter(event="dispute_opened", user=found.user)
    first_told = told.first()
    assert first_told is not None
    assert dispute.number in first_told.body_text
    assert AuditEvent.objects.filter(action="dispute.opened", target_id=str(dispute.pk)).exists()


def test_held_amount_is_only_what_is_still_open(today):
    found = household()
    bills = found.invoices
    first = dispute_of(found, amount_cents=1000, invoice=bills[0])
    second = dispute_of(found, amount_cents=700, invoice=bills[1])
    dispute_of(found, amount_cents=300, invoice=bills[2])
    assert held_cents(account_id=found.account.pk) == 2000
    withdraw(dispute=first, actor=found.user)
    assert held_cents(account_id=found.account.pk) == 1000
    reject(dispute=second, reason="The price is right.", actor=None)
    assert held_cents(account_id=found.account.pk) == 300
    other = household("someone-else", beside=found)
    assert held_cents(account_id=other.account.pk) == 0


def test_one_open_dispute_per_line(today):
    found = household()
    first = dispute_of(found)
    with pytest.raises(PaymentError) as refused:
        dispute_of(found)
    assert refused.value.code == "not_disputable"
    assert "already has an open dispute" in refused.value.reason
    withdraw(dispute=first, actor=found.user)
    assert dispute_of(found).status == DisputeStatus.OPEN  # a new one once closed


@pytest.mark.parametrize(
    ("amount", "code"),
    [(0, "amount_not_positive"), (-5, "amount_not_positive"), (10**9, "over_line_amount")],
)
def test_amounts_outside_the_line_are_refused(today, amount, code):
    found = household()
    with pytest.raises(PaymentError) as refused:
        dispute_of(found, amount_cents=amount)
    assert refused.value.code == code
    assert refused.value.field == "amount_cents"
    assert not Dispute.objects.exists()


def test_the_whole_line_may_be_disputed(today):
    found = household()
    line = charge_line(found.invoices[-1])
    dispute = dispute_of(found, amount_cents=line.amount_cents)
    assert dispute.amount_cents == line.amount_cents


def test_credits_other_accounts_lines_and_old_bills_are_refused(today, uploads):
    found = household()
    other = household("neighbour", beside=found)
    cases = [
        (found.account, credit_line(found.invoices[-1])),
        (found.account, charge_line(other.invoices[-1])),
    ]
    for account, line in cases:
        with pytest.raises(PaymentError) as refused:
            open_dispute(
                account=account,
                invoice_line=line,
                amount_cents=100,
                reason="other",
                description="x",
                files=[a_pdf()],
                actor=found.user,
            )
        assert refused.value.code == "not_disputable"
    with override_settings(DROPLINE_DISPUTE_WINDOW_DAYS=30), pytest.raises(PaymentError) as old:
        dispute_of(found, invoice=found.invoices[0])
    assert "too old" in old.value.reason
    assert not Dispute.objects.exists()
    assert not [p for p in uploads.rglob("*") if p.is_file()]


def test_reason_and_description_are_needed(today):
    found = household()
    line = charge_line(found.invoices[-1])
    for reason, description, field in [("nonsense", "x", "reason"), ("other", "  ", "description")]:
        with pytest.raises(PaymentError) as refused:
            open_dispute(
                account=found.account,
                invoice_line=line,
                amount_cents=100,
                reason=reason,
                description=description,
                actor=found.user,
            )
        assert refused.value.field == field


@override_settings(DROPLINE_DISPUTE_SLA_BUSINESS_DAYS=False, DROPLINE_DISPUTE_SLA_DAYS=10)
def test_due_date_in_calendar_days():
    assert due_on(dt.date(2026, 3, 20)) == dt.date(2026, 3, 30)


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_due_date_in_business_days_skips_weekends(day):
    due = due_on(day)
    assert due.weekday() < 5
    business = sum(
        1 for n in range(1, (due - day).days + 1) if (day + dt.timedelta(days=n)).weekday() < 5
    )
    assert business == 10
    assert (due - day).days <= 14


def test_the_opening_is_told_in_spanish(today):
    found = household()
    found.user.preferred_language = "es"
    found.user.save(update_fields=["preferred_language"])
    with clock.frozen(at(dt.date(2026, 3, 20))):
        dispute_of(found)
    told = Message.objects.filter(event="dispute_opened").first()
    assert told is not None
    assert "Recibimos" in told.subject
