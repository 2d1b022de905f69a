"""Sending one outbox message on the push channel: to every device of its person.

``delivery.deliver`` claims the message as for any channel and calls ``send``. Each
device is tried once per attempt; what each did is kept (``PushDelivery``), so a retry
goes only to the devices that could not be reached, and a device that took the
message never gets it twice. A device whose push service says the subscription is
gone (404, 410) is forgotten; that is no failure of the message when another device
took it. Any device that could not be reached now (429, 5xx, no answer) makes the
message wait for the outbox's next try; a device that refused it for good is left out
of the retries.

The payload is what the service worker shows: ``{"title", "body", "url", "tag"}``,
``url`` a path on this site.
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from dropline.core import clock
from dropline.notifications.categories import Category
from dropline.notifications.channels.push import (
    PermanentPushError,
    PushService,
    PushTarget,
    SubscriptionGoneError,
    TemporaryPushError,
    push_service,
)
from dropline.notifications.inbox import safe_link
from dropline.notifications.models import Message, PushDelivery, PushSubscription

MAX_BODY = 1000  # characters; a push message carries at most 4 KB once encrypted
INBOX_URL_NAME = "notifications:inbox"

# How long a push service keeps a message for a device that is offline, and how urgently
# it wakes the device (RFC 8030 5.2 and 5.3): what is stale in a day is kept a day.
DAY = 24 * 60 * 60
DELIVERY_RULES: dict[str, tuple[int, str]] = {
    Category.SECURITY: (DAY, "high"),
    Category.OUTAGES: (DAY, "high"),
    Category.APPOINTMENTS: (DAY, "high"),
    Category.USAGE: (DAY, "normal"),
    Category.OFFERS: (DAY, "low"),
}
DEFAULT_RULE = (4 * DAY, "normal")


def _inbox_path() -> str:
    try:
        return reverse(INBOX_URL_NAME)
    except NoReverseMatch:
        return "/"


def site_path(link: str) -> str:
    """A message's link as a path on this site: a path as it is, an address on the
    portal's own origin (``DROPLINE_PUBLIC_URL``) as its path; anything else, or
    nothing, the notification center."""
    safe = safe_link(link)
    if safe.startswith("/"):
        return safe
    if safe:
        parts = urlsplit(safe)
        own = urlsplit(settings.DROPLINE_PUBLIC_URL)
        if (parts.scheme, parts.netloc) == (own.scheme, own.netloc):
            path = parts.path or "/"
            return f"{path}?{parts.query}" if parts.query else path
    return _inbox_path()


def tag(message: Message) -> str:
    """What the notification is about: a newer one about the same thing replaces it on
    the device (the service worker's ``tag``)."""
    return (message.subject_key or f"message:{message.pk}")[:100]


def topic(message: Message) -> str:
    """The ``Topic`` header: at most 32 base64url characters, one per ``tag``."""
    digest = hashlib.sha256(tag(message).encode()).digest()[:24]
    return base64.urlsafe_b64encode(digest).decode()


def payload(message: Message) -> bytes:
    """Exactly what the service worker reads."""
    body = message.body_text
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 1].rstrip() + "…"
    return json.dumps(
        {
            "title": message.subject,
            "body": body,
            "url": site_path(message.link),
            "tag": tag(message),
        },
        ensure_ascii=False,
    ).encode()


def _record(
    message: Message, subscription: PushSubscription, *, delivered: bool, detail: str
) -> None:
    now = clock.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                PushDelivery.objects.create(
                    message=message,
                    subscription=subscription,
                    delivered=delivered,
                    at=now,
                    detail=detail[:200],
                )
        except IntegrityError:
            return  # recorded already (the subscription's row went with it otherwise)
        if delivered:
            PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now)
        else:
            _failed(subscription, detail)


def _failed(subscription: PushSubscription, detail: str) -> None:
    PushSubscription.objects.filter(pk=subscription.pk).update(
        last_failure_at=clock.now(), last_failure=detail[:200]
    )


def send(message: Message, *, last_attempt: bool, service: PushService | None = None) -> str:
    """Send ``message`` to each device of its person that has not had it yet; returns
    what happened, for the message log. ``TemporaryPushError`` when a device could not
    be reached now (after the outbox's last attempt, the message counts as sent if any
    device took it); ``PermanentPushError`` when no device took it and none can."""
    pending = list(
        PushSubscription.objects.filter(user_id=message.user_id)
        .exclude(deliveries__message=message)
        .order_by("id")
    )
    service = service or (push_service() if pending else None)
    body = payload(message)
    ttl, urgency = DELIVERY_RULES.get(message.category, DEFAULT_RULE)
    waiting: list[str] = []
    gone = 0
    for subscription in pending:
        assert service is not None
        target = PushTarget(
            endpoint=subscription.endpoint, p256dh=subscription.p256dh, auth=subscription.auth
        )
        try:
            reference = service.send(
                target=target, payload=body, ttl=ttl, urgency=urgency, topic=topic(message)
            )
        except SubscriptionGoneError:
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            gone += 1
        except TemporaryPushError as exc:
            _failed(subscription, str(exc))
            waiting.append(str(exc))
        except PermanentPushError as exc:
            _record(message, subscription, delivered=False, detail=str(exc))
        else:
            _record(message, subscription, delivered=True, detail=reference)
    delivered = PushDelivery.objects.filter(message=message, delivered=True).count()
    if waiting and not (last_attempt and delivered):
        raise TemporaryPushError(
            f"{len(waiting)} device(s) not reached now ({waiting[0]}); {delivered} took it"
        )
    if delivered:
        summary = f"push: {delivered} device(s) took it"
        return summary + (f", {len(waiting)} not reached" if waiting else "")
    if gone and not PushSubscription.objects.filter(user_id=message.user_id).exists():
        raise PermanentPushError("the device no longer takes push notifications")
    refused = PushDelivery.objects.filter(message=message, delivered=False).first()
    if refused is not None:
        raise PermanentPushError(refused.detail or "every device refused it")
    raise PermanentPushError("no device takes push notifications")
