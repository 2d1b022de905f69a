"""Staff declare, update, resolve and cancel outages; the area's notice shows its
progress; only the roles with the outage permissions get in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from dropline.accounts.roles import BILLING, CUSTOMER_CARE, FIELD_DISPATCH
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.network.models import Outage, OutageStatus, OutageUpdate
from dropline.notifications.models import Message
from tests.support.factories import make_user
from tests.support.notifications import area, make_person
from tests.support.outages import declare_outage, plan_maintenance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _staff(client: Client, role: str) -> None:
    user = make_user(username=role.lower().replace(" ", ""), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


@pytest.fixture
def dispatch(client) -> Client:
    _staff(client, FIELD_DISPATCH)
    return client


def _declaration(**extra):
    return {
        "kind": "outage",
        "areas": [area("north").pk],
        "service_kinds": ["internet"],
        "starts_at": "2026-03-10T17:30",  # the provider's local time (UTC in tests)
        "eta": "",
        "title_en": "Internet outage",
        "title_es": "Corte de internet",
        "cause_en": "",
        "cause_es": "",
        "message_en": "",
        "message_es": "",
        "notify": "on",
        **extra,
    }


def test_declare_and_watch_the_notice_go_out(dispatch, django_capture_on_commit_callbacks):
    make_person(username="ana", area_code="north")
    make_person(username="east", area_code="east")
    with django_capture_on_commit_callbacks(execute=True):
        response = dispatch.post("/backoffice/outages/new/", _declaration())
    assert response.status_code == 302
    outage = Outage.objects.get()
    assert response["Location"] == f"/backoffice/outages/{outage.pk}/"
    assert outage.service_kinds == ["internet"]
    assert {m.user.username for m in Message.objects.all()} == {"ana"}
    page = dispatch.get(response["Location"]).content.decode()
    assert "1 of 1 accounts" in page
    assert "Post an update" in page
    assert AuditEvent.objects.filter(action="outage.declared").count() == 1
    listed = dispatch.get("/backoffice/outages/").content.decode()
    assert "Internet outage" in listed


def test_a_bad_declaration_is_refused_with_the_field_and_nothing_written(dispatch):
    response = dispatch.post(
        "/backoffice/outages/new/", _declaration(eta="2026-03-10T15:00", title_es="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was declared" in page
    assert not Outage.objects.exists()
    response = dispatch.post("/backoffice/outages/new/", _declaration(eta="2026-03-10T15:00"))
    assert response.status_code == 400
    assert "The expected end must be after the start." in response.content.decode()
    assert not Outage.objects.exists()


def test_post_an_update_then_resolve(dispatch):
    outage = declare_outage(areas=[area("north")])
    response = dispatch.post(
        f"/backoffice/outages/{outage.pk}/update/",
        {
            "status": "in_progress",
            "eta": "2026-03-10T22:00",
            "message_en": "Crews on site.",
            "message_es": "Técnicos en el lugar.",
            "notify": "on",
        },
    )
    assert response.status_code == 302
    outage.refresh_from_db()
    assert outage.status == OutageStatus.IN_PROGRESS
    assert outage.eta == dt.datetime(2026, 3, 10, 22, 0, tzinfo=dt.UTC)
    bad = dispatch.post(
        f"/backoffice/outages/{outage.pk}/update/",
        {"status": "in_progress", "eta": "", "message_en": "Only English", "message_es": ""},
    )
    assert bad.status_code == 400
    assert "Write the message in both languages." in bad.content.decode()
    assert OutageUpdate.objects.filter(outage=outage).count() == 2
    response = dispatch.post(f"/backoffice/outages/{outage.pk}/resolve/", {})
    assert response.status_code == 302
    outage.refresh_from_db()
    assert outage.status == OutageStatus.RESOLVED
    page = dispatch.get(f"/backoffice/outages/{outage.pk}/").content.decode()
    assert "Post an update" not in page
    assert "Crews on site." in page


def test_cancel_a_maintenance(dispatch):
    ahead = plan_maintenance(areas=[area("north")], starts_at=NOW + dt.timedelta(days=2))
    assert "Scheduled" in dispatch.get("/backoffice/outages/?state=scheduled").content.decode()
    response = dispatch.post(f"/backoffice/outages/{ahead.pk}/cancel/", {})
    assert response.status_code == 302
    ahead.refresh_from_db()
    assert ahead.status == OutageStatus.CANCELLED
    outage = declare_outage(areas=[area("north")])
    assert dispatch.post(f"/backoffice/outages/{outage.pk}/cancel/", {}).status_code == 400


@pytest.mark.parametrize("role", [CUSTOMER_CARE, FIELD_DISPATCH])
def test_care_and_dispatch_may_declare(client, role):
    _staff(client, role)
    assert client.get("/backoffice/outages/new/").status_code == 200


def test_billing_staff_may_not(client):
    _staff(client, BILLING)
    outage = declare_outage(areas=[area("north")])
    assert client.get("/backoffice/outages/").status_code == 403
    assert client.post(f"/backoffice/outages/{outage.pk}/resolve/", {}).status_code == 403
    outage.refresh_from_db()
    assert outage.status != OutageStatus.RESOLVED
