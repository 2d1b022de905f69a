"""The saved replies and service levels pages: Customer care adds, changes and retires
saved replies (bad input is said by field, nothing saved); everyone who reads tickets sees
the service levels, only administrators change them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core.models import AuditEvent
from dropline.helpdesk.models import SavedReply, ServiceLevel
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def care(client):
    staff = make_staff(username="agent", role=roles.CUSTOMER_CARE)
    client.force_login(staff)
    return staff


def _reply(**extra: str) -> dict[str, str]:
    return {"title": "Outage in your area", "language": "en", "body": "We are on it.", **extra}


def test_care_adds_changes_and_retires_a_saved_reply(client, care):
    response = client.post(reverse("backoffice:saved_reply_new"), _reply(), follow=True)
    assert "The saved reply is added; the reply form offers it now." in words(response)
    reply = SavedReply.objects.get()
    assert "Outage in your area" in words(response)

    edit = reverse("backoffice:saved_reply_edit", args=[reply.pk])
    assert "We are on it." in client.get(edit).content.decode()
    response = client.post(edit, _reply(body="Our technicians are on it."), follow=True)
    assert "The saved reply is changed." in words(response)
    reply.refresh_from_db()
    assert reply.body == "Our technicians are on it."

    retire = reverse("backoffice:saved_reply_retire", args=[reply.pk])
    response = client.post(retire, follow=True)
    assert "is retired; the reply form no longer offers it." in words(response)
    assert "Retired" in words(response)
    reply.refresh_from_db()
    assert not reply.is_active
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"saved_reply.added", "saved_reply.changed", "saved_reply.retired"} <= actions


def test_bad_input_is_said_by_field_and_nothing_is_saved(client, care):
    response = client.post(reverse("backoffice:saved_reply_new"), _reply(title="  "))
    assert response.status_code == 400
    assert "The saved reply was not saved." in words(response)
    client.post(reverse("backoffice:saved_reply_new"), _reply())
    twin = client.post(reverse("backoffice:saved_reply_new"), _reply(body="Other text"))
    assert twin.status_code == 400
    assert "already has this title" in words(twin)
    assert SavedReply.objects.count() == 1


def test_who_may_change_saved_replies(client, care):
    reply = SavedReply.objects.create(
        title="Hello", language="en", body="Hello", updated_at="2026-01-01T00:00Z"
    )
    client.force_login(make_staff(username="dispatch", role=roles.FIELD_DISPATCH))
    assert client.get(reverse("backoffice:saved_replies")).status_code == 403
    assert client.post(reverse("backoffice:saved_reply_new"), _reply()).status_code == 403
    assert client.post(reverse("backoffice:saved_reply_retire", args=[reply.pk])).status_code == 403
    reply.refresh_from_db()
    assert reply.is_active
    assert SavedReply.objects.count() == 1


def test_care_reads_the_service_levels_but_cannot_change_them(client, care):
    page = client.get(reverse("backoffice:service_levels"))
    text = words(page)
    assert "Internet" in text
    assert "(the default)" in text
    assert "Save for Internet" not in text
    posted = client.post(
        reverse("backoffice:service_level_save"), {"category": "internet", "internet-hours": "2"}
    )
    assert posted.status_code == 403
    assert not ServiceLevel.objects.exists()


def test_an_administrator_changes_a_service_level(client):
    client.force_login(make_staff(username="boss", role=roles.ADMINISTRATOR))
    save = reverse("backoffice:service_level_save")
    response = client.post(save, {"category": "billing", "billing-hours": "6"}, follow=True)
    assert "Billing tickets are now due 6 hours after they come in." in words(response)
    assert ServiceLevel.objects.get(category="billing").response_hours == 6
    refused = client.post(save, {"category": "billing", "billing-hours": "721"})
    assert refused.status_code == 400
    assert "Ensure this value is less than or equal to 720." in words(refused)
    assert ServiceLevel.objects.get(category="billing").response_hours == 6
    unknown = client.post(save, {"category": "pets", "pets-hours": "6"})
    assert unknown.status_code == 400
    assert "Choose a category." in words(unknown)
    assert ServiceLevel.objects.count() == 1
