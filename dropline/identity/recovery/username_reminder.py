"""A username reminder by email or text message, for someone who forgot theirs.

Like the rest of getting back in (``identity.recovery``), it answers the same whether
or not any login has the address, after the same work, under limits the visitor sees
(per IP address and per address typed) and a silent one per login. The reminders go
through the notification outbox: delivered after commit, retried, visible to staff.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core.ratelimit import Limit
from dropline.identity.recovery import errors, identifiers, limits, reset_codes
from dropline.notifications.categories import Category, Channel
from dropline.notifications.models import ContactKind
from dropline.notifications.outbox import notify_addresses
from dropline.notifications.rendering import render

USERNAME_REMINDER_EVENT = "account.username_reminder"

REMINDERS_PER_IP = Limit.per("username_reminder:ip", 5, dt.timedelta(hours=1), buckets=1)
REMINDERS_PER_ADDRESS = Limit.per("username_reminder:address", 3, dt.timedelta(hours=1), buckets=1)
# Silent, keyed by the login: past it nothing is sent, and the answer is the same.
REMINDERS_PER_ACCOUNT = Limit.per("username_reminder:account", 3, dt.timedelta(hours=1), buckets=1)


@dataclass(frozen=True)
class Address:
    kind: str  # ContactKind
    value: str  # normalized: an email address or an E.164 number


def parse_address(text: str) -> Address:
    """An email address or a mobile number, normalized; ``InvalidAddressError`` if neither."""
    cleaned = text.strip()
    if "@" in cleaned:
        try:
            validate_email(cleaned)
        except ValidationError:
            raise errors.InvalidAddressError(
                _("Enter a valid email address, such as maria@example.com.")
            ) from None
        local, _sep, domain = cleaned.rpartition("@")
        return Address(kind=ContactKind.EMAIL, value=f"{local}@{domain.lower()}")
    phone = identifiers.as_phone(cleaned)
    if phone is None:
        raise errors.InvalidAddressError(
            _("Enter an email address or a mobile number, such as (319) 555-0142.")
        )
    return Address(kind=ContactKind.PHONE, value=phone)


def _reminder_users(address: Address) -> list[User]:
    owners = (
        identifiers.verified_email_owners(address.value)
        if address.kind == ContactKind.EMAIL
        else identifiers.verified_phone_owners(address.value)
    )
    return list(
        User.objects.filter(owners, is_active=True).order_by("pk")[: identifiers.MAX_TARGETS]
    )


def send_username_reminder(*, address: Address, ip: str | None, language: str) -> None:
    """Send each login with ``address`` verified its username, to that address.

    Answers the same whether or not any login has the address. The messages go through
    the outbox (delivered after commit, retried, visible to staff), one per login.
    """
    limits.check_visible(
        [
            (REMINDERS_PER_IP, ip or "unknown"),
            (REMINDERS_PER_ADDRESS, f"{address.kind}:{address.value.casefold()}"),
        ]
    )
    channel = Channel.EMAIL if address.kind == ContactKind.EMAIL else Channel.SMS
    users = _reminder_users(address)
    if not users:
        # The same rendering work as for a real login.
        render(
            event=USERNAME_REMINDER_EVENT,
            language=language,
            context={**reset_codes.base_context(), "username": "", "user": None},
        )
        return
    token = secrets.token_hex(8)
    with transaction.atomic():
        for user in users:
            own_language = reset_codes.language_for(user, language)
            context = {**reset_codes.base_context(), "username": user.username}
            if not limits.allowed_silently([REMINDERS_PER_ACCOUNT], user):
                # The same rendering work as for a reminder that is sent.
                render(
                    event=USERNAME_REMINDER_EVENT,
                    language=own_language,
                    context={**context, "user": user},
                )
                continue
            notify_addresses(
                event=USERNAME_REMINDER_EVENT,
                category=Category.SECURITY,
                subject_key=f"username_reminder:{token}",
                context=context,
                user=user,
                addresses=[(channel, address.value)],
                language=own_language,
                key_by_address=False,
            )
