"""The demo household's year of bills: made by the bill runs, month by month, from a
history written on its days; every kind of change has a bill that explains it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone

from dropline.billing.explaining import Change, explain_invoice
from dropline.billing.forecast import forecast
from dropline.billing.models import (
    Adjustment,
    BillRun,
    BillRunStatus,
    Invoice,
    InvoiceLine,
    Jurisdiction,
    LineKind,
    TaxRate,
)
from dropline.catalog.models import Bundle, ScheduledPrice
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.models import AuditEvent
from dropline.core.money import Money
from dropline.customers.models import CustomerAccount
from dropline.ledger.checks import run_checks
from dropline.ledger.models import JournalEntry, JournalTransaction
from dropline.notifications import inbox
from dropline.notifications.models import DeliveryAttempt, Message
from dropline.seeding.demo.household import loaded_account
from dropline.subscriptions.models import Subscription, SubscriptionAddOn, SubscriptionPrice

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


def seed() -> str:
    out = io.StringIO()
    call_command("seed", "demo", stdout=out)
    return out.getvalue()


def household() -> CustomerAccount:
    account = loaded_account()
    assert account is not None
    return account


def bills() -> list[Invoice]:
    return list(Invoice.objects.filter(account=household()).order_by("period_start"))


def changes_by_bill() -> dict[str, list[Change]]:
    result = {}
    for invoice in bills()[1:]:
        changes = explain_invoice(invoice, language="en")
        assert changes is not None
        result[invoice.number] = changes
    return result


def the_change(kind: str, about: str = "") -> tuple[str, Change]:
    """The one bill whose explanation has a change of ``kind`` (mentioning ``about``)
    that is not a leftover of the bill before ("... is not repeated"), and that change."""
    found = [
        (number, change)
        for number, changes in changes_by_bill().items()
        for change in changes
        if change.kind == kind and about in change.text and "not repeated" not in change.text
    ]
    assert len(found) == 1, found
    return found[0]


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def lines(number: str) -> list[InvoiceLine]:
    return list(InvoiceLine.objects.filter(invoice__number=number).order_by("position"))


def test_thirteen_monthly_bills_one_per_cycle_since_the_account_opened(demo):
    account = household()
    invoices = bills()
    today = clock.today()
    assert len(invoices) == 13
    assert invoices[0].period_start == account.opened_on
    for before, after in pairwise(invoices):
        assert after.period_start == before.period_end + ONE_DAY
    latest = invoices[-1]
    assert latest.period_start <= today <= latest.period_end  # the cycle we are in now
    for invoice in invoices:
        # made by the bill run of the cycle's first day, with the clock at that day
        assert invoice.bill_run is not None
        assert invoice.bill_run.run_on == invoice.period_start
        assert invoice.bill_run.status == BillRunStatus.COMPLETED
        assert invoice.issued_on == invoice.period_start
        assert timezone.localdate(invoice.created_at) == invoice.issued_on
        assert invoice.due_on == invoice.issued_on + dt.timedelta(days=21)
        assert invoice.total_cents == sum(line.amount_cents for line in invoice.lines.all())
    # Each bill was paid in full a few days after it came (``seeding/demo/payments.py``),
    # so every next bill starts from nothing owed.
    for invoice in invoices[1:]:
        assert invoice.previous_balance_cents == 0
        assert invoice.amount_due_cents == invoice.total_cents


def test_each_bill_was_announced_once_on_its_day_and_only_the_latest_is_unread(demo):
    invoices = bills()
    maria = household().members.get(user__username="demo").user
    for invoice in invoices:
        emails = Message.objects.filter(
            subject_key=f"invoice:{invoice.pk}",
            event="invoice_ready",
            channel="email",
            user=maria,
        )
        [email] = emails
        assert email.status == "sent"
        assert email.sent_at is not None
        assert timezone.localdate(email.sent_at) == invoice.issued_on
        assert invoice.number in email.body_text
    jose = household().members.get(user__username="jrivera").user
    [spanish] = Message.objects.filter(
        subject_key=f"invoice:{invoices[0].pk}", event="invoice_ready", channel="email", user=jose
    )
    assert spanish.language == "es"
    for person in (maria, jose):
        unread = inbox.inbox_for(user=person).filter(read_at__isnull=True)
        [bill] = unread.filter(event="invoice_ready")
        assert bill.subject_key == f"invoice:{invoices[-1].pk}"
        # Besides the latest bill, only the notice of the demo's price rise (told today)
        # and autopay's latest notice and receipt, which came after the household last
        # read its notices.
        assert set(unread.exclude(pk=bill.pk).values_list("event", flat=True)) == {
            "price_change_notice",
            "autopay_upcoming",
            "payment_received",
        }


def test_every_invoice_is_numbered_without_gaps_and_the_ledger_holds(demo):
    numbers = list(Invoice.objects.order_by("sequence").values_list("sequence", "number"))
    assert [sequence for sequence, _ in numbers] == list(range(1, len(numbers) + 1))
    assert all(number == f"INV-{sequence:08d}" for sequence, number in numbers)
    # Other demo accounts are billed by the same runs on their own bill dates.
    assert Invoice.objects.exclude(account=household()).exists()
    assert [f"{name}: {finding}" for name, finding in run_checks() if finding] == []


def test_the_explanations_add_up_to_each_difference(demo):
    invoices = bills()
    explained = changes_by_bill()
    for before, after in pairwise(invoices):
        changes = explained[after.number]
        assert sum(change.amount_cents for change in changes) == (
            after.total_cents - before.total_cents
        )
    kinds = {change.kind for changes in explained.values() for change in changes}
    assert {"promotion_ended", "price_changed", "added", "one_time", "credit"} <= kinds
    assert "taxes_changed" in kinds


def test_the_internet_promotion_ended_after_a_year(demo):
    internet = Subscription.objects.get(account=household(), plan__code="internet-500")
    assert internet.promotion is not None
    ended = internet.promotion_ends_on
    assert ended is not None
    number, change = the_change("promotion_ended")
    assert number == bills()[-1].number
    assert change.on == ended
    assert change.amount_cents == 6999 - 4999
    assert f"Internet Ultra 500 ended on {display_date(ended)}: +$20.00" in change.text
    promotional = [line for line in lines(number) if line.item_key.startswith("promo:")]
    assert promotional == []  # the whole cycle at the regular price


def test_tv_silver_price_rose_from_a_bill_date_with_a_month_s_notice(demo):
    tv = Subscription.objects.get(account=household(), plan__code="tv-silver")
    prices = list(SubscriptionPrice.objects.filter(subscription=tv).order_by("effective_on"))
    assert [p.monthly_price_cents for p in prices] == [8499, 8999]
    raised = prices[-1]
    number, change = the_change("price_changed")
    assert (
        change.text == f"New price for TV Silver from {display_date(raised.effective_on)}: +$5.00"
    )
    assert Invoice.objects.get(number=number).period_start == raised.effective_on
    event = AuditEvent.objects.get(action="subscription.price_changed", target_id=str(tv.pk))
    assert event.actor_label == "billing"
    assert clock.today() > event.created_at.date() >= raised.effective_on - dt.timedelta(days=31)
    assert tv.monthly_price_cents == 8999  # today's price, on the overview


def test_an_add_on_ordered_mid_cycle_is_billed_for_its_partial_month(demo):
    added = SubscriptionAddOn.objects.get(
        subscription__account=household(), add_on__code="latino-pack"
    )
    number, change = the_change("added", "Latino Pack")
    assert change.on == added.started_on
    invoices = bills()
    invoice = next(i for i in invoices if i.number == number)
    before = invoices[invoices.index(invoice) - 1]
    # The bill before was made before the order; this one charges the days since it.
    assert before.period_start < added.started_on <= before.period_end
    [partial] = [line for line in lines(number) if line.kind == LineKind.PRORATION]
    assert partial.label == "Latino Pack"
    assert (partial.period_start, partial.period_end) == (added.started_on, before.period_end)
    days = (before.period_end - added.started_on).days + 1
    cycle_days = (before.period_end - before.period_start).days + 1
    assert partial.amount_cents == half_up(Decimal(699 * days) / cycle_days)
    assert change.amount_cents == 699 + partial.amount_cents
    event = AuditEvent.objects.get(action="subscription.add_on_added", data__add_on="latino-pack")
    assert event.actor_label == "care"
    assert timezone.localdate(event.created_at) == added.started_on


def test_a_second_mobile_line_joined_mid_cycle_too(demo):
    jose = Subscription.objects.get(account=household(), plan__code="mobile-by-the-gig")
    assert jose.label == "José"
    number, change = the_change("added", "International calling")
    assert change.on == jose.started_on
    fees = [line for line in lines(number) if line.item_key == "tax:ia:e911"]
    assert [(line.quantity, line.amount_cents) for line in fees] == [(2, 200)]


def test_a_technician_visit_is_charged_once_and_an_outage_credited(demo):
    visit = Adjustment.objects.get(account=household(), description="Technician visit")
    credit = Adjustment.objects.get(account=household(), description="Internet outage")
    for adjustment in (visit, credit):
        assert adjustment.created_by is not None
        assert adjustment.created_by.username == "billing"
        assert adjustment.reason
        assert timezone.localdate(adjustment.created_at) == adjustment.occurred_on
    number, change = the_change("one_time")
    assert visit.invoice is not None
    assert visit.invoice.number == number
    assert change.text == (
        f"One-time charge Technician visit on {display_date(visit.occurred_on)}: +$49.00"
    )
    number, change = the_change("credit")
    assert credit.invoice is not None
    assert credit.invoice.number == number
    assert change.amount_cents == -1000
    assert the_change("one_time")[0] != number  # on different bills


def test_the_regulatory_recovery_fee_rose_during_the_year(demo):
    rates = list(TaxRate.objects.filter(jurisdiction__code="ia", code="regulatory"))
    assert [rate.percent for rate in rates] == [Decimal("2"), Decimal("2.5")]
    assert rates[0].effective_until == rates[1].effective_from - ONE_DAY
    assert rates[1].effective_from.day == 1
    # set in the back-office by billing staff, a month ahead
    event = AuditEvent.objects.get(action="billing.tax_rate_added")
    assert event.actor_label == "billing"
    told_on = timezone.localdate(event.created_at)
    assert told_on == rates[1].effective_from - dt.timedelta(days=30)
    number, change = the_change("taxes_changed", "going from")
    assert "Regulatory recovery fee going from 2% to 2.5%" in change.text
    invoice = Invoice.objects.get(number=number)
    assert invoice.period_start >= rates[1].effective_from
    # The bill before was the last at 2%, and nothing else changed in between (but José's
    # data by the gig, different every month).
    kinds = [c.kind for c in changes_by_bill()[number]]
    assert [kind for kind in kinds if kind != "usage"] == ["taxes_changed"]


def test_internet_and_tv_take_the_bundle_discount_from_the_bill_it_was_launched(demo):
    bundle = Bundle.objects.get(code="internet-tv")
    invoices = bills()
    launched = next(i for i in invoices if i.period_start == bundle.starts_on)
    assert 0 < invoices.index(launched) < len(invoices) - 1  # a date within the year
    number, change = the_change("added", "bundle")
    assert number == launched.number
    assert change.text == (
        f"New bundle discount Internet + TV from {display_date(bundle.starts_on)}: -$10.00"
    )
    for invoice in invoices:
        found = [
            (line.kind, line.category, line.label, line.amount_cents)
            for line in lines(invoice.number)
            if line.item_key.startswith("bundle:")
        ]
        if invoice.period_start < bundle.starts_on:
            assert found == []
        else:  # one discount, never the bigger bundles they do not qualify for
            assert found == [("discount", "other", "Internet + TV", -1000)]


def test_the_latest_bill_carries_riverbend_s_taxes_and_fees(demo):
    assert {j.code: (j.county, j.city) for j in Jurisdiction.objects.all()} == {
        "ia": ("", ""),
        "johnson-county": ("Johnson", ""),
        "riverbend": ("Johnson", "Riverbend"),
    }
    latest = lines(bills()[-1].number)
    charges = [line for line in latest if line.kind != LineKind.TAX]

    def base(*categories: str) -> int:
        return sum(line.amount_cents for line in charges if line.category in categories)

    taxed = base("tv", "equipment", "mobile")  # internet access is not taxed in Iowa
    expected = {
        "tax:ia:e911": 2 * 100,  # per mobile line
        "tax:ia:regulatory": half_up(Decimal(base("internet", "mobile")) * Decimal("0.025")),
        "tax:ia:sales-tax": half_up(Decimal(taxed) * Decimal("0.06")),
        "tax:johnson-county:local-option": half_up(Decimal(taxed) * Decimal("0.01")),
        "tax:riverbend:franchise": half_up(Decimal(base("tv")) * Decimal("0.05")),
    }
    taxes = {line.item_key: line.amount_cents for line in latest if line.kind == LineKind.TAX}
    assert taxes == expected
    spanish = {line.label_es for line in latest if line.kind == LineKind.TAX}
    assert "Impuesto sobre las ventas de Iowa" in spanish


def test_the_next_bill_s_forecast_calls_out_a_price_change_told_this_month(demo):
    mobile = Subscription.objects.get(account=household(), plan__code="mobile-unlimited")
    assert mobile.monthly_price_cents == 2999  # still today's price
    latest = bills()[-1]
    rises_on = latest.period_end + ONE_DAY
    ahead = forecast(household().pk, language="en")
    assert ahead.cycle.start == rises_on
    mobile_rise = (
        f"The price of Mobile Unlimited changes on {display_date(rises_on)}: "
        "from $29.99 to $32.99 a month."
    )
    # The demo's rise of Internet Ultra 500, 45 days ahead, is called out too when it
    # falls in that cycle.
    internet_on = ScheduledPrice.objects.get(plan__code="internet-500").effective_on
    internet_rise = (
        f"The price of Internet Ultra 500 changes on {display_date(internet_on)}: "
        "from $69.99 to $74.99 a month."
    )
    in_cycle = ahead.cycle.start <= internet_on <= ahead.cycle.end
    # First, the range the household's data use so far makes: José's line is by the
    # gig, a started GB in full, so on the days his use so far and its projection to
    # the cycle's end start the same number of GB there is no range to tell.
    assert ahead.low_cents <= ahead.high_cents
    data_range = (
        [
            f"Your next bill will be between {Money(ahead.low_cents, 'USD')} and "
            f"{Money(ahead.high_cents, 'USD')} depending on your data use."
        ]
        if ahead.low_cents < ahead.high_cents
        else []
    )
    assert ahead.callouts == [*data_range, mobile_rise, *([internet_rise] if in_cycle else [])]
    [line] = [line for line in ahead.lines if line.item_key == f"sub:{mobile.pk}"]
    assert line.amount_cents == 3299


def test_the_seed_command_prints_the_latest_bill(demo):
    printed = seed()
    latest = bills()[-1]
    total = Money(latest.total_cents, latest.currency).format()
    assert (
        f"customer's bills: 13 bills, the latest {latest.number} of "
        f"{display_date(latest.issued_on)} for {total}"
    ) in printed


def counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Invoice,
        InvoiceLine,
        JournalTransaction,
        JournalEntry,
        Adjustment,
        Subscription,
        SubscriptionAddOn,
        SubscriptionPrice,
        Jurisdiction,
        TaxRate,
        BillRun,
        Message,
        DeliveryAttempt,
        AuditEvent,
    ]
    return {model.__name__: model._default_manager.count() for model in models}


def test_loading_the_demo_again_adds_no_bill_and_repeats_nothing(demo):
    before = counts()
    unread = Message.objects.filter(read_at__isnull=True).count()
    printed = seed()
    assert counts() == before
    assert Message.objects.filter(read_at__isnull=True).count() == unread
    assert "taxes and bills: 0 created" in printed
    assert "0 records created" in printed


def test_loaded_again_a_month_later_it_bills_the_new_cycle_once(demo):
    latest = bills()[-1]
    before = counts()
    later = timezone.make_aware(dt.datetime.combine(latest.period_end + ONE_DAY, dt.time(12)))
    with clock.frozen(later):
        seed()
    invoices = bills()
    assert len(invoices) == 14
    assert invoices[-1].period_start == latest.period_end + ONE_DAY
    assert counts()["Adjustment"] == before["Adjustment"]
    assert counts()["SubscriptionPrice"] == before["SubscriptionPrice"]
    assert counts()["TaxRate"] == before["TaxRate"]
    assert [f"{name}: {finding}" for name, finding in run_checks() if finding] == []
