"""Issuing invoices: numbered without gaps, totals equal to their lines, posted to the
ledger in the same transaction, never twice for one cycle, corrected only by reversal."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from dropline.billing.adjustments import enter_adjustment, void_invoice
from dropline.billing.errors import AdjustmentError, InvoiceError
from dropline.billing.invoicing import SkipReason, issue_invoices
from dropline.billing.models import Adjustment, Invoice, InvoiceStatus
from dropline.core import clock
from dropline.ledger.checks import run_checks
from dropline.ledger.models import JournalEntry, JournalTransaction
from dropline.ledger.queries import balance_cents, statement, transactions_for
from tests.support.billing import at, bill, bill_months, iowa_tax_table
from tests.support.catalog import account_with_internet, make_catalog

D = dt.date
pytestmark = pytest.mark.django_db


def broken_invariants() -> list[str]:
    return [f"{name}: {finding}" for name, finding in run_checks() if finding]


def test_three_months_of_bills_are_numbered_in_order_and_posted():
    iowa_tax_table()
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    invoices = bill_months(account, first=D(2026, 1, 5), months=3)
    assert [i.number for i in invoices] == ["INV-00000001", "INV-00000002", "INV-00000003"]
    assert [i.period_start for i in invoices] == [D(2026, 1, 5), D(2026, 2, 5), D(2026, 3, 5)]
    assert invoices[0].period_end == D(2026, 2, 4)
    for invoice in invoices:
        assert invoice.total_cents == sum(line.amount_cents for line in invoice.lines.all())
        [posting] = transactions_for(invoice.number)
        assert sum(e.amount_cents for e in posting.entries) == 0
    # $45.00 promotional internet plus 2.5% regulatory recovery ($1.13), every month.
    assert [i.total_cents for i in invoices] == [4613, 4613, 4613]
    # Nothing has been paid: each bill carries the one before.
    assert [i.previous_balance_cents for i in invoices] == [0, 4613, 9226]
    assert invoices[2].amount_due_cents == 13839
    assert balance_cents(account.pk) == 13839
    assert invoices[0].due_on == D(2026, 1, 26)
    assert broken_invariants() == []


def test_billing_a_cycle_again_adds_nothing():
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    first = bill(account, D(2026, 1, 5))
    again = bill(account, D(2026, 1, 5))
    assert len(first.invoice_ids) == 1
    assert again.invoice_ids == []
    assert again.skipped == {account.pk: SkipReason.ALREADY_BILLED}
    assert Invoice.objects.count() == 1
    assert JournalTransaction.objects.count() == 1


def test_an_account_whose_cycle_starts_another_day_is_skipped():
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    outcome = bill(account, D(2026, 1, 6))
    assert outcome.skipped == {account.pk: SkipReason.NOT_ITS_CYCLE}
    assert not Invoice.objects.exists()


def test_a_batch_costs_the_same_queries_for_three_accounts_as_for_eleven():
    catalog = make_catalog()
    iowa_tax_table()
    accounts = [account_with_internet(catalog, opened_on=D(2026, 1, 5))[0].pk for _ in range(15)]

    def queries_for(ids: list[int], day: dt.date) -> int:
        with clock.frozen(at(day)), CaptureQueriesContext(connection) as queries:
            issue_invoices(account_ids=ids, cycle_start=day)
        return len(queries)

    queries_for(accounts[:1], D(2026, 1, 5))  # the first bill ever creates the number sequence
    assert queries_for(accounts[1:4], D(2026, 1, 5)) == queries_for(accounts[4:], D(2026, 1, 5))
    assert Invoice.objects.count() == 15


def test_a_one_time_charge_and_a_credit_are_billed_once_in_arrears():
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    bill(account, D(2026, 1, 5))
    with clock.frozen(at(D(2026, 1, 20))):
        fee = enter_adjustment(
            account=account,
            kind="charge",
            amount_cents=2500,
            description="Late installation visit",
            reason="Technician visit on a Sunday",
        )
        credit = enter_adjustment(
            account=account,
            kind="credit",
            amount_cents=1000,
            description="Outage credit",
            reason="Outage Jan 12",
        )
    february = Invoice.objects.get(pk=bill(account, D(2026, 2, 5)).invoice_ids[0])
    amounts = {line.item_key: line.amount_cents for line in february.lines.all()}
    assert amounts[f"adj:{fee.pk}"] == 2500
    assert amounts[f"adj:{credit.pk}"] == -1000
    assert set(Adjustment.objects.values_list("invoice", flat=True)) == {february.pk}
    march = Invoice.objects.get(pk=bill(account, D(2026, 3, 5)).invoice_ids[0])
    assert not any(line.item_key.startswith("adj:") for line in march.lines.all())
    assert broken_invariants() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_cents": 0}, "amount_cents"),
        ({"amount_cents": -5}, "amount_cents"),
        ({"reason": "  "}, "reason"),
        ({"description": ""}, "description"),
        ({"kind": "refund"}, "kind"),
    ],
)
def test_an_adjustment_without_what_it_needs_is_refused_and_not_recorded(changes, field):
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    entry = {
        "account": account,
        "kind": "credit",
        "amount_cents": 500,
        "description": "Goodwill",
        "reason": "Long wait on the phone",
        **changes,
    }
    with pytest.raises(AdjustmentError) as refused:
        enter_adjustment(**entry)
    assert refused.value.field == field
    assert not Adjustment.objects.exists()


def test_void_and_reissue_reverses_the_posting_and_bills_the_cycle_again():
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    bill(account, D(2026, 1, 5))
    with clock.frozen(at(D(2026, 1, 20))):
        enter_adjustment(
            account=account, kind="charge", amount_cents=2500, description="Visit", reason="x"
        )
    wrong = Invoice.objects.get(pk=bill(account, D(2026, 2, 5)).invoice_ids[0])
    balance_before = balance_cents(account.pk)
    with clock.frozen(at(D(2026, 2, 7))):
        replacement = void_invoice(invoice=wrong, reason="Charged the wrong visit fee")
    assert replacement is not None
    wrong.refresh_from_db()
    assert wrong.status == InvoiceStatus.VOID
    assert replacement.replaces_id == wrong.pk
    assert replacement.number == "INV-00000003"
    assert replacement.total_cents == wrong.total_cents
    # The adjustment moved to the new invoice; the balance is what it was.
    assert Adjustment.objects.get().invoice_id == replacement.pk
    assert balance_cents(account.pk) == balance_before
    kinds = [t.kind for t in transactions_for(wrong.number)]
    assert kinds == ["invoice", "credit_note"]
    _, rows = statement(account.pk)
    assert [row.reference for row in rows] == [
        "INV-00000001",
        "INV-00000002",
        "INV-00000002",
        "INV-00000003",
    ]
    assert broken_invariants() == []
    with pytest.raises(InvoiceError):
        void_invoice(invoice=wrong, reason="again")


def test_only_the_latest_invoice_can_be_voided():
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    january, _february = bill_months(account, first=D(2026, 1, 5), months=2)
    with pytest.raises(InvoiceError, match="INV-00000002"):
        void_invoice(invoice=january, reason="mistake")
    assert Invoice.objects.filter(status=InvoiceStatus.VOID).count() == 0
    assert JournalTransaction.objects.count() == 2


def test_the_database_refuses_to_change_a_posted_entry():
    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    bill(account, D(2026, 1, 5))
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.update(amount_cents=1)
    assert broken_invariants() == []


def test_ledger_check_names_the_first_broken_invariant(capsys):
    from django.core.management import CommandError, call_command

    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    invoice = Invoice.objects.get(pk=bill(account, D(2026, 1, 5)).invoice_ids[0])
    call_command("ledger", "check")
    assert "consistent" in capsys.readouterr().out
    Invoice.objects.filter(pk=invoice.pk).update(total_cents=invoice.total_cents + 1)
    with pytest.raises(CommandError, match="totals equal their lines: invoice INV-00000001"):
        call_command("ledger", "check")


def test_an_invoice_the_ledger_never_heard_of_is_found():
    from dropline.billing.checks import every_invoice_is_posted
    from dropline.billing.history import load_history
    from dropline.billing.rating import rate
    from dropline.customers.cycles import Cycle
    from tests.support.histories import write_invoice

    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    bill(account, D(2026, 1, 5))
    assert every_invoice_is_posted() is None
    february = Cycle(D(2026, 2, 5), D(2026, 3, 4))
    unposted = write_invoice(
        account, (february.start, february.end), rate(load_history(account.pk), february)
    )
    assert every_invoice_is_posted() == (
        f"invoice {unposted.number} totals {unposted.total_cents} but the ledger's "
        "receivable holds 0 for it"
    )


def test_a_reversal_that_does_not_mirror_its_original_is_found():
    from dropline.ledger.checks import reversals_mirror_their_originals
    from dropline.ledger.posting import Entry, Posting, post, reversal

    account, _ = account_with_internet(make_catalog(), opened_on=D(2026, 1, 5))
    invoice = Invoice.objects.get(pk=bill(account, D(2026, 1, 5)).invoice_ids[0])
    original = JournalTransaction.objects.get(reference=invoice.number)
    exact = reversal(original.pk, reference=invoice.number, memo="void")
    assert sum(e.amount_cents for e in exact.entries) == 0
    short = Posting(
        kind=exact.kind,
        reference=exact.reference,
        effective_on=exact.effective_on,
        account_id=exact.account_id,
        reverses_id=original.pk,
        entries=(
            Entry(book="receivable", account_id=account.pk, amount_cents=-100),
            Entry(book="discounts", sub="internet", amount_cents=100),
        ),
    )
    wrong = post(short)
    assert reversals_mirror_their_originals() == (
        f"journal transaction {wrong} does not reverse {original.pk} exactly"
    )
