"""Collectors in the back-office: the list with each one's state and last record;
adding one shows its password once (never stored in clear, never shown again);
revoking one asks first, and is audited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core.models import AuditEvent
from dropline.usage.collectors import authenticate
from dropline.usage.models import Collector
from tests.support.staff import make_staff
from tests.support.staff_billing import field_errors, visible_text
from tests.support.usage_ops import collector

pytestmark = pytest.mark.django_db
LIST = "/backoffice/usage/collectors/"


@pytest.fixture
def admin(client):
    client.force_login(make_staff(username="admin", role=roles.ADMINISTRATOR))
    return client


def test_the_list_shows_each_collector(admin):
    collector(name="radius-east")
    collector(name="radius-old")
    admin.post(
        reverse(
            "backoffice:usage_collector_revoke", args=[Collector.objects.get(name="radius-old").pk]
        )
    )
    admin.get(LIST)  # shows the message about the revoked one
    text = visible_text(admin.get(LIST).content.decode())
    assert text.index("radius-east") < text.index("radius-old")
    assert "Revoked" in text


def test_adding_shows_the_password_once(admin):
    page = admin.post(reverse("backoffice:usage_collector_add"), {"name": "radius-west"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "it will not be shown again" in visible_text(html)
    shown = re.search(r'id="collector-password".*?<code>(.*?)</code>', html, re.S)
    assert shown is not None
    password = shown.group(1)
    added = Collector.objects.get(name="radius-west")
    assert password not in added.password_digest
    assert authenticate("radius-west", password) == added
    assert password not in admin.get(LIST).content.decode()  # never again


def test_a_name_taken_is_refused_in_the_form(admin):
    collector(name="radius-east")
    page = admin.post(reverse("backoffice:usage_collector_add"), {"name": "radius-east"})
    assert page.status_code == 400
    assert field_errors(page.content.decode(), "name")
    assert Collector.objects.filter(name="radius-east").count() == 1
    page = admin.post(reverse("backoffice:usage_collector_add"), {"name": "not a slug!"})
    assert page.status_code == 400
    assert Collector.objects.count() == 1


def test_revoking_asks_first_then_refuses_the_collectors_posts(admin):
    found = collector(name="radius-east")
    url = reverse("backoffice:usage_collector_revoke", args=[found.pk])
    confirm = admin.get(url)
    assert "This cannot be undone." in visible_text(confirm.content.decode())
    found.refresh_from_db()
    assert found.revoked_at is None  # the question changes nothing
    audited = AuditEvent.objects.count()
    done = admin.post(url, follow=True)
    assert "radius-east is revoked" in visible_text(done.content.decode())
    found.refresh_from_db()
    assert found.revoked_at is not None
    assert AuditEvent.objects.count() > audited
    assert url not in admin.get(LIST).content.decode()  # nothing more to revoke


def test_billing_sees_no_collector(client):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    assert client.get(LIST).status_code == 403
    assert client.post(reverse("backoffice:usage_collector_add"), {"name": "x"}).status_code == 403
    assert not Collector.objects.exists()
