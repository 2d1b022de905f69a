"""A new tax or fee rate from a date: it closes the rate in force before on the day
before, keeps the tax's kind, names and what it applies to, ends before a rate already
planned after it, is refused for a day of a bill cycle already billed (nothing changes),
and is audited. The next bill uses it."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from dropline.billing.errors import TaxRateError
from dropline.billing.models import InvoiceLine, Jurisdiction, TaxRate
from dropline.billing.rate_setting import add_rate
from dropline.core.models import AuditEvent
from tests.support.billing import EARLY, bill, iowa_tax_table
from tests.support.services import need
from tests.support.staff_billing import billed_account

pytestmark = pytest.mark.django_db
D = dt.date


def rates(code: str) -> list[tuple[dt.date, dt.date | None, Decimal | None, int | None]]:
    return list(
        TaxRate.objects.filter(code=code)
        .order_by("effective_from")
        .values_list("effective_from", "effective_until", "percent", "amount_cents")
    )


def test_a_new_rate_closes_the_previous_one_the_day_before():
    iowa_tax_table()
    iowa = Jurisdiction.objects.get(code="ia")
    rate = add_rate(
        jurisdiction=iowa, code="regulatory", effective_from=D(2026, 7, 1), percent=Decimal("3")
    )
    assert rates("regulatory") == [
        (EARLY, D(2026, 6, 30), Decimal("2.5000"), None),
        (D(2026, 7, 1), None, Decimal("3.0000"), None),
    ]
    assert (rate.kind, rate.name, rate.applies_to) == (
        "regulatory_recovery",
        "Regulatory recovery fee",
        ["internet"],
    )
    event = AuditEvent.objects.get(action="billing.tax_rate_added")
    assert event.data["previous_closed_on"] == "2026-06-30"


def test_a_rate_put_before_a_planned_one_ends_the_day_before_it():
    iowa_tax_table()
    iowa = Jurisdiction.objects.get(code="ia")
    add_rate(jurisdiction=iowa, code="e911", effective_from=D(2026, 9, 1), amount_cents=150)
    add_rate(jurisdiction=iowa, code="e911", effective_from=D(2026, 7, 1), amount_cents=125)
    assert rates("e911") == [
        (EARLY, D(2026, 6, 30), None, 100),
        (D(2026, 7, 1), D(2026, 8, 31), None, 125),
        (D(2026, 9, 1), None, None, 150),
    ]


@pytest.mark.parametrize(
    ("code", "options", "field"),
    [
        ("regulatory", {"percent": None}, "percent"),
        ("regulatory", {"percent": Decimal("0")}, "percent"),
        ("regulatory", {"percent": Decimal("100.5")}, "percent"),
        ("regulatory", {"percent": Decimal("2.12345")}, "percent"),
        ("regulatory", {"percent": Decimal("2"), "amount_cents": 100}, "amount_cents"),
        ("e911", {"amount_cents": 0}, "amount_cents"),
        ("e911", {"percent": Decimal("1")}, "amount_cents"),
        ("nothing", {"percent": Decimal("1")}, "code"),
        ("regulatory", {"percent": Decimal("3"), "effective_from": EARLY}, "effective_from"),
    ],
)
def test_a_wrong_rate_is_refused_naming_the_input_and_nothing_changes(code, options, field):
    iowa_tax_table()
    before = list(TaxRate.objects.order_by("pk").values())
    with pytest.raises(TaxRateError) as refused:
        add_rate(
            jurisdiction=Jurisdiction.objects.get(code="ia"),
            code=code,
            **{"effective_from": D(2026, 7, 1), **options},
        )
    assert refused.value.field == field
    assert list(TaxRate.objects.order_by("pk").values()) == before
    assert not AuditEvent.objects.exists()


def test_a_day_of_a_cycle_already_billed_is_refused_with_the_reason():
    billed = billed_account(months=3)  # cycles from Jan 5, Feb 5 and Mar 5, 2026
    before = rates("regulatory")
    for day in (D(2026, 1, 1), D(2026, 3, 5)):
        with pytest.raises(TaxRateError) as refused:
            add_rate(
                jurisdiction=Jurisdiction.objects.get(code="ia"),
                code="regulatory",
                effective_from=day,
                percent=Decimal("3"),
            )
        assert refused.value.field == "effective_from"
        assert "March 5, 2026" in refused.value.reason
    assert rates("regulatory") == before
    # The day after the latest billed cycle's first day is fine, and the next bill uses it.
    add_rate(
        jurisdiction=Jurisdiction.objects.get(code="ia"),
        code="regulatory",
        effective_from=D(2026, 3, 6),
        percent=Decimal("4"),
    )
    outcome = bill(billed.account, D(2026, 4, 5))
    [invoice_id] = outcome.invoice_ids
    fee = TaxRate.objects.get(code="regulatory", effective_from=D(2026, 3, 6))
    assert fee.percent == Decimal("4.0000")
    line = InvoiceLine.objects.get(invoice_id=invoice_id, kind="tax")
    assert line.percent == Decimal("4.0000")
    assert line.amount_cents == 280  # 4% of $70.00: the spring offer ended on April 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "days", [(D(2027, 1, 1), D(2027, 3, 1)), (D(2027, 3, 1), D(2027, 1, 1))], ids=str
)
def test_two_new_rates_at_once_never_overlap(days):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    iowa_tax_table()
    iowa = Jurisdiction.objects.get(code="ia")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(day: dt.date) -> None:
        try:
            barrier.wait()
            add_rate(jurisdiction=iowa, code="regulatory", effective_from=day, percent=Decimal(3))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(day,)) for day in days]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert [(start, until) for start, until, _p, _a in rates("regulatory")] == [
        (EARLY, D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 2, 28)),
        (D(2027, 3, 1), None),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_new_rate_twice_at_once_is_added_once():
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    iowa_tax_table()
    iowa = Jurisdiction.objects.get(code="ia")
    barrier = threading.Barrier(2)
    refused: list[str] = []
    errors: list[BaseException] = []

    def add() -> None:
        try:
            barrier.wait()
            add_rate(
                jurisdiction=iowa,
                code="regulatory",
                effective_from=D(2027, 1, 1),
                percent=Decimal(3),
            )
        except TaxRateError as exc:
            refused.append(exc.field)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert refused == ["effective_from"]
    assert len(rates("regulatory")) == 2
    assert AuditEvent.objects.filter(action="billing.tax_rate_added").count() == 1
