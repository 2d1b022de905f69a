"""``notify`` for many accounts at once, in a fixed number of queries.

A bulk caller (a bill run's chunk of a thousand invoices) hands ``notify_many`` one
``Notice`` per thing to tell an account's people. Each person gets a message on each
channel their preferences choose, in their language, exactly once: the rows go in
with one bulk insert that leaves out any idempotency key already recorded, and the
new ones are delivered after the caller's transaction commits.

Rendering a Django template per message would cost more than everything else, so a
notice's template is rendered once per language and shared ``context`` with each of
its per-notice ``values`` as a slot (``rendering.slot``), and each message fills the
slots in. Templates sent this way print those values as they are, with no filter: a
date is formatted, and a lazy translation (``gettext_lazy``, a ``lazy`` label) turned
into text, in the recipient's language before it goes in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from dropline.core import bulk, clock
from dropline.core.formatting import display_date
from dropline.customers.models import AccountMember
from dropline.notifications.categories import DEFAULTS, ESSENTIAL, Channel
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    MessageStatus,
    Preference,
    PushSubscription,
    QuietHours,
)
from dropline.notifications.outbox import enqueue_delivery, message_fields, message_key
from dropline.notifications.preferences import quiet_until
from dropline.notifications.rendering import Rendered, Stamp, render, slot

NO_ATTACHMENTS = "[]"  # JSON text, as COPY and SQLite take it

COLUMNS = (
    "idempotency_key",
    "user_id",
    "account_id",
    "event",
    "subject_key",
    "category",
    "channel",
    "to_address",
    "language",
    "subject",
    "body_text",
    "body_html",
    "attachments",
    "link",
    "status",
    "attempts",
    "not_before",
    "lease_until",
    "sent_at",
    "provider_reference",
    "last_error",
    "read_at",
    "created_at",
)
_KEY, _USER, _ACCOUNT, _ADDRESS, _NOT_BEFORE = (
    COLUMNS.index(column)
    for column in ("idempotency_key", "user_id", "account_id", "to_address", "not_before")
)


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell the people of one account.

    ``values`` differ from notice to notice (an invoice's number, its amount, a date, a
    label: ``str``, ``Money``, ``date`` or a lazy translation); ``context`` is what
    notices rendered alike share (hashable values, e.g. whether anything is due) and
    may drive the template's logic.
    """

    account_id: int
    subject_key: str
    values: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""


def channels_by_user(user_ids: Sequence[int], category: str) -> dict[int, set[str]]:
    """Each person's channels for ``category``: the defaults, overridden by their own
    choices (one query); every channel for an essential category."""
    if category in ESSENTIAL:
        return {user_id: set(Channel.values) for user_id in user_ids}
    chosen = {user_id: set(DEFAULTS[category]) for user_id in user_ids}
    for user_id, channel, enabled in Preference.objects.filter(
        user_id__in=bulk.many(user_ids), category=category
    ).values_list("user_id", "channel", "enabled"):
        (chosen[user_id].add if enabled else chosen[user_id].discard)(channel)
    return chosen


def primary_addresses(user_ids: Sequence[int]) -> dict[tuple[int, str], str]:
    """(person, channel) -> the primary verified, deliverable address; "" for push when
    the person has a device for it (two queries)."""
    rows = (
        ContactPoint.objects.filter(
            user_id__in=bulk.many(user_ids), verified_at__isnull=False, status=ContactStatus.OK
        )
        .order_by("user_id", "kind", "-is_primary", "id")
        .values_list("user_id", "kind", "address")
    )
    found: dict[tuple[int, str], str] = {}
    for user_id, kind, address in rows:
        channel = Channel.EMAIL if kind == ContactKind.EMAIL else Channel.SMS
        found.setdefault((user_id, channel), address)
    pushed = PushSubscription.objects.filter(user_id__in=bulk.many(user_ids)).values_list(
        "user_id", flat=True
    )
    for user_id in pushed.distinct():
        found[(user_id, Channel.PUSH)] = ""
    return found


class _Formatter:
    """Per-notice values as text in a language; a date formatted, and a lazy translation
    evaluated, once per language (one lazy label shared by many notices, a window's or
    a choice's, costs one evaluation per language)."""

    def __init__(self) -> None:
        self._dates: dict[tuple[dt.date, str], str] = {}
        # A lazy value is known by its identity (its hash would evaluate it); the value
        # is kept with its text so that identity is not handed to another meanwhile.
        self._lazy: dict[tuple[int, str], tuple[Promise, str]] = {}

    def text(self, value: Any, language: str) -> str:
        if isinstance(value, dt.date):
            key = (value, language)
            if key not in self._dates:
                with translation.override(language):
                    self._dates[key] = display_date(value)
            return self._dates[key]
        if isinstance(value, Promise):
            known = self._lazy.get((id(value), language))
            if known is None:
                with translation.override(language):
                    known = self._lazy[(id(value), language)] = (value, str(value))
            return known[1]
        return str(value)


