"""``dropline catalog schedule-price``: each refusal names the argument at fault and
writes nothing; applied to subscribers it shows a progress bar and the figures, and
running it again after it was cut short finishes the job without doubling anything."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dropline.catalog.models import ApplyStatus, ChunkState, PriceChangeChunk, ScheduledPrice
from dropline.core import clock
from dropline.notifications.models import Message
from dropline.subscriptions.models import SubscriptionPrice
from tests.support.prices import NOW, RISE_ON, catalog_with_subscribers

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with clock.frozen(NOW):
        call_command("catalog", "schedule-price", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


BASE = ("--plan", "internet-500", "--from", RISE_ON.isoformat(), "--cents", "8000")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--plan", "nope", "--from", "2026-05-01", "--cents", "1", "--reason", "x"), "--plan:"),
        (("--plan", "internet-500", "--cents", "1", "--reason", "x"), "--from:"),
        (("--plan", "internet-500", "--from", "May 1", "--cents", "1", "--reason", "x"), "--from:"),
        (("--plan", "internet-500", "--from", "2026-05-01", "--cents", "1.5"), "--cents:"),
        (("--plan", "internet-500", "--from", "2026-05-01", "--cents", "-100", "--reason", "x"),
         "--cents: A price cannot be negative."),
        (("--plan", "internet-500", "--from", "2026-03-01", "--cents", "100", "--reason", "x"),
         "--from: A new price starts on a day still to come"),
        ((*BASE,), "--reason: Say why the price changes."),
        (("--plan", "internet-500", "--from", "2026-03-20", "--cents", "100", "--reason", "x",
          "--apply-to-subscribers"), "--from: Subscribers must be told at least 30 days ahead"),
        (("--add-on", "boost", "--from", "2026-05-01", "--cents", "100", "--reason", "x",
          "--apply-to-subscribers"), "--apply-to-subscribers: Only a plan's new price"),
    ],
)  # fmt: skip
def test_refusals_name_the_argument_and_write_nothing(args, words):
    catalog_with_subscribers(1)
    with pytest.raises(CommandError) as refused:
        _run(*args)
    assert str(refused.value).startswith(words.split(":")[0] + ":")
    assert words in str(refused.value)
    assert not ScheduledPrice.objects.exists()


def test_new_orders_only_by_default():
    catalog_with_subscribers(1)
    out, _ = _run(*BASE, "--reason", "Rise")
    assert "Internet 500 costs $80.00 a month from 2026-04-20 for new orders" in out
    assert not ScheduledPrice.objects.get().applies_to_subscribers
    assert not SubscriptionPrice.objects.filter(effective_on=RISE_ON).exists()


def test_applied_to_subscribers_with_a_progress_bar_and_the_figures():
    catalog_with_subscribers(3)
    out, err = _run(*BASE, "--reason", "Rise", "--apply-to-subscribers", "--chunk-size", "2")
    assert "applying to subscribers" in err
    assert "3 of 3 service(s) get the new price from 2026-04-20" in out
    assert SubscriptionPrice.objects.filter(effective_on=RISE_ON).count() == 3


def test_running_again_after_a_cut_finishes_the_job_once():
    catalog_with_subscribers(3)
    _run(*BASE, "--reason", "Rise", "--apply-to-subscribers", "--chunk-size", "2")
    scheduled = ScheduledPrice.objects.get()
    # As if the process had died before its last chunk: that chunk is undone.
    last = PriceChangeChunk.objects.get(schedule=scheduled, index=1)
    SubscriptionPrice.objects.filter(
        effective_on=RISE_ON, subscription_id__gte=last.first_id
    ).delete()
    Message.objects.filter(subject_key__endswith=f":{last.first_id}").delete()
    PriceChangeChunk.objects.filter(pk=last.pk).update(status=ChunkState.PENDING)
    ScheduledPrice.objects.filter(pk=scheduled.pk).update(
        apply_status=ApplyStatus.RUNNING, chunks_done=1, services_changed=2
    )
    messages = Message.objects.count()

    out, _ = _run(*BASE, "--reason", "Rise", "--apply-to-subscribers")
    assert f"Finishing scheduled price #{scheduled.pk}" in out
    assert "3 of 3 service(s)" in out
    assert ScheduledPrice.objects.count() == 1
    assert SubscriptionPrice.objects.filter(effective_on=RISE_ON).count() == 3
    assert Message.objects.count() > messages
    again = Message.objects.count()
    with pytest.raises(CommandError, match="--from: A new price already starts on that day"):
        _run(*BASE, "--reason", "Rise", "--apply-to-subscribers")
    assert Message.objects.count() == again
