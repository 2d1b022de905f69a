"""Outage and maintenance announcements, fanned out in bounded chunks.

Staff create an announcement for some service areas; sending walks the
accounts in those areas in primary-key order, ``CHUNK`` at a time, each chunk
its own transaction and its own task, so a million accounts never make one
giant request or transaction. Messages carry idempotency keys, so a chunk that
runs twice (a worker died, a task was retried) adds nothing.

Creating, sending and resolving are audited (``announcement.created``, ``.sent``,
``.resolved``) in the same transaction as the change, with the staff request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, clock
from dropline.customers.models import AccountMember, CustomerAccount, ServiceArea
from dropline.notifications import dispatch
from dropline.notifications.bulk_notify import primary_addresses
from dropline.notifications.categories import DEFAULTS, Category
from dropline.notifications.models import (
    Announcement,
    AnnouncementStatus,
    FanOutChunk,
    Message,
    MessageStatus,
    Preference,
    QuietHours,
)
from dropline.notifications.outbox import build_message, enqueue_delivery
from dropline.notifications.rendering import render

CHUNK = 1000
INITIAL = "notice"
RESOLVED = "resolved"


class AnnouncementError(ValueError):
    pass


def create_announcement(
    *,
    kind: str,
    areas: Iterable[ServiceArea],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    title_en: str,
    title_es: str,
    body_en: str,
    body_es: str,
    created_by: User | None,
    request: HttpRequest | None = None,
) -> Announcement:
    areas = list(areas)
    if not areas:
        raise AnnouncementError(_("Choose at least one service area."))
    if ends_at <= starts_at:
        raise AnnouncementError(_("The end must be after the start."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise AnnouncementError(_("The start and end need a time zone."))
    with transaction.atomic():
        announcement = Announcement.objects.create(
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            title_en=title_en,
            title_es=title_es,
            body_en=body_en,
            body_es=body_es,
            created_by=created_by,
            created_at=clock.now(),
        )
        announcement.areas.set(areas)
        audit.record(
            action="announcement.created",
            request=request,
            actor=created_by,
            target=announcement,
            data={"kind": announcement.kind, "areas": [area.code for area in areas]},
        )
    return announcement


def subject_key(announcement: Announcement) -> str:
    return f"announcement:{announcement.pk}"


def accounts_notified(announcement: Announcement) -> QuerySet[CustomerAccount]:
    """The accounts whose people were sent the first notice: the follow-up goes to them."""
    notified = Message.objects.filter(
        event=f"announcement.{INITIAL}", subject_key=subject_key(announcement)
    ).values("account_id")
    return CustomerAccount.objects.filter(pk__in=notified)


def accounts_reached(announcement: Announcement) -> QuerySet[CustomerAccount]:
    return CustomerAccount.objects.filter(
        service_address__service_area__in=announcement.areas.all()
    ).exclude(status="closed")


def start_sending(*, announcement: Announcement, request: HttpRequest | None = None) -> None:
    """Mark the announcement as sending and queue its first chunk; audited, with the
    number of accounts it will reach."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.status != AnnouncementStatus.DRAFT:
            raise AnnouncementError(_("This announcement has already been sent."))
        locked.status = AnnouncementStatus.SENDING
        locked.sent_at = clock.now()
        locked.accounts_total = accounts_reached(locked).count()
        locked.save(update_fields=["status", "sent_at", "accounts_total"])
        audit.record(
            action="announcement.sent",
            request=request,
            target=locked,
            data={"accounts_total": locked.accounts_total},
        )
        transaction.on_commit(lambda: _queue(locked.pk, INITIAL))


def resolve(
    *,
    announcement: Announcement,
    resolution_en: str,
    resolution_es: str,
    request: HttpRequest | None = None,
) -> None:
    """Send the "resolved" follow-up to the same people; audited, with how many
    accounts it goes to."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.status != AnnouncementStatus.SENT:
            raise AnnouncementError(_("Only a sent announcement can be resolved."))
        locked.status = AnnouncementStatus.RESOLVED
        locked.resolved_at = clock.now()
        locked.resolution_en = resolution_en
        locked.resolution_es = resolution_es
        locked.resolution_total = accounts_notified(locked).count()
        locked.save(
            update_fields=[
                "status",
                "resolved_at",
                "resolution_en",
                "resolution_es",
                "resolution_total",
            ]
        )
        audit.record(
            action="announcement.resolved",
            request=request,
            target=locked,
            data={"resolution_total": locked.resolution_total},
        )
        transaction.on_commit(lambda: _queue(locked.pk, RESOLVED))


def reschedule(
    *, announcement: Announcement, ends_at: dt.datetime, request: HttpRequest | None = None
) -> None:
    """Move the end of a notice's window (an outage's new expected end), so the banner
    shows it as long as it lasts; no one is messaged again. Audited."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.status == AnnouncementStatus.RESOLVED:
            raise AnnouncementError(_("This announcement is resolved."))
        if ends_at <= locked.starts_at:
            raise AnnouncementError(_("The end must be after the start."))
        previous, locked.ends_at = locked.ends_at, ends_at
        locked.save(update_fields=["ends_at"])
        audit.record(
            action="announcement.rescheduled",
            request=request,
            target=locked,
            data={"from": previous.isoformat(), "to": ends_at.isoformat()},
        )


