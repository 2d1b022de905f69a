"""Push notification devices for tests: settings that let a subscription point at the
local push service (``tests/support/push_service.py``), a browser subscribed through
the domain, and the cross-account sweep's device."""

from __future__ import annotations

from typing import Any

from dropline.accounts.models import User
from dropline.notifications import push_subscriptions
from dropline.notifications.channels.vapid import application_server_key
from dropline.notifications.models import PushSubscription
from tests.support.push_service import PushServiceStub, new_vapid_key

CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
)


def use_local_push(settings: Any) -> str:
    """Let subscriptions point at 127.0.0.1 and sign with a fresh key; the key."""
    settings.DROPLINE_PUSH_ALLOW_LOCAL = True
    settings.DROPLINE_VAPID_PRIVATE_KEY = new_vapid_key()
    return str(settings.DROPLINE_VAPID_PRIVATE_KEY)


def subscribe_browser(
    user: User, stub: PushServiceStub, *, user_agent: str = CHROME_ON_ANDROID
) -> PushSubscription:
    """A browser of ``user`` subscribed (with the site's key) at the local push service."""
    browser = stub.subscribe(application_server_key())
    subscription, _created = push_subscriptions.subscribe(
        user=user,
        browser=push_subscriptions.BrowserSubscription(
            endpoint=browser["endpoint"],
            p256dh=browser["keys"]["p256dh"],
            auth=browser["keys"]["auth"],
        ),
        user_agent=user_agent,
    )
    return subscription


# A real push service's endpoint and keys that were never a real browser's: what the
# sweep's households hold (nothing is sent in the sweep).
SWEEP_KEYS = {
    "p256dh": (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    ),
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


def sweep_device(user: User) -> PushSubscription:
    """A browser that gets ``user``'s push notifications, on a real push service's
    address (nothing is sent to it); the same one when asked again."""
    subscription, _created = push_subscriptions.subscribe(
        user=user,
        browser=push_subscriptions.BrowserSubscription(
            endpoint=f"https://fcm.googleapis.com/fcm/send/sweep-{user.username}",
            **SWEEP_KEYS,
        ),
        user_agent=FIREFOX_ON_WINDOWS,
    )
    return subscription


def sweep_ids(*, user: User) -> dict[str, list[Any]]:
    """The push device of the sweep's other customer (``sweep_device``, the same one
    when asked again): removing it, on the web and in the API."""
    return {"push_subscription_id": [sweep_device(user).pk]}


def sweep_rows(user: User) -> dict[str, list[dict[str, Any]]]:
    rows = PushSubscription.objects.filter(user=user).order_by("pk").values()
    return {"push_devices": [dict(row) for row in rows]}
