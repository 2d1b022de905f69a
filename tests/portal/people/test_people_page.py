"""The People page promises only what an authorized user can do today."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db

PEOPLE = reverse("accounts_portal:people")


def test_the_people_page_describes_what_authorized_users_can_do_today(client):
    holder = make_customer(username="maria")
    client.force_login(holder.user)
    page = client.get(PEOPLE).content.decode()
    assert "Authorized users can see the account and its services." in page
    assert "pay bills" not in page
    assert "but not change services, security settings or who is on the account." in page


def test_the_invitation_email_promises_no_bills(client, mailoutbox):
    holder = make_customer(username="maria")
    client.force_login(holder.user)
    client.post(reverse("accounts_portal:invite"), {"email": "jordan@example.com"})
    [email] = mailoutbox
    assert 'account "Maria Household" and its services.' in email.body
    assert "pay" not in email.body


def test_the_people_page_in_spanish(client):
    holder = make_customer(username="maria")
    client.force_login(holder.user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(PEOPLE).content.decode()
    assert "Los usuarios autorizados pueden ver la cuenta y sus servicios." in page
    assert "pagar" not in page
