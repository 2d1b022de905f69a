"""Preferences decide who hears about what, on which channel, at which address."""

from __future__ import annotations

import pytest
from django.core import mail

from dropline.notifications.categories import Category, Channel
from dropline.notifications.contacts import add_contact
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    Preference,
    SimulatedSms,
)
from dropline.notifications.preferences import (
    channels_for,
    preference_grid,
    set_preferences,
    unsubscribe,
)
from tests.support.notifications import make_person, send_notice

pytestmark = pytest.mark.django_db

PHONE = "+13195550142"


def _channels(user_pk: int, category: str | None = None) -> set[str]:
    messages = Message.objects.filter(user_id=user_pk)
    if category:
        messages = messages.filter(category=category)
    return set(messages.values_list("channel", flat=True))


def test_by_default_outages_go_everywhere_the_person_can_be_reached(
    django_capture_on_commit_callbacks,
):
    maria = make_person(username="maria", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        created = send_notice(user=maria.user)
    assert {m.channel for m in created} == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    assert [m.to for m in mail.outbox] == [[maria.user.email]]
    assert list(SimulatedSms.objects.values_list("to", flat=True)) == [PHONE]


def test_a_channel_switched_off_gets_no_message(django_capture_on_commit_callbacks):
    maria = make_person(username="maria", phone=PHONE)
    set_preferences(user=maria.user, grid={Category.OUTAGES: {Channel.SMS: False}})

    with django_capture_on_commit_callbacks(execute=True):
        send_notice(user=maria.user)

    assert _channels(maria.user.pk) == {Channel.EMAIL, Channel.IN_APP}
    assert not SimulatedSms.objects.exists()
    assert len(mail.outbox) == 1
    # other categories keep their SMS
    assert Channel.SMS in channels_for(user=maria.user, category=Category.APPOINTMENTS)


def test_every_channel_off_means_nothing_at_all(django_capture_on_commit_callbacks):
    maria = make_person(username="maria", phone=PHONE)
    set_preferences(
        user=maria.user,
        grid={Category.BILLING: dict.fromkeys(Channel.values, False)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = send_notice(user=maria.user, category=Category.BILLING)
    assert created == []
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_offers_are_off_until_the_person_opts_in(django_capture_on_commit_callbacks):
    maria = make_person(username="maria", phone=PHONE)
    assert not any(preference_grid(user=maria.user)[Category.OFFERS].values())

    with django_capture_on_commit_callbacks(execute=True):
        assert send_notice(user=maria.user, category=Category.OFFERS, subject_key="promo:1") == []
    assert not Message.objects.exists()
    assert mail.outbox == []

    set_preferences(user=maria.user, grid={Category.OFFERS: {Channel.EMAIL: True}})
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(user=maria.user, category=Category.OFFERS, subject_key="promo:2")
    assert _channels(maria.user.pk) == {Channel.EMAIL}
    assert len(mail.outbox) == 1
    assert not SimulatedSms.objects.exists()


def test_security_alerts_go_on_every_channel_whatever_the_preferences_say(
    django_capture_on_commit_callbacks,
):
    maria = make_person(username="maria", phone=PHONE)
    # asked through the form: security is ignored ...
    set_preferences(user=maria.user, grid={Category.SECURITY: dict.fromkeys(Channel.values, False)})
    # ... and a stray row written some other way does not count either
    Preference.objects.create(
        user=maria.user, category=Category.SECURITY, channel=Channel.SMS, enabled=False
    )
    assert unsubscribe(user=maria.user, category=Category.SECURITY) is False

    with django_capture_on_commit_callbacks(execute=True):
        created = send_notice(user=maria.user, category=Category.SECURITY, subject_key="login:1")

    assert {m.channel for m in created} == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    assert len(mail.outbox) == 1
    assert SimulatedSms.objects.filter(to=PHONE).count() == 1
    assert all(preference_grid(user=maria.user)[Category.SECURITY].values())


def test_a_channel_without_a_verified_address_is_skipped(django_capture_on_commit_callbacks):
    no_phone = make_person(username="nophone")
    no_email = make_person(username="noemail", email_address=None, phone="+13195550150")

    with django_capture_on_commit_callbacks(execute=True):
        send_notice(user=no_phone.user)
        send_notice(user=no_email.user)

    assert _channels(no_phone.user.pk) == {Channel.EMAIL, Channel.IN_APP}
    assert _channels(no_email.user.pk) == {Channel.SMS, Channel.IN_APP}
    assert [m.to for m in mail.outbox] == [[no_phone.user.email]]
    assert list(SimulatedSms.objects.values_list("to", flat=True)) == ["+13195550150"]


def test_an_unverified_contact_is_never_used(django_capture_on_commit_callbacks):
    maria = make_person(username="maria", email_address=None)
    add_contact(user=maria.user, kind=ContactKind.EMAIL, address="typo@exmaple.com")
    add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0160")

    with django_capture_on_commit_callbacks(execute=True):
        created = send_notice(user=maria.user, category=Category.SECURITY)

    # even a security alert, which goes "everywhere", only reaches the portal
    assert [m.channel for m in created] == [Channel.IN_APP]
    assert mail.outbox == []
    assert not SimulatedSms.objects.exists()


def test_the_verified_address_is_used_not_an_unverified_newer_one(
    django_capture_on_commit_callbacks,
):
    maria = make_person(username="maria", email_address="maria@example.com")
    add_contact(user=maria.user, kind=ContactKind.EMAIL, address="attacker@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        send_notice(user=maria.user, category=Category.SECURITY)

    assert [m.to for m in mail.outbox] == [["maria@example.com"]]


def test_an_undeliverable_address_is_skipped(django_capture_on_commit_callbacks):
    maria = make_person(username="maria", phone=PHONE)
    ContactPoint.objects.filter(user=maria.user, kind=ContactKind.PHONE).update(
        status=ContactStatus.UNDELIVERABLE, failure_reason="number is not a mobile line"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(user=maria.user)
    assert _channels(maria.user.pk) == {Channel.EMAIL, Channel.IN_APP}
    assert not SimulatedSms.objects.exists()


def test_unsubscribing_turns_off_only_that_categorys_email():
    maria = make_person(username="maria", phone=PHONE)
    assert unsubscribe(user=maria.user, category=Category.OUTAGES) is True

    grid = preference_grid(user=maria.user)
    assert grid[Category.OUTAGES][Channel.EMAIL] is False
    assert grid[Category.OUTAGES][Channel.SMS] is True
    assert grid[Category.OUTAGES][Channel.IN_APP] is True
    assert grid[Category.BILLING][Channel.EMAIL] is True
    assert unsubscribe(user=maria.user, category="no-such-category") is False
