"""The hourly sweep of ended sessions (``accounts.clear_ended_sessions``)."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from dropline.identity.tasks import clear_ended_sessions
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


def session(key: str, *, expires_in: dt.timedelta) -> str:
    Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + expires_in
    )
    return key


def listed(user: object, key: str) -> None:
    UserSession.objects.create(user=user, session_key=key, ip="203.0.113.7", user_agent="x")


def test_the_sweep_removes_ended_sessions_and_their_rows_and_keeps_live_ones():
    ann, bob = make_user(username="ann"), make_user(username="bob")
    live = session("live" * 8, expires_in=dt.timedelta(minutes=30))
    expired = session("expired" * 4, expires_in=-dt.timedelta(minutes=1))
    listed(ann, live)
    listed(ann, expired)
    listed(bob, "deleted" * 4)  # its session was deleted elsewhere

    assert clear_ended_sessions() == 2

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live]
    assert clear_ended_sessions() == 0  # nothing left to do


def test_the_sweep_runs_every_hour():
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-ended-sessions"]
    assert schedule["task"] == clear_ended_sessions.name
    assert schedule["schedule"] == 3600.0
