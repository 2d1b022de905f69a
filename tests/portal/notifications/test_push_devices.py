"""The push notification pages: the devices list, turning this browser on (the page
script's POST), removing a device, a test notification, and the push column of the
settings grid."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dropline.core import clock
from dropline.notifications import push_subscriptions as push
from dropline.notifications.categories import Category, Channel
from dropline.notifications.channels.vapid import application_server_key
from dropline.notifications.models import Message, PushSubscription
from dropline.notifications.preferences import preference_grid
from dropline.notifications.tasks import deliver_due
from tests.support.factories import Customer, make_customer
from tests.support.push import (
    CHROME_ON_ANDROID,
    FIREFOX_ON_WINDOWS,
    subscribe_browser,
    use_local_push,
)
from tests.support.push_service import PushServiceStub, running_push_service

pytestmark = pytest.mark.django_db

DEVICES = reverse("notifications:push_devices")
SUBSCRIBE = reverse("notifications:push_subscribe")
TEST = reverse("notifications:push_test")
SETTINGS = reverse("notifications:preferences")


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushServiceStub]:
    use_local_push(settings)
    with running_push_service() as stub:
        yield stub


@pytest.fixture
def rosa(client: Client) -> Customer:
    customer = make_customer(username="rosa")
    client.force_login(customer.user)
    return customer


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _post_subscription(client: Client, body: Any, **headers: str):
    """``headers`` by their HTTP names with underscores (``User_Agent="..."``)."""
    return client.post(
        SUBSCRIBE,
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        headers={name.replace("_", "-"): value for name, value in headers.items()},
    )


def _found(pattern: str, html: str) -> str:
    match = re.search(pattern, html)
    assert match is not None, pattern
    return match.group(0)


def test_the_page_lists_my_devices_and_not_anyone_elses(client, rosa, push_service):
    phone = subscribe_browser(rosa.user, push_service)
    subscribe_browser(rosa.user, push_service, user_agent=FIREFOX_ON_WINDOWS)
    other = make_customer(username="otto")
    subscribe_browser(
        other.user,
        push_service,
        user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    )
    PushSubscription.objects.filter(pk=phone.pk).update(last_success_at=clock.now())

    html = _page(client.get(DEVICES))

    assert "Chrome on Android" in html
    assert "Firefox on Windows" in html
    assert "Safari on macOS" not in html
    assert html.count('class="contact card') == 2
    assert f'data-key="{application_server_key()}"' in html
    assert "None yet" in html  # the laptop never got one
    assert phone.endpoint not in html  # only its hash, for the script
    assert "Send a test notification" in html
    assert re.search(r'<script src="[^"]*dropline/push\.js" defer></script>', html)
    assert "<script>" not in html
    # without the script: the button is hidden and the page says what is needed
    assert re.search(r'<form id="push-form"[^>]*hidden>', html)
    assert "turn on JavaScript for this site" in html


def test_with_no_device_the_page_says_so_and_offers_no_test(client, rosa):
    html = _page(client.get(DEVICES))
    assert "No device gets push notifications yet." in html
    assert "Send a test notification" not in html


def test_the_page_in_spanish(client, rosa, push_service):
    subscribe_browser(rosa.user, push_service)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    html = _page(client.get(DEVICES))
    assert "Dispositivos que reciben notificaciones push" in html
    assert "Chrome en Android" in html
    assert "Enviar una notificación de prueba" in html


def test_the_script_turns_this_browser_on(client, rosa, push_service):
    browser = push_service.subscribe(application_server_key())

    first = _post_subscription(client, browser, User_Agent=CHROME_ON_ANDROID)
    again = _post_subscription(client, browser, User_Agent=CHROME_ON_ANDROID)

    assert first.status_code == 201
    assert first.json()["device"] == "Chrome on Android"
    assert again.status_code == 200
    assert again.json() == {**first.json(), "created": False}
    [device] = PushSubscription.objects.filter(user=rosa.user)
    assert device.endpoint == browser["endpoint"]
    html = _page(client.get(DEVICES))
    assert "Push notifications are on for Chrome on Android." in html


def test_turning_on_needs_the_csrf_token(rosa, push_service):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(rosa.user)
    browser = push_service.subscribe(application_server_key())
    refused = _post_subscription(strict, browser)
    assert refused.status_code == 403
    page = strict.get(DEVICES).content.decode()
    token = _found(r'name="csrfmiddlewaretoken" value="[^"]+"', page).split('"')[3]
    assert _post_subscription(strict, browser, X_CSRFToken=token).status_code == 201
    assert PushSubscription.objects.filter(user=rosa.user).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: "not json", "body"),
        (lambda b: [b], "body"),
        (lambda b: {**b, "endpoint": None}, "endpoint"),
        (lambda b: {**b, "keys": {"auth": b["keys"]["auth"]}}, "keys.p256dh"),
        (lambda b: {**b, "keys": {**b["keys"], "auth": ""}}, "keys.auth"),
        (lambda b: {**b, "endpoint": "https://push.example.net/x"}, "endpoint"),
        (lambda b: {**b, "keys": {**b["keys"], "p256dh": "BAAA"}}, "keys.p256dh"),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field(client, rosa, push_service, change, field):
    browser = push_service.subscribe(application_server_key())
    response = _post_subscription(client, change(browser))
    assert response.status_code == 400
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"]
    assert not PushSubscription.objects.exists()


def test_the_eleventh_device_is_refused_with_409(client, rosa, push_service):
    for _ in range(push.MAX_DEVICES):
        subscribe_browser(rosa.user, push_service)
    response = _post_subscription(client, push_service.subscribe(application_server_key()))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "endpoint"
    assert "up to 10 devices" in _page(client.get(DEVICES))


def test_removing_a_device(client, rosa, push_service):
    phone = subscribe_browser(rosa.user, push_service)
    kept = subscribe_browser(rosa.user, push_service, user_agent=FIREFOX_ON_WINDOWS)
    remove = reverse("notifications:push_remove", args=[phone.pk])

    assert client.get(remove).status_code == 405
    response = client.post(remove, follow=True)

    assert "Chrome on Android no longer gets push notifications." in _page(response)
    assert list(PushSubscription.objects.filter(user=rosa.user)) == [kept]
    assert client.post(remove).status_code == 404  # gone now


def test_a_device_that_stopped_working_says_so(client, rosa, push_service):
    phone = subscribe_browser(rosa.user, push_service)
    PushSubscription.objects.filter(pk=phone.pk).update(
        last_failure_at=clock.now(), last_failure="push service refused the message (403)"
    )
    html = _page(client.get(DEVICES))
    assert "Notifications are not reaching this device" in html


def test_a_test_notification_reaches_every_device(client, rosa, push_service):
    phone = subscribe_browser(rosa.user, push_service)
    response = client.post(TEST, follow=True)
    assert "We sent a test notification to your devices." in _page(response)
    deliver_due()
    [payload] = push_service.payloads(phone.endpoint)
    assert payload["url"] == DEVICES
    assert Message.objects.get(user=rosa.user, event=push.TEST_EVENT).status == "sent"


def test_test_notifications_are_limited(client, rosa, push_service):
    subscribe_browser(rosa.user, push_service)
    for _ in range(5):
        client.post(TEST)
    response = client.post(TEST, follow=True)
    assert "You have sent several test notifications. Try again in" in _page(response)
    assert Message.objects.filter(user=rosa.user, event=push.TEST_EVENT).count() == 5


def test_a_test_without_a_device_says_what_to_do(client, rosa):
    response = client.post(TEST, follow=True)
    assert "Turn on push notifications on a device first." in _page(response)
    assert not Message.objects.exists()


def test_the_settings_grid_has_a_push_column_that_saves(client, rosa):
    html = _page(client.get(SETTINGS))
    assert '<th scope="col" class="check">Push notification</th>' in html
    assert "Bills by push notification" in html
    assert reverse("notifications:push_devices") in html
    push_box = _found(r'<input[^>]*id="id_billing__push"[^>]*>', html)
    assert "checked" in push_box  # on by default, where the portal is
    offers_box = _found(r'<input[^>]*id="id_offers__push"[^>]*>', html)
    assert "checked" not in offers_box

    grid = preference_grid(user=rosa.user)
    grid[Category.BILLING][Channel.PUSH] = False
    data = {
        f"{category}__{channel}": "on"
        for category, channels in grid.items()
        for channel, on in channels.items()
        if on
    }
    client.post(SETTINGS, data)
    assert preference_grid(user=rosa.user)[Category.BILLING][Channel.PUSH] is False
    assert preference_grid(user=rosa.user)[Category.BILLING][Channel.EMAIL] is True
