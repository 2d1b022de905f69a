"""`dropline seed synthetic` gives its accounts a past in every domain: saved cards, usage,
bills made by the bill run, payments on the ledger, tickets; the books hold, a second run
adds without colliding, and a seed draws the same past again."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from dropline.billing.models import BillRun, BillRunStatus, Invoice, InvoiceStatus
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.helpdesk.models import Ticket, TicketMessage, TicketStatus
from dropline.ledger.queries import balances_cents
from dropline.notifications.models import Message, MessageStatus
from dropline.payments.models import Payment, PaymentMethod, PaymentStatus
from dropline.seeding import synthetic_history
from dropline.subscriptions.models import Subscription
from dropline.usage.models import UsageCycle, UsageDay
from tests.support.bill_runs import broken_invariants
from tests.support.billing import at, iowa_tax_table

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def _seed(count: int, seed: int = 1) -> str:
    out = StringIO()
    with clock.frozen(at(TODAY)):
        call_command(
            "seed",
            "synthetic",
            "--accounts",
            str(count),
            "--seed",
            str(seed),
            "--no-progress",
            stdout=out,
        )
    return out.getvalue()


@pytest.fixture(autouse=True)
def _more_tickets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synthetic_history, "TICKET_SHARE", 0.3)
    iowa_tax_table()


def test_every_domain_has_data_and_the_books_hold() -> None:
    out = _seed(40)

    accounts = CustomerAccount.objects.count()
    assert accounts == 40
    assert "Seeded 40 accounts with 1 month(s) of history" in out
    # A month of bills, by the bill run: one per account, every run completed.
    assert Invoice.objects.count() == accounts
    assert not BillRun.objects.exclude(status=BillRunStatus.COMPLETED).exists()
    assert BillRun.objects.filter(billed__gt=0).exists()
    # Every account has a saved card; most bills due by now are paid, the books agree.
    assert PaymentMethod.objects.filter(is_default=True).count() == accounts
    payments = Payment.objects.filter(status=PaymentStatus.SUCCEEDED)
    assert payments.exists()
    assert Invoice.objects.filter(status=InvoiceStatus.PAID).count() == (
        Invoice.objects.filter(account__payments__isnull=False).distinct().count()
    )
    balances = balances_cents(list(CustomerAccount.objects.values_list("id", flat=True)))
    for invoice in Invoice.objects.all():
        assert (invoice.status == InvoiceStatus.PAID) == (balances[invoice.account_id] <= 0)
    assert broken_invariants() == []
    # The past bills' notices went out then: none waits for delivery.
    assert Message.objects.filter(event="invoice_ready").exists()
    assert not Message.objects.filter(status=MessageStatus.PENDING).exists()
    # Usage of every internet service: its cycles and its last days.
    internet = Subscription.objects.filter(plan__kind="internet")
    assert UsageCycle.objects.values("subscription").distinct().count() == internet.count()
    assert UsageDay.objects.values("subscription").distinct().count() == internet.count()
    # Tickets, each with its first message; the old ones closed.
    assert Ticket.objects.exists()
    assert not Ticket.objects.annotate(n=Count("messages")).filter(n=0).exists()
    old = Ticket.objects.filter(created_at__lt=at(TODAY) - dt.timedelta(days=11))
    assert not old.exclude(status=TicketStatus.CLOSED).exists()


def test_without_bill_months_there_are_no_bills_but_the_rest() -> None:
    with clock.frozen(at(TODAY)):
        call_command(
            "seed",
            "synthetic",
            "--accounts",
            "10",
            "--bill-months",
            "0",
            "--usage-days",
            "0",
            "--no-progress",
            stdout=StringIO(),
        )
    assert not Invoice.objects.exists()
    assert not Payment.objects.exists()
    assert not UsageDay.objects.exists()
    assert UsageCycle.objects.exists()
    assert broken_invariants() == []


def test_a_second_run_adds_its_own_past_and_the_same_seed_draws_the_same_one() -> None:
    _seed(25, seed=4)
    first = list(CustomerAccount.objects.order_by("id").values_list("id", flat=True))
    _seed(25, seed=4)
    second = list(
        CustomerAccount.objects.exclude(id__in=first).order_by("id").values_list("id", flat=True)
    )

    assert len(second) == 25
    assert Invoice.objects.count() == 50
    assert (
        Payment.objects.values("confirmation_number").distinct().count() == Payment.objects.count()
    )
    assert broken_invariants() == []

    def past(ids: list[int]) -> tuple[list[int], list[int], list[str]]:
        bills = list(
            Invoice.objects.filter(account_id__in=ids)
            .order_by("account_id")
            .values_list("total_cents", flat=True)
        )
        paid = list(
            Payment.objects.filter(account_id__in=ids)
            .order_by("account_id", "id")
            .values_list("amount_cents", flat=True)
        )
        tickets = list(
            Ticket.objects.filter(account_id__in=ids)
            .order_by("account_id")
            .values_list("subject", flat=True)
        )
        return bills, paid, tickets

    assert past(first) == past(second)
    assert TicketMessage.objects.count() >= Ticket.objects.count()
