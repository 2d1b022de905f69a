"""Reading an account's history for rating: everything it needs, in a fixed number of
queries whatever the number of accounts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.billing.history import load_histories, load_history
from dropline.billing.models import (
    Adjustment,
    Invoice,
    InvoiceLine,
    Jurisdiction,
    TaxRate,
)
from dropline.billing.rating import rate
from dropline.catalog.models import AddOn, EquipmentModel, Plan, Promotion
from dropline.core import clock
from dropline.customers.cycles import Cycle
from dropline.customers.models import CustomerAccount, ServiceAddress, ServiceArea
from dropline.customers.onboarding import open_account
from dropline.network.installation import install_equipment
from dropline.subscriptions.models import SubscriptionPrice
from dropline.subscriptions.ordering import subscribe

D = dt.date
pytestmark = pytest.mark.django_db
OPENED = D(2026, 1, 5)


@pytest.fixture
def catalog():
    internet = Plan.objects.create(
        code="internet-500",
        kind="internet",
        name="Internet 500",
        name_es="Internet 500",
        monthly_price_cents=7000,
    )
    return {
        "internet": internet,
        "promotion": Promotion.objects.create(
            code="spring",
            name="Spring offer",
            name_es="Oferta de primavera",
            plan=internet,
            monthly_price_cents=4500,
            duration_months=3,
        ),
        "boost": AddOn.objects.create(
            code="boost",
            kind="internet",
            name="Wi-Fi boost",
            name_es="Refuerzo de Wi-Fi",
            monthly_price_cents=500,
        ),
        "modem": EquipmentModel.objects.create(
            code="modem",
            kind="modem",
            manufacturer="Arris",
            model_name="SB8200",
            monthly_rental_cents=1000,
        ),
    }


_serial = iter(range(1, 10_000))


def make_account(catalog, *, city="Riverbend", day=5, opened_on=OPENED) -> CustomerAccount:
    area, _ = ServiceArea.objects.get_or_create(code="river", defaults={"name": "River"})
    address = ServiceAddress.objects.create(
        line1="1 Main St",
        city=city,
        county="Johnson",
        region="IA",
        postal_code="52240",
        service_area=area,
    )
    account = open_account(
        name="Test Household", service_address=address, bill_cycle_day=day, opened_on=opened_on
    )
    subscription = subscribe(
        account=account,
        plan=catalog["internet"],
        started_on=opened_on,
        promotion=catalog["promotion"],
        add_ons=[catalog["boost"]],
    )
    install_equipment(
        account=account,
        model=catalog["modem"],
        serial_number=f"SN{next(_serial)}",
        installed_on=opened_on,
        subscription=subscription,
    )
    Adjustment.objects.create(
        account=account,
        kind="charge",
        description="Installation visit",
        amount_cents=3500,
        occurred_on=opened_on,
        reason="Technician visit",
        created_at=clock.now(),
    )
    return account


def invoice(account, *, start, end, status="open", lines=()) -> Invoice:
    number = Invoice.objects.count() + 1
    made = Invoice.objects.create(
        account=account,
        number=f"INV-{number:08d}",
        sequence=number,
        period_start=start,
        period_end=end,
        issued_on=start,
        due_on=start + dt.timedelta(days=21),
        total_cents=sum(amount for *_, amount in lines),
        amount_due_cents=0,
        status=status,
        created_at=clock.now(),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=made,
            position=index,
            kind=kind,
            category="internet",
            item_key=key,
            group_key="sub:1",
            label="Internet 500",
            period_start=start,
            period_end=end,
            amount_cents=amount,
            taxable=True,
        )
        for index, (kind, key, amount) in enumerate(lines)
    )
    return made


@pytest.fixture
def iowa():
    state = Jurisdiction.objects.create(code="ia", name="Iowa", state="IA")
    city = Jurisdiction.objects.create(
        code="riverbend", name="City of Riverbend", state="IA", county="Johnson", city="Riverbend"
    )
    other = Jurisdiction.objects.create(
        code="elsewhere", name="Elsewhere", state="IA", county="Johnson", city="Elsewhere"
    )
    TaxRate.objects.create(
        jurisdiction=state,
        code="sales-tax",
        kind="sales_tax",
        name="Iowa sales tax",
        name_es="Impuesto sobre las ventas de Iowa",
        applies_to=["equipment"],
        percent=Decimal("6"),
        effective_from=D(2020, 1, 1),
    )
    TaxRate.objects.create(
        jurisdiction=city,
        code="franchise",
        kind="franchise_fee",
        name="Franchise fee",
        applies_to=["tv"],
        percent=Decimal("5"),
        effective_from=D(2020, 1, 1),
    )
    TaxRate.objects.create(
        jurisdiction=other,
        code="franchise",
        kind="franchise_fee",
        name="Other franchise fee",
        applies_to=["tv"],
        percent=Decimal("5"),
        effective_from=D(2020, 1, 1),
    )


def test_a_history_holds_every_dated_fact_as_plain_values(catalog, iowa):
    account = make_account(catalog)
    subscription = account.subscriptions.get()
    SubscriptionPrice.objects.create(
        subscription=subscription, effective_on=D(2026, 1, 5), monthly_price_cents=7000
    )
    SubscriptionPrice.objects.create(
        subscription=subscription, effective_on=D(2026, 6, 1), monthly_price_cents=7500
    )
    invoice(account, start=D(2026, 2, 5), end=D(2026, 3, 4), lines=[("recurring", "sub:1", 7000)])
    latest = invoice(
        account,
        start=D(2026, 3, 5),
        end=D(2026, 4, 4),
        lines=[("recurring", f"sub:{subscription.pk}", 7000), ("discount", "promo:1", -2500)],
    )
    invoice(account, start=D(2026, 4, 5), end=D(2026, 5, 4), status="void")
    Adjustment.objects.create(
        account=account,
        kind="credit",
        description="Billed already",
        amount_cents=100,
        occurred_on=D(2026, 2, 1),
        reason="x",
        created_at=clock.now(),
        invoice=latest,
    )

    history = load_history(account.pk)

    assert history.account_id == account.pk
    assert history.number == account.number
    assert (history.bill_cycle_day, history.currency, history.language) == (5, "USD", "en")
    assert (history.address.state, history.address.county, history.address.city) == (
        "IA",
        "Johnson",
        "Riverbend",
    )
    (service,) = history.subscriptions
    assert service.label == "Internet 500"
    assert service.kind == "internet"
    assert service.prices == ((D(2026, 1, 5), 7000), (D(2026, 6, 1), 7500))
    assert service.promotion is not None
    assert service.promotion.monthly_price_cents == 4500
    assert service.promotion.ends_on == D(2026, 4, 4)
    assert [(a.label_es, a.monthly_price_cents) for a in history.add_ons] == [
        ("Refuerzo de Wi-Fi", 500)
    ]
    assert [(e.label, e.monthly_rental_cents) for e in history.equipment] == [
        ("Arris SB8200", 1000)
    ]
    assert [a.description for a in history.adjustments] == ["Installation visit"]
    assert sorted(r.jurisdiction_code for r in history.tax_rates) == ["ia", "riverbend"]
    assert history.previous_period == (D(2026, 3, 5), D(2026, 4, 4))
    assert history.previous_invoice_id == latest.pk
    assert [(line.item_key, line.amount_cents) for line in history.previous_lines] == [
        (f"sub:{subscription.pk}", 7000),
        ("promo:1", -2500),
    ]


def test_a_service_without_price_rows_keeps_its_contracted_price(catalog):
    account = make_account(catalog)
    (service,) = load_history(account.pk).subscriptions
    assert service.prices == ((D(2026, 1, 5), 7000),)


def test_an_unknown_account_is_refused():
    with pytest.raises(CustomerAccount.DoesNotExist):
        load_history(999_999)
    assert load_histories([]) == {}


def test_the_history_rates_like_the_account_reads(catalog, iowa):
    account = make_account(catalog)
    lines = rate(load_history(account.pk), Cycle(D(2026, 1, 5), D(2026, 2, 4)))
    # The first cycle: internet $70.00 less $25.00 promotion, boost $5.00, modem $10.00,
    # installation $35.00 and 6% sales tax on the modem.
    assert [(line.kind, line.amount_cents) for line in lines] == [
        ("recurring", 7000),
        ("discount", -2500),
        ("recurring", 500),
        ("recurring", 1000),
        ("one_time", 3500),
        ("tax", 60),
    ]


def test_reading_fifty_accounts_takes_as_many_queries_as_reading_one(catalog, iowa):
    accounts = [make_account(catalog, day=1 + n % 28) for n in range(50)]
    for account in accounts:
        invoice(account, start=D(2026, 3, 5), end=D(2026, 4, 4), lines=[("recurring", "s", 1)])

    with CaptureQueriesContext(connection) as one:
        single = load_histories([accounts[0].pk])
    with CaptureQueriesContext(connection) as fifty:
        many = load_histories([account.pk for account in accounts])

    # nine of the accounts, their usage and earlier overages, and the bundles
    assert len(one) == len(fifty) == 12
    assert single[accounts[0].pk] == many[accounts[0].pk]
    assert len(many) == 50
    assert all(len(history.previous_lines) == 1 for history in many.values())