def notify_many(
    *,
    event: str,
    category: str,
    notices: Sequence[Notice],
    only: Collection[tuple[int, int]] | None = None,
    tally: Counter[str] | None = None,
) -> int:
    """Tell every member of each notice's account (or, with ``only``, just the members
    among those (account, person) pairs), on the channels their preferences choose, in
    their language; returns how many messages were asked for (those already recorded
    are left as they are), and adds them to ``tally`` by subject key when given.
    Queries: members, preferences, addresses, quiet hours, the insert, whatever the
    number of notices."""
    if not notices:
        return 0
    account_ids = sorted({notice.account_id for notice in notices})
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for account_id, user_id, user_language, account_language in (
        AccountMember.objects.filter(account_id__in=bulk.many(account_ids))
        .order_by("account_id", "id")
        .values_list(
            "account_id", "user_id", "user__preferred_language", "account__preferred_language"
        )
    ):
        if only is None or (account_id, user_id) in only:
            members[account_id].append((user_id, user_language or account_language or "en"))
    user_ids = sorted({user_id for people in members.values() for user_id, _ in people})
    if not user_ids:
        return 0
    channels = channels_by_user(user_ids, category)
    needs_address = [u for u in user_ids if channels[u] - {Channel.IN_APP}]
    addresses = primary_addresses(needs_address) if needs_address else {}
    texting = [u for u in user_ids if Channel.SMS in channels[u]]
    quiet = (
        {q.user_id: q for q in QuietHours.objects.filter(user_id__in=bulk.many(texting))}
        if texting
        else {}
    )
    now = clock.now()
    formatter = _Formatter()
    stamps: dict[tuple[Any, ...], Stamp] = {}
    # A message's columns but its person, account, address, key and (for an SMS in
    # quiet hours) when to send: the same for everyone told the same thing.
    alike: dict[tuple[Any, ...], list[Any]] = {}
    holds_sms = category not in ESSENTIAL
    order = {user_id: sorted(channels[user_id]) for user_id in user_ids}
    rows: list[list[Any]] = []
    keys_seen: set[str] = set()
    for notice in notices:
        filled: dict[str, Rendered] = {}
        for user_id, language in members.get(notice.account_id, ()):
            for channel in order[user_id]:
                address = "" if channel == Channel.IN_APP else addresses.get((user_id, channel))
                if address is None:
                    continue
                key = message_key(
                    event=event, subject_key=notice.subject_key, user_id=user_id, channel=channel
                )
                if key in keys_seen:
                    continue  # a person in two of these accounts is told once
                keys_seen.add(key)
                if language not in filled:
                    filled[language] = _rendered(
                        event, notice, language, stamps=stamps, formatter=formatter
                    )
                rendered = filled[language]
                like = (rendered, notice.subject_key, notice.link, language, channel)
                base = alike.get(like)
                if base is None:
                    base = alike[like] = _columns(
                        event=event,
                        category=category,
                        notice=notice,
                        channel=channel,
                        rendered=rendered,
                        language=language,
                        now=now,
                    )
                row = base.copy()
                row[_KEY] = key
                row[_USER] = user_id
                row[_ACCOUNT] = notice.account_id
                row[_ADDRESS] = address
                if channel == Channel.SMS and holds_sms and user_id in quiet:
                    row[_NOT_BEFORE] = quiet_until(quiet[user_id], now) or now
                rows.append(row)
                if tally is not None:
                    tally[notice.subject_key] += 1
    if not rows:
        return 0
    with transaction.atomic(savepoint=False):
        bulk.insert_rows(Message, COLUMNS, rows, ignore_conflicts=True)
        status = COLUMNS.index("status")
        keys = [row[0] for row in rows if row[status] == MessageStatus.PENDING]
        if keys:
            transaction.on_commit(lambda: deliver_new(keys))
    return len(rows)


def _columns(
    *,
    event: str,
    category: str,
    notice: Notice,
    channel: str,
    rendered: Rendered,
    language: str,
    now: dt.datetime,
) -> list[Any]:
    """A message's values in the order of ``COLUMNS``, person and address left blank."""
    fields = message_fields(
        user_id=0,
        event=event,
        category=category,
        subject_key=notice.subject_key,
        channel=channel,
        address="",
        rendered=rendered,
        language=language,
        link=notice.link,
        quiet=None,
        now=now,
    )
    fields.update(
        user_id=None,
        account_id=None,
        attempts=0,
        lease_until=None,
        provider_reference="",
        last_error="",
        read_at=None,
        # Every column is written: a raw insert leaves no model default behind
        # (and SQLite's INSERT OR IGNORE would drop a row missing a NOT NULL one).
        attachments=NO_ATTACHMENTS,
    )
    return [fields[column] for column in COLUMNS]


def _rendered(
    event: str,
    notice: Notice,
    language: str,
    *,
    stamps: dict[tuple[Any, ...], Stamp],
    formatter: _Formatter,
) -> Rendered:
    """The notice's message in ``language``: the template rendered once per language and
    shared context (with slots), the notice's values filled in."""
    key = (language, tuple(sorted(notice.context.items())), tuple(sorted(notice.values)))
    if key not in stamps:
        stamps[key] = Stamp(
            render(
                event=event,
                language=language,
                context={**notice.context, **{name: slot(name) for name in notice.values}},
            )
        )
    if not notice.values:  # the same message for every notice (an announcement's)
        return stamps[key].filled()
    return stamps[key].fill(
        {name: formatter.text(value, language) for name, value in notice.values.items()}
    )


def deliver_new(keys: list[str]) -> None:
    """Queue the delivery of the pending messages with these idempotency keys."""
    ids = list(
        Message.objects.filter(
            idempotency_key__in=bulk.many(keys, "text"), status=MessageStatus.PENDING
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    if ids:
        enqueue_delivery(ids)
