"""Goodwill credits of data: they lower what the cycle bills (never what was counted),
need a reason, are positive and at most what the cycle used, are audited, and a
refused one changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.usage.adjustments import credit_data
from dropline.usage.errors import UsageError
from dropline.usage.models import GB, UsageAdjustment, UsageCycle
from tests.support.factories import make_user
from tests.support.usage_alerts import NOW, Household, household, use_gb

pytestmark = pytest.mark.django_db


def credit(home: Household, staff, credited_bytes: int, **overrides):
    values = {
        "subscription_id": home.service.pk,
        "cycle_start": home.cycle.start,
        "credited_bytes": credited_bytes,
        "reason": "Outage on Nov 12 kept the modem reconnecting",
        "actor": staff,
        "ip": "203.0.113.9",
        **overrides,
    }
    with clock.frozen(NOW):
        return credit_data(**values)


@pytest.fixture
def staff():
    return make_user(username="agent", is_staff=True)


def test_a_credit_lowers_the_billable_bytes_not_the_bytes_used(staff):
    home = household()
    use_gb(home.service, 1300)
    adjustment = credit(home, staff, 150 * GB)
    row = UsageCycle.objects.get(subscription=home.service)
    assert row.used_bytes == 1300 * GB
    assert row.credited_bytes == 150 * GB
    assert row.billable_bytes == 1150 * GB
    assert adjustment.credited_bytes == 150 * GB
    assert adjustment.created_by == staff
    assert adjustment.cycle_start == home.cycle.start


def test_a_credit_is_audited_with_who_from_where_and_why(staff):
    home = household()
    use_gb(home.service, 100)
    adjustment = credit(home, staff, 2_500_000_000)
    event = AuditEvent.objects.get(action="usage.data_credited")
    assert event.actor == staff
    assert str(event.ip_address) == "203.0.113.9"
    assert event.account_number == home.account.number
    assert event.target_id == str(adjustment.pk)
    assert event.data == {
        "subscription_id": home.service.pk,
        "cycle_start": "2026-11-03",
        "credited_bytes": 2_500_000_000,
        "reason": "Outage on Nov 12 kept the modem reconnecting",
    }


def test_credits_add_up_to_at_most_what_the_cycle_used(staff):
    home = household()
    use_gb(home.service, 100)
    credit(home, staff, 60 * GB)
    with pytest.raises(UsageError) as refused:
        credit(home, staff, 41 * GB)
    assert refused.value.field == "credited_bytes"
    assert "Credit at most 40 GB" in refused.value.message
    credit(home, staff, 40 * GB)
    assert UsageCycle.objects.get().billable_bytes == 0
    with pytest.raises(UsageError, match="Nothing is left to credit"):
        credit(home, staff, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credited_bytes": 0}, "credited_bytes"),
        ({"credited_bytes": -GB}, "credited_bytes"),
        ({"credited_bytes": 1.5}, "credited_bytes"),
        ({"credited_bytes": True}, "credited_bytes"),
        ({"credited_bytes": 101 * GB}, "credited_bytes"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"subscription_id": 987654}, "subscription_id"),
        ({"cycle_start": dt.date(2026, 11, 4)}, "cycle_start"),  # not a cycle's first day
        ({"cycle_start": dt.date(2026, 12, 3)}, "cycle_start"),  # a cycle yet to come
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(staff, overrides, field):
    home = household()
    use_gb(home.service, 100)
    credited = overrides.pop("credited_bytes", 10 * GB)
    with pytest.raises(UsageError) as refused:
        credit(home, staff, credited, **overrides)
    assert refused.value.field == field
    assert refused.value.message
    assert UsageCycle.objects.get().credited_bytes == 0
    assert not UsageAdjustment.objects.exists()
    assert not AuditEvent.objects.filter(action="usage.data_credited").exists()


def test_a_cycle_with_no_usage_has_nothing_to_credit_and_keeps_no_row(staff):
    home = household()
    earlier = home.cycle.previous()
    with pytest.raises(UsageError, match="Nothing is left to credit"):
        credit(home, staff, GB, cycle_start=earlier.start)
    assert not UsageCycle.objects.exists()


def test_a_past_cycle_can_be_credited(staff):
    home = household()
    earlier = home.cycle.previous()
    use_gb(home.service, 1400, cycle=earlier)
    credit(home, staff, 200 * GB, cycle_start=earlier.start)
    assert UsageCycle.objects.get(cycle_start=earlier.start).billable_bytes == 1200 * GB


class TestCreditArithmetic(TestCase):
    """Whatever credits staff try, in whatever order: the accepted ones add up to the
    cycle's credited bytes, never past what it used, and billable is used - credited."""

    @given(
        used=st.integers(min_value=0, max_value=3000 * GB),
        tries=st.lists(st.integers(min_value=1, max_value=2000 * GB), max_size=6),
    )
    def test_accepted_credits_add_up_and_never_pass_the_usage(self, used, tries):
        home = household(username=f"p{UsageCycle.objects.count()}")
        staff = make_user(username=f"s{home.account.pk}", is_staff=True)
        use_gb(home.service, 0)
        UsageCycle.objects.filter(subscription=home.service).update(output_bytes=used)
        accepted = 0
        for amount in tries:
            try:
                credit(home, staff, amount)
            except UsageError:
                assert amount > used - accepted
            else:
                accepted += amount
        row = UsageCycle.objects.get(subscription=home.service)
        assert row.credited_bytes == accepted <= used
        assert row.billable_bytes == used - accepted
        assert (
            sum(
                UsageAdjustment.objects.filter(subscription=home.service).values_list(
                    "credited_bytes", flat=True
                )
            )
            == accepted
        )
