"""Asking for a notification: one message per recipient and channel, never twice.

Two public calls: ``notify`` tells people (or an account's members) on the channels
their preferences choose; ``notify_addresses`` tells one person at given addresses
(a security alert to an address just removed, a username reminder to the address
typed). Nothing outside ``notifications`` builds ``Message`` rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.notifications import dispatch
from dropline.notifications.categories import ESSENTIAL, Channel
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    MessageStatus,
    PushSubscription,
    QuietHours,
)
from dropline.notifications.preferences import channels_for, quiet_until
from dropline.notifications.rendering import Rendered, render


def language_for(user: User, account: CustomerAccount | None) -> str:
    if user.preferred_language:
        return user.preferred_language
    return account.preferred_language if account is not None else "en"


def reachable_address(*, user: User, channel: str) -> str | None:
    """The primary verified, deliverable address for ``channel``; None if there is none.
    The portal and push need none ("" ), but push needs a device to send to."""
    if channel == Channel.IN_APP:
        return ""
    if channel == Channel.PUSH:
        return "" if PushSubscription.objects.filter(user=user).exists() else None
    kind = ContactKind.EMAIL if channel == Channel.EMAIL else ContactKind.PHONE
    contact = (
        ContactPoint.objects.filter(
            user=user,
            kind=kind,
            verified_at__isnull=False,
            status=ContactStatus.OK,
        )
        .order_by("-is_primary", "id")
        .first()
    )
    return contact.address if contact is not None else None


def message_key(*, event: str, subject_key: str, user_id: int, channel: str) -> str:
    return f"{event}:{subject_key}:{user_id}:{channel}"[:200]


def message_fields(
    *,
    user_id: int,
    event: str,
    category: str,
    subject_key: str,
    channel: str,
    address: str,
    rendered: Rendered,
    language: str,
    link: str,
    quiet: QuietHours | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """A message's column values (without ``user`` and ``account``): the body its channel
    sends (a push notification says what the portal says), sent at once in the portal,
    and an SMS held back by quiet hours."""
    not_before = now
    if channel == Channel.SMS and category not in ESSENTIAL:
        not_before = quiet_until(quiet, now) or now
    in_app = channel == Channel.IN_APP
    return {
        "idempotency_key": message_key(
            event=event, subject_key=subject_key, user_id=user_id, channel=channel
        ),
        "event": event,
        "subject_key": subject_key[:120],
        "category": category,
        "channel": channel,
        "to_address": address,
        "language": language,
        "subject": rendered.subject,
        "body_text": (
            rendered.sms
            if channel == Channel.SMS
            else rendered.in_app
            if in_app or channel == Channel.PUSH
            else rendered.email_text
        ),
        "body_html": rendered.email_html if channel == Channel.EMAIL else "",
        "link": link,
        "status": MessageStatus.SENT if in_app else MessageStatus.PENDING,
        "sent_at": now if in_app else None,
        "not_before": not_before,
        "created_at": now,
    }


def build_message(
    *,
    user: User,
    account: CustomerAccount | None,
    event: str,
    category: str,
    subject_key: str,
    channel: str,
    address: str,
    rendered: Rendered,
    language: str,
    link: str,
    quiet: QuietHours | None,
) -> Message:
    fields = message_fields(
        user_id=user.pk,
        event=event,
        category=category,
        subject_key=subject_key,
        channel=channel,
        address=address,
        rendered=rendered,
        language=language,
        link=link,
        quiet=quiet,
        now=clock.now(),
    )
    return Message(user=user, account=account, **fields)


def notify(
    *,
    event: str,
    category: str,
    subject_key: str,
    context: dict[str, Any],
    account: CustomerAccount | None = None,
    users: Iterable[User] | None = None,
    link: str = "",
    attachments: Sequence[dict[str, str]] = (),
) -> list[Message]:
    """Record the messages for ``event`` about ``subject_key`` (e.g. ``invoice:42``) and
    queue their delivery after the transaction commits.

    Recipients are ``users``, or every member of ``account``. Channels follow each
    person's preferences; a channel with no verified address is skipped. Asking
    again for the same event and subject creates nothing new. ``attachments`` (each
    ``{"filename", "content_type", "content"}``, text) go with the email only.
    """
    if users is None:
        if account is None:
            raise ValueError("notify needs an account or users")
        users = [m.user for m in account.members.select_related("user")]
    created: list[Message] = []
    with transaction.atomic():
        for user in users:
            language = language_for(user, account)
            rendered = render(
                event=event,
                language=language,
                context={**context, "user": user, "account": account},
            )
            quiet = QuietHours.objects.filter(user=user).first()
            for channel in sorted(channels_for(user=user, category=category)):
                address = reachable_address(user=user, channel=channel)
                if address is None:
                    continue
                message = build_message(
                    user=user,
                    account=account,
                    event=event,
                    category=category,
                    subject_key=subject_key,
                    channel=channel,
                    address=address,
                    rendered=rendered,
                    language=language,
                    link=link,
                    quiet=quiet,
                )
                if channel == Channel.EMAIL and attachments:
                    message.attachments = [dict(a) for a in attachments]
                try:
                    with transaction.atomic():
                        message.save()
                except IntegrityError:
                    continue  # already recorded by an earlier or concurrent request
                created.append(message)
        pending = [m.pk for m in created if m.status == MessageStatus.PENDING]
        if pending:
            transaction.on_commit(lambda: enqueue_delivery(pending))
    return created


def address_key(channel: str, address: str) -> str:
    """A short, stable key for one address on one channel (no address in the key)."""
    return hashlib.sha256(f"{channel}:{address.strip().lower()}".encode()).hexdigest()[:16]


def notify_addresses(
    *,
    event: str,
    category: str,
    subject_key: str,
    context: dict[str, Any],
    user: User,
    addresses: Sequence[tuple[str, str]],
    account: CustomerAccount | None = None,
    language: str = "",
    link: str = "",
    key_by_address: bool = True,
) -> list[Message]:
    """Record ``event`` for ``user`` at each ``(channel, address)`` in ``addresses``,
    whatever their preferences and quiet hours, and queue the delivery after commit.

    Each message's subject key is ``subject_key`` and a key of its address
    (``address_key``), so each address is told once; with ``key_by_address=False``,
    ``subject_key`` alone (it already names one message per person and channel).
    ``language`` defaults to the person's (or the account's). Asking again creates
    nothing new.
    """
    if not addresses:
        return []
    language = language or language_for(user, account)
    rendered = render(
        event=event,
        language=language,
        context={**context, "user": user, "account": account},
    )
    created: list[Message] = []
    with transaction.atomic():
        for channel, address in addresses:
            message = build_message(
                user=user,
                account=account,
                event=event,
                category=category,
                subject_key=(
                    f"{subject_key}:{address_key(channel, address)}"
                    if key_by_address
                    else subject_key
                ),
                channel=channel,
                address=address.strip(),
                rendered=rendered,
                language=language,
                link=link,
                quiet=None,
            )
            try:
                with transaction.atomic():
                    message.save()
            except IntegrityError:
                continue  # already asked for
            created.append(message)
        pending = [m.pk for m in created if m.status == MessageStatus.PENDING]
        if pending:
            transaction.on_commit(lambda: enqueue_delivery(pending))
    return created


_held: list[list[int]] = []  # while ``holding_delivery`` runs: the ids it keeps back


def enqueue_delivery(message_ids: list[int]) -> None:
    """Deliver ``message_ids`` in the background (at once without a broker), unless a
    ``holding_delivery`` block keeps them back."""
    if _held:
        _held[-1].extend(message_ids)
        return
    dispatch.deliver_later(message_ids)


@contextmanager
def holding_delivery() -> Iterator[list[int]]:
    """Record messages without queueing their delivery inside the block (history being
    loaded: its notices went out in the past); yields the ids kept back, which stay in
    the outbox for the caller to settle."""
    held: list[int] = []
    _held.append(held)
    try:
        yield held
    finally:
        _held.pop()
