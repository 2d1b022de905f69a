"""A plan's new price applied to its subscribers: each keeps the old price until the day
and is billed the new one from that day exactly, is told once through the outbox now,
and running the job again writes and sends nothing more."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.billing.models import Invoice
from dropline.catalog.models import ApplyStatus, ChunkState, PriceChangeChunk
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.notifications.models import Message
from dropline.overview.services import my_services
from dropline.subscriptions import repricing
from dropline.subscriptions.models import SubscriptionPrice, SubscriptionStatus
from dropline.subscriptions.ordering import subscribe
from dropline.subscriptions.repricing import apply_chunk, run_apply, schedule, start_apply
from tests.support.billing import at, bill_months, iowa_tax_table
from tests.support.catalog import make_catalog
from tests.support.prices import (
    NEW_CENTS,
    NOW,
    OLD_CENTS,
    RISE_ON,
    D,
    catalog_with_subscribers,
    subscriber,
)

pytestmark = pytest.mark.django_db


def _apply(item, *, chunk_size=1000, **extra):
    with clock.frozen(NOW):
        scheduled = schedule(
            item=item,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Network investment",
            applies_to_subscribers=True,
            chunk_size=chunk_size,
            queue=False,
            **extra,
        )
        return run_apply(schedule=scheduled)


def _service_lines(
    invoice: Invoice, subscription_id: int
) -> list[tuple[dt.date | None, dt.date | None, int]]:
    return [
        (line.period_start, line.period_end, line.amount_cents)
        for line in invoice.lines.filter(item_key=f"sub:{subscription_id}").order_by("position")
    ]


def test_a_subscriber_pays_the_old_price_until_the_day_and_the_new_one_from_it():
    iowa_tax_table()
    catalog, (one,) = catalog_with_subscribers(1)
    bill_months(one.account, first=D(2026, 2, 5), months=2)  # Feb. 5 and Mar. 5
    _apply(catalog.internet)
    april, may = bill_months(one.account, first=D(2026, 4, 5), months=2)

    # April 5 to May 4 is 30 days: 15 at $70.00, 15 at $80.00 from April 20.
    assert _service_lines(april, one.internet.pk) == [
        (D(2026, 4, 5), D(2026, 4, 19), 3500),
        (D(2026, 4, 20), D(2026, 5, 4), 4000),
    ]
    assert _service_lines(may, one.internet.pk) == [(D(2026, 5, 5), D(2026, 6, 4), NEW_CENTS)]
    march = Invoice.objects.get(account=one.account, period_start=D(2026, 3, 5))
    assert _service_lines(march, one.internet.pk) == [(D(2026, 3, 5), D(2026, 4, 4), OLD_CENTS)]


def test_subscribers_not_applied_keep_their_price():
    iowa_tax_table()
    catalog, (one,) = catalog_with_subscribers(1)
    with clock.frozen(NOW):
        schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="New orders only",
        )
    april, may = bill_months(one.account, first=D(2026, 4, 5), months=2)
    assert _service_lines(april, one.internet.pk) == [(D(2026, 4, 5), D(2026, 5, 4), OLD_CENTS)]
    assert _service_lines(may, one.internet.pk) == [(D(2026, 5, 5), D(2026, 6, 4), OLD_CENTS)]
    assert not Message.objects.filter(event=repricing.EVENT).exists()


def test_only_current_services_on_the_plan_change():
    catalog, (one, two) = catalog_with_subscribers(2)
    other_plan = subscribe(account=two.account, plan=catalog.faster, started_on=D(2026, 1, 5))
    ended = subscribe(account=two.account, plan=catalog.internet, started_on=D(2026, 1, 5))
    ended.status = SubscriptionStatus.CANCELLED
    ended.ended_on = D(2026, 2, 1)
    ended.save()
    starting_later = subscribe(account=one.account, plan=catalog.internet, started_on=RISE_ON)

    done = _apply(catalog.internet)

    assert done.apply_status == ApplyStatus.DONE
    assert done.services_total == done.services_changed == 2
    changed = set(
        SubscriptionPrice.objects.filter(effective_on=RISE_ON).values_list(
            "subscription_id", flat=True
        )
    )
    assert changed == {one.internet.pk, two.internet.pk}
    for untouched in (other_plan, ended, starting_later):
        assert not SubscriptionPrice.objects.filter(
            subscription=untouched, effective_on=RISE_ON
        ).exists()


def test_each_holder_is_told_once_with_the_day_and_both_prices():
    catalog, (one,) = catalog_with_subscribers(1)
    done = _apply(catalog.internet)
    messages = Message.objects.filter(event=repricing.EVENT)
    assert messages.count() == done.notices >= 1
    assert set(messages.values_list("user_id", flat=True)) == {one.holder.pk}
    note = messages.get(channel="in_app")
    assert note.body_text == (
        "The monthly price of your Internet 500 plan changes on April 20, 2026, "
        "from $70.00 to $80.00."
    )
    assert note.link == "/services/"


def test_spanish_readers_are_told_in_spanish():
    catalog = make_catalog()
    catalog.internet.name_es = "Internet 500 (es)"
    catalog.internet.save()
    reader = subscriber(catalog, language="es")
    _apply(catalog.internet)
    note = Message.objects.get(event=repricing.EVENT, user=reader.holder, channel="in_app")
    assert note.language == "es"
    assert "Internet 500 (es)" in note.body_text
    assert "20 de abril de 2026" in note.body_text
    assert "$70.00" in note.body_text
    assert "$80.00" in note.body_text


def test_running_again_writes_and_sends_nothing_more():
    catalog, _ = catalog_with_subscribers(3)
    done = _apply(catalog.internet, chunk_size=2)
    assert done.chunks_total == 2
    rows = SubscriptionPrice.objects.count()
    messages = Message.objects.count()

    with clock.frozen(NOW):
        assert start_apply(schedule=done) == 2  # the chunks it has
        for chunk in PriceChangeChunk.objects.filter(schedule=done):
            assert apply_chunk(chunk_id=chunk.pk) == "busy"
            # Even a chunk made pending again finds every service already changed.
            PriceChangeChunk.objects.filter(pk=chunk.pk).update(status=ChunkState.PENDING)
            assert apply_chunk(chunk_id=chunk.pk) == "done"
        run_apply(schedule=done)

    assert SubscriptionPrice.objects.count() == rows
    assert Message.objects.count() == messages
    assert AuditEvent.objects.filter(action="catalog.price_applied").count() == 1


def test_a_chunk_that_fails_leaves_nothing_half_written_and_is_tried_again(monkeypatch):
    catalog, _ = catalog_with_subscribers(2)
    real = repricing.notify_many
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the outbox is away")
        return real(**kwargs)

    monkeypatch.setattr(repricing, "notify_many", flaky)
    with clock.frozen(NOW):
        scheduled = schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Network investment",
            applies_to_subscribers=True,
            queue=False,
        )
        (chunk,) = PriceChangeChunk.objects.filter(schedule=scheduled)
        assert apply_chunk(chunk_id=chunk.pk) == "retry"
        assert not SubscriptionPrice.objects.filter(effective_on=RISE_ON).exists()
        assert not Message.objects.filter(event=repricing.EVENT).exists()
        assert apply_chunk(chunk_id=chunk.pk) == "done"
    assert SubscriptionPrice.objects.filter(effective_on=RISE_ON).count() == 2
    scheduled.refresh_from_db()
    assert scheduled.apply_status == ApplyStatus.DONE
    assert scheduled.services_changed == 2


def test_queued_chunks_run_once_the_schedule_commits(django_capture_on_commit_callbacks):
    catalog, _ = catalog_with_subscribers(2)
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        scheduled = schedule(
            item=catalog.internet,
            effective_on=RISE_ON,
            monthly_price_cents=NEW_CENTS,
            reason="Network investment",
            applies_to_subscribers=True,
        )
    scheduled.refresh_from_db()
    assert scheduled.apply_status == ApplyStatus.DONE
    assert scheduled.chunks_done == scheduled.chunks_total == 1


def test_the_services_page_shows_the_price_to_come(client):
    catalog, (one,) = catalog_with_subscribers(1)
    _apply(catalog.internet)
    with clock.frozen(NOW):
        services = my_services(account=one.account)
        client.force_login(one.holder)
        page = client.get("/services/").content.decode()
    change = services.services[0].pending_change
    assert change is not None
    assert change.effective_on == RISE_ON
    assert str(change.monthly_price) == "$80.00"
    assert "Price change: $80.00 a month from April 20, 2026." in page
    assert "$70.00" in page  # what they pay until then


def test_a_service_ordered_before_price_history_keeps_its_old_price_on_record():
    catalog, (one,) = catalog_with_subscribers(1)
    SubscriptionPrice.objects.filter(subscription=one.internet).delete()
    _apply(catalog.internet)
    assert list(
        SubscriptionPrice.objects.filter(subscription=one.internet)
        .order_by("effective_on")
        .values_list("effective_on", "monthly_price_cents")
    ) == [(one.internet.started_on, OLD_CENTS), (RISE_ON, NEW_CENTS)]


def test_a_subscriber_already_at_the_new_price_is_not_told():
    catalog, (one,) = catalog_with_subscribers(1)
    with clock.frozen(at(D(2026, 2, 1))):
        from dropline.subscriptions.pricing import change_price

        change_price(
            subscription=one.internet,
            monthly_price_cents=NEW_CENTS,
            effective_on=D(2026, 2, 1),
            reason="Earlier rise",
        )
    done = _apply(catalog.internet)
    assert done.services_changed == 0
    assert not Message.objects.filter(event=repricing.EVENT).exists()
