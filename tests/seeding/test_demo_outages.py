"""The demo's outages: last month's, told to the household that asked; maintenance next
week; one going on now elsewhere for the public status page. A second run adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from dropline.network.models import Outage, OutageStatus, OutageWatch
from dropline.notifications.models import Message
from dropline.seeding.demo import outages
from dropline.seeding.demo.household import loaded_account

pytestmark = pytest.mark.django_db


def test_the_demo_outages(demo):
    past = Outage.objects.get(title_en=outages.PAST_TITLE)
    assert past.status == OutageStatus.RESOLVED
    assert list(past.updates.values_list("status", flat=True)) == [
        OutageStatus.INVESTIGATING,
        OutageStatus.IDENTIFIED,
        OutageStatus.IN_PROGRESS,
        OutageStatus.RESOLVED,
    ]
    assert past.cause_en.startswith("Roadworks")
    watch = OutageWatch.objects.get(outage=past)
    assert watch.account == loaded_account()
    events = set(
        Message.objects.filter(subject_key__startswith=f"outage:{past.pk}:").values_list(
            "event", flat=True
        )
    )
    assert events == {"outage.update", "outage.resolved"}
    ahead = Outage.objects.get(title_en=outages.MAINTENANCE_TITLE)
    assert ahead.status == OutageStatus.SCHEDULED
    assert outages.load() == 0

    page = Client().get("/status/").content.decode()
    assert "Cedar Falls" in page
    cedar = Client().get("/status/cedar-falls/").content.decode()
    assert "A power cut at the Cedar Falls hub." in cedar
