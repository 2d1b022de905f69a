"""RADIUS usernames in the back-office: the usernames whose usage is kept aside, with
their records and bytes; assigning one to a service (by account number, then which of
its internet services, or by the service's number) gives the service that usage; one
service's username form shows the current one and refuses one another current service
uses, saying so in the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.usage.models import UsageRecord
from tests.support.factories import make_customer
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text
from tests.support.usage_ops import records

pytestmark = pytest.mark.django_db
UNKNOWN = "/backoffice/usage/unknown-usernames/"
ASSIGN = "/backoffice/usage/unknown-usernames/assign/"


@pytest.fixture
def care(client):
    client.force_login(make_staff(username="care", role=roles.CUSTOMER_CARE))
    return client


@pytest.fixture
def household():
    return make_customer(username="household", services=2)


@pytest.fixture
def kept():
    seen = clock.now() - dt.timedelta(hours=2)
    return records(username="ghost-user", occurred_at=seen, count=3, bytes_each=500_000_000)


def username_url(subscription_id: int) -> str:
    return reverse("backoffice:usage_service_username", args=[subscription_id])


def test_the_list_shows_each_username_kept_aside(care, kept):
    text = visible_text(care.get(UNKNOWN).content.decode())
    assert "ghost-user" in text
    assert "1.50 GB" in text
    assert "Assign to a service" in text


def test_an_empty_list_says_so(care):
    assert "No usage is kept aside" in visible_text(care.get(UNKNOWN).content.decode())


def test_assigning_by_account_offers_its_services_then_gives_one_the_usage(care, household, kept):
    first, second = household.account.subscriptions.order_by("pk")
    page = care.post(ASSIGN, {"username": "ghost-user", "account": household.account.number})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{first.pk}"' in html
    assert f'value="{second.pk}"' in html
    assert UsageRecord.objects.filter(subscription__isnull=True).count() == 3  # nothing yet
    done = care.post(
        ASSIGN,
        {"username": "ghost-user", "account": household.account.number, "service": second.pk},
        follow=True,
    )
    assert "1.50 GB of usage kept aside went to it" in visible_text(done.content.decode())
    second.refresh_from_db()
    assert second.radius_username == "ghost-user"
    assert set(UsageRecord.objects.values_list("subscription_id", flat=True)) == {second.pk}
    assert "No usage is kept aside" in visible_text(care.get(UNKNOWN).content.decode())


def test_assigning_by_the_services_number(care, household, kept):
    service = household.account.subscriptions.order_by("pk")[0]
    care.post(ASSIGN, {"username": "ghost-user", "subscription_id": service.pk})
    service.refresh_from_db()
    assert service.radius_username == "ghost-user"


def test_a_service_of_another_account_cannot_be_picked(care, household, kept):
    other = make_customer(username="other").account.subscriptions.get()
    page = care.post(
        ASSIGN,
        {"username": "ghost-user", "account": household.account.number, "service": other.pk},
    )
    assert page.status_code == 400
    assert field_errors(page.content.decode(), "service")
    other.refresh_from_db()
    assert other.radius_username == ""


def test_an_unknown_account_or_nothing_given_is_refused(care, kept):
    page = care.post(ASSIGN, {"username": "ghost-user", "account": "999 999 999 999"})
    assert page.status_code == 400
    assert "No account has this number." in field_errors(page.content.decode(), "account")
    page = care.post(ASSIGN, {"username": "ghost-user"})
    assert page.status_code == 400
    assert "Enter an account number" in visible_text(page.content.decode())
    assert UsageRecord.objects.filter(subscription__isnull=True).count() == 3


def test_a_username_with_nothing_kept_says_so(care):
    page = care.get(ASSIGN, {"username": "nobody"})
    assert page.status_code == 404
    assert "No usage is kept aside under that username now." in visible_text(page.content.decode())


def test_the_service_form_shows_and_sets_the_username(care, household, kept):
    service = household.account.subscriptions.order_by("pk")[0]
    page = care.get(username_url(service.pk))
    assert "None yet" in visible_text(page.content.decode())
    done = care.post(username_url(service.pk), {"radius_username": "ghost-user"}, follow=True)
    text = visible_text(done.content.decode())
    assert "The RADIUS username is now ghost-user." in text
    assert "1.50 GB of usage kept aside under it went to this service." in text
    assert 'id="current-username"' in done.content.decode()
    service.refresh_from_db()
    assert service.radius_username == "ghost-user"
    assert not UsageRecord.objects.filter(subscription__isnull=True).exists()
    event = AuditEvent.objects.get(action="usage.radius_username_set")
    assert event.actor_label == "care"
    assert event.ip_address == "127.0.0.1"


def test_a_username_another_current_service_uses_is_refused_in_the_form(care, household):
    first, second = household.account.subscriptions.order_by("pk")
    care.post(username_url(first.pk), {"radius_username": "taken@isp"})
    page = care.post(username_url(second.pk), {"radius_username": "taken@isp"})
    assert page.status_code == 400
    assert "Another current service" in field_errors(page.content.decode(), "radius_username")
    second.refresh_from_db()
    assert second.radius_username == ""


def test_a_username_with_spaces_is_refused(care, household):
    service = household.account.subscriptions.order_by("pk")[0]
    page = care.post(username_url(service.pk), {"radius_username": "two words"})
    assert page.status_code == 400
    assert "no spaces" in field_errors(page.content.decode(), "radius_username")
    service.refresh_from_db()
    assert service.radius_username == ""


def test_an_unknown_service_is_not_found(care):
    assert care.get(username_url(999_999)).status_code == 404
