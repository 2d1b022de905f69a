"""Housekeeping for signed-in sessions."""

from __future__ import annotations

from importlib import import_module

from allauth.usersessions.models import UserSession
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session

from dropline.accounts.sessions import keeps_sessions_in_database


@shared_task(name="accounts.clear_ended_sessions")
def clear_ended_sessions() -> int:
    """Delete expired sessions and the session-list rows of sessions that no longer exist.

    Nothing else removes them: Django leaves expired sessions in place until this runs,
    and a row in a person's session list is otherwise removed only when they next sign
    in or look at the list. Run hourly by Celery beat; without a broker,
    ``dropline clearsessions`` from cron does the first half. Returns the rows removed
    from the session list.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    if not keeps_sessions_in_database():
        return 0
    live = Session.objects.values("session_key")
    removed, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return removed
