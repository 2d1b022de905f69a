"""Push notification devices from the mobile app (or any API client): the key, the
list, turning a device on and off; the same rules as the web page, and nobody reaches
another person's devices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from dropline.notifications import push_subscriptions as push
from dropline.notifications.categories import Category
from dropline.notifications.channels.vapid import application_server_key
from dropline.notifications.models import PushSubscription
from dropline.notifications.tasks import deliver_due
from tests.support.app_client import App
from tests.support.factories import Customer, make_customer
from tests.support.notifications import send_notice
from tests.support.push import subscribe_browser, use_local_push
from tests.support.push_service import PushServiceStub, public_key_of, running_push_service

pytestmark = pytest.mark.django_db

KEY = "/api/v1/push/key"
DEVICES = "/api/v1/push/subscriptions"


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushServiceStub]:
    use_local_push(settings)
    with running_push_service() as stub:
        yield stub


@pytest.fixture
def maria() -> Customer:
    return make_customer(username="maria")


@pytest.fixture
def app(maria: Customer) -> App:
    return App("maria", reauthenticated=False)


def test_the_key_is_the_one_messages_are_signed_with(app, settings, push_service):
    response = app.get(KEY)
    assert response.status_code == 200
    assert response.json() == {"public_key": public_key_of(settings.DROPLINE_VAPID_PRIVATE_KEY)}


def test_an_app_turns_push_on_and_gets_notifications(app, maria, push_service):
    browser = push_service.subscribe(app.get(KEY).json()["public_key"])

    created = app.post(DEVICES, browser)
    again = app.post(DEVICES, browser)

    assert created.status_code == 201
    device = created.json()
    assert device["device"] == "Mobile app on Android"
    assert device["last_delivered_at"] is None
    assert device["working"] is True
    assert again.status_code == 200
    assert again.json()["id"] == device["id"]

    send_notice(user=maria.user, category=Category.OUTAGES)
    deliver_due()
    [payload] = push_service.payloads(browser["endpoint"])
    assert set(payload) == {"title", "body", "url", "tag"}
    [listed] = app.get(DEVICES).json()
    assert listed["id"] == device["id"]
    assert listed["last_delivered_at"] is not None


def test_the_list_is_only_mine_newest_first(app, maria, push_service):
    first = subscribe_browser(maria.user, push_service)
    second = subscribe_browser(maria.user, push_service)
    other = make_customer(username="otto")
    subscribe_browser(other.user, push_service)
    assert [d["id"] for d in app.get(DEVICES).json()] == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: {**b, "endpoint": "https://push.example.net/abc"}, "endpoint"),
        (lambda b: {**b, "endpoint": "ftp://127.0.0.1/abc"}, "endpoint"),
        # right lengths and alphabet (the schema's), but not a point on the curve
        (lambda b: {**b, "keys": {**b["keys"], "p256dh": "B" + "A" * 86}}, "keys.p256dh"),
        (lambda b: {**b, "keys": {**b["keys"], "auth": "A" * 23}}, "keys.auth"),
    ],
)
def test_refusals_are_400_naming_the_field(app, push_service, change, field):
    response = app.post(DEVICES, change(push_service.subscribe(application_server_key())))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"endpoint": "https://fcm.googleapis.com/x"},
        {"endpoint": "https://fcm.googleapis.com/x", "keys": {"p256dh": "short", "auth": "x"}},
        {"endpoint": "", "keys": {"p256dh": "B" * 87, "auth": "A" * 22}},
    ],
)
def test_bodies_the_schema_refuses_are_422(app, body):
    response = app.post(DEVICES, body)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_too_many_devices_is_409(app, maria, push_service):
    for _ in range(push.MAX_DEVICES):
        subscribe_browser(maria.user, push_service)
    response = app.post(DEVICES, push_service.subscribe(application_server_key()))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "endpoint"


def test_removing_mine_and_not_anyone_elses(app, maria, push_service):
    mine = subscribe_browser(maria.user, push_service)
    other = make_customer(username="otto")
    theirs = subscribe_browser(other.user, push_service)

    assert app.delete(f"{DEVICES}/{theirs.pk}").status_code == 404
    assert app.delete(f"{DEVICES}/{mine.pk}").status_code == 204
    assert app.delete(f"{DEVICES}/{mine.pk}").status_code == 404
    assert list(PushSubscription.objects.all()) == [theirs]


def test_the_preferences_have_a_push_channel(app):
    grid = {
        row["category"]: row["channels"]
        for row in app.get("/api/v1/notification-preferences").json()
    }
    assert grid["billing"]["push"] is True
    assert grid["offers"]["push"] is False
    changed = app.put(
        "/api/v1/notification-preferences", {"preferences": {"billing": {"push": False}}}
    )
    assert {r["category"]: r["channels"] for r in changed.json()}["billing"]["push"] is False


def test_the_browser_session_needs_csrf(maria, push_service):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(maria.user)
    response = strict.post(
        DEVICES,
        push_service.subscribe(application_server_key()),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_operations_are_documented(client):
    spec = client.get("/api/v1/openapi.json").json()
    ids = {
        operation["operationId"] for path in spec["paths"].values() for operation in path.values()
    }
    assert {
        "dropline_api_push_public_key",
        "dropline_api_push_subscriptions",
        "dropline_api_push_subscribe",
        "dropline_api_push_unsubscribe",
    } <= ids
    post = spec["paths"]["/api/v1/push/subscriptions"]["post"]
    assert {"200", "201", "400", "409"} <= set(post["responses"])
