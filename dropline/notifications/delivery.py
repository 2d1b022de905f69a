"""Delivering outbox messages: claim, send, record the attempt, retry with backoff.

A message is claimed with one conditional UPDATE, so two workers never send it
at the same time. The claim is a lease: if a worker dies mid-delivery the lease
runs out and the message can be claimed again; the provider sees the same
idempotency key (SMS) or Message-ID (email) both times, and a push message goes
only to the devices that have not taken it yet (``push_sending``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q

from dropline.core import clock
from dropline.notifications import push_sending
from dropline.notifications.categories import ESSENTIAL, Channel
from dropline.notifications.channels.email import (
    EmailDeliveryError,
    PermanentEmailError,
    send_email,
)
from dropline.notifications.channels.push import PermanentPushError, PushError
from dropline.notifications.channels.sms import PermanentSmsError, SmsError, gateway
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    DeliveryAttempt,
    Message,
    MessageStatus,
    QuietHours,
)
from dropline.notifications.preferences import quiet_until
from dropline.notifications.unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = [30, 120, 600, 1800, 7200]


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None


class PermanentDeliveryError(Exception):
    pass


def claim(message_id: int) -> bool:
    """Take the message for sending if it is due and nobody holds it; a lost lease is
    taken over only while attempts remain."""
    now = clock.now()
    due = Q(status=MessageStatus.PENDING, not_before__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lt=now, attempts__lt=MAX_ATTEMPTS
    )
    return bool(
        Message.objects.filter(due, pk=message_id).update(
            status=MessageStatus.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
        )
    )


def _send(message: Message) -> str:
    if message.channel == Channel.EMAIL:
        try:
            return send_email(
                to=message.to_address,
                subject=message.subject,
                body_text=message.body_text,
                body_html=message.body_html,
                message_id=f"<{message.idempotency_key.replace(':', '.')}@dropline>",
                attachments=message.attachments,
                unsubscribe_url=(
                    None
                    if message.category in ESSENTIAL
                    else unsubscribe_url(user_id=message.user_id, category=message.category)
                ),
            )
        except PermanentEmailError as exc:
            raise PermanentDeliveryError(str(exc)) from exc
    if message.channel == Channel.SMS:
        try:
            return gateway().send(
                to=message.to_address,
                body=message.body_text,
                idempotency_key=message.idempotency_key,
            )
        except PermanentSmsError as exc:
            raise PermanentDeliveryError(str(exc)) from exc
    if message.channel == Channel.PUSH:
        try:
            return push_sending.send(message, last_attempt=message.attempts >= MAX_ATTEMPTS)
        except PermanentPushError as exc:
            raise PermanentDeliveryError(str(exc)) from exc
    raise PermanentDeliveryError(f"channel {message.channel!r} is not delivered by workers")


def _mark_contact_undeliverable(message: Message, reason: str) -> None:
    if message.channel not in (Channel.EMAIL, Channel.SMS):
        return  # a push device that refused is marked by ``push_sending``
    kind = ContactKind.EMAIL if message.channel == Channel.EMAIL else ContactKind.PHONE
    ContactPoint.objects.filter(
        user_id=message.user_id, kind=kind, address=message.to_address
    ).update(status=ContactStatus.UNDELIVERABLE, failure_reason=reason[:200], failed_at=clock.now())


def deliver(message_id: int) -> Outcome:
    """Try to deliver one message now; say whether and when to try again."""
    if not claim(message_id):
        status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return Outcome(status=status or "missing")
    message = Message.objects.get(pk=message_id)
    now = clock.now()
    held_until = _held_by_quiet_hours(message, now)
    if held_until is not None:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.PENDING,
            lease_until=None,
            not_before=held_until,
            attempts=F("attempts") - 1,
        )
        return Outcome(
            status=MessageStatus.PENDING, retry_in=int((held_until - now).total_seconds())
        )
    try:
        reference = _send(message)
    except PermanentDeliveryError as exc:
        with transaction.atomic():
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED, lease_until=None, last_error=str(exc)[:300]
            )
            DeliveryAttempt.objects.create(
                message=message, at=now, succeeded=False, detail=str(exc)[:300]
            )
            _mark_contact_undeliverable(message, str(exc))
        logger.warning("message %s undeliverable: %s", message.pk, exc)
        return Outcome(status=MessageStatus.FAILED)
    except Exception as exc:  # temporary (or unforeseen): retried with backoff, bounded
        if not isinstance(exc, EmailDeliveryError | SmsError | PushError):
            logger.exception("unexpected error delivering message %s", message.pk)
        give_up = message.attempts >= MAX_ATTEMPTS
        wait = BACKOFF_SECONDS[min(message.attempts - 1, len(BACKOFF_SECONDS) - 1)]
        with transaction.atomic():
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED if give_up else MessageStatus.PENDING,
                lease_until=None,
                not_before=now + dt.timedelta(seconds=wait),
                last_error=str(exc)[:300],
            )
            DeliveryAttempt.objects.create(
                message=message, at=now, succeeded=False, detail=str(exc)[:300]
            )
        logger.info("message %s attempt %s failed: %s", message.pk, message.attempts, exc)
        if give_up:
            return Outcome(status=MessageStatus.FAILED)
        return Outcome(status=MessageStatus.PENDING, retry_in=wait)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT,
            lease_until=None,
            sent_at=now,
            provider_reference=reference[:100],
            last_error="",
        )
        DeliveryAttempt.objects.create(
            message=message, at=now, succeeded=True, detail=reference[:300]
        )
    return Outcome(status=MessageStatus.SENT)


def _held_by_quiet_hours(message: Message, now: dt.datetime) -> dt.datetime | None:
    """A non-security SMS that falls due inside the person's quiet hours waits for their end,
    however it came to be due now (a backlog, a retry, a lost lease)."""
    if message.channel != Channel.SMS or message.category in ESSENTIAL:
        return None
    return quiet_until(QuietHours.objects.filter(user_id=message.user_id).first(), now)


def fail_abandoned(*, now: dt.datetime) -> int:
    """Messages whose last worker died holding them after their final attempt: failed."""
    return Message.objects.filter(
        status=MessageStatus.SENDING, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).update(
        status=MessageStatus.FAILED, lease_until=None, last_error="no answer after the last attempt"
    )


def due_message_ids(*, limit: int = 500) -> list[int]:
    now = clock.now()
    fail_abandoned(now=now)
    return list(
        Message.objects.filter(
            Q(status=MessageStatus.PENDING, not_before__lte=now)
            | Q(status=MessageStatus.SENDING, lease_until__lt=now, attempts__lt=MAX_ATTEMPTS)
        )
        .exclude(channel=Channel.IN_APP)
        .order_by("not_before", "id")
        .values_list("pk", flat=True)[:limit]
    )
