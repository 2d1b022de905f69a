"""The demo's price rise: scheduled 45 days ahead and applied to the plan's subscribers,
so the household has the notice in its inbox and "My services" shows the price to come."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.catalog.models import ApplyStatus, ScheduledPrice
from dropline.core import clock
from dropline.customers.models import MemberRole
from dropline.notifications.models import Message
from dropline.seeding.demo import load_demo
from dropline.seeding.demo.household import loaded_account

pytestmark = pytest.mark.django_db


def test_the_household_is_told_and_sees_the_price_to_come(demo, client):
    scheduled = ScheduledPrice.objects.get(plan__code="internet-500")
    assert scheduled.effective_on == clock.today() + dt.timedelta(days=45)
    assert scheduled.apply_status == ApplyStatus.DONE
    assert scheduled.scheduled_by is not None
    assert scheduled.scheduled_by.username == "admin"

    account = loaded_account()
    assert account is not None
    holder = account.members.get(role=MemberRole.HOLDER).user
    notice = Message.objects.get(event="price_change_notice", user=holder, channel="in_app")
    assert "$74.99" in notice.body_text
    assert Message.objects.filter(
        event="price_change_notice", user=holder, channel="email", status="sent"
    ).exists()

    client.force_login(holder)
    page = client.get("/services/").content.decode()
    assert "Price change: $74.99 a month from" in page


def test_loading_again_changes_nothing(demo):
    messages = Message.objects.count()
    load_demo()
    assert ScheduledPrice.objects.count() == 1
    assert Message.objects.count() == messages
