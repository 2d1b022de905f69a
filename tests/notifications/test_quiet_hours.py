"""Quiet hours: no text message wakes anyone up, except a security alert."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from dropline.core import clock
from dropline.notifications.categories import Category, Channel
from dropline.notifications.models import Message, MessageStatus, QuietHours, SimulatedSms
from dropline.notifications.preferences import PreferenceError, quiet_until, set_quiet_hours
from dropline.notifications.tasks import deliver_due
from tests.support.notifications import make_person, send_notice

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
PHONE = "+13195550142"


def chicago(year: int, month: int, day: int, hour: int, minute: int, second: int = 0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=CHICAGO)


def _night_owl():
    person = make_person(username="maria", phone=PHONE)
    set_quiet_hours(
        user=person.user, starts=dt.time(21, 0), ends=dt.time(7, 0), time_zone="America/Chicago"
    )
    return person


def _sms(user_pk: int) -> Message:
    return Message.objects.get(user_id=user_pk, channel=Channel.SMS)


@pytest.mark.parametrize(
    ("asked_at", "held_until"),
    [
        # late evening: held until 07:00 the next morning
        (chicago(2025, 1, 15, 23, 30), chicago(2025, 1, 16, 7, 0)),
        # right at the start of the window
        (chicago(2025, 1, 15, 21, 0), chicago(2025, 1, 16, 7, 0)),
        # after midnight: held until 07:00 the same morning
        (chicago(2025, 1, 16, 2, 15), chicago(2025, 1, 16, 7, 0)),
        # the night clocks go forward (CST -> CDT): 07:00 local is 12:00 UTC, not 13:00
        (chicago(2025, 3, 8, 22, 0), chicago(2025, 3, 9, 7, 0)),
        # New Year's Eve: the end falls in the next month and year
        (chicago(2025, 12, 31, 23, 59), chicago(2026, 1, 1, 7, 0)),
    ],
)
def test_an_sms_asked_for_at_night_waits_for_the_end_of_quiet_hours(asked_at, held_until):
    maria = _night_owl()
    with clock.frozen(asked_at.astimezone(dt.UTC)):
        send_notice(user=maria.user)
    sms = _sms(maria.user.pk)
    assert sms.status == MessageStatus.PENDING
    assert sms.not_before == held_until
    assert sms.not_before.astimezone(CHICAGO).time() == dt.time(7, 0)


def test_the_dst_morning_is_measured_in_local_time():
    quiet = QuietHours(starts=dt.time(21, 0), ends=dt.time(7, 0), time_zone="America/Chicago")
    end = quiet_until(quiet, chicago(2025, 3, 8, 22, 0).astimezone(dt.UTC))
    assert end == dt.datetime(2025, 3, 9, 12, 0, tzinfo=dt.UTC)
    end = quiet_until(quiet, chicago(2025, 11, 1, 22, 0).astimezone(dt.UTC))
    assert end == dt.datetime(2025, 11, 2, 13, 0, tzinfo=dt.UTC)  # clocks went back


@pytest.mark.parametrize(
    "asked_at",
    [chicago(2025, 1, 15, 20, 59), chicago(2025, 1, 16, 7, 0), chicago(2025, 1, 16, 12, 0)],
)
def test_outside_quiet_hours_an_sms_goes_at_once(asked_at):
    maria = _night_owl()
    now = asked_at.astimezone(dt.UTC)
    with clock.frozen(now):
        send_notice(user=maria.user)
        assert _sms(maria.user.pk).not_before == now
        assert deliver_due() == 2  # the email and the SMS
    assert SimulatedSms.objects.count() == 1


def test_daytime_quiet_hours_work_too():
    maria = make_person(username="maria", phone=PHONE)
    set_quiet_hours(
        user=maria.user, starts=dt.time(13, 0), ends=dt.time(15, 30), time_zone="America/Chicago"
    )
    with clock.frozen(chicago(2025, 6, 2, 14, 0).astimezone(dt.UTC)):
        send_notice(user=maria.user)
    assert _sms(maria.user.pk).not_before == chicago(2025, 6, 2, 15, 30)


def test_a_held_sms_is_not_sent_before_the_end_and_is_sent_once_after():
    maria = _night_owl()
    asked = chicago(2025, 1, 15, 23, 30).astimezone(dt.UTC)
    with clock.frozen(asked):
        send_notice(user=maria.user)
        delivered_at_night = deliver_due()

    # the email ignores quiet hours and goes straight away; the text waits
    assert delivered_at_night == 1
    assert len(mail.outbox) == 1
    assert not SimulatedSms.objects.exists()
    assert _sms(maria.user.pk).attempts == 0

    for moment in (chicago(2025, 1, 16, 3, 0), chicago(2025, 1, 16, 6, 59, 59)):
        with clock.frozen(moment.astimezone(dt.UTC)):
            assert deliver_due() == 0
    assert not SimulatedSms.objects.exists()

    morning = chicago(2025, 1, 16, 7, 0, 30).astimezone(dt.UTC)
    with clock.frozen(morning):
        assert deliver_due() == 1
        assert deliver_due() == 0
    [text] = SimulatedSms.objects.all()
    assert text.to == PHONE
    assert text.sent_at == morning
    sms = _sms(maria.user.pk)
    assert sms.status == MessageStatus.SENT
    assert sms.sent_at == morning
    assert len(mail.outbox) == 1


def test_security_texts_ignore_quiet_hours():
    maria = _night_owl()
    asked = chicago(2025, 1, 15, 23, 30).astimezone(dt.UTC)
    with clock.frozen(asked):
        send_notice(user=maria.user, category=Category.SECURITY, subject_key="login:7")
        assert _sms(maria.user.pk).not_before == asked
        deliver_due()
    assert SimulatedSms.objects.filter(to=PHONE).count() == 1
    assert len(mail.outbox) == 1


def test_email_and_in_app_ignore_quiet_hours():
    maria = _night_owl()
    asked = chicago(2025, 1, 15, 23, 30).astimezone(dt.UTC)
    with clock.frozen(asked):
        created = {m.channel: m for m in send_notice(user=maria.user)}
    assert created[Channel.EMAIL].not_before == asked
    assert created[Channel.IN_APP].status == MessageStatus.SENT
    assert created[Channel.IN_APP].sent_at == asked


def test_an_sms_that_falls_due_inside_quiet_hours_still_waits():
    maria = _night_owl()
    # asked for in the evening, but the worker queue was backed up (or the first try timed
    # out and the backoff carried it past 21:00): the sweep runs at 22:30
    with clock.frozen(chicago(2025, 1, 15, 20, 55).astimezone(dt.UTC)):
        send_notice(user=maria.user)
    with clock.frozen(chicago(2025, 1, 15, 22, 30).astimezone(dt.UTC)):
        deliver_due()
    assert not SimulatedSms.objects.exists()
    held = _sms(maria.user.pk)
    assert held.status == MessageStatus.PENDING
    assert held.not_before == chicago(2025, 1, 16, 7, 0)
    assert held.attempts == 0  # waiting is not a failed try
    assert not held.delivery_attempts.exists()

    with clock.frozen(chicago(2025, 1, 16, 7, 1).astimezone(dt.UTC)):
        assert deliver_due() == 1
    assert SimulatedSms.objects.count() == 1
    assert _sms(maria.user.pk).status == MessageStatus.SENT


def test_quiet_hours_are_validated():
    maria = make_person(username="maria")
    with pytest.raises(PreferenceError):
        set_quiet_hours(user=maria.user, starts=dt.time(7), ends=dt.time(7), time_zone="UTC")
    with pytest.raises(PreferenceError):
        set_quiet_hours(
            user=maria.user, starts=dt.time(21), ends=dt.time(7), time_zone="Mars/Olympus"
        )
    assert not QuietHours.objects.exists()
    set_quiet_hours(user=maria.user, starts=dt.time(21), ends=dt.time(7), time_zone="UTC")
    set_quiet_hours(user=maria.user, starts=None, ends=None, time_zone="UTC")
    assert not QuietHours.objects.exists()
