"""The contact page offers "Remove" only where the domain would allow it, and says why
not where it would refuse."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import ContactKind, ContactPoint
from tests.support.factories import Customer, make_customer

pytestmark = pytest.mark.django_db

CONTACTS = reverse("notifications:contacts")
ONLY_EMAIL = "Add and confirm another email address before removing it."


@pytest.fixture
def maria(client: Client) -> Customer:
    customer = make_customer(username="maria")
    client.force_login(customer.user)
    response = client.post(reverse("account_reauthenticate"), {"password": customer.password})
    assert response.status_code == 302
    return customer


def remove_url(contact: ContactPoint) -> str:
    return reverse("notifications:remove_contact", args=[contact.pk])


def test_the_only_primary_email_has_no_remove_button_and_says_why(client, maria):
    only = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="maria@example.com", primary=True
    )
    page = client.get(CONTACTS).content.decode()
    assert remove_url(only) not in page
    assert ONLY_EMAIL in page
    # and the domain refuses it all the same
    response = client.post(remove_url(only), follow=True)
    assert ContactPoint.objects.filter(pk=only.pk).exists()
    assert ONLY_EMAIL in response.content.decode()


def test_with_a_second_confirmed_email_both_can_be_removed(client, maria):
    first = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="maria@example.com", primary=True
    )
    second = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="maria@example.net", primary=False
    )
    page = client.get(CONTACTS).content.decode()
    assert remove_url(first) in page
    assert remove_url(second) in page
    assert ONLY_EMAIL not in page
    client.post(remove_url(first))
    assert list(ContactPoint.objects.filter(user=maria.user)) == [second]
    second.refresh_from_db()
    assert second.is_primary


def test_an_optional_phone_can_always_be_removed(client, maria):
    phone = add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    assert remove_url(phone) in client.get(CONTACTS).content.decode()


def test_the_reason_is_in_spanish(client, maria):
    add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="maria@example.com", primary=True
    )
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(CONTACTS).content.decode()
    assert "Agregue y confirme otra dirección de correo electrónico antes de quitarla." in page
