"""Asking for a notification: one message per recipient and channel, never twice.

Two public calls: ``notify`` tells people (or an account's members) on the channels
their preferences choose; ``notify_addresses`` tells one person at given addresses
(a security alert to an address just removed, a username reminder to the address
typed). Nothing outside ``notifications`` builds ``Message`` rows.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import AccountMember, CustomerAccount
from dropline.notifications import dispatch
from dropline.notifications.categories import DEFAULTS, ESSENTIAL, Channel
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    MessageStatus,
    Preference,
    QuietHours,
)
from dropline.notifications.preferences import channels_for, quiet_until
from dropline.notifications.rendering import Rendered, render


def language_for(user: User, account: CustomerAccount | None) -> str:
    if user.preferred_language:
        return user.preferred_language
    return account.preferred_language if account is not None else "en"


def reachable_address(*, user: User, channel: str) -> str | None:
    """The primary verified, deliverable address for ``channel``; None if there is none."""
    if channel == Channel.IN_APP:
        return ""
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
    now = clock.now()
    not_before = now
    if channel == Channel.SMS and category not in ESSENTIAL:
        not_before = quiet_until(quiet, now) or now
    in_app = channel == Channel.IN_APP
    return Message(
        idempotency_key=message_key(
            event=event, subject_key=subject_key, user_id=user.pk, channel=channel
        ),
        user=user,
        account=account,
        event=event,
        subject_key=subject_key[:120],
        category=category,
        channel=channel,
        to_address=address,
        language=language,
        subject=rendered.subject,
        body_text=(
            rendered.sms
            if channel == Channel.SMS
            else rendered.in_app
            if in_app
            else rendered.email_text
        ),
        body_html=rendered.email_html if channel == Channel.EMAIL else "",
        link=link,
        status=MessageStatus.SENT if in_app else MessageStatus.PENDING,
        sent_at=now if in_app else None,
        not_before=not_before,
        created_at=now,
    )


def notify(
    *,
    event: str,
    category: str,
    subject_key: str,
    context: dict[str, Any],
    account: CustomerAccount | None = None,
    users: Iterable[User] | None = None,
    link: str = "",
) -> list[Message]:
    """Record the messages for ``event`` about ``subject_key`` (e.g. ``invoice:42``) and
    queue their delivery after the transaction commits.

    Recipients are ``users``, or every member of ``account``. Channels follow each
    person's preferences; a channel with no verified address is skipped. Asking
    again for the same event and subject creates nothing new.
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


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell the people of one account, for ``notify_many``."""

    account_id: int
    subject_key: str
    context: dict[str, Any]
    link: str = ""


def channels_by_user(user_ids: Sequence[int], category: str) -> dict[int, set[str]]:
    """Each person's channels for ``category``: the defaults, overridden by their own
    choices (one query); every channel for an essential category."""
    if category in ESSENTIAL:
        return {user_id: set(Channel.values) for user_id in user_ids}
    chosen = {user_id: set(DEFAULTS[category]) for user_id in user_ids}
    for user_id, channel, enabled in Preference.objects.filter(
        user_id__in=user_ids, category=category
    ).values_list("user_id", "channel", "enabled"):
        (chosen[user_id].add if enabled else chosen[user_id].discard)(channel)
    return chosen


def primary_addresses(user_ids: Sequence[int]) -> dict[tuple[int, str], str]:
    """(person, channel) -> the primary verified, deliverable address (one query)."""
    rows = (
        ContactPoint.objects.filter(
            user_id__in=user_ids, verified_at__isnull=False, status=ContactStatus.OK
        )
        .order_by("user_id", "kind", "-is_primary", "id")
        .values_list("user_id", "kind", "address")
    )
    found: dict[tuple[int, str], str] = {}
    for user_id, kind, address in rows:
        channel = Channel.EMAIL if kind == ContactKind.EMAIL else Channel.SMS
        found.setdefault((user_id, channel), address)
    return found


def notify_many(*, event: str, category: str, notices: Sequence[Notice]) -> int:
    """``notify`` for many accounts at once: each notice goes to every member of its
    account, on the channels their preferences choose, in their language.

    A fixed number of queries whatever the number of notices (members, preferences,
    addresses, quiet hours, one multi-row insert): for bulk callers such as a bill run's
    chunk. Messages are inserted with ``ignore_conflicts`` on the idempotency key, so
    asking again adds nothing; delivery of the new ones is queued after commit. Each
    notice is rendered once per language among its recipients, with only the parts
    their channels send. Returns how many messages were asked for.
    """
    if not notices:
        return 0
    account_ids = sorted({notice.account_id for notice in notices})
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for account_id, user_id, user_language, account_language in (
        AccountMember.objects.filter(account_id__in=account_ids)
        .order_by("account_id", "id")
        .values_list(
            "account_id", "user_id", "user__preferred_language", "account__preferred_language"
        )
    ):
        members[account_id].append((user_id, user_language or account_language or "en"))
    user_ids = sorted({user_id for people in members.values() for user_id, _ in people})
    if not user_ids:
        return 0
    channels = channels_by_user(user_ids, category)
    needs_address = {u for u in user_ids if channels[u] - {Channel.IN_APP}}
    addresses = primary_addresses(sorted(needs_address)) if needs_address else {}
    texting = [u for u in user_ids if Channel.SMS in channels[u]]
    quiet = (
        {q.user_id: q for q in QuietHours.objects.filter(user_id__in=texting)} if texting else {}
    )
    messages: list[Message] = []
    for notice in notices:
        rendered: dict[str, Rendered] = {}
        for user_id, language in members.get(notice.account_id, ()):
            reachable = [
                (channel, "" if channel == Channel.IN_APP else addresses.get((user_id, channel)))
                for channel in sorted(channels[user_id])
            ]
            reachable = [
                (channel, address) for channel, address in reachable if address is not None
            ]
            if not reachable:
                continue
            if language not in rendered:
                rendered[language] = render(
                    event=event,
                    language=language,
                    context=notice.context,
                    channels={c for u, _ in members[notice.account_id] for c in channels[u]},
                )
            for channel, address in reachable:
                messages.append(
                    _bulk_message(
                        user_id=user_id,
                        account_id=notice.account_id,
                        event=event,
                        category=category,
                        subject_key=notice.subject_key,
                        channel=channel,
                        address=address or "",
                        rendered=rendered[language],
                        language=language,
                        link=notice.link,
                        quiet=quiet.get(user_id),
                    )
                )
    with transaction.atomic():
        Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=1000)
        keys = [m.idempotency_key for m in messages if m.status == MessageStatus.PENDING]
        if keys:
            transaction.on_commit(lambda: deliver_new(keys))
    return len(messages)


def _bulk_message(
    *, user_id: int, account_id: int, quiet: QuietHours | None, **fields: Any
) -> Message:
    """``build_message`` for a person known by id, without reading their row."""
    message = build_message(user=User(pk=user_id), account=None, quiet=quiet, **fields)
    message.account_id = account_id
    return message


def deliver_new(keys: list[str]) -> None:
    """Queue the delivery of the pending messages with these idempotency keys."""
    ids = list(
        Message.objects.filter(idempotency_key__in=keys, status=MessageStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    if ids:
        enqueue_delivery(ids)


def enqueue_delivery(message_ids: list[int]) -> None:
    """Deliver ``message_ids`` in the background (at once without a broker)."""
    dispatch.deliver_later(message_ids)
