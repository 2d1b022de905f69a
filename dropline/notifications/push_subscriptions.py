"""The browsers where a person turned push notifications on: adding one (what the
browser's ``PushSubscription.toJSON()`` says), removing one, and a test notification.

An endpoint is where the server will post, so only an ``https://`` address on a known
push service is taken (``DROPLINE_PUSH_SERVICES``), never one a client made up; local
addresses only where ``DROPLINE_PUSH_ALLOW_LOCAL`` allows them (the demo, development
and tests). Keys must be what RFC 8291 says: a P-256 public point and a 16-byte secret.
"""

from __future__ import annotations

import binascii
import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dropline.accounts.devices import parse_user_agent
from dropline.accounts.models import User
from dropline.config import base64url_bytes
from dropline.core import clock, ratelimit
from dropline.notifications.categories import Category, Channel
from dropline.notifications.models import PushSubscription
from dropline.notifications.outbox import notify_addresses

# Devices one person can have: enough for every phone, tablet and computer in a
# household; a client posting endless endpoints stops here.
MAX_DEVICES = 10
MAX_ENDPOINT = 1000
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
USER_AGENT_KEPT = 300
TESTS_PER_HOUR = ratelimit.Limit.per("push_test:person", 5, dt.timedelta(hours=1))
TEST_EVENT = "push.test"


class PushSubscriptionError(ValueError):
    """Refused: ``field`` names what was wrong (``endpoint``, ``keys.p256dh``,
    ``keys.auth``), the message says so in the person's words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TooManyDevicesError(PushSubscriptionError):
    """The person already has ``MAX_DEVICES``: a refused state, not bad input."""


@dataclass(frozen=True)
class BrowserSubscription:
    """What a browser's ``PushSubscription.toJSON()`` holds (the expiry aside)."""

    endpoint: str
    p256dh: str
    auth: str


def _host_allowed(host: str) -> bool:
    return any(
        host == known or host.endswith(f".{known}") for known in settings.DROPLINE_PUSH_SERVICES
    )


def check_endpoint(endpoint: str) -> str:
    """The endpoint as it will be posted to; ``PushSubscriptionError`` naming
    ``endpoint`` unless it is an ``https://`` address of a known push service."""
    endpoint = endpoint.strip()
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    local = settings.DROPLINE_PUSH_ALLOW_LOCAL and host in LOCAL_HOSTS
    if (
        len(endpoint) > MAX_ENDPOINT
        or parts.scheme not in ({"https", "http"} if local else {"https"})
        or not host
        or parts.username is not None
        or parts.password is not None
        or parts.fragment
    ):
        raise PushSubscriptionError(
            "endpoint", _("The push address must be an https:// address of a push service.")
        )
    try:
        parts.port  # noqa: B018 - a port that is not a number raises
    except ValueError:
        raise PushSubscriptionError(
            "endpoint", _("The push address must be an https:// address of a push service.")
        ) from None
    if not local and not _host_allowed(host):
        raise PushSubscriptionError(
            "endpoint",
            _("This browser's push service (%(host)s) is not one we send notifications to.")
            % {"host": host[:100]},
        )
    return endpoint


def _decoded(text: str, field: str, length: int) -> bytes:
    try:
        raw = base64url_bytes(text)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length:
        raise PushSubscriptionError(
            field, _("This browser's key is not one push notifications can use.")
        )
    return raw


def check_keys(*, p256dh: str, auth: str) -> tuple[str, str]:
    """The keys as stored (base64url as sent); ``PushSubscriptionError`` naming
    ``keys.p256dh`` for anything but a point on P-256, ``keys.auth`` for anything but
    16 bytes."""
    point = _decoded(p256dh, "keys.p256dh", 65)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise PushSubscriptionError(
            "keys.p256dh", _("This browser's key is not one push notifications can use.")
        ) from None
    _decoded(auth, "keys.auth", 16)
    return p256dh.strip(), auth.strip()


def subscribe(
    *, user: User, browser: BrowserSubscription, user_agent: str
) -> tuple[PushSubscription, bool]:
    """Send ``user``'s push notifications to this browser from now on; returns the
    subscription and whether it is new to them.

    The same browser asking again (a page reload) changes nothing but its keys. An
    endpoint another person turned on with the same keys is the same browser profile,
    now used by ``user``: it becomes theirs. With other keys it is refused, so knowing
    someone's endpoint is not enough to take it. One person's subscriptions are
    written one at a time (their row is locked), so ``MAX_DEVICES`` holds."""
    endpoint = check_endpoint(browser.endpoint)
    p256dh, auth = check_keys(p256dh=browser.p256dh, auth=browser.auth)
    device = parse_user_agent(user_agent)
    fields = {
        "p256dh": p256dh,
        "auth": auth,
        "browser": device.browser[:40],
        "os": device.os[:40],
        "user_agent": user_agent[:USER_AGENT_KEPT],
    }
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()
            existing = (
                PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
            )
            if existing is not None and existing.user_id == user.pk:
                PushSubscription.objects.filter(pk=existing.pk).update(**fields)
                existing.refresh_from_db()
                return existing, False
            if existing is not None and (existing.p256dh, existing.auth) != (p256dh, auth):
                raise PushSubscriptionError(
                    "endpoint", _("This browser is already set up for someone else.")
                )
            if PushSubscription.objects.filter(user=user).count() >= MAX_DEVICES:
                raise TooManyDevicesError(
                    "endpoint",
                    _(
                        "You get push notifications on %(count)d devices already. "
                        "Remove one to add this one."
                    )
                    % {"count": MAX_DEVICES},
                )
            now = clock.now()
            if existing is not None:
                existing.delete()
            created = PushSubscription.objects.create(
                user=user, endpoint=endpoint, created_at=now, **fields
            )
            return created, True
    except IntegrityError:
        # The same browser asked twice at once and the other request made the row.
        found = PushSubscription.objects.filter(endpoint=endpoint, user=user).first()
        if found is None:
            raise
        return found, False


def remove(*, subscription: PushSubscription) -> None:
    """No more push notifications to this browser (what it still holds is forgotten
    with it: its delivery records)."""
    PushSubscription.objects.filter(pk=subscription.pk).delete()


def has_devices(*, user: User) -> bool:
    return PushSubscription.objects.filter(user=user).exists()


class NoDevicesError(Exception):
    """A test notification for a person with no device to send it to."""


def send_test(*, user: User, link: str) -> None:
    """A test notification to every device of ``user``, through the outbox like any
    other (so the message log shows it). At most ``TESTS_PER_HOUR``
    (``ratelimit.ThrottledError``); ``NoDevicesError`` with no device."""
    if not has_devices(user=user):
        raise NoDevicesError
    ratelimit.enforce(TESTS_PER_HOUR, f"user:{user.pk}")
    notify_addresses(
        event=TEST_EVENT,
        category=Category.SERVICE,
        subject_key=f"push_test:{secrets.token_hex(8)}",
        context={"provider_name": settings.DROPLINE_PROVIDER_NAME},
        user=user,
        addresses=[(Channel.PUSH, "")],
        link=link,
        key_by_address=False,
    )
