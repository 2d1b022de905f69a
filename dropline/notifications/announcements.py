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

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dropline.accounts.models import User
from dropline.core import audit, bulk, clock
from dropline.customers.models import CustomerAccount, ServiceArea
from dropline.notifications import dispatch
from dropline.notifications.bulk_notify import Notice, notify_many
from dropline.notifications.categories import Category
from dropline.notifications.models import (
    Announcement,
    AnnouncementStatus,
    FanOutChunk,
    Message,
)

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


def _told(announcement: Announcement, account_ids: list[int]) -> set[tuple[int, int]]:
    """The (account, person) pairs among these accounts sent the first notice: the
    follow-up goes to exactly them."""
    return set(
        Message.objects.filter(
            event=f"announcement.{INITIAL}",
            subject_key=subject_key(announcement),
            account_id__in=bulk.many(account_ids),
        ).values_list("account_id", "user_id")
    )


def fan_out_chunk(
    *, announcement_id: int, phase: str, after_account_id: int, size: int = CHUNK
) -> int | None:
    """Record the messages for the next ``size`` accounts; return the cursor for the
    next chunk, or None when every account has been reached.

    The messages go in through ``notify_many``: rows straight to the database, in a
    fixed number of queries whatever the chunk's size, the ones already recorded (a
    retried chunk) left out, and the pending ones queued for delivery on commit."""
    # with the outage it is for (its messages say whether the end is known): no query
    # of its own while rendering
    announcement = Announcement.objects.select_related("outage").get(pk=announcement_id)
    audience = accounts_reached if phase == INITIAL else accounts_notified
    account_ids = list(
        audience(announcement)
        .filter(pk__gt=after_account_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not account_ids:
        _finish(announcement, phase)
        return None
    key = subject_key(announcement)
    context = {"announcement": announcement}
    notices = [
        Notice(account_id=pk, subject_key=key, values={}, context=context) for pk in account_ids
    ]
    with transaction.atomic():
        notify_many(
            event=f"announcement.{phase}",
            category=Category.OUTAGES,
            notices=notices,
            only=_told(announcement, account_ids) if phase == RESOLVED else None,
        )
        if _record_chunk(announcement.pk, phase, after_account_id, len(account_ids)):
            counter = "accounts_done" if phase == INITIAL else "resolution_done"
            Announcement.objects.filter(pk=announcement.pk).update(
                **{counter: F(counter) + len(account_ids)}
            )
    return account_ids[-1]


def _record_chunk(announcement_id: int, phase: str, after_account_id: int, accounts: int) -> bool:
    """Record the chunk as done (one statement); False if it already was (a retry)."""
    table = connection.ops.quote_name(FanOutChunk._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608 - the name is the model's
            "(announcement_id, phase, after_account_id, accounts, done_at) "
            "VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (announcement_id, phase, after_account_id) DO NOTHING RETURNING id",
            [
                announcement_id,
                phase,
                after_account_id,
                accounts,
                connection.ops.adapt_datetimefield_value(clock.now()),
            ],
        )
        return cursor.fetchone() is not None


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
