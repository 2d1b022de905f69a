"""The demo: the household's change made online is in its history and on its next bill,
nothing is left pending, and the fastest tier needs the multi-gig gateway."""

import pytest

from dropline.billing.forecast import forecast
from dropline.catalog.models import Plan
from dropline.orders.models import OrderStatus
from dropline.orders.preview import preview_change
from dropline.orders.queries import orders_for
from dropline.seeding.demo.household import loaded_account
from dropline.subscriptions.models import Subscription
from tests.support.orders import plan_change

pytestmark = pytest.mark.django_db


def test_the_household_added_a_static_ip_online_and_can_change_anything(demo):
    account = loaded_account()
    assert account is not None
    [order] = orders_for(account=account)
    assert order.status == OrderStatus.COMPLETED
    assert order.add_on is not None
    assert order.add_on.code == "static-ip"
    assert order.placed_by.username == "demo"
    # The days since it was added are on the next bill.
    ahead = forecast(account.pk, language="en")
    prorated = [line for line in ahead.lines if line.label == "Static IP address"]
    assert {line.kind for line in prorated} == {"recurring", "proration"}

    internet = Subscription.objects.get(account=account, plan__code="internet-500")
    preview = preview_change(
        account=account,
        change=plan_change(internet, Plan.objects.get(code="internet-gig")),
        language="en",
    )
    assert preview.equipment is not None
    assert preview.equipment.model_name == "Arris SURFboard G74"
    assert preview.equipment.delivery == "install"
