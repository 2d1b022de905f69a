"""Declaring, updating, resolving and cancelling: bad input refused with the field at
fault and nothing written; each step audited."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.network.models import Outage, OutageKind, OutageStatus, OutageUpdate
from dropline.network.outages import declaring
from dropline.network.outages.errors import OutageError
from dropline.notifications.models import Announcement
from tests.support.notifications import area
from tests.support.outages import declare_outage, plan_maintenance

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"areas": []}, "areas"),
        ({"title_es": " "}, "title_en"),
        ({"cause_en": "A cut cable", "cause_es": ""}, "cause_en"),
        ({"eta": NOW - dt.timedelta(hours=2)}, "eta"),
        ({"starts_at": NOW + dt.timedelta(hours=1)}, "starts_at"),
        ({"service_kinds": ["internet", "telegraph"]}, "service_kinds"),
        ({"kind": OutageKind.MAINTENANCE, "eta": None}, "eta"),
        ({"message_en": "Crews out", "message_es": ""}, "message_en"),
    ],
)
def test_a_bad_declaration_names_its_field_and_writes_nothing(change, field):
    fields = {"areas": [area("north")], "notify": True, **change}
    with clock.frozen(NOW), pytest.raises(OutageError) as refused:
        declare_outage(**fields)
    assert refused.value.field == field
    assert not Outage.objects.exists()
    assert not Announcement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="outage.").exists()


def test_each_step_is_a_story_with_its_audit_events():
    with clock.frozen(NOW):
        outage = declare_outage(
            areas=[area("north")], cause_en="Power cut", cause_es="Corte de luz"
        )
    assert outage.status == OutageStatus.IDENTIFIED
    with clock.frozen(NOW + dt.timedelta(minutes=10)):
        declaring.post_update(
            outage=outage,
            status=OutageStatus.IN_PROGRESS,
            eta=NOW + dt.timedelta(hours=2),
            notify=False,
            posted_by=None,
        )
        with pytest.raises(OutageError) as nothing:
            declaring.post_update(
                outage=outage,
                status=OutageStatus.IN_PROGRESS,
                eta=None,
                notify=False,
                posted_by=None,
            )
        assert nothing.value.field == "message_en"
        with pytest.raises(OutageError) as past:
            declaring.post_update(
                outage=outage,
                status=OutageStatus.IN_PROGRESS,
                eta=NOW + dt.timedelta(minutes=5),
                notify=False,
                posted_by=None,
            )
        assert past.value.field == "eta"
    with clock.frozen(NOW + dt.timedelta(hours=1)):
        declaring.resolve(outage=outage, resolved_by=None)
        with pytest.raises(OutageError):
            declaring.resolve(outage=outage, resolved_by=None)
        with pytest.raises(OutageError):
            declaring.post_update(
                outage=outage,
                status=OutageStatus.IN_PROGRESS,
                eta=None,
                notify=False,
                posted_by=None,
                message_en="x",
                message_es="x",
            )
    assert list(OutageUpdate.objects.filter(outage=outage).values_list("status", flat=True)) == [
        OutageStatus.IDENTIFIED,
        OutageStatus.IN_PROGRESS,
        OutageStatus.RESOLVED,
    ]
    assert list(
        AuditEvent.objects.filter(action__startswith="outage.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["outage.declared", "outage.updated", "outage.resolved"]


def test_only_a_maintenance_not_yet_begun_is_cancelled():
    with clock.frozen(NOW):
        ahead = plan_maintenance(areas=[area("north")], starts_at=NOW + dt.timedelta(days=2))
        outage = declare_outage(areas=[area("north")])
        with pytest.raises(OutageError):
            declaring.cancel(outage=outage, cancelled_by=None)
        with pytest.raises(OutageError):
            declaring.resolve(outage=ahead, resolved_by=None)
        declaring.cancel(outage=ahead, cancelled_by=None)
    ahead.refresh_from_db()
    assert ahead.status == OutageStatus.CANCELLED
    assert ahead.resolved_at is None


def test_a_maintenance_ahead_stays_scheduled_until_it_begins():
    with clock.frozen(NOW):
        ahead = plan_maintenance(areas=[area("north")], starts_at=NOW + dt.timedelta(days=2))
        with pytest.raises(OutageError) as refused:
            declaring.post_update(
                outage=ahead,
                status=OutageStatus.IN_PROGRESS,
                eta=None,
                notify=False,
                posted_by=None,
            )
    assert refused.value.field == "status"
    with clock.frozen(NOW + dt.timedelta(days=2, minutes=5)):
        declaring.post_update(
            outage=ahead, status=OutageStatus.IN_PROGRESS, eta=None, notify=False, posted_by=None
        )
