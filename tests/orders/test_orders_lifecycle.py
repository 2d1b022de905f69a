"""An order from placing to taking effect or being cancelled: the forecast shows a
pending change, cancelling leaves no trace in billing, the customer is told each step."""

import datetime as dt

import pytest

from dropline.billing.forecast import forecast
from dropline.billing.history import load_history
from dropline.core import clock
from dropline.core.audit import AuditEvent
from dropline.network.models import Equipment
from dropline.notifications.models import Message
from dropline.orders.applying import complete_due_orders
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order, OrderStatus
from dropline.orders.placing import cancel_order, place_order
from dropline.orders.queries import order_for, orders_for
from dropline.subscriptions.models import Subscription, SubscriptionStatus
from tests.support.billing import at, bill_months
from tests.support.orders import add, make_home, make_shop, plan_change, remove

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 3, 12)


@pytest.fixture
def shop():
    return make_shop()


@pytest.fixture
def home(shop):
    home = make_home(shop)
    bill_months(home.account, first=D(2026, 1, 5), months=3)
    return home


def place(home, change, **extra):
    with clock.frozen(at(extra.pop("on", TODAY))):
        return place_order(
            user=home.holder, account=home.account, change=change, fingerprint=None, language="en"
        )


def events(order):
    return list(
        Message.objects.filter(subject_key=f"order:{order.pk}", channel="in_app")
        .order_by("id")
        .values_list("event", "body_text")
    )


def test_a_pending_downgrade_shows_in_the_forecast(home, shop):
    order = place(home, plan_change(home.internet, shop.basic))
    assert order.status == OrderStatus.PENDING
    assert order.effective_on == D(2026, 4, 5)
    result = forecast(home.account.pk, today=TODAY, language="en")
    assert "Internet 300 starts on April 5, 2026." in result.callouts
    assert "Internet 500 ends on April 4, 2026." in result.callouts
    labels = [line.label for line in result.lines if line.kind == "recurring"]
    assert "Internet 300" in labels
    assert "Internet 500" not in labels


def test_cancelling_a_pending_change_leaves_billing_as_it_was(home, shop):
    for change in (
        plan_change(home.internet, shop.basic),
        remove(home.tv, shop.sports),
    ):
        before = load_history(home.account.pk)
        before_forecast = forecast(home.account.pk, today=TODAY, language="en")
        order = place(home, change)
        assert load_history(home.account.pk) != before
        with clock.frozen(at(TODAY + dt.timedelta(days=3))):
            cancelled = cancel_order(user=home.holder, account=home.account, order_id=order.pk)
        assert cancelled.status == OrderStatus.CANCELLED
        assert load_history(home.account.pk) == before
        after_forecast = forecast(home.account.pk, today=TODAY, language="en")
        assert after_forecast.lines == before_forecast.lines
        assert after_forecast.callouts == before_forecast.callouts
    assert [o.status for o in orders_for(account=home.account)] == ["cancelled", "cancelled"]
    assert AuditEvent.objects.filter(action="order.cancelled").count() == 2


def test_cancelling_an_upgrade_that_waits_also_takes_back_its_device(home, shop, settings):
    settings.DROPLINE_UPGRADE_TIMING = "cycle_end"
    before = load_history(home.account.pk)
    order = place(home, plan_change(home.internet, shop.gig))
    assert order.status == OrderStatus.PENDING
    assert order.new_equipment is not None
    assert "technician will install a new Arris G74" in order.equipment_note
    with clock.frozen(at(TODAY)):
        cancel_order(user=home.holder, account=home.account, order_id=order.pk)
    assert load_history(home.account.pk) == before
    assert list(Equipment.objects.filter(account=home.account)) == [home.gateway]


def test_a_change_that_took_effect_cannot_be_cancelled(home, shop):
    order = place(home, add(home.internet, shop.static_ip))
    assert order.status == OrderStatus.COMPLETED
    with clock.frozen(at(TODAY)), pytest.raises(ChangeRefused) as refusal:
        cancel_order(user=home.holder, account=home.account, order_id=order.pk)
    assert refusal.value.code == "not_pending"
    pending = place(home, remove(home.tv, shop.sports))
    with clock.frozen(at(D(2026, 4, 5))), pytest.raises(ChangeRefused):
        cancel_order(user=home.holder, account=home.account, order_id=pending.pk)


def test_another_accounts_order_is_not_found(home, shop):
    other = make_home(shop, username="neighbour")
    theirs = place(other, remove(other.tv, shop.sports))
    assert order_for(account=home.account, order_id=theirs.pk) is None
    with clock.frozen(at(TODAY)), pytest.raises(ChangeRefused) as refusal:
        cancel_order(user=home.holder, account=home.account, order_id=theirs.pk)
    assert refusal.value.code == "no_order"
    assert Order.objects.get(pk=theirs.pk).status == OrderStatus.PENDING


def test_the_customer_is_told_when_a_change_is_confirmed_takes_effect_or_is_cancelled(home, shop):
    order = place(home, plan_change(home.internet, shop.basic))
    assert events(order) == [
        (
            "order_confirmed",
            "Your change from Internet 500 to Internet 300 is confirmed and takes effect on "
            "April 5, 2026. The service's regular monthly price becomes $70.00.",
        )
    ]
    assert complete_due_orders(today=D(2026, 4, 4)) == 0
    assert complete_due_orders(today=D(2026, 4, 5)) == 1
    assert complete_due_orders(today=D(2026, 4, 5)) == 0  # once
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert events(order)[-1] == (
        "order_effective",
        "Your change from Internet 500 to Internet 300 took effect on April 5, 2026.",
    )
    assert Subscription.objects.get(pk=home.internet.pk).status == SubscriptionStatus.CANCELLED

    removal = place(home, remove(home.tv, shop.sports))
    with clock.frozen(at(TODAY)):
        cancel_order(user=home.holder, account=home.account, order_id=removal.pk)
    assert events(removal)[-1] == (
        "order_cancelled",
        "Removing Sports pack from TV Select is canceled: your service stays as it is.",
    )


def test_a_spanish_speaking_customer_is_told_in_spanish(shop):
    home = make_home(shop, username="lucia", language="es")
    order = place(home, remove(home.tv, shop.sports))
    assert events(order)[0][1].startswith(
        "Quitar Paquete de deportes de TV Selecta está confirmado"
    )
