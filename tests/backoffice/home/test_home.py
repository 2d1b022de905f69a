"""The back-office home: a labelled search, the accounts this staff member opened
lately (theirs only, newest first, each once) and real counts of what needs
attention, each linking to the list that shows them."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import audit, clock
from dropline.customers.queries import RECENT_ACCOUNTS_SHOWN
from dropline.notifications.models import Announcement, AnnouncementStatus, Message, MessageStatus
from tests.support.factories import make_customer
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def _section(html: str, heading_id: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert found is not None, heading_id
    return unescape(found.group(1))


def test_the_search_box_has_a_visible_label(client):
    client.force_login(make_staff(username="searcher", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:home")).content.decode()
    label = re.search(r'<label for="q"( class="[^"]*")?>([^<]+)</label>', html)
    assert label is not None
    assert label.group(1) is None  # not visually hidden
    assert label.group(2) == "Account number, name, email or phone"
    assert re.search(r'<input type="search" id="q" name="q"[^>]*>', html)
    assert "placeholder=" not in re.search(r'<input type="search"[^>]*>', html).group(0)  # type: ignore[union-attr]


def test_recent_customers_are_the_ones_this_agent_opened_newest_first_each_once(client):
    first = make_customer(username="first", name="First Household")
    second = make_customer(username="second", name="Second Household")
    theirs = make_customer(username="theirs", name="Someone Else Household")
    agent = make_staff(username="agent", role=roles.CUSTOMER_CARE)
    colleague = make_staff(username="colleague", role=roles.CUSTOMER_CARE)

    client.force_login(colleague)
    client.get(reverse("backoffice:customer", args=[theirs.account.number]))
    client.force_login(agent)
    start = clock.now()
    with clock.frozen(start):
        client.get(reverse("backoffice:customer", args=[first.account.number]))
    with clock.frozen(start + dt.timedelta(minutes=1)):
        client.get(reverse("backoffice:customer", args=[second.account.number]))
    with clock.frozen(start + dt.timedelta(minutes=2)):
        client.get(reverse("backoffice:customer", args=[first.account.number]))
    # other audit events on an account the agent never opened do not count
    audit.record(action="invitation.sent", actor=agent, account_number=theirs.account.number)

    recent = _section(client.get(reverse("backoffice:home")).content.decode(), "recent-heading")
    names = re.findall(r"<a href=\"[^\"]+\">([^<]+)</a>", recent)
    assert names == ["First Household", "Second Household"]
    assert "Someone Else Household" not in recent


def test_recent_customers_are_bounded(client):
    agent = make_staff(username="busy", role=roles.CUSTOMER_CARE)
    client.force_login(agent)
    for n in range(RECENT_ACCOUNTS_SHOWN + 2):
        customer = make_customer(username=f"many{n}")
        client.get(reverse("backoffice:customer", args=[customer.account.number]))
    recent = _section(client.get(reverse("backoffice:home")).content.decode(), "recent-heading")
    assert recent.count("<li>") == RECENT_ACCOUNTS_SHOWN


def test_a_new_agent_is_told_where_recent_customers_will_appear(client):
    client.force_login(make_staff(username="newagent", role=roles.CUSTOMER_CARE))
    recent = _section(client.get(reverse("backoffice:home")).content.decode(), "recent-heading")
    assert "The accounts you open will be listed here." in recent


def _message(n: int, *, status: str, created_at: dt.datetime) -> Message:
    return Message.objects.create(
        idempotency_key=f"home:{n}",
        user=make_customer(username=f"reader{n}").user,
        event="announcement.notice",
        category="outages",
        channel="email",
        to_address=f"person{n}@example.com",
        language="en",
        subject="Maintenance",
        body_text="Maintenance",
        status=status,
        not_before=created_at,
        created_at=created_at,
    )


def test_needs_attention_counts_failed_messages_of_the_last_day_and_current_outages(client):
    now = clock.now()
    _message(1, status=MessageStatus.FAILED, created_at=now - dt.timedelta(hours=2))
    _message(2, status=MessageStatus.FAILED, created_at=now - dt.timedelta(hours=23))
    _message(3, status=MessageStatus.FAILED, created_at=now - dt.timedelta(hours=30))
    _message(4, status=MessageStatus.SENT, created_at=now - dt.timedelta(hours=1))
    common = {
        "kind": "outage",
        "title_en": "Outage",
        "title_es": "Interrupción",
        "body_en": "Down",
        "body_es": "Caído",
        "created_at": now,
    }
    Announcement.objects.create(
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        status=AnnouncementStatus.SENT,
        **common,
    )
    Announcement.objects.create(  # a draft is not going on
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        **common,
    )
    Announcement.objects.create(  # over
        starts_at=now - dt.timedelta(hours=5),
        ends_at=now - dt.timedelta(hours=2),
        status=AnnouncementStatus.SENT,
        **common,
    )
    client.force_login(make_staff(username="watcher", role=roles.CUSTOMER_CARE))
    html = client.get(reverse("backoffice:home")).content.decode()
    attention = _section(html, "attention-heading")
    assert re.search(
        r'<p class="count">2</p>\s*<p>messages failed delivery in the last 24 hours</p>', attention
    )
    assert re.search(
        r'<p class="count">1</p>\s*<p>outage or maintenance going on now</p>', attention
    )

    failed_link = re.search(r'href="([^"]+)">See failed messages', attention).group(1)  # type: ignore[union-attr]
    failed_page = client.get(failed_link).content.decode()
    assert failed_page.count("person1@example.com") == 1
    assert "person2@example.com" in failed_page
    assert "person3@example.com" not in failed_page  # failed, but over a day ago
    assert "person4@example.com" not in failed_page  # sent, not failed

    current_link = re.search(r'href="([^"]+)">See current announcements', attention).group(1)  # type: ignore[union-attr]
    current_page = client.get(current_link).content.decode()
    rows = re.findall(r'<a href="/backoffice/announcements/(\d+)/">', current_page)
    sent_now = Announcement.objects.get(status=AnnouncementStatus.SENT, ends_at__gt=now)
    assert rows == [str(sent_now.pk)]


def test_staff_see_only_the_tiles_their_role_opens(client):
    client.force_login(make_staff(username="billingagent", role=roles.BILLING))
    attention = _section(
        client.get(reverse("backoffice:home")).content.decode(), "attention-heading"
    )
    assert "failed delivery" in attention
    assert "going on now" not in attention  # billing does not see announcements
