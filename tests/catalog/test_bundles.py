"""Bundles in the catalogue: administrators keep them in the records admin (audited),
other staff cannot; a bundle combines at least two different services and gives a
positive discount; customers are shown those on offer and in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from dropline.accounts.roles import ADMINISTRATOR, BILLING
from dropline.billing.history import load_bundles
from dropline.catalog.models import Bundle
from dropline.catalog.queries import bundles_on_offer
from dropline.core.models import AuditEvent
from tests.support.bundles import make_bundle
from tests.support.labels import staff_signed_in
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db

D = dt.date


def bundle_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "internet-phone",
        "name": "Internet + Home phone",
        "name_es": "Internet + Teléfono residencial",
        "kinds": ["phone", "internet"],
        "monthly_discount_cents": 700,
        "currency": "USD",
        "starts_on": "2026-05-01",
        "ends_on": "",
        "is_active": "on",
        "sort_order": 4,
    }
    data.update(changes)
    return data


def test_an_administrator_adds_a_bundle_and_it_is_audited():
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    url = reverse("admin:catalog_bundle_add")
    assert client.get(url).status_code == 200
    response = client.post(url, bundle_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    bundle = Bundle.objects.get(code="internet-phone")
    assert bundle.kinds == ["internet", "phone"]  # in the catalogue's order
    assert bundle.monthly_discount_cents == 700
    event = AuditEvent.objects.get(action="catalog.bundle_created")
    assert event.actor is not None
    assert event.actor.username == "ada"
    # And rating reads it from its day on.
    [term] = load_bundles()
    assert (term.kinds, term.starts_on) == (frozenset({"internet", "phone"}), D(2026, 5, 1))

    change = reverse("admin:catalog_bundle_change", args=[bundle.pk])
    response = client.post(change, bundle_form(monthly_discount_cents=900))
    assert response.status_code == 302
    assert Bundle.objects.get(pk=bundle.pk).monthly_discount_cents == 900
    assert AuditEvent.objects.get(action="catalog.bundle_changed").data["fields"] == [
        "monthly_discount_cents"
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kinds": ["internet"]}, "kinds"),
        ({"kinds": ["internet", "cable"]}, "kinds"),
        ({"monthly_discount_cents": 0}, None),
        ({"ends_on": "2026-04-30"}, None),
    ],
)
def test_a_bundle_that_cannot_be_given_is_refused_and_nothing_is_saved(changes, field):
    make_staff(username="ada", role=ADMINISTRATOR)
    client = staff_signed_in("ada")
    response = client.post(reverse("admin:catalog_bundle_add"), bundle_form(**changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors
    if field:
        assert field in errors
    assert not Bundle.objects.exists()
    assert not AuditEvent.objects.filter(action="catalog.bundle_created").exists()


def test_billing_staff_cannot_add_or_change_bundles():
    bundle = make_bundle()
    make_staff(username="bill", role=BILLING)
    client = staff_signed_in("bill")
    assert client.post(reverse("admin:catalog_bundle_add"), bundle_form()).status_code == 403
    change = reverse("admin:catalog_bundle_change", args=[bundle.pk])
    response = client.post(change, bundle_form(monthly_discount_cents=1))
    assert response.status_code == 403
    assert Bundle.objects.get(pk=bundle.pk).monthly_discount_cents == 1000


def test_the_database_refuses_a_free_or_backwards_bundle():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_bundle(discount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_bundle(starts_on=D(2026, 5, 1), ends_on=D(2026, 4, 1))


def test_customers_are_shown_bundles_on_offer_in_force_and_sold_at_the_address():
    make_bundle("internet-tv", discount=1000)
    make_bundle("internet-tv-phone", kinds=("internet", "tv", "phone"), discount=2000)
    make_bundle("withdrawn", discount=3000, on_offer=False)
    make_bundle("later", discount=4000, starts_on=D(2026, 9, 1))
    make_bundle("over", discount=5000, ends_on=D(2026, 2, 28))
    on = D(2026, 3, 15)
    assert [b.code for b in bundles_on_offer(on=on)] == ["internet-tv-phone", "internet-tv"]
    assert [b.code for b in bundles_on_offer(on=on, kinds={"internet", "tv"})] == ["internet-tv"]
    # Rating gives every bundle by its dates, on offer or not: taking one off offer never
    # takes back a discount an account already has.
    assert {term.code for term in load_bundles()} == {
        "internet-tv",
        "internet-tv-phone",
        "withdrawn",
        "later",
        "over",
    }
