"""The cheaper paths a sign-in takes keep every promise of the slower ones.

At a sign-in, Dropline's own receiver adds the session to the person's list in place
of allauth.usersessions' receiver, with one INSERT (ended sessions are never listed and
the hourly sweep removes their rows); and the
security event asks one question for a device seen before. Speed is measured by
``bench/login.py``; these tests check behaviour and query counts only.
"""

from __future__ import annotations

import datetime as dt
import weakref

import pytest
from allauth.account import signals as account_signals
from allauth.usersessions import signals as usersessions_signals
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.identity import receivers
from dropline.identity.security_events import alerts
from dropline.identity.security_events import record as security_events
from dropline.identity.sessions import active_sessions, purge_ended_sessions, track_sign_in
from dropline.identity.tasks import clear_ended_sessions
from dropline.notifications.models import Message
from tests.support.factories import PASSWORD, Customer, make_customer

pytestmark = pytest.mark.django_db

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
LOGIN = "/accounts/login/"


@pytest.fixture
def ann() -> Customer:
    return make_customer(username="ann")


def sign_in(*, user_agent: str = CHROME_WINDOWS, ip: str = "198.51.100.7") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"login": "ann", "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] != LOGIN
    return client


def live_session_row(user: User, *, expires_in: dt.timedelta) -> UserSession:
    """A session of ``user`` with its list row, ending ``expires_in`` from now."""
    store = SessionStore()
    store.set_expiry(int(expires_in.total_seconds()))
    store.create()
    if expires_in.total_seconds() <= 0:
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() + expires_in
        )
    return UserSession.objects.create(
        user=user, session_key=store.session_key, ip="192.0.2.1", user_agent=FIREFOX_LINUX
    )


# --- the session list at sign-in ---------------------------------------------------------


def test_allauths_sign_in_receiver_is_replaced_by_droplines() -> None:
    connected = [
        ref() if isinstance(ref, weakref.ReferenceType) else ref
        for _key, ref, *_rest in account_signals.user_logged_in.receivers
    ]
    assert usersessions_signals.on_user_logged_in not in connected
    assert receivers.on_user_logged_in in connected


def test_a_sign_in_adds_exactly_one_row_with_address_and_browser(ann: Customer) -> None:
    client = sign_in(ip="203.0.113.20")

    rows = list(UserSession.objects.filter(user=ann.user))
    assert len(rows) == 1
    assert rows[0].session_key == client.session.session_key
    assert rows[0].ip == "203.0.113.20"
    assert rows[0].user_agent == CHROME_WINDOWS
    listed = active_sessions(user=ann.user, current_session_key=client.session.session_key)
    assert [s.device_label for s in listed] == ["Chrome on Windows"]


def test_ended_sessions_are_never_listed_and_the_sweep_removes_their_rows(ann: Customer) -> None:
    expired = live_session_row(ann.user, expires_in=-dt.timedelta(minutes=1))
    deleted = live_session_row(ann.user, expires_in=dt.timedelta(hours=1))
    Session.objects.filter(session_key=deleted.session_key).delete()
    other_device = sign_in(user_agent=FIREFOX_LINUX)

    this_one = sign_in()

    listed = active_sessions(user=ann.user, current_session_key=this_one.session.session_key)
    assert [s.device_label for s in listed] == ["Chrome on Windows", "Firefox on Linux"]
    clear_ended_sessions()
    keys = set(UserSession.objects.filter(user=ann.user).values_list("session_key", flat=True))
    assert keys == {other_device.session.session_key, this_one.session.session_key}
    assert expired.session_key not in keys


def test_purging_is_one_statement_however_many_sessions_ended(ann: Customer) -> None:
    for _ in range(2):
        live_session_row(ann.user, expires_in=-dt.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as few:
        purge_ended_sessions(user=ann.user)
    for _ in range(20):
        live_session_row(ann.user, expires_in=-dt.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as many:
        purge_ended_sessions(user=ann.user)

    assert len(many) == len(few)
    assert not UserSession.objects.filter(user=ann.user).exists()


def test_purging_leaves_other_peoples_sessions_alone(ann: Customer) -> None:
    ned = make_customer(username="ned", name="Ned Household")
    theirs = live_session_row(ned.user, expires_in=-dt.timedelta(minutes=1))

    purge_ended_sessions(user=ann.user)

    assert UserSession.objects.filter(pk=theirs.pk).exists()


def test_tracking_a_session_that_already_has_a_row_updates_it(ann: Customer) -> None:
    request = RequestFactory().post(LOGIN, HTTP_USER_AGENT=CHROME_WINDOWS, REMOTE_ADDR="192.0.2.9")
    request.session = SessionStore()
    request.session.create()
    request.user = ann.user
    UserSession.objects.create(
        user=ann.user, session_key=request.session.session_key, ip="192.0.2.1", user_agent="x"
    )

    track_sign_in(request=request, user=ann.user)

    row = UserSession.objects.get(session_key=request.session.session_key)
    assert (row.ip, row.user_agent) == ("192.0.2.9", CHROME_WINDOWS)


def test_ending_a_session_tracked_at_sign_in_signs_it_out(ann: Customer) -> None:
    laptop = sign_in(user_agent=FIREFOX_LINUX)
    phone = sign_in()
    row = UserSession.objects.get(session_key=laptop.session.session_key)

    response = phone.post(f"/security/sessions/{row.pk}/end/")

    assert response.status_code in {200, 302}
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200


# --- the sign-in's security event ----------------------------------------------------------


def test_a_sign_in_from_a_known_device_asks_one_question(ann: Customer) -> None:
    sign_in()
    request = RequestFactory().post(LOGIN, HTTP_USER_AGENT=CHROME_WINDOWS, REMOTE_ADDR="192.0.2.9")

    with CaptureQueriesContext(connection) as queries:
        event = security_events.signed_in(request=request, user=ann.user)

    assert len(queries) == 2  # the known-device look-up, the event's row
    assert (event.ip, event.browser, event.os) == ("192.0.2.9", "Chrome", "Windows")
    assert event.data == {}


def test_a_new_device_is_still_alerted_and_a_first_sign_in_is_not(ann: Customer) -> None:
    sign_in()
    assert not Message.objects.filter(user=ann.user, event=alerts.NEW_DEVICE_ALERT)

    sign_in(user_agent=FIREFOX_LINUX)

    event = SecurityEvent.objects.filter(user=ann.user, kind=SecurityEventKind.SIGN_IN).latest("at")
    assert event.data == {"new_device": True}
    assert Message.objects.filter(user=ann.user, event=alerts.NEW_DEVICE_ALERT).exists()
