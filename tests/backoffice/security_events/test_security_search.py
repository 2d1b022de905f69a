"""Staff search of security events: who may use it, what it finds, and that every search
is written to the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from dropline.accounts import roles
from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.core.models import AuditEvent
from tests.support.factories import Customer, make_customer, make_user

pytestmark = pytest.mark.django_db

Kind = SecurityEventKind
PERMISSION = "view_securityevent"


def search_url() -> str:
    return reverse("backoffice:security_events")


def staff_client(*, allowed: bool, username: str = "care") -> tuple[Client, User]:
    user = make_user(username=username, is_staff=True)
    if allowed:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="accounts", codename=PERMISSION)
        )
    client = Client()
    client.force_login(user)
    return client, user


def add_event(customer: Customer | None, kind: str, *, ip: str, at: dt.datetime) -> SecurityEvent:
    return SecurityEvent.objects.create(
        user=customer.user if customer else None,
        kind=kind,
        at=at,
        ip=ip,
        browser="Chrome",
        os="Windows",
    )


@pytest.fixture
def history() -> dict[str, Customer]:
    ann = make_customer(username="ann")
    ned = make_customer(username="ned", name="Ned Household")
    day = dt.datetime(2025, 3, 10, 15, 0, tzinfo=dt.UTC)
    add_event(ann, Kind.SIGN_IN, ip="198.51.100.10", at=day)
    add_event(ann, Kind.SIGN_IN_FAILED, ip="203.0.113.66", at=day + dt.timedelta(days=1))
    add_event(ned, Kind.SIGN_IN, ip="192.0.2.20", at=day + dt.timedelta(days=2))
    add_event(ned, Kind.SIGN_IN_FAILED, ip="203.0.113.66", at=day + dt.timedelta(days=3))
    add_event(None, Kind.SIGN_IN_FAILED, ip="203.0.113.66", at=day + dt.timedelta(days=4))
    return {"ann": ann, "ned": ned}


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff_without_permission"])
def test_only_staff_with_the_permission_may_search(client, who):
    if who == "customer":
        client.force_login(make_customer(username="ann").user)
    elif who == "staff_without_permission":
        client, _user = staff_client(allowed=False)

    response = client.get(search_url(), {"ip": "203.0.113.66"})

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("backoffice:login"))
    else:
        assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="security_events.searched").exists()


def test_search_by_account_number_finds_only_that_accounts_people(history):
    client, _staff = staff_client(allowed=True)
    ann = history["ann"]

    response = client.get(search_url(), {"account": ann.account.display_number})

    page = response.content.decode()
    assert response.status_code == 200
    assert "198.51.100.10" in page
    assert "203.0.113.66" in page
    assert "192.0.2.20" not in page
    assert reverse("backoffice:customer", args=[ann.account.number]) in page
    assert page.count("<tr>") == 1 + 2  # header and ann's two events


def test_search_by_ip_finds_every_person_and_unknown_accounts(history):
    client, _staff = staff_client(allowed=True)

    page = client.get(search_url(), {"ip": "203.0.113.66"}).content.decode()

    assert page.count("<tr>") == 1 + 3
    assert "ann" in page
    assert "ned" in page
    assert "Unknown account" in page
    assert "198.51.100.10" not in page


def test_search_by_username_email_kind_and_provider_days(history, settings):
    settings.TIME_ZONE = "America/Chicago"
    client, _staff = staff_client(allowed=True)

    by_name = client.get(search_url(), {"username": "NED"}).content.decode()
    assert by_name.count("<tr>") == 1 + 2
    by_email = client.get(search_url(), {"email": "ann@example.com"}).content.decode()
    assert by_email.count("<tr>") == 1 + 2
    failures = client.get(search_url(), {"kind": Kind.SIGN_IN_FAILED}).content.decode()
    assert failures.count("<tr>") == 1 + 3
    one_day = client.get(
        search_url(), {"since": "2025-03-11", "until": "2025-03-11"}
    ).content.decode()
    assert one_day.count("<tr>") == 1 + 1
    assert "203.0.113.66" in one_day


def test_an_invalid_filter_is_shown_and_the_rest_still_apply(history):
    client, _staff = staff_client(allowed=True)
    response = client.get(search_url(), {"ip": "not-an-ip", "username": "ann"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid IPv4 or IPv6 address." in page
    assert page.count("<tr>") == 1 + 2


def test_every_search_is_audited_with_its_filters(history):
    client, staff = staff_client(allowed=True)
    ann = history["ann"]

    client.get(search_url(), {"account": ann.account.number, "ip": "203.0.113.66"})
    client.get(search_url(), {"kind": Kind.SIGN_IN, "page": "2"})

    first, second = AuditEvent.objects.filter(action="security_events.searched").order_by("id")
    assert first.actor == staff
    assert first.account_number == ann.account.number
    assert first.data["filters"] == {"account_number": ann.account.number, "ip": "203.0.113.66"}
    assert first.data["results"] == 1
    assert second.data["filters"] == {"kind": Kind.SIGN_IN}
    assert second.data["page"] == 2


def test_pages_are_bounded(history):
    client, _staff = staff_client(allowed=True)
    ned = history["ned"]
    start = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(user=ned.user, kind=Kind.SIGN_IN, at=start + dt.timedelta(minutes=i))
        for i in range(60)
    )
    first = client.get(search_url(), {"username": "ned"}).content.decode()
    assert first.count("<tr>") == 1 + 50
    assert 'rel="next"' in first
    second = client.get(search_url(), {"username": "ned", "page": "2"}).content.decode()
    assert second.count("<tr>") == 1 + 12


@pytest.mark.parametrize("role", [roles.CUSTOMER_CARE, roles.ADMINISTRATOR])
def test_customer_care_and_administrators_may_search(role, history):
    user = make_user(username="staffer", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    assert client.get(search_url(), {"ip": "203.0.113.66"}).status_code == 200


@pytest.mark.parametrize("role", [roles.BILLING, roles.FIELD_DISPATCH])
def test_other_roles_may_not(role):
    user = make_user(username="staffer", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    assert client.get(search_url()).status_code == 403
