"""Turning push notifications on for a browser: what is accepted, what is refused, and
who a browser belongs to."""

from __future__ import annotations

import pytest

from dropline.core.ratelimit import ThrottledError
from dropline.notifications import push_subscriptions as push
from dropline.notifications.categories import Channel
from dropline.notifications.models import Message, PushSubscription
from dropline.notifications.tasks import deliver_due
from tests.support.notifications import make_person
from tests.support.push import CHROME_ON_ANDROID, SWEEP_KEYS, subscribe_browser

pytestmark = pytest.mark.django_db

FCM = "https://fcm.googleapis.com/fcm/send/abc123"


def _browser(endpoint: str = FCM, **keys: str) -> push.BrowserSubscription:
    return push.BrowserSubscription(endpoint=endpoint, **{**SWEEP_KEYS, **keys})


def _refusal(user, browser: push.BrowserSubscription) -> tuple[str, str]:
    with pytest.raises(push.PushSubscriptionError) as refused:
        push.subscribe(user=user, browser=browser, user_agent=CHROME_ON_ANDROID)
    return refused.value.field, str(refused.value)


def test_a_browser_on_a_known_push_service_is_added_with_its_device_name():
    person = make_person(username="addme")
    subscription, created = push.subscribe(
        user=person.user, browser=_browser(), user_agent=CHROME_ON_ANDROID
    )
    assert created
    assert (subscription.browser, subscription.os) == ("Chrome", "Android")
    assert subscription.endpoint == FCM
    for endpoint in (
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAAB",
    ):
        push.subscribe(user=person.user, browser=_browser(endpoint), user_agent="")
    assert PushSubscription.objects.filter(user=person.user).count() == 4


def test_the_same_browser_again_changes_nothing_but_its_keys():
    person = make_person(username="again")
    first, _ = push.subscribe(user=person.user, browser=_browser(), user_agent=CHROME_ON_ANDROID)
    other_auth = "AAAAAAAAAAAAAAAAAAAAAA"
    again, created = push.subscribe(
        user=person.user, browser=_browser(auth=other_auth), user_agent=CHROME_ON_ANDROID
    )
    assert not created
    assert again.pk == first.pk
    assert again.auth == other_auth
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("endpoint", "field"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "endpoint"),
        ("https://push.example.net/abc", "endpoint"),
        ("https://fcm.googleapis.com.evil.test/abc", "endpoint"),
        ("https://10.0.0.5/admin", "endpoint"),
        ("https://user:pw@fcm.googleapis.com/abc", "endpoint"),
        ("http://127.0.0.1:8000/push/x", "endpoint"),
        ("https://localhost/push/x", "endpoint"),
        ("fcm.googleapis.com/abc", "endpoint"),
        ("https://fcm.googleapis.com/" + "a" * 1000, "endpoint"),
    ],
)
def test_endpoints_that_are_not_a_push_service_are_refused(endpoint, field):
    person = make_person(username="badend")
    assert _refusal(person.user, _browser(endpoint))[0] == field
    assert not PushSubscription.objects.exists()


def test_local_endpoints_are_taken_only_where_allowed(settings):
    person = make_person(username="local")
    settings.DROPLINE_PUSH_ALLOW_LOCAL = True
    local, _ = push.subscribe(
        user=person.user, browser=_browser("http://127.0.0.1:8123/push/x"), user_agent=""
    )
    assert local.endpoint == "http://127.0.0.1:8123/push/x"
    # still not an address anywhere else on the network
    assert _refusal(person.user, _browser("http://10.0.0.5/push/x"))[0] == "endpoint"


def test_the_message_names_a_push_service_it_does_not_know():
    person = make_person(username="named")
    _field, message = _refusal(person.user, _browser("https://push.example.net/abc"))
    assert message == (
        "This browser's push service (push.example.net) is not one we send notifications to."
    )


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"p256dh": "BAAA"}, "keys.p256dh"),
        ({"p256dh": "B" + "A" * 86}, "keys.p256dh"),  # 65 bytes, not a point on the curve
        ({"p256dh": "not base64 at all!"}, "keys.p256dh"),
        ({"auth": "AAAA"}, "keys.auth"),
        ({"auth": "A" * 40}, "keys.auth"),
    ],
)
def test_keys_that_cannot_encrypt_are_refused(keys, field):
    person = make_person(username="badkeys")
    assert _refusal(person.user, _browser(**keys)) == (
        field,
        "This browser's key is not one push notifications can use.",
    )


