"""Confirmations at the same moment, on PostgreSQL with real threads: exactly one order,
every other confirmation refused, and the history changed once."""

import datetime as dt
import importlib
import threading

import pytest
from django.db import connection, connections

from dropline.core import clock
from dropline.orders.errors import ChangeRefused
from dropline.orders.models import Order
from dropline.orders.placing import place_order
from dropline.orders.preview import preview_change
from dropline.subscriptions.models import Subscription
from tests.support.billing import at, bill_months
from tests.support.orders import make_home, make_shop, plan_change
from tests.support.services import need

D = dt.date
TODAY = D(2026, 3, 12)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("callers", "target"), [(2, "basic"), (10, "basic"), (10, "gig")])
def test_confirmations_at_once_make_exactly_one_order(callers: int, target: str):
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    shop = make_shop()
    home = make_home(shop)
    bill_months(home.account, first=D(2026, 1, 5), months=3)
    change = plan_change(home.internet, getattr(shop, target))
    with clock.frozen(at(TODAY)):
        seen = preview_change(account=home.account, change=change, language="en")
    barrier = threading.Barrier(callers)
    placed: list[Order] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def confirm() -> None:
        try:
            barrier.wait()
            placed.append(
                place_order(
                    user=home.holder,
                    account=home.account,
                    change=change,
                    fingerprint=seen.fingerprint,
                    language="en",
                )
            )
        except ChangeRefused as refusal:
            refused.append(refusal.code)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    with clock.frozen(at(TODAY)):
        threads = [threading.Thread(target=confirm) for _ in range(callers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    importlib.import_module("celery._state")._set_task_join_will_block(False)
    assert errors == []
    assert len(placed) == 1
    assert Order.objects.count() == 1
    assert len(refused) == callers - 1
    # A downgrade waits, so the others find it pending; an upgrade took effect, so the
    # others find the service ended (or the preview they saw gone).
    assert set(refused) <= {"pending_change", "service_ended", "service_ending", "preview_stale"}
    # One new service, whatever the number of confirmations.
    assert Subscription.objects.filter(account=home.account, plan__kind="internet").count() == 2
