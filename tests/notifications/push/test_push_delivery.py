"""Push notifications through the outbox, to a local push service that checks the VAPID
signature and decrypts the message as a browser would."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.notifications.bulk_notify import Notice, notify_many
from dropline.notifications.categories import Category, Channel
from dropline.notifications.delivery import MAX_ATTEMPTS, deliver
from dropline.notifications.models import (
    DeliveryAttempt,
    Message,
    MessageStatus,
    Preference,
    PushDelivery,
    PushSubscription,
)
from dropline.notifications.outbox import notify
from dropline.notifications.preferences import set_preferences
from dropline.notifications.tasks import deliver_due
from tests.support.notifications import announcement_stub, make_person, send_notice
from tests.support.push import FIREFOX_ON_WINDOWS, subscribe_browser
from tests.support.push_service import new_vapid_key, public_key_of

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC)


def _push_message(user) -> Message:
    return Message.objects.get(user=user, channel=Channel.PUSH)


def test_a_notice_reaches_the_device_and_decrypts_to_what_the_portal_says(push_service):
    person = make_person(username="pia")
    device = subscribe_browser(person.user, push_service)

    with clock.frozen(NOW):
        send_notice(user=person.user, subject_key="announcement:7")
        message = _push_message(person.user)
        assert deliver(message.pk).status == MessageStatus.SENT

    in_portal = Message.objects.get(user=person.user, channel=Channel.IN_APP)
    [payload] = push_service.payloads(device.endpoint)
    assert payload == {
        "title": in_portal.subject,
        "body": in_portal.body_text,
        "url": "/notifications/",
        "tag": "announcement:7",
    }
    [received] = push_service.received
    assert received.claims["sub"].startswith("mailto:")
    assert received.urgency == "high"  # an outage
    assert received.ttl == 24 * 60 * 60
    assert len(received.topic) == 32
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at == NOW
    device.refresh_from_db()
    assert device.last_success_at == NOW
    assert push_service.refusals == []


def test_a_message_with_a_link_opens_that_page(push_service, settings):
    settings.DROPLINE_PUBLIC_URL = "https://portal.example.net"
    person = make_person(username="lou")
    subscribe_browser(person.user, push_service)
    for n, link in enumerate(
        ["/billing/", "https://portal.example.net/support/requests/4/?x=1", "https://evil.test/"]
    ):
        notify(
            event="announcement.notice",
            category=Category.OUTAGES,
            subject_key=f"link:{n}",
            context={"announcement": announcement_stub()},
            users=[person.user],
            link=link,
        )
    for message in Message.objects.filter(user=person.user, channel=Channel.PUSH):
        deliver(message.pk)
    urls = sorted(p["url"] for p in push_service.payloads())
    assert urls == ["/billing/", "/notifications/", "/support/requests/4/?x=1"]


def test_every_device_gets_it_once_even_when_asked_twice(push_service):
    person = make_person(username="twice")
    phone = subscribe_browser(person.user, push_service)
    laptop = subscribe_browser(person.user, push_service, user_agent=FIREFOX_ON_WINDOWS)

    send_notice(user=person.user, subject_key="notice:1")
    send_notice(user=person.user, subject_key="notice:1")  # the same event again
    message = _push_message(person.user)
    deliver(message.pk)
    deliver(message.pk)  # a duplicate task: the message is sent already
    deliver_due()

    assert len(push_service.payloads(phone.endpoint)) == 1
    assert len(push_service.payloads(laptop.endpoint)) == 1
    assert push_service.requests == 2
    assert Message.objects.filter(user=person.user, channel=Channel.PUSH).count() == 1


def test_a_signature_from_another_key_is_refused_and_the_message_is_not_sent(
    push_service, settings
):
    person = make_person(username="rekeyed")
    device = subscribe_browser(person.user, push_service)
    # The server's key changed after the browser subscribed with the old one.
    settings.DROPLINE_VAPID_PRIVATE_KEY = new_vapid_key()

    send_notice(user=person.user)
    message = _push_message(person.user)
    outcome = deliver(message.pk)

    assert outcome.status == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.sent_at is None
    assert "403" in message.last_error
    assert push_service.received == []
    assert push_service.refusals == [(403, "k is not the key the subscription was made with")]
    device.refresh_from_db()
    assert device.last_failure_at is not None
    assert device.last_success_at is None
    # a refusal for good is not tried again
    with clock.frozen(clock.now() + dt.timedelta(hours=3)):
        deliver_due()
    assert push_service.requests == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_the_public_key_a_browser_subscribes_with_is_the_signing_keys(push_service, settings):
    from dropline.notifications.channels.vapid import application_server_key

    assert application_server_key() == public_key_of(settings.DROPLINE_VAPID_PRIVATE_KEY)


def test_a_gone_subscription_is_removed_and_the_other_device_still_counts(push_service):
    person = make_person(username="gone")
    kept = subscribe_browser(person.user, push_service)
    dropped = subscribe_browser(person.user, push_service, user_agent=FIREFOX_ON_WINDOWS)
    push_service.drop(dropped.endpoint, status=410)

    send_notice(user=person.user)
    message = _push_message(person.user)
    assert deliver(message.pk).status == MessageStatus.SENT

    assert list(PushSubscription.objects.filter(user=person.user)) == [kept]
    assert len(push_service.payloads(kept.endpoint)) == 1


def test_a_message_to_a_single_gone_device_fails_and_forgets_the_device(push_service):
    person = make_person(username="onlygone")
    device = subscribe_browser(person.user, push_service)
    push_service.drop(device.endpoint, status=404)

    send_notice(user=person.user)
    message = _push_message(person.user)
    assert deliver(message.pk).status == MessageStatus.FAILED

    assert not PushSubscription.objects.filter(user=person.user).exists()
    message.refresh_from_db()
    assert message.last_error == "the device no longer takes push notifications"
    # and the next notice makes no push message at all
    send_notice(user=person.user, subject_key="notice:2")
    assert not Message.objects.filter(
        user=person.user, channel=Channel.PUSH, subject_key="notice:2"
    ).exists()


def test_an_unavailable_push_service_is_retried_on_the_outbox_schedule(push_service):
    person = make_person(username="retry", email_address=None)
    device = subscribe_browser(person.user, push_service)
    push_service.reply(503)

    with clock.frozen(NOW):
        send_notice(user=person.user)
        message = _push_message(person.user)
        outcome = deliver(message.pk)
    assert outcome.status == MessageStatus.PENDING
    assert outcome.retry_in == 30
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert "503" in message.last_error
    device.refresh_from_db()
    assert device.last_failure_at == NOW

    with clock.frozen(NOW + dt.timedelta(seconds=29)):
        assert deliver_due() == 0
    with clock.frozen(NOW + dt.timedelta(seconds=30)):
        assert deliver_due() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert len(push_service.payloads(device.endpoint)) == 1
    assert [a.succeeded for a in DeliveryAttempt.objects.filter(message=message)] == [False, True]


def test_a_retry_goes_only_to_the_device_that_missed_it(push_service):
    person = make_person(username="half", email_address=None)
    first = subscribe_browser(person.user, push_service)
    second = subscribe_browser(person.user, push_service, user_agent=FIREFOX_ON_WINDOWS)
    push_service.reply(429, endpoint=second.endpoint)

    with clock.frozen(NOW):
        send_notice(user=person.user)
        message = _push_message(person.user)
        assert deliver(message.pk).status == MessageStatus.PENDING
    assert len(push_service.payloads(first.endpoint)) == 1
    with clock.frozen(NOW + dt.timedelta(minutes=1)):
        assert deliver_due() == 1

    assert len(push_service.payloads(first.endpoint)) == 1
    assert len(push_service.payloads(second.endpoint)) == 1
    assert push_service.requests == 3
    assert PushDelivery.objects.filter(message=message, delivered=True).count() == 2
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_after_the_last_attempt_a_message_one_device_took_counts_as_sent(push_service):
    person = make_person(username="partial", email_address=None)
    subscribe_browser(person.user, push_service)
    stuck = subscribe_browser(person.user, push_service, user_agent=FIREFOX_ON_WINDOWS)
    push_service.reply(*[503] * MAX_ATTEMPTS, endpoint=stuck.endpoint)

    with clock.frozen(NOW):
        send_notice(user=person.user)
    message = _push_message(person.user)
    now = NOW
    for _attempt in range(MAX_ATTEMPTS):
        with clock.frozen(now):
            deliver_due()
        message.refresh_from_db()
        now = max(message.not_before, now) + dt.timedelta(seconds=1)
    assert message.status == MessageStatus.SENT
    assert message.attempts == MAX_ATTEMPTS
    assert message.provider_reference == "push: 1 device(s) took it, 1 not reached"
    assert push_service.payloads(stuck.endpoint) == []


def test_preferences_decide_whether_push_is_sent(push_service):
    person = make_person(username="choosy")
    subscribe_browser(person.user, push_service)
    set_preferences(user=person.user, grid={Category.OUTAGES: {Channel.PUSH: False}})

    send_notice(user=person.user, category=Category.OUTAGES, subject_key="a")
    send_notice(user=person.user, category=Category.OFFERS, subject_key="b")  # off by default
    send_notice(user=person.user, category=Category.BILLING, subject_key="c")  # on by default
    send_notice(user=person.user, category=Category.SECURITY, subject_key="d")  # always
    deliver_due()

    pushed = Message.objects.filter(user=person.user, channel=Channel.PUSH)
    assert sorted(pushed.values_list("subject_key", flat=True)) == ["c", "d"]
    assert sorted(p["tag"] for p in push_service.payloads()) == ["c", "d"]
    assert Preference.objects.get(user=person.user, channel=Channel.PUSH).enabled is False


def test_nothing_is_pushed_to_a_person_without_a_device(push_service):
    person = make_person(username="nodevice")
    send_notice(user=person.user, category=Category.SECURITY)
    deliver_due()
    assert not Message.objects.filter(user=person.user, channel=Channel.PUSH).exists()
    assert Message.objects.filter(user=person.user, channel=Channel.EMAIL).exists()
    assert push_service.requests == 0


def test_the_bulk_path_pushes_to_people_with_devices(push_service):
    with_device = make_person(username="bulkdevice")
    without = make_person(username="bulknone")
    subscribe_browser(with_device.user, push_service)
    day = dt.date(2025, 2, 1)
    notify_many(
        event="invoice_ready",
        category=Category.BILLING,
        notices=[
            Notice(
                account_id=p.account.pk,
                subject_key=f"invoice:{p.account.pk}",
                link="/billing/invoices/INV-1/",
                context={"owes": True, "provider_name": "Dropline"},
                values={
                    "number": "INV-1",
                    "amount_due": "$10.00",
                    "credit": "-$10.00",
                    "new_charges": "$10.00",
                    "due": day,
                    "start": day,
                    "end": day,
                    "url": "https://portal.example.net/billing/invoices/INV-1/",
                },
            )
            for p in (with_device, without)
        ],
    )
    deliver_due()
    pushed = Message.objects.get(channel=Channel.PUSH)
    assert pushed.user == with_device.user
    [payload] = push_service.payloads()
    assert payload["url"] == "/billing/invoices/INV-1/"
    assert "INV-1" in payload["title"] + payload["body"]
