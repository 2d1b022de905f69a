"""The catalogue's writes on their own: each in one transaction with its audit event,
refusing with the field at fault and leaving everything as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dropline.catalog.editing.guide import change_channel, set_line_up
from dropline.catalog.editing.labels import FeeLine, LabelTerms, save_label
from dropline.catalog.editing.plans import change_plan, create_plan, set_plan_areas
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import BroadbandLabel, Channel, Plan
from dropline.core.models import AuditEvent
from tests.support.catalog import make_catalog
from tests.support.examples import examples
from tests.support.labels import make_label, sell_in_areas

pytestmark = pytest.mark.django_db

TERMS = LabelTerms(
    typical_download_mbps=900,
    typical_upload_mbps=90,
    typical_latency_ms=12,
    network_management_url="https://isp.example/network",
    privacy_policy_url="https://isp.example/privacy",
)


def _catalog_audit() -> int:
    return AuditEvent.objects.filter(action__startswith="catalog.").count()


def test_a_mobile_plan_by_the_gig_keeps_its_price_per_gb():
    plan = create_plan(
        code="mobile-gig",
        kind="mobile",
        name="Mobile By the Gig",
        monthly_price_cents=0,
        price_per_gb=Decimal("14"),
        is_active=True,
    )
    assert plan.price_per_gb == Decimal("14")
    event = AuditEvent.objects.get(action="catalog.plan_created")
    assert event.data["changes"]["price_per_gb"] == {"before": None, "after": "14"}
    assert event.data["changes"]["is_active"] == {"before": None, "after": True}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "UPPER case"}, "code"),
        ({"kind": "landline"}, "kind"),
        ({"monthly_price_cents": -1}, "monthly_price_cents"),
        ({"monthly_price_cents": 10_000_001}, "monthly_price_cents"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"is_active": True}, "is_active"),
        ({"upload_mbps": 0}, "upload_mbps"),
    ],
)
def test_a_plan_that_cannot_be_created_is_refused_naming_the_field(changes, field):
    values = {
        "code": "internet-2000",
        "kind": "internet",
        "name": "Internet 2000",
        "monthly_price_cents": 11000,
        "download_mbps": 2000,
        "upload_mbps": 200,
        **changes,
    }
    with pytest.raises(CatalogError) as refused:
        create_plan(**values)
    assert refused.value.field == field
    assert not Plan.objects.exists()
    assert _catalog_audit() == 0


def test_a_refusal_mid_edit_leaves_the_plan_as_it_was():
    catalog = make_catalog()
    plan = catalog.internet
    with pytest.raises(CatalogError) as refused:
        change_plan(
            plan=plan,
            name="Renamed",
            name_es="",
            description="",
            download_mbps=500,
            upload_mbps=50,
            data_allowance_gb=None,
            price_per_gb=None,
            is_active=True,
            sort_order=70000,  # beyond a small positive integer: the model refuses it
        )
    assert refused.value.field == "sort_order"
    assert Plan.objects.get(pk=plan.pk).name == "Internet 500"
    assert _catalog_audit() == 0


def test_availability_and_line_ups_record_only_what_changed():
    catalog = make_catalog()
    areas = sell_in_areas(catalog)
    assert set_plan_areas(plan=catalog.tv, areas=[areas.riverbend, areas.hills]) == {
        "added": [],
        "removed": [],
    }
    assert _catalog_audit() == 0
    assert set_plan_areas(plan=catalog.tv, areas=[areas.hills]) == {
        "added": [],
        "removed": ["test-area"],
    }
    channel = Channel.objects.create(number=7, call_sign="WTRV", name="Channel 7", genre="local")
    assert set_line_up(carrier=catalog.tv, channels=[channel])["added"] == [7]
    with pytest.raises(CatalogError) as refused:
        set_line_up(carrier=catalog.internet, channels=[channel])
    assert refused.value.field == "channels"
    assert _catalog_audit() == 2


def test_a_channel_keeps_its_number_to_itself():
    one = Channel.objects.create(number=7, call_sign="WTRV", name="Channel 7", genre="local")
    Channel.objects.create(number=9, call_sign="WGMT", name="Metro 9", genre="local")
    with pytest.raises(CatalogError) as refused:
        change_channel(
            channel=one, number=9, call_sign="WTRV", name="Seven", genre="local", is_hd=True
        )
    assert refused.value.field == "number"
    assert Channel.objects.get(pk=one.pk).name == "Channel 7"


def test_a_label_keeps_its_identifier_through_every_save_and_only_internet_has_one():
    catalog = make_catalog()
    label = make_label(catalog.internet)
    for latency in (10, 11, 12):
        saved = save_label(
            plan=catalog.internet,
            terms=LabelTerms(**{**TERMS.__dict__, "typical_latency_ms": latency}),
            fees=[FeeLine(kind="one_time", name="Activation", amount_cents=2500)],
        )
        assert saved.identifier == label.identifier
    assert BroadbandLabel.objects.count() == 1
    with pytest.raises(CatalogError) as refused:
        save_label(plan=catalog.tv, terms=TERMS, fees=[])
    assert refused.value.field == "plan"
    assert BroadbandLabel.objects.count() == 1


def test_a_bad_fee_leaves_the_label_and_its_fees_as_they_were():
    catalog = make_catalog()
    label = make_label(catalog.internet)
    fees_before = list(label.fees.values_list("name", "amount_cents"))
    with pytest.raises(CatalogError) as refused:
        save_label(
            plan=catalog.internet,
            terms=TERMS,
            fees=[FeeLine(kind="yearly", name="Odd", amount_cents=100)],
        )
    assert refused.value.field == "fees"
    assert list(label.fees.values_list("name", "amount_cents")) == fees_before
    assert BroadbandLabel.objects.get(pk=label.pk).typical_latency_ms == 18


@settings(max_examples=examples(50), deadline=None)
@given(cents=st.integers(min_value=0, max_value=10_000_000))
def test_a_plans_first_price_is_kept_to_the_cent(cents: int) -> None:
    Plan.objects.filter(code="priced").delete()
    plan = create_plan(code="priced", kind="tv", name="Priced", monthly_price_cents=cents)
    assert Plan.objects.get(pk=plan.pk).monthly_price_cents == cents