def _queue(announcement_id: int, phase: str) -> None:
    dispatch.fan_out_later(announcement_id, phase, 0)


def _recipients(
    announcement: Announcement, phase: str, account_ids: list[int]
) -> list[tuple[int, User]]:
    """The people to tell, with their account: every member for the first notice;
    for the follow-up, exactly the people who were sent the first notice."""
    members = AccountMember.objects.filter(account_id__in=account_ids).select_related("user")
    if phase == RESOLVED:
        told = set(
            Message.objects.filter(
                event=f"announcement.{INITIAL}",
                subject_key=subject_key(announcement),
                account_id__in=account_ids,
            ).values_list("account_id", "user_id")
        )
        return [(m.account_id, m.user) for m in members if (m.account_id, m.user_id) in told]
    return [(m.account_id, m.user) for m in members]


def fan_out_chunk(
    *, announcement_id: int, phase: str, after_account_id: int, size: int = CHUNK
) -> int | None:
    """Record the messages for the next ``size`` accounts; return the cursor for the
    next chunk, or None when every account has been reached."""
    announcement = Announcement.objects.get(pk=announcement_id)
    audience = accounts_reached if phase == INITIAL else accounts_notified
    accounts = list(
        audience(announcement)
        .filter(pk__gt=after_account_id)
        .order_by("pk")
        .values_list("pk", "preferred_language")[:size]
    )
    if not accounts:
        _finish(announcement, phase)
        return None
    account_ids = [pk for pk, _ in accounts]
    account_language = dict(accounts)
    recipients = _recipients(announcement, phase, account_ids)
    user_ids = [user.pk for _, user in recipients]
    addresses = primary_addresses(user_ids)
    quiet = {q.user_id: q for q in QuietHours.objects.filter(user_id__in=user_ids)}
    channels = _outage_channels(user_ids)
    event = f"announcement.{phase}"
    rendered_by_language = {}
    messages: list[Message] = []
    for account_id, user in recipients:
        language = user.preferred_language or account_language[account_id] or "en"
        if language not in rendered_by_language:
            rendered_by_language[language] = render(
                event=event, language=language, context={"announcement": announcement}
            )
        for channel in sorted(channels[user.pk]):
            address = "" if channel == "in_app" else addresses.get((user.pk, channel))
            if address is None:
                continue
            message = build_message(
                user=user,
                account=None,
                event=event,
                category=Category.OUTAGES,
                subject_key=subject_key(announcement),
                channel=channel,
                address=address,
                rendered=rendered_by_language[language],
                language=language,
                link="",
                quiet=quiet.get(user.pk),
            )
            message.account_id = account_id
            messages.append(message)
    with transaction.atomic():
        Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=1000)
        _, first_time = FanOutChunk.objects.get_or_create(
            announcement=announcement,
            phase=phase,
            after_account_id=after_account_id,
            defaults={"accounts": len(accounts), "done_at": clock.now()},
        )
        if first_time:
            counter = "accounts_done" if phase == INITIAL else "resolution_done"
            Announcement.objects.filter(pk=announcement.pk).update(
                **{counter: F(counter) + len(accounts)}
            )
        keys = [m.idempotency_key for m in messages if m.status == MessageStatus.PENDING]
        if keys:
            transaction.on_commit(lambda: _deliver_keys(keys))
    return account_ids[-1]


def _deliver_keys(keys: list[str]) -> None:
    ids = list(
        Message.objects.filter(idempotency_key__in=keys, status=MessageStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    if ids:
        enqueue_delivery(ids)


def _outage_channels(user_ids: list[int]) -> dict[int, set[str]]:
    """Each person's channels for outage notices, defaults overridden by their choices."""
    chosen = {user_id: set(DEFAULTS[Category.OUTAGES]) for user_id in user_ids}
    for user_id, channel, enabled in Preference.objects.filter(
        user_id__in=user_ids, category=Category.OUTAGES
    ).values_list("user_id", "channel", "enabled"):
        (chosen[user_id].add if enabled else chosen[user_id].discard)(channel)
    return chosen


def _finish(announcement: Announcement, phase: str) -> None:
    if phase == INITIAL:
        Announcement.objects.filter(pk=announcement.pk, status=AnnouncementStatus.SENDING).update(
            status=AnnouncementStatus.SENT
        )


def active_for_area(*, service_area_id: int, at: dt.datetime | None = None) -> list[Announcement]:
    """Announcements whose window covers ``at`` (now), for a portal banner."""
    moment = at or clock.now()
    return list(
        Announcement.objects.filter(
            areas__id=service_area_id,
            status__in=[AnnouncementStatus.SENDING, AnnouncementStatus.SENT],
            starts_at__lte=moment,
            ends_at__gt=moment,
        ).order_by("starts_at")
    )
