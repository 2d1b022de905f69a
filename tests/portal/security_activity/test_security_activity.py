"""The customer's "Security activity" page: their own events only, newest first, with
when (in the provider's time zone), what, the device and the IP address; this
device's events marked; bounded pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.core import clock
from dropline.identity.security_events.search import events_for
from tests.support.factories import PASSWORD, make_customer

pytestmark = pytest.mark.django_db

Kind = SecurityEventKind
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
ACTIVITY = "/security/activity/"


def event(user: User, kind: str, *, at: dt.datetime, ip: str, user_agent: str, **data: object):
    from dropline.accounts.devices import parse_user_agent

    device = parse_user_agent(user_agent)
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        at=at,
        ip=ip,
        user_agent=user_agent,
        browser=device.browser,
        os=device.os,
        device_fingerprint=device.fingerprint,
        data=data,
    )


def signed_in_client(user: User, user_agent: str = CHROME_WINDOWS) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    client.force_login(user)
    return client


def test_the_url_is_where_the_portal_links_to():
    assert reverse("security_activity:index") == ACTIVITY


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(ACTIVITY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_lists_the_persons_events_newest_first_with_device_and_ip():
    ann = make_customer(username="ann").user
    start = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    event(ann, Kind.SIGN_IN, at=start, ip="198.51.100.7", user_agent=CHROME_WINDOWS)
    event(
        ann,
        Kind.SIGN_IN_FAILED,
        at=start + dt.timedelta(hours=1),
        ip="203.0.113.50",
        user_agent=FIREFOX_LINUX,
        reason="wrong_password",
    )
    event(
        ann,
        Kind.SECOND_FACTOR_ADDED,
        at=start + dt.timedelta(hours=2),
        ip="198.51.100.7",
        user_agent=CHROME_WINDOWS,
        method="totp",
    )

    response = signed_in_client(ann).get(ACTIVITY)

    assert response.status_code == 200
    page = response.content.decode()
    order = [
        page.index("Second factor added: authenticator app"),
        page.index("Failed sign-in: wrong password"),
        page.index("Signed in"),
    ]
    assert order == sorted(order)
    assert "Firefox on Linux" in page
    assert "203.0.113.50" in page
    assert "Chrome on Windows" in page
    assert page.count("This device") == 2  # the two Chrome-on-Windows events
    assert '<th scope="col">IP address</th>' in page


def test_another_persons_events_never_appear():
    ann = make_customer(username="ann").user
    ned = make_customer(username="ned").user
    now = clock.now()
    event(ann, Kind.SIGN_IN, at=now, ip="198.51.100.1", user_agent=CHROME_WINDOWS)
    event(ned, Kind.SIGN_IN, at=now, ip="192.0.2.222", user_agent=FIREFOX_LINUX)
    event(ned, Kind.PASSWORD_CHANGED, at=now, ip="192.0.2.223", user_agent=FIREFOX_LINUX)
    SecurityEvent.objects.create(
        user=None, kind=Kind.SIGN_IN_FAILED, at=now, ip="192.0.2.224", data={}
    )

    page = signed_in_client(ann).get(ACTIVITY).content.decode()

    assert "198.51.100.1" in page
    for other in ("192.0.2.222", "192.0.2.223", "192.0.2.224", "Firefox on Linux"):
        assert other not in page
    assert "Password changed" not in page


def test_times_are_shown_in_the_providers_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    ann = make_customer(username="ann").user
    event(
        ann,
        Kind.SIGN_IN,
        at=dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC),
        ip="198.51.100.7",
        user_agent=CHROME_WINDOWS,
    )
    page = signed_in_client(ann).get(ACTIVITY).content.decode()
    assert "Jan. 15, 2025, 10 a.m." in page
    assert 'datetime="2025-01-15T10:00:00-06:00"' in page
    assert "Times are in Central time." in page
    assert "America/Chicago" not in page


def test_a_real_sign_in_appears_marked_as_this_device():
    ann = make_customer(username="ann").user
    client = Client(HTTP_USER_AGENT=FIREFOX_LINUX, REMOTE_ADDR="203.0.113.9")
    response = client.post(reverse("account_login"), {"login": "ann", "password": PASSWORD})
    assert response.status_code == 302

    page = client.get(ACTIVITY).content.decode()

    assert "Signed in" in page
    assert "203.0.113.9" in page
    assert "This device" in page
    assert "You are using Firefox on Linux." in page
    assert [e.kind for e in events_for(user=ann)] == [Kind.SIGN_IN]


def test_pages_are_bounded_and_read_in_one_query():
    ann = make_customer(username="ann").user
    start = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            user=ann,
            kind=Kind.SIGN_IN,
            at=start + dt.timedelta(minutes=i),
            ip=f"198.51.100.{i}",
            browser="Chrome",
            os="Windows",
        )
        for i in range(1, 31)
    )
    client = signed_in_client(ann)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(ACTIVITY).content.decode()

    reads = [q["sql"] for q in queries.captured_queries if "accounts_securityevent" in q["sql"]]
    assert len(reads) == 1  # one page of rows: no COUNT, nothing per row
    assert "LIMIT 26" in reads[0]
    second = client.get(ACTIVITY, {"page": "2"}).content.decode()

    assert "198.51.100.30" in first  # newest first
    assert "198.51.100.6<" in first
    assert "198.51.100.5<" not in first
    assert 'rel="next"' in first
    assert "198.51.100.5<" in second
    assert "198.51.100.30" not in second
    assert 'rel="next"' not in second
    assert client.get(ACTIVITY, {"page": "junk"}).status_code == 200
    assert client.get(ACTIVITY, {"page": "99999"}).status_code == 200
