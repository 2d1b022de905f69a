"""Background work for sign-in: housekeeping of sessions, texting reset codes."""

from __future__ import annotations

import logging
from importlib import import_module

from allauth.usersessions.models import UserSession
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session

from dropline.accounts import sealed
from dropline.identity.sessions import keeps_sessions_in_database
from dropline.notifications.channels.email import EmailDeliveryError, send_email
from dropline.notifications.channels.sms import SmsError, gateway

logger = logging.getLogger(__name__)


@shared_task(name="accounts.clear_ended_sessions")
def clear_ended_sessions() -> int:
    """Delete expired sessions and the session-list rows of sessions that no longer exist.

    Nothing else removes them: Django leaves expired sessions in place until this runs,
    and a row in a person's session list is otherwise removed only when they look at
    the list. Run hourly by Celery beat; without a broker,
    ``dropline clearsessions`` from cron does the first half. Returns the rows removed
    from the session list.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    if not keeps_sessions_in_database():
        return 0
    live = Session.objects.values("session_key")
    removed, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return removed


@shared_task(name="accounts.send_reset_code_text", acks_late=True)
def send_reset_code_text(
    *, user_id: int, phone: str, sealed_body: str, idempotency_key: str
) -> bool:
    """Text a password-reset code, away from the request that asked for it.

    The request then takes as long whether or not it found a login with a phone (the
    gateway's round trip would tell them apart), and the code crosses the broker only
    sealed. A failed send is logged for staff, never retried: the person asks again.
    """
    try:
        gateway().send(to=phone, body=sealed.unseal(sealed_body), idempotency_key=idempotency_key)
    except SmsError as exc:
        logger.warning("password reset code not sent to user %s: %s", user_id, exc)
        return False
    return True


@shared_task(name="accounts.send_recovery_email", acks_late=True)
def send_recovery_email(
    *, to: str, subject: str, sealed_text: str, sealed_html: str, message_id: str, kind: str
) -> bool:
    """Send a password-reset (or "no login uses this address") email away from the
    request, for the same reasons as ``send_reset_code_text``: its link and code
    cross the broker sealed, and the request's time says nothing of what was found."""
    try:
        send_email(
            to=to,
            subject=subject,
            body_text=sealed.unseal(sealed_text),
            body_html=sealed.unseal(sealed_html),
            message_id=message_id,
            unsubscribe_url=None,
        )
    except EmailDeliveryError as exc:
        logger.warning("%s email not sent: %s", kind, exc)
        return False
    return True
