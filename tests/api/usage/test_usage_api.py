"""Data usage from the mobile app: the same figures as the web page, in bytes and cents,
and never another account's (404, showing nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.customers.onboarding import add_member
from tests.support.usage_meter import (
    CYCLE_START,
    NOON,
    add_line,
    gb,
    internet_plan,
    metered_customer,
    record_days,
    spread,
)

pytestmark = pytest.mark.django_db

TODAY = NOON.date()


@pytest.fixture(autouse=True)
def noon():
    with clock.frozen(NOON):
        yield


@pytest.fixture
def household():
    customer, internet = metered_customer("apiuser")
    record_days(internet, spread(gb(1000), first=CYCLE_START, last=TODAY))
    record_days(internet, spread(gb(1315), first=dt.date(2026, 10, 15), last=dt.date(2026, 11, 14)))
    return customer, internet


@pytest.fixture
def app(household) -> Client:
    client = Client()
    client.force_login(household[0].user)
    return client


def test_this_cycle_per_service(app, household):
    customer, internet = household
    body = app.get("/api/v1/usage").json()
    assert body["account"]["number"] == customer.account.number
    (service,) = body["services"]
    daily = service.pop("daily")
    assert service == {
        "subscription_id": internet.pk,
        "kind": "internet",
        "label": internet.plan.name,
        "plan_name": internet.plan.name,
        "used_bytes": gb(1000),
        "allowance_bytes": gb(1200),
        "percent_used": 83,
        "cycle_start": "2026-11-15",
        "cycle_end": "2026-12-14",
        "days_left": 9,
        # 1,000 GB over 21.5 of 30 days, rounded up to the byte.
        "projected_bytes": -(-gb(1000) * 30 * 86400 // (21 * 86400 + 43200)),
        "projected_over_bytes": -(-gb(1000) * 30 * 86400 // (21 * 86400 + 43200)) - gb(1200),
        "over_bytes": 0,
        "overage_cents": 0,
        "projected_overage_cents": 4000,  # 195 GB over: 4 blocks of 50 GB at $10
        "currency": "USD",
    }
    assert [d["day"] for d in daily] == [
        (CYCLE_START + dt.timedelta(days=n)).isoformat() for n in range(22)
    ]
    assert sum(d["bytes"] for d in daily) == gb(1000)


def test_unlimited_is_null_and_mobile_lines_are_there(app, household):
    customer, _internet = household
    line = add_line(customer, phone="+13195550142")
    record_days(line, {TODAY: gb(1)})
    unlimited, _ = metered_customer(
        "unlimited", plan=internet_plan(allowance_gb=None, block_gb=None, cap_cents=None)
    )
    body = app.get("/api/v1/usage").json()
    kinds = [(s["kind"], s["label"]) for s in body["services"]]
    assert kinds == [("internet", household[1].plan.name), ("mobile", "(319) 555-0142")]
    mobile = body["services"][1]
    assert mobile["allowance_bytes"] is None
    assert mobile["percent_used"] is None
    assert mobile["used_bytes"] == gb(1)
    assert mobile["overage_cents"] == 1500  # 1 GB at $15.00 a GB
    app.force_login(unlimited.user)
    service = app.get("/api/v1/usage").json()["services"][0]
    assert service["allowance_bytes"] is None
    assert service["projected_overage_cents"] == 0


def test_history_has_twelve_cycles_oldest_first(app, household):
    body = app.get("/api/v1/usage/history").json()
    (service,) = body["services"]
    cycles = service["cycles"]
    assert len(cycles) == 12
    assert cycles[0]["cycle_start"] == "2025-12-15"
    assert cycles[-2] == {
        "cycle_start": "2026-10-15",
        "cycle_end": "2026-11-14",
        "used_bytes": gb(1315),
        "allowance_bytes": gb(1200),
        "in_progress": False,
    }
    assert cycles[-1]["used_bytes"] == gb(1000)
    assert cycles[-1]["in_progress"] is True
    assert {c["used_bytes"] for c in cycles[:-2]} == {0}


def test_another_account_number_is_not_found_and_shows_nothing(app, household):
    theirs, their_internet = metered_customer("theirs", label="Their cabin")
    record_days(their_internet, {TODAY: gb(777)})
    for url in ("/api/v1/usage", "/api/v1/usage/history"):
        response = app.get(f"{url}?account={theirs.account.number}")
        assert response.status_code == 404
        assert "Their cabin" not in response.content.decode()
        assert str(their_internet.pk) not in response.content.decode()
        mine = app.get(url).content.decode()
        assert "Their cabin" not in mine


def test_an_account_of_theirs_by_number(app, household):
    customer, _ = household
    other, _other_internet = metered_customer("second", label="Cabin")
    add_member(account=other.account, user=customer.user, role=MemberRole.AUTHORIZED)
    body = app.get(f"/api/v1/usage?account={other.account.number}").json()
    assert [s["label"] for s in body["services"]] == ["Cabin"]


def test_a_fixed_number_of_queries(app, household):
    customer, _ = household
    for n in range(4):
        line = add_line(customer, phone=f"+1319555030{n}")
        record_days(line, spread(gb(3), first=dt.date(2026, 3, 1), last=TODAY))

    def count(client: Client, url: str) -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])

    few = Client()
    small, _internet = metered_customer("small")
    few.force_login(small.user)
    for url in ("/api/v1/usage", "/api/v1/usage/history"):
        assert count(app, url) == count(few, url)


def test_the_documents_have_examples():
    spec = Client().get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["UsageOut"]["examples"][0]["services"][0]["kind"] == "internet"
    assert schemas["HistoryOut"]["examples"][0]["services"][0]["cycles"]
    assert "/api/v1/usage" in spec["paths"]
    assert "/api/v1/usage/history" in spec["paths"]
