"""Catalog prices in the back-office: administrators see every item's price now and the
next one, schedule a new price (errors name the field, nothing is written), apply it
to subscribers and watch it go, cancel one still to come; everyone else gets 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.catalog.models import ApplyStatus, ScheduledPrice, ScheduledPriceStatus
from dropline.catalog.price_book import ITEM_MODELS
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.notifications.models import Message
from dropline.subscriptions.models import SubscriptionPrice
from dropline.subscriptions.repricing import schedule
from tests.support.prices import NEW_CENTS, NOW, RISE_ON, TODAY, catalog_with_subscribers
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(make_staff(username="pricer", role=roles.ADMINISTRATOR))
    return client


def _pk(code: str, kind: str) -> int:
    return ITEM_MODELS[kind].objects.get(code=code).pk


def _item_url(code: str = "internet-500", kind: str = "plan") -> str:
    return reverse("backoffice:price_item", args=[kind, _pk(code, kind)])


def _schedule_url(code: str = "internet-500", kind: str = "plan") -> str:
    return reverse("backoffice:price_schedule", args=[kind, _pk(code, kind)])


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "effective_on": RISE_ON.isoformat(),
        "price": "80.00",
        "reason": "Network investment",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_shows_each_item_with_its_price_and_the_next_one(admin):
    catalog, _ = catalog_with_subscribers(1)
    with clock.frozen(NOW):
        schedule(
            item=catalog.internet, effective_on=RISE_ON, monthly_price_cents=8000, reason="Rise"
        )
        text = visible_text(admin.get(reverse("backoffice:prices")).content.decode())
    assert "Internet 500" in text
    assert "$70.00" in text
    assert "$80.00 from April 20, 2026" in text
    assert "Wi-Fi boost" in text
    assert "Arris SB8200" in text
    assert "None scheduled" in text
    assert "Catalog prices" in text  # the navigation entry


def test_scheduling_for_new_orders_is_audited_and_listed(admin):
    catalog_with_subscribers(1)
    with clock.frozen(NOW):
        response = admin.post(_schedule_url(), _form())
        assert response.status_code == 302
        assert response.url == _item_url()
        text = visible_text(admin.get(_item_url()).content.decode())
    scheduled = ScheduledPrice.objects.get()
    assert scheduled.monthly_price_cents == NEW_CENTS
    assert scheduled.scheduled_by is not None
    assert scheduled.scheduled_by.username == "pricer"
    assert not scheduled.applies_to_subscribers
    assert "Internet 500 costs $80.00 a month from April 20, 2026." in text
    assert "Keep their price" in text
    event = AuditEvent.objects.get(action="catalog.price_scheduled")
    assert event.actor_label == "pricer"
    assert not SubscriptionPrice.objects.filter(effective_on=RISE_ON).exists()
    assert not Message.objects.exists()


def test_applying_to_subscribers_shows_the_job_and_its_figures(
    admin, django_capture_on_commit_callbacks
):
    catalog_with_subscribers(2)
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        response = admin.post(_schedule_url(), _form(applies_to_subscribers="on"))
    scheduled = ScheduledPrice.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:scheduled_price", args=[scheduled.pk])
    with clock.frozen(NOW):
        text = visible_text(admin.get(response.url).content.decode())
        progress = admin.get(
            reverse("backoffice:scheduled_price_progress", args=[scheduled.pk])
        ).json()
    assert "Applied to subscribers" in text
    assert "Services changed 2" in text
    assert progress["running"] is False
    assert progress["status"] == ApplyStatus.DONE
    assert progress["services_changed"] == 2
    assert progress["chunks_done"] == progress["chunks_total"] == 1
    assert SubscriptionPrice.objects.filter(effective_on=RISE_ON).count() == 2
    assert Message.objects.filter(event="price_change_notice").count() >= 2


def test_a_running_job_page_carries_the_live_progress(admin):
    catalog, _ = catalog_with_subscribers(1)
    with clock.frozen(NOW):
        scheduled = schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Rise",
            applies_to_subscribers=True,
            queue=False,
        )
        page = admin.get(reverse("backoffice:scheduled_price", args=[scheduled.pk]))
    html = page.content.decode()
    assert 'data-progress-url="' in html
    assert "bill_run.js" in html
    assert "0 of 1 chunks" in visible_text(html)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"effective_on": TODAY.isoformat()}, "effective_on", "day still to come"),
        (
            {"effective_on": (TODAY - dt.timedelta(days=1)).isoformat()},
            "effective_on",
            "day still to come",
        ),
        ({"effective_on": None}, "effective_on", "Choose the first day"),
        ({"price": "-5.00"}, "price", "Enter an amount in dollars"),
        ({"price": None}, "price", "Enter the new monthly price"),
        ({"reason": None}, "reason", "Say why the price changes"),
        (
            {
                "effective_on": (TODAY + dt.timedelta(days=10)).isoformat(),
                "applies_to_subscribers": "on",
            },
            "effective_on",
            "at least 30 days ahead: choose April 10, 2026 or later",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(admin, changes, field, words):
    catalog_with_subscribers(1)
    with clock.frozen(NOW):
        response = admin.post(_schedule_url(), _form(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert words in field_errors(html, field)
    assert "The price was not scheduled." in visible_text(html)
    assert not ScheduledPrice.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


def test_a_second_price_on_the_same_day_is_refused(admin):
    catalog_with_subscribers(1)
    with clock.frozen(NOW):
        admin.post(_schedule_url(), _form())
        response = admin.post(_schedule_url(), _form(price="85.00"))
    assert response.status_code == 400
    assert "already starts on that day" in field_errors(response.content.decode(), "effective_on")
    assert ScheduledPrice.objects.count() == 1


def test_add_ons_have_no_choice_to_apply_to_subscribers(admin):
    catalog_with_subscribers(1)
    with clock.frozen(NOW):
        html = admin.get(_item_url("boost", "add_on")).content.decode()
        response = admin.post(
            _schedule_url("boost", "add_on"), _form(price="6.00", applies_to_subscribers="on")
        )
    assert "applies_to_subscribers" not in html
    assert response.status_code == 302
    scheduled = ScheduledPrice.objects.get()
    assert scheduled.add_on is not None
    assert not scheduled.applies_to_subscribers


def test_canceling_a_price_to_come(admin):
    catalog_with_subscribers(1)
    with clock.frozen(NOW):
        admin.post(_schedule_url(), _form())
        scheduled = ScheduledPrice.objects.get()
        page = admin.get(_item_url()).content.decode()
        assert "Cancel the price from April 20, 2026" in visible_text(page)
        response = admin.post(reverse("backoffice:scheduled_price_cancel", args=[scheduled.pk]))
        assert response.status_code == 302
        text = visible_text(admin.get(response.url).content.decode())
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPriceStatus.CANCELLED
    assert "The new price of Internet 500 from April 20, 2026 is canceled." in text
    assert AuditEvent.objects.filter(action="catalog.price_canceled", actor_label="pricer").exists()


def test_a_price_told_to_subscribers_cannot_be_canceled(admin):
    catalog, _ = catalog_with_subscribers(1)
    with clock.frozen(NOW):
        scheduled = schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Rise",
            applies_to_subscribers=True,
            queue=False,
        )
        response = admin.post(
            reverse("backoffice:scheduled_price_cancel", args=[scheduled.pk]), follow=True
        )
    assert "Subscribers have been told about this price change" in visible_text(
        response.content.decode()
    )
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPriceStatus.SCHEDULED


def test_unknown_items_are_not_found(admin):
    catalog_with_subscribers(1)
    plan = _pk("internet-500", "plan")
    assert admin.get(reverse("backoffice:price_item", args=["plan", 99999])).status_code == 404
    assert admin.get(reverse("backoffice:price_item", args=["gadget", plan])).status_code == 404
    assert admin.get(reverse("backoffice:scheduled_price", args=[999])).status_code == 404


def test_the_pages_are_in_spanish(admin):
    catalog_with_subscribers(1)
    admin.cookies["django_language"] = "es"
    with clock.frozen(NOW):
        text = visible_text(admin.get(_item_url()).content.decode())
    assert "Programar un nuevo precio" in text
    assert "Nuevo precio mensual" in text


@pytest.mark.parametrize("role", [roles.BILLING, roles.CUSTOMER_CARE, roles.FIELD_DISPATCH, None])
def test_everyone_but_administrators_is_refused(client, role):
    catalog, _ = catalog_with_subscribers(1)
    with clock.frozen(NOW):
        scheduled = schedule(
            item=catalog.internet, effective_on=RISE_ON, monthly_price_cents=8000, reason="Rise"
        )
    client.force_login(make_staff(username="other", role=role))
    urls = [
        reverse("backoffice:prices"),
        _item_url(),
        reverse("backoffice:scheduled_price", args=[scheduled.pk]),
        reverse("backoffice:scheduled_price_progress", args=[scheduled.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    with clock.frozen(NOW):
        assert client.post(_schedule_url(), _form(effective_on="2026-05-01")).status_code == 403
        cancel = reverse("backoffice:scheduled_price_cancel", args=[scheduled.pk])
        assert client.post(cancel).status_code == 403
    assert ScheduledPrice.objects.count() == 1
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPriceStatus.SCHEDULED
    home = visible_text(client.get(reverse("backoffice:home")).content.decode())
    assert "Catalog prices" not in home


def test_anonymous_visitors_go_to_the_staff_sign_in(client):
    response = client.get(reverse("backoffice:prices"))
    assert response.status_code == 302
    assert "/backoffice/login/" in response.url
