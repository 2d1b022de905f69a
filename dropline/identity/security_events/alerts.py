"""Security alerts: the message a person gets about a security event, on every channel
they have and to the extra addresses a change concerns.

Security alerts cannot be switched off: they go by email (the sign-in email when
there is no notification address), by text message to a verified mobile number, and
to the portal. ``record`` asks for one in the same transaction as the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from dropline.accounts.models import SecurityEvent, User
from dropline.customers.models import AccountMember, CustomerAccount
from dropline.notifications.categories import Category, Channel
from dropline.notifications.models import Message
from dropline.notifications.outbox import notify, notify_addresses

# Message templates (``notifications/templates/notifications/<event>/``).
NEW_DEVICE_ALERT = "security.new_device"
PASSWORD_CHANGED_ALERT = "security.password_changed"  # noqa: S105 (a template name)
EMAIL_CHANGED_ALERT = "security.email_changed"
PHONE_CHANGED_ALERT = "security.phone_changed"
SECOND_FACTOR_ADDED_ALERT = "security.second_factor_added"
SECOND_FACTOR_REMOVED_ALERT = "security.second_factor_removed"
ACTIVITY_URL_NAME = "security_activity:index"


def _absolute(path: str) -> str:
    return f"{settings.DROPLINE_PUBLIC_URL.rstrip('/')}{path}"


def _optional_path(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _account_of(user: User) -> CustomerAccount | None:
    """The person's first account, for the message's language and the staff message log."""
    membership = (
        AccountMember.objects.filter(user=user).select_related("account").order_by("pk").first()
    )
    return membership.account if membership is not None else None


def alert(
    event: SecurityEvent,
    *,
    template: str,
    context: dict[str, Any] | None = None,
    also_email: Sequence[str] = (),
    also_sms: Sequence[str] = (),
) -> list[Message]:
    """Security alert about ``event`` to its person on every channel they have (essential
    category: preferences and quiet hours do not apply), plus ``also_email`` and
    ``also_sms`` addresses that the usual channels did not reach. With no notification
    email address, the sign-in email gets it: a security alert always goes by email.

    Extra addresses get their own outbox messages (not a direct send), so they are
    durable, retried and visible in the staff message log like every other.
    """
    user = event.user
    if user is None:
        return []
    activity_path = _optional_path(ACTIVITY_URL_NAME)
    full_context = {
        "event": event,
        "at": event.at,
        "ip": event.ip or "",
        "provider_name": settings.DROPLINE_PROVIDER_NAME,
        "reset_url": _absolute(reverse("account_reset_password")),
        "activity_url": _absolute(activity_path) if activity_path else "",
        **(context or {}),
    }
    account = _account_of(user)
    subject_key = f"security_event:{event.pk}"
    messages = notify(
        event=template,
        category=Category.SECURITY,
        subject_key=subject_key,
        context=full_context,
        account=account,
        users=[user],
        link=activity_path,
    )
    reached = {(m.channel, m.to_address.strip().lower()) for m in messages}
    extra = [(Channel.EMAIL, address) for address in also_email]
    extra += [(Channel.SMS, address) for address in also_sms]
    if not any(channel == Channel.EMAIL for channel, _address in reached):
        sign_in_address = EmailAddress.objects.filter(user=user, primary=True, verified=True)
        fallback = sign_in_address.values_list("email", flat=True).first()
        if fallback:
            extra.append((Channel.EMAIL, fallback))
    extra = [
        (channel, address)
        for channel, address in dict.fromkeys(extra)
        if (channel, address.strip().lower()) not in reached
    ]
    if not extra:
        return messages
    created = notify_addresses(
        event=template,
        category=Category.SECURITY,
        subject_key=subject_key,
        context=full_context,
        user=user,
        addresses=extra,
        account=account,
        link=activity_path,
    )
    return messages + created
