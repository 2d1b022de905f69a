"""The devices that get a person's push notifications: the list (this browser marked by
``static/dropline/push.js``), turning them on here, removing one, a test notification.
Thin: parse input, call ``dropline.notifications.push_subscriptions``, render.

Turning them on is the page script's POST of the browser's subscription (JSON, with the
CSRF token from the page's form); without scripts the page says what is needed. Every
device is looked up with the signed-in person in the query
(``notifications.queries.own_push_subscription``), so another person's id answers 404.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.core.ratelimit import ThrottledError
from dropline.notifications import push_subscriptions as push
from dropline.notifications.channels.vapid import application_server_key
from dropline.notifications.models import PushSubscription
from dropline.notifications.queries import (
    own_push_subscription,
    push_device_name,
    push_stopped_working,
    push_subscriptions_for,
)


@dataclass(frozen=True)
class DeviceRow:
    subscription: PushSubscription
    name: str
    stopped: bool

    @property
    def marker(self) -> str:
        """What the page script compares with this browser's own endpoint (its SHA-256),
        so the page can say "This device" without printing the endpoint."""
        return hashlib.sha256(self.subscription.endpoint.encode()).hexdigest()


@login_required
@require_GET
def devices(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = [
        DeviceRow(
            subscription=subscription,
            name=push_device_name(subscription),
            stopped=push_stopped_working(subscription),
        )
        for subscription in push_subscriptions_for(user=user)
    ]
    return render(
        request,
        "portal/push/devices.html",
        {
            "rows": rows,
            "full": len(rows) >= push.MAX_DEVICES,
            "max_devices": push.MAX_DEVICES,
            "application_server_key": application_server_key(),
        },
    )


def _refused(field: str, reason: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"detail": reason, "errors": [{"field": field, "reason": reason}]}, status=status
    )


@login_required
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """The page script's POST: the browser's ``PushSubscription.toJSON()``. Answers
    201 (or 200 when this browser was on already) with the device, 400 naming the
    field, 409 when the person has as many devices as allowed."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return _refused("body", _("Send the browser's subscription as a JSON object."))
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    given = {
        "endpoint": data.get("endpoint"),
        "keys.p256dh": keys.get("p256dh"),
        "keys.auth": keys.get("auth"),
    }
    for field, value in given.items():
        if not isinstance(value, str) or not value:
            return _refused(field, _("This is missing from the browser's subscription."))
    texts = {field: str(value) for field, value in given.items()}
    try:
        subscription, created = push.subscribe(
            user=signed_in_user(request),
            browser=push.BrowserSubscription(
                endpoint=texts["endpoint"], p256dh=texts["keys.p256dh"], auth=texts["keys.auth"]
            ),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except push.PushSubscriptionError as exc:
        status = 409 if isinstance(exc, push.TooManyDevicesError) else 400
        return _refused(exc.field, str(exc), status)
    name = push_device_name(subscription)
    if created:
        messages.success(
            request,
            _("Push notifications are on for %(device)s.") % {"device": name},
        )
    return JsonResponse(
        {"id": subscription.pk, "device": name, "created": created},
        status=201 if created else 200,
    )


@login_required
@require_POST
def remove(request: HttpRequest, push_subscription_id: int) -> HttpResponse:
    subscription = own_push_subscription(
        user=signed_in_user(request), subscription_id=push_subscription_id
    )
    push.remove(subscription=subscription)
    messages.success(
        request,
        _("%(device)s no longer gets push notifications.")
        % {"device": push_device_name(subscription)},
    )
    return redirect("notifications:push_devices")


@login_required
@require_POST
def send_test(request: HttpRequest) -> HttpResponse:
    devices_path = reverse("notifications:push_devices")
    try:
        push.send_test(user=signed_in_user(request), link=devices_path)
    except push.NoDevicesError:
        messages.error(request, _("Turn on push notifications on a device first."))
    except ThrottledError as exc:
        messages.error(
            request,
            ngettext(
                "You have sent several test notifications. Try again in %(minutes)d minute.",
                "You have sent several test notifications. Try again in %(minutes)d minutes.",
                exc.minutes,
            )
            % {"minutes": exc.minutes},
        )
    else:
        messages.success(
            request,
            _("We sent a test notification to your devices. It can take a minute to arrive."),
        )
    return redirect(devices_path)
