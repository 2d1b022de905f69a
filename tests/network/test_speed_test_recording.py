"""Recording a speed test: figures in bounds are kept as given with the plan's speeds of
the day; anything out of bounds is refused naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dropline.catalog.models import Plan, ServiceKind
from dropline.core import clock
from dropline.network.models import SpeedTest
from dropline.network.speed_tests import SpeedTestError, latest_for, record_speed_test
from dropline.network.speed_tests.queries import history, page_after
from dropline.network.speed_tests.recording import (
    MAX_JITTER_MS,
    MAX_KBPS,
    MAX_LATENCY_MS,
    MAX_STREAMS,
)
from dropline.subscriptions.ordering import subscribe
from tests.support.factories import Customer, make_customer
from tests.support.speed_tests import FIGURES, a_test, household

pytestmark = pytest.mark.django_db

BOUNDS = {
    "latency_ms": (0, MAX_LATENCY_MS),
    "jitter_ms": (0, MAX_JITTER_MS),
    "download_kbps": (0, MAX_KBPS),
    "upload_kbps": (0, MAX_KBPS),
    "streams": (1, MAX_STREAMS),
}


class TestBounds(TestCase):
    customer: Customer

    @classmethod
    def setUpTestData(cls) -> None:
        cls.customer = household("bounds")

    @given(
        field=st.sampled_from(sorted(BOUNDS)),
        value=st.integers(min_value=-(10**12), max_value=10**12),
    )
    def test_a_figure_is_kept_exactly_when_in_bounds_and_refused_otherwise(
        self, field: str, value: int
    ) -> None:
        low, high = BOUNDS[field]
        before = SpeedTest.objects.count()
        if low <= value <= high:
            test = a_test(self.customer, **{field: value})
            test.refresh_from_db()
            assert getattr(test, field) == value
            assert SpeedTest.objects.count() == before + 1
        else:
            with pytest.raises(SpeedTestError) as refused:
                a_test(self.customer, **{field: value})
            assert refused.value.field == field
            assert str(low) in refused.value.reason
            assert SpeedTest.objects.count() == before

    @given(value=st.one_of(st.text(max_size=5), st.floats(), st.booleans(), st.none()))
    def test_a_figure_that_is_not_a_whole_number_is_refused(self, value: object) -> None:
        with pytest.raises(SpeedTestError) as refused:
            a_test(self.customer, download_kbps=value)
        assert refused.value.field == "download_kbps"

    @given(connection=st.text(max_size=10).filter(lambda c: c not in ("wifi", "wired", "unknown")))
    def test_only_the_three_connections_are_taken(self, connection: str) -> None:
        with pytest.raises(SpeedTestError) as refused:
            a_test(self.customer, connection=connection)
        assert refused.value.field == "connection"


def test_the_plans_speeds_are_those_of_the_day():
    customer = household("snapshot")
    first = a_test(customer)
    Plan.objects.filter(code="speed-500").update(download_mbps=1000, upload_mbps=100)
    second = a_test(customer)
    first.refresh_from_db()
    assert (first.plan_download_mbps, first.plan_upload_mbps) == (500, 50)
    assert (second.plan_download_mbps, second.plan_upload_mbps) == (1000, 100)
    assert first.subscription is not None
    assert first.subscription.plan.kind == ServiceKind.INTERNET


def test_an_account_without_internet_records_no_plan_speeds():
    customer = make_customer(username="tvonly", services=0, devices=0)
    tv = Plan.objects.create(code="tv-x", kind="tv", name="TV", monthly_price_cents=100)
    subscribe(account=customer.account, plan=tv)
    test = a_test(customer)
    assert test.subscription is None
    assert test.plan_download_mbps is None
    assert test.plan_upload_mbps is None


def test_latest_and_history_stay_within_the_account():
    ours = household("ours")
    theirs = household("theirs")
    start = dt.datetime(2026, 11, 1, 19, tzinfo=dt.UTC)
    for day in range(15):
        with clock.frozen(start + dt.timedelta(days=day)):
            a_test(ours, download_kbps=100_000 + day)
    with clock.frozen(start + dt.timedelta(days=30)):
        a_test(theirs)
    latest = latest_for(account=ours.account)
    assert latest is not None
    assert latest.download_kbps == 100_014
    shown = history(account=ours.account)
    assert [t.download_kbps for t in shown] == [100_000 + day for day in range(3, 15)]
    page = page_after(account=ours.account, after=None, limit=10)
    rest = page_after(account=ours.account, after=page.next_key, limit=10)
    assert len(page.rows) == 10
    assert len(rest.rows) == 5
    assert rest.next_key is None
    assert {t.account_id for t in page.rows + rest.rows} == {ours.account.pk}
    assert latest_for(account=make_customer(username="none", services=0).account) is None


def test_record_takes_the_figures_the_browser_sent():
    customer = household("asis")
    with clock.frozen(dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC)):
        test = record_speed_test(account=customer.account, user=customer.user, **FIGURES)
    assert test.ran_at == dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC)
    assert test.user == customer.user
