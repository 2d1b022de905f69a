"""From accounting to the customer's phone: usage counted by the ingest queues the alert
check after it commits, and the customer hears about 75% once, however many packets
follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from dropline.core import clock
from dropline.notifications.models import Message
from dropline.usage import partitions
from dropline.usage.models import GB
from tests.support.usage_alerts import NOW, household
from tests.support.usage_ingest import ingest_usage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _partitions_forgotten() -> Iterator[None]:
    """Commit callbacks run here, so the ingest remembers partitions that this test's
    transaction then rolls back: forgotten before and after."""
    partitions.forget()
    yield
    partitions.forget()


def test_counted_usage_alerts_once(django_capture_on_commit_callbacks):
    home = household()
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        ingest_usage(home.service, 899 * GB, NOW - dt.timedelta(hours=2))
    # 899 GB on Nov 20: below 75%, but on pace to pass 1.2 TB by Dec 2.
    assert list(Message.objects.filter(channel="email").values_list("event", flat=True)) == [
        "usage_projected"
    ]
    for minutes in (10, 20):
        with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
            ingest_usage(home.service, GB, NOW - dt.timedelta(minutes=minutes))
    assert list(
        Message.objects.filter(channel="email").order_by("id").values_list("event", flat=True)
    ) == ["usage_projected", "usage_75"]
    sms = Message.objects.filter(channel="sms", event="usage_75").get()
    assert "you've used 900 GB (75%) of your 1.2 TB" in sms.body_text
