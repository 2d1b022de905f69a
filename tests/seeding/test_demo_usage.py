"""The demo household's year of data: counted through the ingest as its access network
reported it (sessions with interim updates), believable in shape, with two months past
the allowance, the first forgiven on the bill after it and the second charged."""

from __future__ import annotations

import datetime as dt
import io
from statistics import mean

import pytest
from django.core.management import call_command
from django.utils import timezone

from dropline.billing.describe import describe_line
from dropline.billing.explaining import explain_invoice
from dropline.billing.models import Invoice, InvoiceLine, LineKind
from dropline.core.models import AuditEvent
from dropline.seeding.demo.household import loaded_account
from dropline.seeding.demo.usage import FIRST_OVER, MARIA_PHONE, SECOND_OVER, USERNAME
from dropline.seeding.demo.year import JOSE_PHONE
from dropline.subscriptions.models import Subscription
from dropline.usage.models import GB, SessionStatus, UsageCycle, UsageHour, UsageRecord

pytestmark = pytest.mark.django_db


def internet() -> Subscription:
    return Subscription.objects.get(account=loaded_account(), plan__kind="internet")


def cycles(subscription: Subscription) -> list[UsageCycle]:
    return list(UsageCycle.objects.filter(subscription=subscription).order_by("cycle_start"))


def bills() -> list[Invoice]:
    return list(Invoice.objects.filter(account=loaded_account()).order_by("period_start"))


def usage_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.filter(kind=LineKind.USAGE).order_by("position"))


def test_the_household_internet_is_demo_internet_with_a_year_of_data(demo):
    service = internet()
    assert service.radius_username == USERNAME
    event = AuditEvent.objects.get(action="usage.radius_username_set")
    assert event.actor_label == "care"  # set the day service started, audited
    assert timezone.localdate(event.created_at) == service.started_on
    found = cycles(service)
    assert len(found) == 13  # a year, and the cycle in progress
    months = [cycle.used_bytes / GB for cycle in found[:-1]]
    over = [index for index, used in enumerate(months) if used > 1200]
    assert over == [FIRST_OVER, SECOND_OVER]
    assert all(600 <= used <= 900 for index, used in enumerate(months) if index not in over)
    assert 0 < found[-1].used_bytes < 900 * GB  # the days of this cycle so far


def test_it_came_through_the_ingest_as_sessions_with_interims(demo):
    records = UsageRecord.objects.filter(subscription=internet())
    statuses = set(records.values_list("status", flat=True))
    assert statuses == {SessionStatus.START, SessionStatus.INTERIM, SessionStatus.STOP}
    assert records.filter(status=SessionStatus.INTERIM).count() > 300 * 20
    # Every byte counted is in the roll-ups, and nothing was kept aside.
    counted = sum(inp + out for inp, out in records.values_list("input_delta", "output_delta"))
    assert counted == sum(cycle.used_bytes for cycle in cycles(internet()))
    assert not UsageRecord.objects.filter(subscription__isnull=True).exists()


def test_evenings_and_weekends_are_heavier(demo):
    zone = timezone.get_default_timezone()
    by_hour: dict[int, list[int]] = {}
    by_weekday: dict[bool, list[int]] = {}
    for hour, inp, out in UsageHour.objects.filter(subscription=internet()).values_list(
        "hour", "input_bytes", "output_bytes"
    ):
        local = hour.astimezone(zone)
        by_hour.setdefault(local.hour, []).append(inp + out)
        by_weekday.setdefault(local.weekday() >= 5, []).append(inp + out)
    assert mean(by_hour[20]) > 2 * mean(by_hour[9]) > 2 * mean(by_hour[4])
    assert mean(by_weekday[True]) > mean(by_weekday[False])


def test_each_mobile_line_has_its_data(demo):
    for phone, most_gb in ((MARIA_PHONE, 20), (JOSE_PHONE, 3)):
        line = Subscription.objects.get(account=loaded_account(), phone_number=phone)
        found = cycles(line)
        assert len(found) >= 12
        assert all(0 < cycle.used_bytes < most_gb * GB for cycle in found)


def test_the_bill_after_the_first_month_over_forgives_it_and_the_second_is_charged(demo):
    invoices = bills()
    first, second = invoices[FIRST_OVER + 1], invoices[SECOND_OVER + 1]
    internet_key = f"sub:{internet().pk}"
    extra, courtesy = [line for line in usage_lines(first) if line.group_key == internet_key]
    assert extra.amount_cents == -courtesy.amount_cents > 0
    assert describe_line(courtesy, "en").startswith("Courtesy: first time over in 12 months")
    [charged] = [line for line in usage_lines(second) if line.group_key == internet_key]
    assert charged.amount_cents == 5000  # 250 GB over: 5 blocks of 50 GB at $10.00
    assert describe_line(charged, "en").startswith(
        "Extra data: 250 GB over 1.2 TB in 5 blocks of 50 GB, "
    )
    changes = explain_invoice(second, language="en")
    assert changes is not None
    assert any(
        change.kind == "usage" and change.text.startswith("Extra data on Internet Ultra 500")
        for change in changes
    )
    no_other = [
        invoice
        for invoice in invoices
        if invoice not in (first, second)
        and any(line.group_key == internet_key for line in usage_lines(invoice))
    ]
    assert no_other == []


def test_josé_s_data_by_the_gig_is_on_his_bills(demo):
    jose = Subscription.objects.get(account=loaded_account(), phone_number=JOSE_PHONE)
    charged = InvoiceLine.objects.filter(kind=LineKind.USAGE, item_key=f"usage:{jose.pk}")
    assert charged.count() >= 10
    assert all(line.quantity >= 1 and line.amount_cents == 1400 * line.quantity for line in charged)


def test_loading_again_counts_no_data_twice(demo):
    before = (UsageRecord.objects.count(), [c.used_bytes for c in cycles(internet())])
    out = io.StringIO()
    call_command("seed", "demo", stdout=out)
    assert (UsageRecord.objects.count(), [c.used_bytes for c in cycles(internet())]) == before


def test_a_day_later_the_new_day_is_counted_once(demo):
    from dropline.core import clock
    from dropline.seeding.demo.year import moment

    latest = cycles(internet())[-1]
    tomorrow = clock.today() + dt.timedelta(days=1)
    with clock.frozen(moment(tomorrow, 12)):
        call_command("seed", "demo", stdout=io.StringIO())
    later = cycles(internet())[-1]
    assert later.cycle_start == latest.cycle_start
    assert later.used_bytes > latest.used_bytes
