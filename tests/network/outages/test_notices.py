"""Outage notices reach exactly the accounts in the affected areas, each step once, and
a watcher who also got the area's notice is not told twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from dropline.core import clock
from dropline.network.models import OutageStatus, OutageWatch
from dropline.network.outages import declaring, watching
from dropline.notifications.models import AnnouncementStatus, Message
from tests.support.notifications import Person, area, make_person
from tests.support.outages import declare_outage

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def town(db: None) -> dict[str, Person]:
    return {
        "ana": make_person(username="ana", area_code="north", phone="+13195550161"),
        "jose": make_person(username="jose", area_code="north", language="es"),
        "ben": make_person(username="ben", area_code="south"),
        "east": make_person(username="east", area_code="east", phone="+13195550163"),
    }


def _told(event: str) -> Counter[tuple[str, str]]:
    """(username, channel) for each message of ``event``."""
    return Counter(Message.objects.filter(event=event).values_list("user__username", "channel"))


def _people(event: str) -> set[str]:
    return {user for user, _ in _told(event)}


def test_a_declared_outage_reaches_every_account_in_its_areas_and_no_one_else(
    town, django_capture_on_commit_callbacks
):
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        outage = declare_outage(
            areas=[area("north"), area("south")],
            notify=True,
            cause_en="A fibre cable was cut.",
            cause_es="Se cortó un cable de fibra.",
            eta=NOW + dt.timedelta(hours=3),
        )
    assert _people("announcement.notice") == {"ana", "jose", "ben"}
    assert max(_told("announcement.notice").values()) == 1  # once per person and channel
    outage.refresh_from_db()
    assert outage.announcement is not None
    assert outage.announcement.status == AnnouncementStatus.SENT
    assert outage.announcement.ends_at == NOW + dt.timedelta(hours=3)
    jose = Message.objects.get(user__username="jose", event="announcement.notice", channel="email")
    assert jose.subject == "Corte de internet"
    assert "Se cortó un cable de fibra." in jose.body_text
    assert "/outages/" in jose.body_text
    assert not Message.objects.filter(user__username="east").exists()


def test_without_notify_nobody_is_told_and_no_announcement_is_made(town):
    with clock.frozen(NOW):
        outage = declare_outage(areas=[area("north")], notify=False)
    assert outage.announcement is None
    assert not Message.objects.exists()


def test_an_outage_with_no_eta_says_so_rather_than_inventing_an_end(
    town, django_capture_on_commit_callbacks
):
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        declare_outage(areas=[area("north")], notify=True)
    ana = Message.objects.get(user__username="ana", event="announcement.notice", channel="email")
    assert "we do not know yet when it will be fixed" in ana.body_text.lower()
    assert " to " not in ana.body_text.split("\n")[-1]


def test_an_eta_update_goes_to_watchers_only_once_and_moves_the_banner(
    town, django_capture_on_commit_callbacks
):
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        outage = declare_outage(areas=[area("north"), area("south")], notify=True)
    with clock.frozen(NOW + dt.timedelta(minutes=5)):
        watching.watch(account=town["ana"].account, user=town["ana"].user, outage_id=outage.pk)
        watching.watch(account=town["ana"].account, user=town["ana"].user, outage_id=outage.pk)
    new_eta = NOW + dt.timedelta(hours=5)
    with clock.frozen(NOW + dt.timedelta(minutes=20)):
        update = declaring.post_update(
            outage=outage,
            status=OutageStatus.IDENTIFIED,
            eta=new_eta,
            message_en="Crews are on site.",
            message_es="Los técnicos están en el lugar.",
            notify=True,
            posted_by=None,
        )
        # the same step asked again (a retried request) sends nothing more
        from dropline.network.outages import notices

        assert notices.tell_watchers(outage=outage, update=update, event=notices.UPDATE_EVENT) == 0
    assert _people("outage.update") == {"ana"}
    assert set(_told("outage.update").values()) == {1}
    assert {c for _, c in _told("outage.update")} == {"email", "sms", "in_app"}
    email = Message.objects.get(event="outage.update", channel="email")
    assert "Crews are on site." in email.body_text
    outage.refresh_from_db()
    assert outage.announcement is not None
    assert outage.announcement.ends_at == new_eta
    assert OutageWatch.objects.filter(outage=outage).count() == 1


def test_the_end_reaches_the_area_once_and_watchers_it_missed(
    town, django_capture_on_commit_callbacks
):
    # ben moves in after the notice went out: the announcement never told him
    with clock.frozen(NOW), django_capture_on_commit_callbacks(execute=True):
        outage = declare_outage(areas=[area("north")], notify=True)
    late = make_person(username="late", area_code="north")
    with clock.frozen(NOW + dt.timedelta(minutes=5)):
        for person in (town["ana"], town["jose"], late):
            watching.watch(account=person.account, user=person.user, outage_id=outage.pk)
    with (
        clock.frozen(NOW + dt.timedelta(hours=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        declaring.resolve(outage=outage, resolved_by=None)
    # ana and jose hear it from the announcement's follow-up, late from the watch list
    assert _people("announcement.resolved") == {"ana", "jose"}
    assert _people("outage.resolved") == {"late"}
    for person in ("ana", "jose", "late"):
        events = Message.objects.filter(user__username=person, channel="email").values_list(
            "event", flat=True
        )
        assert len([e for e in events if "resolved" in e]) == 1, person
    assert not Message.objects.filter(user__username__in=["ben", "east"]).exists()
    outage.refresh_from_db()
    assert outage.status == OutageStatus.RESOLVED
    assert outage.resolved_at == NOW + dt.timedelta(hours=2)
    assert outage.announcement is not None
    assert outage.announcement.status == AnnouncementStatus.RESOLVED
    assert not OutageWatch.objects.filter(outage=outage, notified_at__isnull=True).exists()


def test_watchers_of_an_outage_declared_quietly_are_told_it_is_fixed(town):
    with clock.frozen(NOW):
        outage = declare_outage(areas=[area("north")], notify=False)
        watching.watch(account=town["jose"].account, user=town["jose"].user, outage_id=outage.pk)
    with clock.frozen(NOW + dt.timedelta(hours=1)):
        declaring.resolve(outage=outage, resolved_by=None)
    message = Message.objects.get(event="outage.resolved", channel="email")
    assert message.user == town["jose"].user
    assert message.subject == "Arreglado: Corte de internet"
    assert _people("announcement.resolved") == set()
