"""Plans in the back-office: the catalogue's home lists every plan by kind with its
price, areas, sale state and label; an administrator adds a plan at its first price,
changes its words, speeds and sale state (never its price), chooses where it is sold,
and keeps its promotions. Every change is audited with what it was and became; bad
input names its field and changes nothing; the customer's plans page follows."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.catalog.models import Plan, Promotion
from dropline.core.models import AuditEvent
from dropline.customers.models import ServiceAddress
from dropline.subscriptions.ordering import subscribe
from tests.support.catalog_admin import Shop, make_shop, new_plan_form, plan_edit_form
from tests.support.factories import make_customer
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


@pytest.fixture
def shop() -> Shop:
    return make_shop()


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_staff(username="ada", role=roles.ADMINISTRATOR))
    return client


def _plans_page_for(customer_area) -> str:
    customer = make_customer(username=f"maria{next(_serial)}")
    ServiceAddress.objects.filter(pk=customer.account.service_address_id).update(
        service_area=customer_area
    )
    client = Client()
    client.force_login(customer.user)
    return visible_text(client.get("/plans/").content.decode())


def test_the_home_lists_plans_by_kind_with_price_areas_sale_and_label(admin, shop):
    Plan.objects.filter(pk=shop.catalog.tv.pk).update(is_active=False)
    text = visible_text(admin.get(reverse("backoffice:catalog")).content.decode())
    assert "Internet 500" in text
    assert "$70.00" in text
    assert "Internet 1000" in text
    assert "$90.00" in text
    assert "TV Essentials" in text
    assert "Retired" in text
    assert "Label ready" in text
    # Internet 1000 is on sale without a label (made before the rule): staff are told.
    assert "These internet plans are on sale without a broadband facts label" in text
    assert "No label" in text


def test_the_home_is_in_spanish_for_spanish_staff(admin, shop):
    admin.cookies["django_language"] = "es"
    text = visible_text(admin.get(reverse("backoffice:catalog")).content.decode())
    assert "Catálogo" in text
    assert "En venta" in text


def test_a_new_plan_is_added_at_its_first_price_off_sale_and_audited(admin, shop):
    response = admin.post(reverse("backoffice:catalog_plan_new"), new_plan_form())
    assert response.status_code == 302
    plan = Plan.objects.get(code="internet-2000")
    assert response.url == reverse("backoffice:catalog_plan", args=["internet-2000"])
    assert plan.monthly_price_cents == 11000
    assert (plan.download_mbps, plan.upload_mbps) == (2000, 200)
    assert plan.is_active is False
    assert not plan.service_areas.exists()
    event = AuditEvent.objects.get(action="catalog.plan_created")
    assert event.actor_label == "ada"
    assert event.data["code"] == "internet-2000"
    assert event.data["changes"]["monthly_price_cents"] == {"before": None, "after": 11000}
    page = visible_text(admin.get(response.url).content.decode())
    assert "Added a plan" in page
    assert "Sold nowhere" in page


def test_an_internet_plan_cannot_go_on_sale_before_its_label(admin, shop):
    response = admin.post(reverse("backoffice:catalog_plan_new"), new_plan_form(is_active="on"))
    assert response.status_code == 400
    assert "once it has its broadband facts label" in field_errors(
        response.content.decode(), "is_active"
    )
    assert not Plan.objects.filter(code="internet-2000").exists()
    faster = shop.catalog.faster
    Plan.objects.filter(pk=faster.pk).update(is_active=False)
    faster.refresh_from_db()
    url = reverse("backoffice:catalog_plan_edit", args=[faster.code])
    response = admin.post(url, plan_edit_form(faster, is_active="on", download_mbps=1000))
    assert response.status_code == 400
    faster.refresh_from_db()
    assert faster.is_active is False
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"code": "Internet 2000!"}, "code", "Enter a valid"),
        ({"code": "internet-500"}, "code", "Codes are never reused"),
        ({"monthly_price": "-5"}, "monthly_price", "Enter an amount in dollars"),
        ({"monthly_price": "12.345"}, "monthly_price", "at most 2 decimals"),
        ({"name": ""}, "name", "This field is required"),
        ({"download_mbps": ""}, "download_mbps", "Enter the download speed"),
        ({"kind": "tv"}, "download_mbps", "Only internet plans have speeds"),
        ({"kind": "internet", "price_per_gb": "2"}, "price_per_gb", "Only mobile plans"),
    ],
)
def test_bad_input_names_its_field_and_adds_nothing(admin, shop, changes, field, reason):
    before = Plan.objects.count()
    response = admin.post(reverse("backoffice:catalog_plan_new"), new_plan_form(**changes))
    assert response.status_code == 400
    assert reason in field_errors(response.content.decode(), field)
    assert Plan.objects.count() == before
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_a_retired_plans_code_is_never_given_to_a_new_plan(admin, shop):
    Plan.objects.filter(pk=shop.catalog.faster.pk).update(is_active=False)
    response = admin.post(
        reverse("backoffice:catalog_plan_new"), new_plan_form(code="internet-1000")
    )
    assert response.status_code == 400
    assert Plan.objects.get(code="internet-1000").name == "Internet 1000"


def test_an_edit_changes_words_and_sale_never_the_price_and_is_audited(admin, shop):
    plan = shop.catalog.internet
    url = reverse("backoffice:catalog_plan_edit", args=[plan.code])
    page = visible_text(admin.get(url).content.decode())
    assert "The monthly price of $70.00 is not changed here" in page
    assert 'under "Prices"' in page
    form = plan_edit_form(
        plan,
        name="Internet Ultra 500",
        name_es="Internet Ultra 500",
        download_mbps=500,
        upload_mbps=50,
        monthly_price="1.00",  # not a field of the edit form: ignored
    )
    response = admin.post(url, form)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "Internet Ultra 500"
    assert plan.monthly_price_cents == 7000
    event = AuditEvent.objects.get(action="catalog.plan_changed")
    assert event.data["changes"]["name"] == {
        "before": "Internet 500",
        "after": "Internet Ultra 500",
    }
    assert event.data["changes"]["download_mbps"] == {"before": None, "after": 500}
    assert "monthly_price_cents" not in event.data["changes"]


def test_an_edit_that_changes_nothing_records_nothing(admin, shop):
    plan = shop.catalog.internet
    Plan.objects.filter(pk=plan.pk).update(download_mbps=500, upload_mbps=50)
    plan.refresh_from_db()
    url = reverse("backoffice:catalog_plan_edit", args=[plan.code])
    response = admin.post(url, plan_edit_form(plan), follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert not AuditEvent.objects.filter(action="catalog.plan_changed").exists()


def test_bad_input_on_an_edit_changes_nothing(admin, shop):
    plan = shop.catalog.tv
    url = reverse("backoffice:catalog_plan_edit", args=[plan.code])
    response = admin.post(url, plan_edit_form(plan, name="", data_allowance_gb=50))
    assert response.status_code == 400
    assert "This field is required" in field_errors(response.content.decode(), "name")
    response = admin.post(url, plan_edit_form(plan, name="TV Max", sort_order=70000))
    assert response.status_code == 400
    assert "Enter a whole number from 0 to 32767" in field_errors(
        response.content.decode(), "sort_order"
    )
    plan.refresh_from_db()
    assert plan.name == "TV Essentials"
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_a_retired_plan_leaves_the_customers_plans_page_and_stays_for_its_subscribers(admin, shop):
    customer = make_customer(username="sub")
    subscribe(account=customer.account, plan=shop.catalog.tv)
    plan = shop.catalog.tv
    url = reverse("backoffice:catalog_plan_edit", args=[plan.code])
    form = plan_edit_form(plan)
    del form["is_active"]
    assert admin.post(url, form).status_code == 302
    assert "TV Essentials" not in _plans_page_for(shop.areas.riverbend)
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert customer.account.subscriptions.filter(plan=plan).exists()


def test_availability_shows_and_hides_a_plan_at_the_customers_address(admin, shop):
    faster = shop.catalog.faster  # sold in Riverbend only
    assert "Internet 1000" not in _plans_page_for(shop.areas.hills)
    url = reverse("backoffice:catalog_plan_areas", args=[faster.code])
    areas = [shop.areas.riverbend.pk, shop.areas.hills.pk]
    assert admin.post(url, {"areas": areas}).status_code == 302
    assert "Internet 1000" in _plans_page_for(shop.areas.hills)
    event = AuditEvent.objects.get(action="catalog.plan_areas_changed")
    assert event.data == {"code": "internet-1000", "added": ["hills"], "removed": []}
    assert admin.post(url, {}).status_code == 302  # sold nowhere
    assert not faster.service_areas.exists()
    assert AuditEvent.objects.filter(action="catalog.plan_areas_changed").count() == 2


def test_an_unknown_area_is_refused_and_changes_nothing(admin, shop):
    faster = shop.catalog.faster
    url = reverse("backoffice:catalog_plan_areas", args=[faster.code])
    response = admin.post(url, {"areas": [999999]})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "areas")
    assert list(faster.service_areas.all()) == [shop.areas.riverbend]


def test_a_promotion_is_added_and_shows_on_the_customers_plans_page(admin, shop):
    plan = shop.catalog.faster
    url = reverse("backoffice:catalog_promotion_new", args=[plan.code])
    form = {
        "code": "gig-deal",
        "name": "Gig deal",
        "name_es": "Oferta giga",
        "monthly_price": "60",
        "duration_months": "6",
        "is_active": "on",
    }
    assert admin.post(url, form).status_code == 302
    promotion = Promotion.objects.get(code="gig-deal")
    assert (promotion.plan_id, promotion.monthly_price_cents) == (plan.pk, 6000)
    assert AuditEvent.objects.filter(action="catalog.promotion_created").exists()
    page = _plans_page_for(shop.areas.riverbend)
    assert "For 6 months, then $90.00 a month" in page


def test_a_promotion_must_be_cheaper_than_the_plan(admin, shop):
    url = reverse("backoffice:catalog_promotion_new", args=[shop.catalog.faster.code])
    form = {"code": "no-deal", "name": "No deal", "monthly_price": "95", "duration_months": "3"}
    response = admin.post(url, form)
    assert response.status_code == 400
    assert "lower than the plan's price of $90.00" in field_errors(
        response.content.decode(), "monthly_price"
    )
    assert not Promotion.objects.filter(code="no-deal").exists()


def test_a_promotion_customers_have_keeps_its_terms_but_can_go_off_offer(admin, shop):
    promotion = shop.catalog.promotion
    customer = make_customer(username="deal")
    subscribe(account=customer.account, plan=shop.catalog.internet, promotion=promotion)
    url = reverse("backoffice:catalog_promotion_edit", args=[promotion.pk])
    form = {
        "name": "Spring offer",
        "name_es": "Oferta de primavera",
        "monthly_price": "40.00",
        "duration_months": "3",
    }
    response = admin.post(url, {**form, "is_active": "on"})
    assert response.status_code == 400
    assert "Customers already have this promotion" in field_errors(
        response.content.decode(), "monthly_price"
    )
    promotion.refresh_from_db()
    assert promotion.monthly_price_cents == 4500
    response = admin.post(url, {**form, "monthly_price": "45.00"})  # off offer
    assert response.status_code == 302
    promotion.refresh_from_db()
    assert promotion.is_active is False
    event = AuditEvent.objects.get(action="catalog.promotion_changed")
    assert event.data["changes"] == {"is_active": {"before": True, "after": False}}


def test_a_promotion_nobody_has_yet_can_change_its_terms(admin, shop):
    promotion = shop.catalog.promotion
    url = reverse("backoffice:catalog_promotion_edit", args=[promotion.pk])
    form = {"name": "Spring offer", "monthly_price": "39.99", "duration_months": "4"}
    assert admin.post(url, {**form, "is_active": "on"}).status_code == 302
    promotion.refresh_from_db()
    assert (promotion.monthly_price_cents, promotion.duration_months) == (3999, 4)


@pytest.mark.parametrize(
    ("plan_name", "shown", "left_out"),
    [
        ("internet", {"download_mbps", "data_allowance_gb"}, {"price_per_gb"}),
        ("tv", set(), {"download_mbps", "upload_mbps", "data_allowance_gb", "price_per_gb"}),
    ],
)
def test_a_plans_form_asks_only_what_its_kind_has(admin, shop, plan_name, shown, left_out):
    plan = getattr(shop.catalog, plan_name)
    html = admin.get(reverse("backoffice:catalog_plan_edit", args=[plan.code])).content.decode()
    for name in shown:
        assert f'name="{name}"' in html, name
    for name in left_out:
        assert f'name="{name}"' not in html, name
    assert 'name="monthly_price"' not in html


def test_pages_of_unknown_plans_are_404(admin, shop):
    assert admin.get(reverse("backoffice:catalog_plan", args=["nope"])).status_code == 404
    url = reverse("backoffice:catalog_plan_line_up", args=[shop.catalog.internet.code])
    assert admin.get(url).status_code == 404  # an internet plan has no channels
    url = reverse("backoffice:catalog_label", args=[shop.catalog.tv.code])
    assert admin.get(url).status_code == 404  # a TV plan has no label
