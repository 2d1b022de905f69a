"""Web push: one encrypted message to one browser's push service (RFC 8030, 8291, 8292).

``WebPushService`` posts through pywebpush: the payload encrypted to the browser's keys
(``aes128gcm``), signed with the VAPID key (``channels.vapid``) for the push service at
the endpoint's origin, with a time to live, an urgency and a topic (a newer message
with the same topic replaces one still waiting). Errors say what the answer means:

- ``SubscriptionGoneError`` (404, 410): the browser dropped the subscription; forget it.
- ``TemporaryPushError`` (429, 5xx, no answer): worth retrying later.
- ``PermanentPushError`` (any other refusal: a bad signature, a body too large):
  this message will never reach that browser.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from dropline.notifications.channels.vapid import VapidKey, vapid_key

# How long a push service keeps a message for a browser that is offline, and how
# soon the token in the signature expires (push services refuse more than 24 hours).
SIGNATURE_LIFETIME = 12 * 60 * 60
TIMEOUT_SECONDS = 10


class PushError(Exception):
    pass


class TemporaryPushError(PushError):
    """Worth retrying later."""


class PermanentPushError(PushError):
    """This message will not reach that browser."""


class SubscriptionGoneError(PermanentPushError):
    """The push service no longer knows the subscription (404 or 410)."""


@dataclass(frozen=True)
class PushTarget:
    endpoint: str
    p256dh: str
    auth: str


class PushService(Protocol):
    def send(
        self, *, target: PushTarget, payload: bytes, ttl: int, urgency: str, topic: str
    ) -> str:
        """Hand ``payload`` to the target's push service; return its reference for it."""
        ...


def origin(endpoint: str) -> str:
    """``scheme://host[:port]`` of an endpoint: the audience its signature names."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class WebPushService:
    """pywebpush over ``requests``; redirects are not followed (a push service answers
    where it is asked)."""

    def __init__(self, *, key: VapidKey, subject: str, timeout: float = TIMEOUT_SECONDS):
        self.signer = Vapid(key.private_key)
        self.subject = subject
        self.timeout = timeout

    def send(
        self, *, target: PushTarget, payload: bytes, ttl: int, urgency: str, topic: str
    ) -> str:
        session = requests.Session()
        session.max_redirects = 0
        claims: dict[str, str | int] = {
            "sub": self.subject,
            "aud": origin(target.endpoint),
            # Push services check the signature's expiry against the real time.
            "exp": int(time.time()) + SIGNATURE_LIFETIME,
        }
        try:
            response = webpush(
                subscription_info={
                    "endpoint": target.endpoint,
                    "keys": {"p256dh": target.p256dh, "auth": target.auth},
                },
                data=payload.decode(),
                vapid_private_key=self.signer,
                vapid_claims=claims,
                ttl=ttl,
                headers={"Urgency": urgency, "Topic": topic},
                timeout=self.timeout,
                requests_session=session,
            )
        except WebPushException as exc:
            status = exc.status_code
            if status is None:
                raise PermanentPushError("the subscription's keys are not usable") from None
            if status in (404, 410):
                raise SubscriptionGoneError(f"push service answered {status}") from None
            if status == 429 or status >= 500:
                raise TemporaryPushError(f"push service answered {status}") from None
            raise PermanentPushError(f"push service refused the message ({status})") from None
        except requests.TooManyRedirects:
            raise PermanentPushError("push service answered with a redirect") from None
        except requests.RequestException as exc:
            raise TemporaryPushError(f"push service unreachable: {type(exc).__name__}") from None
        except (ValueError, TypeError):  # keys that encrypt nothing (checked when subscribing)
            raise PermanentPushError("the subscription's keys are not usable") from None
        finally:
            session.close()
        if isinstance(response, str):  # only with curl=True, never asked for here
            raise PermanentPushError("push service gave no answer")
        return str(response.headers.get("Location", ""))[:200]


def push_service() -> PushService:
    return WebPushService(key=vapid_key(), subject=settings.DROPLINE_VAPID_SUBJECT)
