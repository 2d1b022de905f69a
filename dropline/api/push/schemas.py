"""Input and output schemas of the push notification devices (``dropline.api.push.routes``)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

BASE64URL = r"^[A-Za-z0-9_-]+={0,2}$"


class PushKeyOut(Schema):
    public_key: str = Field(
        description="The VAPID public key (a P-256 point, base64url): the "
        "`applicationServerKey` to subscribe with. It changes only when the provider "
        "changes it; subscriptions made with another key get nothing.",
        examples=[
            "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U"
        ],
    )


class PushKeysIn(Schema):
    p256dh: str = Field(
        min_length=87,
        max_length=88,
        pattern=BASE64URL,
        description="The browser's (or app's) P-256 public key, uncompressed, base64url.",
    )
    auth: str = Field(
        min_length=22,
        max_length=24,
        pattern=BASE64URL,
        description="The 16-byte authentication secret, base64url.",
    )


class PushSubscriptionIn(Schema):
    """What ``PushSubscription.toJSON()`` gives, sent as it is."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "endpoint": "https://fcm.googleapis.com/fcm/send/dV2kX7...",
                    "expirationTime": None,
                    "keys": {
                        "p256dh": (
                            "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u"
                            "-Ts1XbjhazAkj7I99e8QcYP7DkM"
                        ),
                        "auth": "tBHItJI5svbpez7KI4CCXg",
                    },
                }
            ]
        }
    )

    endpoint: str = Field(
        min_length=1,
        max_length=1000,
        description="The push service's address for this subscription: `https://`, on "
        "a browser's push service (Google, Mozilla, Apple, Microsoft).",
    )
    expiration_time: float | None = Field(
        None,
        alias="expirationTime",
        description="When the subscription ends (ms since 1970), as the browser says; "
        "not used: a push service that no longer knows it answers so, and it is removed.",
    )
    keys: PushKeysIn


class PushDeviceOut(Schema):
    id: int
    device: str = Field(
        description='What the device is, as the web page shows it: "Chrome on Android".'
    )
    created_at: dt.datetime
    last_delivered_at: dt.datetime | None = Field(
        description="When the last notification reached its push service; null before the first."
    )
    last_failed_at: dt.datetime | None = Field(
        description="When a notification last could not be delivered to it; null if never."
    )
    working: bool = Field(
        description="False when the last try failed and nothing was delivered since: "
        "turn notifications on again on that device, or remove it."
    )
