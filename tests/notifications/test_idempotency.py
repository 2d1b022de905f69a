"""Asked twice, run twice, crashed halfway: each person still hears exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dropline.core import clock
from dropline.customers.models import AccountMember, MemberRole
from dropline.customers.onboarding import add_member
from dropline.notifications import announcements
from dropline.notifications.categories import Channel
from dropline.notifications.channels.sms import SimulatorGateway
from dropline.notifications.delivery import LEASE, MAX_ATTEMPTS, claim, deliver, due_message_ids
from dropline.notifications.models import (
    Announcement,
    DeliveryAttempt,
    FanOutChunk,
    Message,
    MessageStatus,
    SimulatedSms,
)
from dropline.notifications.tasks import deliver_due, deliver_messages
from tests.support.notifications import area, make_person, send_notice

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC)
PHONE = "+13195550142"


def test_asking_twice_for_the_same_event_and_subject_makes_nothing_new(
    django_capture_on_commit_callbacks,
):
    maria = make_person(username="maria", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_notice(user=maria.user, subject_key="invoice:42")
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = send_notice(user=maria.user, subject_key="invoice:42")

    assert len(first) == 3
    assert second == []
    assert second_callbacks == []  # nothing queued for delivery the second time
    assert Message.objects.count() == 3
    assert len(mail.outbox) == 1
    assert SimulatedSms.objects.count() == 1

    # a different subject is a different notification
    with django_capture_on_commit_callbacks(execute=True):
        assert len(send_notice(user=maria.user, subject_key="invoice:43")) == 3
    assert len(mail.outbox) == 2


def test_delivering_the_same_batch_twice_sends_once():
    maria = make_person(username="maria", phone=PHONE)
    with clock.frozen(NOW):
        send_notice(user=maria.user)
        ids = list(
            Message.objects.exclude(channel=Channel.IN_APP)
            .order_by("id")
            .values_list("pk", flat=True)
        )
        assert deliver_messages(ids) == {"sent": 2}
        assert deliver_messages(ids) == {"sent": 2}  # reports them as sent, sends nothing
        assert deliver_due() == 0

    assert len(mail.outbox) == 1
    assert SimulatedSms.objects.count() == 1
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 2
    assert set(Message.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_worker_that_dies_mid_delivery_is_replaced_after_its_lease_and_sends_once():
    maria = make_person(username="maria", email_address=None, phone=PHONE)
    with clock.frozen(NOW):
        send_notice(user=maria.user)
        sms = Message.objects.get(channel=Channel.SMS)
        # worker A claims the message and hands it to the provider, then dies before it can
        # record the result
        assert claim(sms.pk) is True
        SimulatorGateway().send(to=PHONE, body=sms.body_text, idempotency_key=sms.idempotency_key)

        sms.refresh_from_db()
        assert sms.status == MessageStatus.SENDING
        assert sms.lease_until == NOW + LEASE
        # while the lease runs, nobody else touches it
        assert claim(sms.pk) is False
        assert due_message_ids() == []
        assert deliver(sms.pk).status == MessageStatus.SENDING
        assert deliver_due() == 0

    with clock.frozen(NOW + LEASE - dt.timedelta(seconds=1)):
        assert deliver_due() == 0

    after_lease = NOW + LEASE + dt.timedelta(seconds=1)
    with clock.frozen(after_lease):
        assert due_message_ids() == [sms.pk]
        assert deliver_due() == 1
        assert deliver_due() == 0

    sms.refresh_from_db()
    assert sms.status == MessageStatus.SENT
    assert sms.sent_at == after_lease
    assert sms.attempts == 2
    assert sms.lease_until is None
    # the provider saw the same idempotency key twice and kept one message
    [text] = SimulatedSms.objects.filter(to=PHONE)
    assert sms.provider_reference == text.reference
    assert DeliveryAttempt.objects.filter(message=sms, succeeded=True).count() == 1


def test_a_message_whose_workers_keep_dying_is_given_up_not_retried_forever():
    maria = make_person(username="maria", email_address=None, phone=PHONE)
    moment = NOW
    with clock.frozen(moment):
        send_notice(user=maria.user)
    sms = Message.objects.get(channel=Channel.SMS)
    for _ in range(MAX_ATTEMPTS):  # each worker claims it and dies before recording anything
        with clock.frozen(moment):
            assert claim(sms.pk) is True
        moment += LEASE + dt.timedelta(seconds=1)
    with clock.frozen(moment):
        assert claim(sms.pk) is False
        assert deliver_due() == 0
    sms.refresh_from_db()
    assert sms.status == MessageStatus.FAILED
    assert sms.attempts == MAX_ATTEMPTS
    assert sms.last_error
    assert not SimulatedSms.objects.exists()


def test_a_lost_lease_on_an_email_is_resent_with_the_same_message_id():
    maria = make_person(username="maria")
    with clock.frozen(NOW):
        send_notice(user=maria.user)
        email = Message.objects.get(channel=Channel.EMAIL)
        assert claim(email.pk) is True
    with clock.frozen(NOW + LEASE + dt.timedelta(minutes=1)):
        assert deliver_due() == 1
    assert len(mail.outbox) == 1
    expected_id = f"<{email.idempotency_key.replace(':', '.')}@dropline>"
    assert mail.outbox[0].extra_headers["Message-ID"] == expected_id


def _three_accounts_in_the_north() -> Announcement:
    for name, phone in (("ana", "+13195550161"), ("ben", "+13195550162"), ("cho", "+13195550163")):
        make_person(username=name, phone=phone)
    notice = announcements.create_announcement(
        kind="outage",
        areas=[area("north")],
        starts_at=NOW,
        ends_at=NOW + dt.timedelta(hours=2),
        title_en="Outage",
        title_es="Corte",
        body_en="Fibre cut.",
        body_es="Corte de fibra.",
        created_by=None,
    )
    announcements.start_sending(announcement=notice)  # on_commit never runs: we drive it
    return notice


def test_a_fan_out_chunk_run_twice_adds_no_messages(django_capture_on_commit_callbacks):
    notice = _three_accounts_in_the_north()
    with django_capture_on_commit_callbacks(execute=False):
        cursor = announcements.fan_out_chunk(
            announcement_id=notice.pk, phase=announcements.INITIAL, after_account_id=0, size=2
        )
    first = set(Message.objects.values_list("idempotency_key", flat=True))
    assert cursor is not None
    assert len(first) == 2 * 3  # two accounts, three channels each

    with django_capture_on_commit_callbacks(execute=True):
        again = announcements.fan_out_chunk(
            announcement_id=notice.pk, phase=announcements.INITIAL, after_account_id=0, size=2
        )
    assert again == cursor
    assert set(Message.objects.values_list("idempotency_key", flat=True)) == first
    # the retried chunk queued delivery of what was still pending: once each
    assert len(mail.outbox) == 2
    assert SimulatedSms.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        again = announcements.fan_out_chunk(
            announcement_id=notice.pk, phase=announcements.INITIAL, after_account_id=0, size=2
        )
    assert len(mail.outbox) == 2
    assert SimulatedSms.objects.count() == 2


def test_a_retried_chunk_does_not_inflate_the_progress_counter():
    notice = _three_accounts_in_the_north()
    for _ in range(2):
        announcements.fan_out_chunk(
            announcement_id=notice.pk, phase=announcements.INITIAL, after_account_id=0, size=2
        )
    notice.refresh_from_db()
    assert notice.accounts_total == 3
    assert notice.accounts_done == 2


def test_a_person_in_two_accounts_is_told_once_and_no_one_else_is_missed(
    django_capture_on_commit_callbacks,
):
    notice = _three_accounts_in_the_north()
    ana, ben, cho = (
        AccountMember.objects.get(user__username=name) for name in ("ana", "ben", "cho")
    )
    # Ana also helps with Ben's and Cho's accounts: the chunks after hers find her
    # messages already recorded and must still record everyone else's.
    for other in (ben, cho):
        add_member(account=other.account, user=ana.user, role=MemberRole.AUTHORIZED)
    cursor: int | None = 0
    with django_capture_on_commit_callbacks(execute=True):
        while cursor is not None:
            cursor = announcements.fan_out_chunk(
                announcement_id=notice.pk,
                phase=announcements.INITIAL,
                after_account_id=cursor,
                size=1,
            )
    told = list(Message.objects.values_list("user__username", "channel"))
    assert sorted(told) == sorted(
        (name, channel) for name in ("ana", "ben", "cho") for channel in ("email", "in_app", "sms")
    )
    assert len(mail.outbox) == 3
    assert SimulatedSms.objects.count() == 3
    notice.refresh_from_db()
    assert notice.accounts_done == 3


def test_a_retried_chunk_writes_nothing_and_its_statements_do_not_grow_with_its_size(
    django_capture_on_commit_callbacks,
):
    notice = _three_accounts_in_the_north()
    with CaptureQueriesContext(connection) as one:
        announcements.fan_out_chunk(
            announcement_id=notice.pk, phase=announcements.INITIAL, after_account_id=0, size=1
        )
    first = list(Message.objects.order_by("pk").values_list("pk", "idempotency_key", "created_at"))
    after = first_account(notice)
    with CaptureQueriesContext(connection) as two:
        announcements.fan_out_chunk(
            announcement_id=notice.pk, phase=announcements.INITIAL, after_account_id=after, size=2
        )
    assert len(one.captured_queries) == len(two.captured_queries)
    assert Message.objects.count() == 3 * 3
    with clock.frozen(NOW + dt.timedelta(minutes=5)):
        for cursor, size in ((0, 1), (after, 2)):
            announcements.fan_out_chunk(
                announcement_id=notice.pk,
                phase=announcements.INITIAL,
                after_account_id=cursor,
                size=size,
            )
    # the rows the first runs wrote are untouched, and nothing was added
    assert (
        list(Message.objects.order_by("pk").values_list("pk", "idempotency_key", "created_at")[:3])
        == first
    )
    assert Message.objects.count() == 3 * 3
    assert FanOutChunk.objects.filter(announcement=notice).count() == 2
    notice.refresh_from_db()
    assert notice.accounts_done == 3


def first_account(notice: Announcement) -> int:
    return announcements.accounts_reached(notice).order_by("pk").values_list("pk", flat=True)[0]
