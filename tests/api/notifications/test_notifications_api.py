import re

import pytest
from django.test import Client
from django.urls import reverse

from dropline.core import clock
from dropline.notifications.models import Message, Preference
from tests.support.factories import make_customer


def in_app(user, n, **extra):
    now = clock.now()
    return Message.objects.create(
        idempotency_key=f"test:{user.pk}:{n}",
        user=user,
        event="test",
        category=extra.pop("category", "outages"),
        channel="in_app",
        language="en",
        subject=f"Notice {n}",
        body_text=f"Body {n}",
        status="sent",
        not_before=now,
        created_at=now,
        **extra,
    )


@pytest.fixture
def two_customers(db):
    return make_customer(username="ann"), make_customer(username="ned")


def test_lists_only_my_notifications_newest_first_with_unread_count(client, two_customers):
    ann, ned = two_customers
    for n in range(3):
        in_app(ann.user, n)
    in_app(ned.user, 99)
    client.force_login(ann.user)
    body = client.get("/api/v1/notifications").json()
    assert body["unread"] == 3
    assert [item["subject"] for item in body["items"]] == ["Notice 2", "Notice 1", "Notice 0"]
    assert "Notice 99" not in str(body)


def test_pages_of_fifty(client, two_customers):
    ann, _ = two_customers
    for n in range(55):
        in_app(ann.user, n)
    client.force_login(ann.user)
    first = client.get("/api/v1/notifications").json()
    assert len(first["items"]) == 50
    second = client.get(f"/api/v1/notifications?before_id={first['next_before_id']}").json()
    assert len(second["items"]) == 5
    assert second["next_before_id"] is None


def test_marking_another_persons_notification_read_is_404_and_changes_nothing(
    client, two_customers
):
    ann, ned = two_customers
    theirs = in_app(ned.user, 1)
    client.force_login(ann.user)
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_and_all_read(client, two_customers):
    ann, _ = two_customers
    first, _second, _third = (in_app(ann.user, n) for n in range(3))
    client.force_login(ann.user)
    assert client.post(f"/api/v1/notifications/{first.pk}/read").json() == {"unread": 2}
    assert client.post("/api/v1/notifications/read-all").json() == {"unread": 0}
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}


def test_browser_session_writes_need_csrf(two_customers):
    ann, _ = two_customers
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ann.user)
    assert strict.post("/api/v1/notifications/read-all").status_code == 403


def test_preferences_round_trip_and_security_stays_on(client, two_customers):
    ann, _ = two_customers
    client.force_login(ann.user)
    response = client.put(
        "/api/v1/notification-preferences",
        {"preferences": {"offers": {"email": True}, "security": {"email": False}}},
        content_type="application/json",
    )
    assert response.status_code == 200
    grid = {row["category"]: row for row in response.json()}
    assert grid["offers"]["channels"]["email"] is True
    assert grid["security"]["channels"]["email"] is True
    assert grid["security"]["locked"] is True
    assert not Preference.objects.filter(user=ann.user, category="security").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"preferences": {"lottery": {"email": True}}}, "preferences.lottery"),
        ({"preferences": {"offers": {"pigeon": True}}}, "preferences.offers.pigeon"),
    ],
)
def test_bad_preferences_are_400_naming_the_field_and_change_nothing(
    client, two_customers, payload, field
):
    ann, _ = two_customers
    client.force_login(ann.user)
    response = client.put(
        "/api/v1/notification-preferences", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Preference.objects.filter(user=ann.user).exists()


def test_malformed_body_is_422_with_field_and_reason(client, two_customers):
    ann, _ = two_customers
    client.force_login(ann.user)
    response = client.put(
        "/api/v1/notification-preferences",
        {"preferences": {"offers": {"email": "perhaps"}}},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"].startswith("preferences.offers.email")
    assert error["reason"]


def test_anonymous_is_401(client, db):
    assert client.get("/api/v1/notifications").status_code == 401


HOSTILE_LINKS = {
    "javascript:alert(1)": "",
    "JavaScript:alert(document.cookie)": "",
    "//evil.example/login": "",
    "/\\evil.example/login": "",
    "data:text/html,<script>alert(1)</script>": "",
    "https://evil.example/login": "https://evil.example/login",
    "/billing/invoices/7/": "/billing/invoices/7/",
}


def _portal_links(page: str) -> dict[int, str]:
    """Each message's "Open" link on the web's notification center ("" when none)."""
    shown: dict[int, str] = {}
    for item in re.findall(r'<li class="inbox-item.*?</li>', page, flags=re.S):
        found = re.search(r'id="message-(\d+)"', item)
        assert found is not None
        message_id = int(found.group(1))
        href = re.search(r'<a href="([^"]*)"', item)
        shown[message_id] = href.group(1) if href else ""
    return shown


def test_links_are_sanitised_exactly_as_the_web_shows_them(client, two_customers):
    ann, _ned = two_customers
    made = {in_app(ann.user, n, link=link).pk: link for n, link in enumerate(HOSTILE_LINKS)}
    client.force_login(ann.user)
    answered = {
        item["id"]: item["link"] for item in client.get("/api/v1/notifications").json()["items"]
    }
    portal = _portal_links(client.get(reverse("notifications:inbox")).content.decode())
    for pk, stored in made.items():
        assert answered[pk] == HOSTILE_LINKS[stored], stored
        assert portal[pk] == answered[pk], stored