def test_a_browser_someone_else_turned_on_becomes_the_new_persons_with_the_same_keys():
    ann = make_person(username="annb")
    ned = make_person(username="nedb")
    annes, _ = push.subscribe(user=ann.user, browser=_browser(), user_agent=CHROME_ON_ANDROID)
    # Ned signs in on the same browser profile and turns notifications on: the browser
    # gives the same subscription.
    neds, created = push.subscribe(user=ned.user, browser=_browser(), user_agent=CHROME_ON_ANDROID)
    assert created
    assert neds.user == ned.user
    assert not PushSubscription.objects.filter(pk=annes.pk).exists()
    assert list(PushSubscription.objects.values_list("user_id", flat=True)) == [ned.user.pk]


def test_knowing_someone_elses_endpoint_is_not_enough_to_take_it():
    ann = make_person(username="annc")
    mallory = make_person(username="mallory")
    push.subscribe(user=ann.user, browser=_browser(), user_agent=CHROME_ON_ANDROID)
    field, message = _refusal(mallory.user, _browser(auth="AAAAAAAAAAAAAAAAAAAAAA"))
    assert field == "endpoint"
    assert message == "This browser is already set up for someone else."
    assert list(PushSubscription.objects.values_list("user_id", flat=True)) == [ann.user.pk]


def test_a_person_has_at_most_ten_devices():
    person = make_person(username="many")
    for n in range(push.MAX_DEVICES):
        push.subscribe(user=person.user, browser=_browser(f"{FCM}-{n}"), user_agent="")
    with pytest.raises(push.TooManyDevicesError) as refused:
        push.subscribe(user=person.user, browser=_browser(f"{FCM}-x"), user_agent="")
    assert refused.value.field == "endpoint"
    assert "Remove one" in str(refused.value)
    # one already on is still fine
    _, created = push.subscribe(user=person.user, browser=_browser(f"{FCM}-3"), user_agent="")
    assert not created
    assert PushSubscription.objects.filter(user=person.user).count() == push.MAX_DEVICES


def test_removing_a_device_stops_its_notifications():
    person = make_person(username="removes")
    subscription, _ = push.subscribe(user=person.user, browser=_browser(), user_agent="")
    push.remove(subscription=subscription)
    assert not PushSubscription.objects.exists()
    assert not push.has_devices(user=person.user)


def test_a_test_notification_goes_through_the_outbox_to_every_device(push_service):
    person = make_person(username="tester", email_address=None)
    phone = subscribe_browser(person.user, push_service)
    laptop = subscribe_browser(person.user, push_service)

    push.send_test(user=person.user, link="/notifications/push/")
    deliver_due()

    message = Message.objects.get(user=person.user, event=push.TEST_EVENT)
    assert message.channel == Channel.PUSH
    assert message.status == "sent"
    for device in (phone, laptop):
        [payload] = push_service.payloads(device.endpoint)
        assert payload["title"] == "Test notification from Dropline"
        assert payload["url"] == "/notifications/push/"
        assert payload["body"].startswith("Push notifications work on this device.")
    # no email, text or portal message for a test
    assert Message.objects.filter(user=person.user).count() == 1


def test_test_notifications_are_limited_and_need_a_device(push_service):
    lonely = make_person(username="lonely")
    with pytest.raises(push.NoDevicesError):
        push.send_test(user=lonely.user, link="/")
    person = make_person(username="eager", email_address=None)
    subscribe_browser(person.user, push_service)
    for _ in range(5):
        push.send_test(user=person.user, link="/")
    with pytest.raises(ThrottledError):
        push.send_test(user=person.user, link="/")
    assert Message.objects.filter(user=person.user, event=push.TEST_EVENT).count() == 5
