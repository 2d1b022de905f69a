"""Gathering the facts from the real records: outages declared through the real write,
speed tests recorded through the real write, the account's own status; and only ever the
account asked about."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.customers.models import ServiceArea
from dropline.network.diagnosis.checking import check_connection
from dropline.network.diagnosis.diagnose import NextStep, Verdict
from dropline.network.diagnosis.facts import SLOW_SHARE
from dropline.network.diagnosis.gather import gather
from dropline.network.speed_tests.advice import WELL_BELOW_SHARE
from dropline.subscriptions.suspension import suspend_services
from tests.support.outages import declare_outage, plan_maintenance
from tests.support.speed_tests import a_test, household

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def noon():
    with clock.frozen(NOON):
        yield


@pytest.fixture
def customer():
    return household("gatherer")


def area(customer):
    return customer.account.service_address.service_area


def test_a_healthy_account_has_nothing_to_report(customer):
    facts = gather(account=customer.account)
    assert (facts.account_status, facts.services_suspended) == ("active", False)
    assert (facts.outages, facts.upcoming_maintenance, facts.speed_test) == ((), (), None)
    assert check_connection(account=customer.account, language="en").answer.verdict == (
        Verdict.ALL_FINE
    )


def test_suspended_services_are_read_from_the_account(customer):
    suspend_services(account=customer.account, reason="Unpaid balance")
    facts = gather(account=customer.account)
    assert facts.account_status == "suspended"
    assert facts.services_suspended
    assert check_connection(account=customer.account, language="en").answer.next_step == (
        NextStep.PAY_BILL
    )


def test_an_outage_in_the_area_with_its_eta_and_title_in_the_language_asked(customer):
    outage = declare_outage(areas=[area(customer)], eta=NOON + 3 * HOUR)
    (found,) = gather(account=customer.account, language="es").outages
    assert (found.outage_id, found.title, found.eta) == (outage.pk, "Corte de internet", outage.eta)
    assert found.affects_internet
    assert not found.maintenance
    result = check_connection(account=customer.account, language="en")
    assert (result.answer.verdict, result.answer.next_step) == (Verdict.OUTAGE, NextStep.WAIT)
    assert (result.answer.outage_id, result.answer.eta) == (outage.pk, NOON + 3 * HOUR)
    assert "Internet outage" in result.words.detail


def test_an_outage_elsewhere_or_maintenance_over_is_not_this_accounts(customer):
    elsewhere = ServiceArea.objects.create(code="elsewhere", name="Elsewhere")
    declare_outage(areas=[elsewhere])
    plan_maintenance(areas=[area(customer)], starts_at=NOON - 5 * HOUR, hours=2)
    assert gather(account=customer.account).outages == ()


def test_a_tv_outage_is_not_an_internet_outage(customer):
    declare_outage(areas=[area(customer)], service_kinds=["tv"], title_en="Channels missing")
    (found,) = gather(account=customer.account).outages
    assert not found.affects_internet


def test_maintenance_on_now_waits_and_maintenance_soon_is_mentioned(customer):
    plan_maintenance(areas=[area(customer)], starts_at=NOON - HOUR, hours=3)
    plan_maintenance(areas=[area(customer)], starts_at=NOON + 20 * HOUR, title_en="Node swap")
    plan_maintenance(areas=[area(customer)], starts_at=NOON + 5 * 24 * HOUR)
    facts = gather(account=customer.account)
    (now,) = facts.outages
    assert (now.maintenance, now.eta) == (True, NOON + 2 * HOUR)
    (soon,) = facts.upcoming_maintenance
    assert soon.title == "Node swap"
    result = check_connection(account=customer.account, language="en")
    assert result.answer.verdict == Verdict.MAINTENANCE
    assert any("Node swap" in finding for finding in result.words.findings)


def test_the_latest_speed_test_speaks_when_it_is_slow(customer):
    with clock.frozen(NOON - 2 * HOUR):
        a_test(customer, download_kbps=480_000)
    with clock.frozen(NOON - HOUR):
        a_test(customer, download_kbps=120_000, connection="wifi")
    test = gather(account=customer.account).speed_test
    assert test is not None
    assert (test.download_kbps, test.plan_download_mbps, test.on_wifi) == (120_000, 500, True)
    assert test.slow
    result = check_connection(account=customer.account, language="en")
    assert result.answer.verdict == Verdict.SLOW_SPEED
    assert "120 Mbps down; your plan is 500 Mbps" in result.words.detail
    assert "Wi-Fi" in result.words.detail


def test_slow_means_what_the_speed_test_page_calls_well_below_the_plan():
    assert SLOW_SHARE == WELL_BELOW_SHARE


def test_another_accounts_troubles_never_show(customer):
    neighbor = household("neighbor")
    suspend_services(account=neighbor.account, reason="Unpaid balance")
    with clock.frozen(NOON - HOUR):
        a_test(neighbor, download_kbps=1_000)
    facts = gather(account=customer.account)
    assert (facts.account_status, facts.services_suspended, facts.speed_test) == (
        "active",
        False,
        None,
    )
