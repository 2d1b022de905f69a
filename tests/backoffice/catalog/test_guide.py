"""Channels, line-ups, add-ons and equipment models in the back-office: an administrator
adds and corrects channels, chooses the channels of a TV plan or add-on (the customer's
channel finder answers from the new line-up at once), adds and renames add-ons and
equipment models at their first price (never a later one). Every change audited; bad
input names its field and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.catalog.models import AddOn, Channel, EquipmentModel
from dropline.core.models import AuditEvent
from dropline.subscriptions.ordering import subscribe
from tests.support.catalog_admin import Shop, make_shop
from tests.support.factories import make_customer
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    return make_shop()


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_staff(username="ada", role=roles.ADMINISTRATOR))
    return client


def _viewer(shop: Shop) -> Client:
    customer = make_customer(username="viewer")
    subscribe(account=customer.account, plan=shop.catalog.tv)
    client = Client()
    client.force_login(customer.user)
    return client


def _soccer() -> Channel:
    return Channel.objects.create(number=103, call_sign="SOCR", name="World Soccer", genre="sports")


def _finder(viewer: Client, query: str) -> str:
    return viewer.get("/channels/", {"q": query}).content.decode()


def test_a_channel_is_added_and_corrected_and_both_are_audited(admin, shop):
    url = reverse("backoffice:catalog_channel_new")
    form = {"number": "63", "call_sign": "actn", "name": "Action Movies", "genre": "movies"}
    assert admin.post(url, {**form, "is_hd": "on"}).status_code == 302
    channel = Channel.objects.get(number=63)
    assert channel.call_sign == "ACTN"
    url = reverse("backoffice:catalog_channel_edit", args=[channel.pk])
    assert admin.post(url, {**form, "name": "Action Movies HD", "is_hd": "on"}).status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Action Movies HD"
    event = AuditEvent.objects.get(action="catalog.channel_changed")
    assert event.data["changes"] == {
        "name": {"before": "Action Movies", "after": "Action Movies HD"}
    }
    assert AuditEvent.objects.filter(action="catalog.channel_created").count() == 1
    text = visible_text(admin.get(reverse("backoffice:catalog_channels")).content.decode())
    assert "Action Movies HD" in text


def test_a_channel_number_is_never_shared(admin, shop):
    url = reverse("backoffice:catalog_channel_new")
    form = {"number": "4", "call_sign": "DUP", "name": "Duplicate", "genre": "local"}
    response = admin.post(url, form)
    assert response.status_code == 400
    assert "already has this number" in field_errors(response.content.decode(), "number")
    assert Channel.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_the_channel_finder_follows_a_plans_line_up(admin, shop):
    soccer = Channel.objects.create(
        number=103, call_sign="SOCR", name="World Soccer", genre="sports"
    )
    viewer = _viewer(shop)
    assert "Included in your package" not in _finder(viewer, "soccer")
    url = reverse("backoffice:catalog_plan_line_up", args=[shop.catalog.tv.code])
    channels = [shop.channel.pk, soccer.pk]
    assert admin.post(url, {"channels": channels}).status_code == 302
    assert "Included in your package" in _finder(viewer, "soccer")
    event = AuditEvent.objects.get(action="catalog.plan_line_up_changed")
    assert event.data == {"code": "tv", "added": [103], "removed": []}
    assert admin.post(url, {"channels": [soccer.pk]}).status_code == 302
    assert "Included in your package" not in _finder(viewer, "valley")


def test_the_channel_finder_follows_an_add_ons_line_up(admin, shop):
    soccer = Channel.objects.create(
        number=103, call_sign="SOCR", name="World Soccer", genre="sports"
    )
    viewer = _viewer(shop)
    assert "Sports pack" not in _finder(viewer, "soccer")
    url = reverse("backoffice:catalog_add_on_line_up", args=[shop.catalog.sports.code])
    assert admin.post(url, {"channels": [soccer.pk]}).status_code == 302
    page = _finder(viewer, "soccer")
    assert "Add Sports pack for $12.00 a month." in page
    assert AuditEvent.objects.filter(action="catalog.add_on_line_up_changed").exists()


def test_an_unknown_channel_in_a_line_up_changes_nothing(admin, shop):
    url = reverse("backoffice:catalog_plan_line_up", args=[shop.catalog.tv.code])
    response = admin.post(url, {"channels": [shop.channel.pk, 999999]})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "channels")
    assert list(shop.catalog.tv.channels.all()) == [shop.channel]


def test_an_add_on_is_added_at_its_first_price_and_renamed_without_its_price(admin, shop):
    url = reverse("backoffice:catalog_add_on_new")
    form = {
        "code": "dvr",
        "kind": "tv",
        "name": "Cloud DVR",
        "name_es": "DVR en la nube",
        "monthly_price": "4.99",
        "is_active": "on",
    }
    assert admin.post(url, form).status_code == 302
    add_on = AddOn.objects.get(code="dvr")
    assert add_on.monthly_price_cents == 499
    url = reverse("backoffice:catalog_add_on_edit", args=["dvr"])
    page = visible_text(admin.get(url).content.decode())
    assert "The monthly price of $4.99 is not changed here" in page
    edit = {"name": "Cloud DVR Plus", "name_es": "DVR Plus", "monthly_price": "0.01"}
    assert admin.post(url, edit).status_code == 302  # and off sale
    add_on.refresh_from_db()
    assert (add_on.name, add_on.is_active, add_on.monthly_price_cents) == (
        "Cloud DVR Plus",
        False,
        499,
    )
    event = AuditEvent.objects.get(action="catalog.add_on_changed")
    assert set(event.data["changes"]) == {"name", "name_es", "is_active"}


def test_an_add_on_code_is_never_reused(admin, shop):
    url = reverse("backoffice:catalog_add_on_new")
    form = {"code": "boost", "kind": "internet", "name": "Boost 2", "monthly_price": "1"}
    response = admin.post(url, form)
    assert response.status_code == 400
    assert "Codes are never reused" in field_errors(response.content.decode(), "code")
    assert AddOn.objects.get(code="boost").name == "Wi-Fi boost"


def test_an_equipment_model_is_added_and_corrected(admin, shop):
    url = reverse("backoffice:catalog_equipment_new")
    form = {
        "code": "gw-xb9",
        "kind": "gateway",
        "manufacturer": "Technicolor",
        "model_name": "XB9",
        "monthly_rental": "15.00",
    }
    assert admin.post(url, form).status_code == 302
    model = EquipmentModel.objects.get(code="gw-xb9")
    assert model.monthly_rental_cents == 1500
    url = reverse("backoffice:catalog_equipment_edit", args=["gw-xb9"])
    edit = {
        "kind": "gateway",
        "manufacturer": "Vantiva",
        "model_name": "XB9",
        "monthly_rental": "1",
    }
    assert admin.post(url, edit).status_code == 302
    model.refresh_from_db()
    assert (model.manufacturer, model.monthly_rental_cents) == ("Vantiva", 1500)
    assert AuditEvent.objects.filter(action="catalog.equipment_model_changed").count() == 1
    text = visible_text(admin.get(reverse("backoffice:catalog_equipment")).content.decode())
    assert "Vantiva XB9" in text
    assert "$15.00" in text


def test_bad_equipment_input_names_its_field(admin, shop):
    url = reverse("backoffice:catalog_equipment_new")
    form = {
        "code": "x1",
        "kind": "toaster",
        "manufacturer": "A",
        "model_name": "B",
        "monthly_rental": "abc",
    }
    response = admin.post(url, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "kind")
    assert "Enter an amount in dollars" in field_errors(html, "monthly_rental")
    assert not EquipmentModel.objects.filter(code="x1").exists()
