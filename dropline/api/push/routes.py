"""Push notifications on a person's devices, for the mobile app and the web page's
script alike: the key to subscribe with, the devices, adding this one, removing one.
Thin: ``dropline.notifications.push_subscriptions`` decides, with the same rules as the
web (an ``https://`` endpoint on a known push service, real keys, at most
``MAX_DEVICES`` devices). Which categories reach them is the ``push`` channel of
``/notification-preferences``.

Every device is looked up with the caller in the query, so another person's id answers
404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from dropline.accounts.requests import signed_in_user
from dropline.api.errors import FieldError
from dropline.api.push.schemas import PushDeviceOut, PushKeyOut, PushSubscriptionIn
from dropline.api.schemas import ErrorOut, FieldErrorOut, InvalidInputOut
from dropline.notifications import push_subscriptions as push
from dropline.notifications.channels.vapid import application_server_key
from dropline.notifications.models import PushSubscription
from dropline.notifications.queries import (
    own_push_subscription,
    push_device_name,
    push_stopped_working,
    push_subscriptions_for,
)

router = Router(tags=["push"])


def _device_out(subscription: PushSubscription) -> PushDeviceOut:
    return PushDeviceOut(
        id=subscription.pk,
        device=push_device_name(subscription),
        created_at=subscription.created_at,
        last_delivered_at=subscription.last_success_at,
        last_failed_at=subscription.last_failure_at,
        working=not push_stopped_working(subscription),
    )


@router.get("/push/key", response=PushKeyOut, summary="The key to subscribe with")
def public_key(request: HttpRequest) -> PushKeyOut:
    """The application server key for `PushManager.subscribe` (or the app's push
    registration): messages are signed with its private half (VAPID)."""
    return PushKeyOut(public_key=application_server_key())


@router.get(
    "/push/subscriptions",
    response=list[PushDeviceOut],
    summary="Devices that get push notifications",
)
def subscriptions(request: HttpRequest) -> list[PushDeviceOut]:
    """The caller's devices, newest first; at most `10`, so never paged."""
    return [_device_out(s) for s in push_subscriptions_for(user=signed_in_user(request))]


@router.post(
    "/push/subscriptions",
    response={200: PushDeviceOut, 201: PushDeviceOut, 400: InvalidInputOut, 409: InvalidInputOut},
    summary="Turn push notifications on for this device",
)
def subscribe(
    request: HttpRequest, payload: PushSubscriptionIn
) -> Status[PushDeviceOut | InvalidInputOut]:
    """Send the subscription as the browser gives it. 201 for a new device, 200 when
    it was on already (its keys are updated). 400 names `endpoint` (not `https://`,
    not a known push service, or this browser is someone else's) or `keys.p256dh` /
    `keys.auth` (not a usable key); 409 names `endpoint` when the caller has the most
    devices allowed: remove one first."""
    try:
        subscription, created = push.subscribe(
            user=signed_in_user(request),
            browser=push.BrowserSubscription(
                endpoint=payload.endpoint, p256dh=payload.keys.p256dh, auth=payload.keys.auth
            ),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except push.TooManyDevicesError as exc:
        return Status(
            409,
            InvalidInputOut(
                detail=str(exc), errors=[FieldErrorOut(field=exc.field, reason=str(exc))]
            ),
        )
    except push.PushSubscriptionError as exc:
        raise FieldError(exc.field, str(exc)) from None
    return Status(201 if created else 200, _device_out(subscription))


@router.delete(
    "/push/subscriptions/{push_subscription_id}",
    response={204: None, 404: ErrorOut},
    summary="Stop push notifications to a device",
)
def unsubscribe(request: HttpRequest, push_subscription_id: int) -> Status[None]:
    """The device gets no more push notifications (the browser keeps its subscription
    until it is told: unsubscribe there too)."""
    subscription = own_push_subscription(
        user=signed_in_user(request), subscription_id=push_subscription_id
    )
    push.remove(subscription=subscription)
    return Status(204, None)
