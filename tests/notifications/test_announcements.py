"""Outage announcements reach exactly the accounts in the chosen areas, in their language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail, signing

from dropline.accounts.models import User
from dropline.core import clock
from dropline.customers.models import AccountStatus, MemberRole
from dropline.customers.onboarding import add_member
from dropline.notifications import announcements
from dropline.notifications.announcements import AnnouncementError
from dropline.notifications.categories import Category, Channel
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import (
    Announcement,
    AnnouncementStatus,
    ContactKind,
    Message,
    MessageStatus,
    SimulatedSms,
)
from dropline.notifications.preferences import preference_grid, unsubscribe
from dropline.notifications.unsubscribe import make_token, read_token, unsubscribe_url
from tests.support.factories import make_user
from tests.support.notifications import Person, area, make_person

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 15, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def town(db: None) -> dict[str, Person]:
    people = {
        "ana": make_person(username="ana", area_code="north", phone="+13195550161"),
        "jose": make_person(username="jose", area_code="north", language="es"),
        # the account prefers Spanish and the person has not said: Spanish
        "lucia": make_person(username="lucia", area_code="south", account_language="es"),
        "ben": make_person(username="ben", area_code="south", phone="+13195550162"),
        "closed": make_person(username="closed", area_code="north", status=AccountStatus.CLOSED),
        "east": make_person(username="east", area_code="east", phone="+13195550163"),
    }
    # ana's partner is an authorized user on her account: told too
    partner = make_user(username="partner")
    add_member(account=people["ana"].account, user=partner, role=MemberRole.AUTHORIZED)
    add_verified_contact(user=partner, kind=ContactKind.EMAIL, address=partner.email, primary=True)
    return people


def _create(areas: list[str]) -> Announcement:
    return announcements.create_announcement(
        kind="outage",
        areas=[area(code) for code in areas],
        starts_at=NOW,
        ends_at=NOW + dt.timedelta(hours=4),
        title_en="Internet outage",
        title_es="Corte de internet",
        body_en="Crews are repairing a fibre cut.",
        body_es="Los técnicos reparan un corte de fibra.",
        created_by=None,
    )


def _recipients(event: str) -> set[str]:
    return set(
        Message.objects.filter(event=event).values_list("user__username", flat=True).distinct()
    )


def test_an_announcement_reaches_exactly_the_accounts_in_its_areas(
    town, django_capture_on_commit_callbacks
):
    with clock.frozen(NOW):
        notice = _create(["north", "south"])
        with django_capture_on_commit_callbacks(execute=True):
            announcements.start_sending(announcement=notice)

    assert _recipients("announcement.notice") == {"ana", "partner", "jose", "lucia", "ben"}
    notice.refresh_from_db()
    assert notice.status == AnnouncementStatus.SENT
    assert notice.sent_at == NOW
    assert (notice.accounts_total, notice.accounts_done) == (4, 4)

    # what each person received, in their language
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {
        "ana@example.com",
        "partner@example.com",
        "jose@example.com",
        "lucia@example.com",
        "ben@example.com",
    }
    assert by_address["ana@example.com"].subject == "Internet outage"
    assert by_address["jose@example.com"].subject == "Corte de internet"
    assert by_address["lucia@example.com"].subject == "Corte de internet"
    assert "Los técnicos reparan un corte de fibra." in by_address["jose@example.com"].body
    assert "fibre" not in by_address["jose@example.com"].body
    assert set(SimulatedSms.objects.values_list("to", flat=True)) == {
        "+13195550161",
        "+13195550162",
    }
    languages = dict(
        Message.objects.filter(channel=Channel.IN_APP).values_list("user__username", "language")
    )
    assert languages == {"ana": "en", "partner": "en", "jose": "es", "lucia": "es", "ben": "en"}
    assert (
        Message.objects.get(user__username="jose", channel=Channel.IN_APP).body_text
        == "Los técnicos reparan un corte de fibra."
    )
    assert set(Message.objects.values_list("category", flat=True)) == {Category.OUTAGES}
    # each message is filed under the account it was about (the partner's is ana's)
    account_of = {name: person.account.pk for name, person in town.items()}
    account_of["partner"] = account_of["ana"]
    for username, account_id in Message.objects.values_list("user__username", "account_id"):
        assert account_id == account_of[username], username
    assert not Message.objects.filter(status=MessageStatus.PENDING).exists()

    # nobody outside the areas, and no closed account, heard anything
    assert not Message.objects.filter(user__username__in=["closed", "east"]).exists()
    assert not SimulatedSms.objects.filter(to="+13195550163").exists()
    assert announcements.active_for_area(service_area_id=area("north").pk, at=NOW) == [notice]
    assert announcements.active_for_area(service_area_id=area("east").pk, at=NOW) == []


def test_the_resolved_follow_up_goes_to_the_same_people(town, django_capture_on_commit_callbacks):
    with clock.frozen(NOW):
        notice = _create(["north", "south"])
        with django_capture_on_commit_callbacks(execute=True):
            announcements.start_sending(announcement=notice)
    told = {(m.user_id, m.channel) for m in Message.objects.filter(event="announcement.notice")}
    sent_before = len(mail.outbox)

    with (
        clock.frozen(NOW + dt.timedelta(hours=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        announcements.resolve(
            announcement=notice,
            resolution_en="Service is back. Sorry for the trouble.",
            resolution_es="El servicio ha vuelto. Disculpe las molestias.",
        )

    resolved = Message.objects.filter(event="announcement.resolved")
    assert {(m.user_id, m.channel) for m in resolved} == told
    followups = {m.to[0]: m for m in mail.outbox[sent_before:]}
    assert len(followups) == 5
    assert "Internet outage" in followups["ana@example.com"].subject
    assert "Corte de internet" in followups["jose@example.com"].subject
    assert "El servicio ha vuelto." in followups["jose@example.com"].body
    assert "Service is back." in followups["ben@example.com"].body
    assert SimulatedSms.objects.count() == 4  # two numbers, notice and resolved each
    notice.refresh_from_db()
    assert notice.status == AnnouncementStatus.RESOLVED
    assert (notice.resolution_total, notice.resolution_done) == (4, 4)

    with pytest.raises(AnnouncementError):
        announcements.resolve(announcement=notice, resolution_en="again", resolution_es="otra")
    with pytest.raises(AnnouncementError):
        announcements.start_sending(announcement=notice)


def test_the_resolved_follow_up_skips_people_who_never_got_the_notice(
    town, django_capture_on_commit_callbacks
):
    with clock.frozen(NOW):
        notice = _create(["north"])
        with django_capture_on_commit_callbacks(execute=True):
            announcements.start_sending(announcement=notice)
    make_person(username="newcomer", area_code="north")
    with django_capture_on_commit_callbacks(execute=True):
        announcements.resolve(announcement=notice, resolution_en="Back.", resolution_es="Ya.")
    assert _recipients("announcement.resolved") == _recipients("announcement.notice")


def test_small_chunks_reach_the_same_people_and_report_progress(town):
    notice = _create(["north", "south"])
    announcements.start_sending(announcement=notice)  # its on_commit never runs here
    cursors: list[int | None] = []
    cursor: int | None = 0
    while cursor is not None:
        cursor = announcements.fan_out_chunk(
            announcement_id=notice.pk,
            phase=announcements.INITIAL,
            after_account_id=cursor,
            size=1,
        )
        cursors.append(cursor)
    assert cursors[-1] is None
    assert len(cursors) == 5  # four accounts, then the call that finds none
    ids = [c for c in cursors if c is not None]
    assert ids == sorted(set(ids))  # forward only, one account at a time
    assert _recipients("announcement.notice") == {"ana", "partner", "jose", "lucia", "ben"}
    notice.refresh_from_db()
    assert notice.status == AnnouncementStatus.SENT
    assert notice.accounts_done == notice.accounts_total == 4


def test_an_announcement_needs_areas_and_a_real_window():
    with pytest.raises(AnnouncementError):
        _create([])
    with pytest.raises(AnnouncementError):
        announcements.create_announcement(
            kind="outage",
            areas=[area("north")],
            starts_at=NOW,
            ends_at=NOW,
            title_en="t",
            title_es="t",
            body_en="b",
            body_es="b",
            created_by=None,
        )
    assert not Announcement.objects.exists()


# --- unsubscribe links ---------------------------------------------------------------------


def test_a_genuine_token_names_its_person_and_category():
    token = make_token(user_id=7, category=Category.BILLING)
    assert read_token(token) == (7, Category.BILLING)
    url = unsubscribe_url(user_id=7, category=Category.BILLING)
    assert url.startswith(("http://", "https://"))
    # The link carries a token of its own (signed a moment later), naming the same.
    prefix, _, in_link = url.rstrip("/").rpartition("/")
    assert prefix.endswith("/notifications/unsubscribe")
    assert read_token(in_link) == (7, Category.BILLING)


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: t.replace(t.split(":")[0], signing.b64_encode(b'{"u":8,"c":"billing"}').decode()),
        lambda t: signing.dumps({"u": 8, "c": "billing"}),  # signed, but not for unsubscribing
        lambda t: signing.dumps({"u": 8, "c": "billing"}, salt="other", compress=True),
        lambda t: "not-a-token",
        lambda t: "",
        lambda t: signing.dumps(["u", 8], salt="dropline.notifications.unsubscribe"),
        lambda t: signing.dumps({"u": "8"}, salt="dropline.notifications.unsubscribe"),
    ],
)
def test_a_forged_or_mangled_token_is_refused(forge):
    genuine = make_token(user_id=7, category=Category.BILLING)
    assert read_token(forge(genuine)) is None


def test_a_token_changes_only_its_own_category_for_its_own_person():
    maria = make_person(username="maria")
    other = make_person(username="other")
    token = make_token(user_id=maria.user.pk, category=Category.USAGE)

    found = read_token(token)
    assert found is not None
    user_id, category = found
    assert unsubscribe(user=User.objects.get(pk=user_id), category=category) is True

    grid = preference_grid(user=maria.user)
    assert grid[Category.USAGE][Channel.EMAIL] is False
    assert grid[Category.USAGE][Channel.SMS] is True
    for cat in set(Category.values) - {Category.USAGE, Category.OFFERS}:
        assert grid[cat][Channel.EMAIL] is True, cat
    assert preference_grid(user=other.user)[Category.USAGE][Channel.EMAIL] is True


def test_a_security_token_cannot_switch_security_off():
    maria = make_person(username="maria")
    found = read_token(make_token(user_id=maria.user.pk, category=Category.SECURITY))
    assert found is not None
    user_id, category = found
    assert unsubscribe(user=User.objects.get(pk=user_id), category=category) is False
    assert preference_grid(user=maria.user)[Category.SECURITY][Channel.EMAIL] is True
