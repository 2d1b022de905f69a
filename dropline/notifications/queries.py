"""Reads of notification data, scoped: a person's own contacts and how they are shown,
and the staff message log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Literal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from dropline.accounts.devices import device_label
from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.pagination import NumberedPage, numbered_page
from dropline.core.phones import display_phone
from dropline.customers.models import AccountMember
from dropline.customers.numbering import normalize_account_number
from dropline.notifications.contacts import ContactError, normalize
from dropline.notifications.models import (
    Announcement,
    AnnouncementStatus,
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    MessageStatus,
    PushSubscription,
    QuietHours,
    SimulatedSms,
)

# Contacts ------------------------------------------------------------------------------

ContactState = Literal["verified", "pending", "undeliverable"]


def own_contact(*, user: User, contact_id: int) -> ContactPoint:
    """``user``'s contact ``contact_id``. Another person's id is ``Http404``, exactly as
    an id that does not exist: the person is in the query."""
    return get_object_or_404(ContactPoint, pk=contact_id, user=user)


def contact_state(contact: ContactPoint) -> ContactState:
    """``verified`` (in use), ``pending`` (waiting for its code) or ``undeliverable``
    (our last message did not arrive, verified once or not)."""
    if contact.status == ContactStatus.UNDELIVERABLE:
        return "undeliverable"
    return "verified" if contact.is_verified else "pending"


def needs_code(contact: ContactPoint) -> bool:
    """Unverified, or verified once but bouncing now: a new code proves it works."""
    return contact_state(contact) != "verified"


def shown_address(contact: ContactPoint) -> str:
    """The address as people write it: a mobile number formatted for display."""
    if contact.kind == ContactKind.PHONE:
        return display_phone(contact.address)
    return contact.address


# Push notification devices ----------------------------------------------------------------


def own_push_subscription(*, user: User, subscription_id: int) -> PushSubscription:
    """``user``'s push device ``subscription_id``; another person's id is ``Http404``,
    as an id that does not exist."""
    return get_object_or_404(PushSubscription, pk=subscription_id, user=user)


def push_subscriptions_for(*, user: User) -> list[PushSubscription]:
    """The devices that get ``user``'s push notifications, the newest first."""
    return list(PushSubscription.objects.filter(user=user).order_by("-created_at", "-id"))


def push_device_name(subscription: PushSubscription) -> str:
    """ "Chrome on Android", in the current language."""
    return device_label(browser=subscription.browser, os=subscription.os)


def push_stopped_working(subscription: PushSubscription) -> bool:
    """The last try to reach the device failed, and nothing reached it since."""
    failed = subscription.last_failure_at
    return failed is not None and (
        subscription.last_success_at is None or subscription.last_success_at < failed
    )


# The staff message log --------------------------------------------------------------------

MESSAGE_LOG_PAGE_SIZE = 50
# Pages past this are refused: narrow the filters instead. Keeps every page's OFFSET
# small and the log free of a COUNT over the whole outbox.
MESSAGE_LOG_MAX_PAGES = 100


CREATED_WITHIN = {"24h": dt.timedelta(hours=24), "7d": dt.timedelta(days=7)}


@dataclass(frozen=True)
class MessageLogFilters:
    """Every filter optional, all combined. ``account`` is an account number as typed;
    ``recipient`` an email address, a mobile number (any common format) or a username."""

    account: str = ""
    recipient: str = ""
    category: str = ""
    channel: str = ""
    status: str = ""
    # "24h" or "7d": made within the last day or week; anything else: any time.
    created: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, field.name) for field in fields(self))


def _phone_or_none(text: str) -> str | None:
    try:
        return normalize(kind=ContactKind.PHONE, address=text)
    except ContactError:
        return None


def _logged_messages(filters: MessageLogFilters) -> QuerySet[Message]:
    found = (
        Message.objects.select_related("user", "account")
        .defer("body_text", "body_html")
        .order_by("-created_at", "-id")
    )
    number = normalize_account_number(filters.account or "")
    if number:
        # Announcements reach people, not accounts (their messages carry no account):
        # an account's log includes its members' messages that name no account.
        members = AccountMember.objects.filter(account__number=number).values("user_id")
        found = found.filter(
            Q(account__number=number) | Q(account__isnull=True, user_id__in=members)
        )
    recipient = filters.recipient.strip()
    if recipient:
        condition = Q(to_address__iexact=recipient) | Q(user__username__iexact=recipient)
        phone = _phone_or_none(recipient) if "@" not in recipient else None
        if phone:
            condition |= Q(to_address=phone)
        found = found.filter(condition)
    for field in ("category", "channel", "status"):
        value = getattr(filters, field)
        if value:
            found = found.filter(**{field: value})
    window = CREATED_WITHIN.get(filters.created)
    if window is not None:
        found = found.filter(created_at__gte=clock.now() - window)
    return found


def message_log(
    *, filters: MessageLogFilters, page: str | int | None = None
) -> NumberedPage[Message]:
    """One page of the outbox, newest first, as staff filter it: ``MESSAGE_LOG_PAGE_SIZE``
    messages (bodies not read), at most ``MESSAGE_LOG_MAX_PAGES`` deep, no COUNT."""
    return numbered_page(
        _logged_messages(filters),
        number=page,
        size=MESSAGE_LOG_PAGE_SIZE,
        max_pages=MESSAGE_LOG_MAX_PAGES,
    )


def simulated_texts(*, to: str = "") -> QuerySet[SimulatedSms]:
    """The SMS simulator's inbox, newest first; only texts to ``to`` (a number in any
    common format) when given. Each text carries ``language``: the language of the
    message that sent it (the page marks the text with it), empty when none did."""
    texts = SimulatedSms.objects.order_by("-sent_at", "-id").annotate(
        language=Subquery(
            Message.objects.filter(provider_reference=OuterRef("reference")).values("language")[:1]
        )
    )
    to = to.strip()
    return texts.filter(to__in={to, _phone_or_none(to) or to}) if to else texts


def failed_since(*, since: dt.datetime) -> int:
    """How many messages made since ``since`` failed delivery for good."""
    return Message.objects.filter(status=MessageStatus.FAILED, created_at__gte=since).count()


def current_announcements(*, at: dt.datetime) -> QuerySet[Announcement]:
    """Announcements sent (or being sent) whose window covers ``at``: outages and
    maintenance going on now."""
    return Announcement.objects.filter(
        status__in=[AnnouncementStatus.SENDING, AnnouncementStatus.SENT],
        starts_at__lte=at,
        ends_at__gt=at,
    )


# Quiet hours -----------------------------------------------------------------------------


def quiet_hours(*, user: User) -> QuietHours | None:
    """``user``'s quiet hours for text messages; None when they have none."""
    return QuietHours.objects.filter(user=user).first()
