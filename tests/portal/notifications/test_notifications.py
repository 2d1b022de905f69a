"""The customer's notification pages: contact details, settings, the notification
center with its bell, one-click unsubscribe and the outage banner."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dropline.core import clock
from dropline.customers.models import ServiceAddress, ServiceArea
from dropline.notifications import announcements
from dropline.notifications.categories import Category, Channel
from dropline.notifications.contacts import add_contact, add_verified_contact
from dropline.notifications.models import (
    AnnouncementKind,
    ContactKind,
    ContactPoint,
    ContactStatus,
    ContactVerification,
    Message,
    Preference,
    QuietHours,
    SimulatedSms,
)
from dropline.notifications.outbox import build_message
from dropline.notifications.preferences import preference_grid
from dropline.notifications.rendering import Rendered
from dropline.notifications.unsubscribe import make_token
from dropline.portal.notifications.views import INBOX_MAX_PAGES, INBOX_PAGE_SIZE
from tests.support.factories import Customer, make_customer

pytestmark = pytest.mark.django_db

CONTACTS = reverse("notifications:contacts")
SETTINGS = reverse("notifications:preferences")
CENTRE = reverse("notifications:inbox")


def sign_in_recently(client: Client, customer: Customer) -> None:
    """Signed in, and re-authenticated just now: changing contacts asks for that."""
    client.force_login(customer.user)
    response = client.post(reverse("account_reauthenticate"), {"password": customer.password})
    assert response.status_code == 302


@pytest.fixture
def maria(client: Client) -> Customer:
    customer = make_customer(username="maria")
    sign_in_recently(client, customer)
    return customer


@pytest.fixture
def other() -> Customer:
    return make_customer(username="other", name="Other Household")


def page(response) -> str:
    return response.content.decode()


def sent_code(to: str) -> str:
    sms = SimulatedSms.objects.filter(to=to).first()
    assert sms is not None, f"no text message to {to}"
    found = re.search(r"\b(\d{6})\b", sms.body)
    assert found is not None
    return found.group(1)


def tell(customer: Customer, subject: str, *, link: str = "", body: str = "") -> Message:
    """An in-app notification, built as the outbox builds one."""
    message = build_message(
        user=customer.user,
        account=customer.account,
        event="test.note",
        category=Category.BILLING,
        subject_key=subject,
        channel=Channel.IN_APP,
        address="",
        rendered=Rendered(
            subject=subject,
            email_text="",
            email_html="",
            sms="",
            in_app=body or f"About {subject}.",
        ),
        language="en",
        link=link,
        quiet=None,
    )
    message.save()
    return message


# Contact details ----------------------------------------------------------------------


def test_adding_a_phone_texts_a_code_and_entering_it_verifies_and_makes_it_primary(client, maria):
    response = client.post(
        reverse("notifications:add_contact"), {"kind": "phone", "address": "(319) 555-0150"}
    )
    assert response.status_code == 302
    contact = ContactPoint.objects.get(user=maria.user, kind=ContactKind.PHONE)
    assert contact.address == "+13195550150"
    assert not contact.is_verified
    listing = page(client.get(CONTACTS))
    assert "(319) 555-0150" in listing
    assert "Not verified yet" in listing

    response = client.post(
        reverse("notifications:verify_contact", args=[contact.pk]),
        {f"contact-{contact.pk}-code": sent_code("+13195550150")},
        follow=True,
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.is_verified
    assert contact.is_primary
    listing = page(response)
    assert "(319) 555-0150 is confirmed." in listing
    assert "Primary" in listing
    assert "Not verified yet" not in listing


def test_adding_an_email_sends_the_code_by_email(client, maria):
    client.post(
        reverse("notifications:add_contact"), {"kind": "email", "address": "m.r@Example.COM"}
    )
    contact = ContactPoint.objects.get(user=maria.user, kind=ContactKind.EMAIL)
    assert contact.address == "m.r@example.com"
    assert [m.to for m in mail.outbox] == [["m.r@example.com"]]
    assert re.search(r"\b\d{6}\b", str(mail.outbox[0].body))


def test_a_wrong_code_shows_an_error_and_leaves_the_number_unverified(client, maria):
    client.post(
        reverse("notifications:add_contact"), {"kind": "phone", "address": "(319) 555-0151"}
    )
    contact = ContactPoint.objects.get(user=maria.user)
    right = sent_code("+13195550151")
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(
        reverse("notifications:verify_contact", args=[contact.pk]),
        {f"contact-{contact.pk}-code": wrong},
    )
    assert response.status_code == 200
    assert "That code is not right" in page(response)
    assert 'aria-invalid="true"' in page(response)
    contact.refresh_from_db()
    assert not contact.is_verified
    assert not contact.is_primary


def test_too_many_wrong_codes_stop_even_the_right_code(client, maria):
    client.post(
        reverse("notifications:add_contact"), {"kind": "phone", "address": "(319) 555-0152"}
    )
    contact = ContactPoint.objects.get(user=maria.user)
    right = sent_code("+13195550152")
    wrong = "000000" if right != "000000" else "111111"
    url = reverse("notifications:verify_contact", args=[contact.pk])
    for _ in range(5):
        client.post(url, {f"contact-{contact.pk}-code": wrong})
    response = client.post(url, {f"contact-{contact.pk}-code": right})
    assert "Too many wrong codes" in page(response)
    contact.refresh_from_db()
    assert not contact.is_verified


def test_an_invalid_phone_number_shows_the_error_and_creates_nothing(client, maria):
    response = client.post(
        reverse("notifications:add_contact"), {"kind": "phone", "address": "555-CALL-NOW"}
    )
    assert response.status_code == 200
    assert "Enter a valid mobile number" in page(response)
    assert not ContactPoint.objects.exists()
    assert not SimulatedSms.objects.exists()


def test_a_number_that_cannot_get_texts_is_not_kept(client, maria):
    # The simulator treats numbers ending in 99 as landlines.
    response = client.post(
        reverse("notifications:add_contact"), {"kind": "phone", "address": "(319) 555-0199"}
    )
    assert response.status_code == 200
    assert "We could not send a code to this address" in page(response)
    assert not ContactPoint.objects.exists()
    assert not ContactVerification.objects.exists()


def test_adding_the_same_address_twice_says_so(client, maria):
    add_contact(user=maria.user, kind=ContactKind.EMAIL, address="maria@example.net")
    response = client.post(
        reverse("notifications:add_contact"), {"kind": "email", "address": "maria@example.net"}
    )
    assert "You have already added this address." in page(response)
    assert ContactPoint.objects.filter(user=maria.user).count() == 1
    assert not mail.outbox


def test_contacts_page_lists_phones_as_people_write_them_and_flags_bounces(client, maria):
    add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    email = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="maria@example.com", primary=True
    )
    ContactPoint.objects.filter(pk=email.pk).update(
        status=ContactStatus.UNDELIVERABLE, failure_reason="550 mailbox unavailable"
    )
    listing = page(client.get(CONTACTS))
    assert "(319) 555-0142" in listing
    assert "+13195550142" not in listing
    assert "We could not reach this address" in listing
    assert "550 mailbox unavailable" in listing


def test_another_persons_contact_answers_404_and_stays_as_it_was(client, maria, other):
    theirs = add_contact(user=other.user, kind=ContactKind.PHONE, address="(319) 555-0160")
    verified = add_verified_contact(
        user=other.user, kind=ContactKind.EMAIL, address="other@example.net", primary=False
    )
    for name, contact, data in [
        ("notifications:verify_contact", theirs, {f"contact-{theirs.pk}-code": "123456"}),
        ("notifications:resend_code", theirs, {}),
        ("notifications:make_primary", verified, {}),
        ("notifications:remove_contact", theirs, {}),
        ("notifications:remove_contact", verified, {}),
    ]:
        response = client.post(reverse(name, args=[contact.pk]), data)
        assert response.status_code == 404, name
    theirs.refresh_from_db()
    verified.refresh_from_db()
    assert not theirs.is_verified
    assert not verified.is_primary
    assert not SimulatedSms.objects.exists()
    assert "555-0160" not in page(client.get(CONTACTS))


def test_make_primary_and_remove(client, maria):
    first = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="one@example.com", primary=True
    )
    second = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="two@example.com", primary=False
    )
    client.post(reverse("notifications:make_primary", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_primary
    assert not first.is_primary

    response = client.post(reverse("notifications:remove_contact", args=[second.pk]), follow=True)
    assert "two@example.com is removed." in page(response)
    assert list(ContactPoint.objects.filter(user=maria.user)) == [first]
    first.refresh_from_db()
    assert first.is_primary


def test_an_unverified_address_cannot_be_made_primary(client, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.EMAIL, address="new@example.com")
    response = client.post(reverse("notifications:make_primary", args=[contact.pk]))
    assert response.status_code == 200
    assert "Verify this address before making it primary." in page(response)
    contact.refresh_from_db()
    assert not contact.is_primary


def test_resending_sends_another_code(client, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0170")
    response = client.post(reverse("notifications:resend_code", args=[contact.pk]), follow=True)
    assert "We sent a new code to (319) 555-0170." in page(response)
    assert SimulatedSms.objects.filter(to="+13195550170").count() == 1


def test_contact_forms_need_sign_in_and_csrf(client, maria):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(maria.user)
    response = strict.post(
        reverse("notifications:add_contact"), {"kind": "email", "address": "x@example.com"}
    )
    assert response.status_code == 403
    anonymous = Client()
    response = anonymous.get(CONTACTS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ContactPoint.objects.exists()


# Notification settings ----------------------------------------------------------------


def grid_post(grid: dict[str, dict[str, bool]]) -> dict[str, str]:
    return {
        f"{category}__{channel}": "on"
        for category, channels in grid.items()
        for channel, on in channels.items()
        if on
    }


def checkbox(html: str, name: str) -> str:
    """The <input> tag of one grid checkbox."""
    found = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', html)
    assert found is not None, name
    return found.group(0)


def test_settings_page_is_an_accessible_grid_with_offers_off_and_security_locked(client, maria):
    html = page(client.get(SETTINGS))
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert "Bills by email" in html
    assert "Usage alerts by text message" in html
    assert "Offers and news in the portal" in html
    assert "Security alerts cannot be switched off" in html
    assert "checked" not in checkbox(html, "offers__email")
    security = checkbox(html, "security__email")
    assert "checked" in security
    assert "disabled" in security


def test_preferences_save_and_reload(client, maria):
    grid = preference_grid(user=maria.user)
    grid[Category.OFFERS][Channel.EMAIL] = True
    grid[Category.BILLING][Channel.EMAIL] = False
    grid[Category.USAGE][Channel.SMS] = False
    response = client.post(SETTINGS, grid_post(grid), follow=True)
    assert "Your notification settings are saved." in page(response)
    saved = preference_grid(user=maria.user)
    assert saved == grid
    html = page(client.get(SETTINGS))
    assert "checked" in checkbox(html, "offers__email")
    assert "checked" not in checkbox(html, "billing__email")


def test_unticking_everything_turns_everything_off_but_security(client, maria):
    client.post(SETTINGS, {})
    saved = preference_grid(user=maria.user)
    for category, channels in saved.items():
        expected = category == Category.SECURITY
        assert all(on is expected for on in channels.values()), category


def test_security_cannot_be_switched_off_even_if_the_form_says_so(client, maria):
    grid = preference_grid(user=maria.user)
    data = grid_post(grid)
    for channel in Channel.values:
        data.pop(f"security__{channel}", None)
    data["security__email"] = ""
    client.post(SETTINGS, data)
    assert preference_grid(user=maria.user)[Category.SECURITY] == dict.fromkeys(
        Channel.values, True
    )
    assert not Preference.objects.filter(category=Category.SECURITY).exists()


def test_quiet_hours_are_saved_and_removed(client, maria):
    response = client.post(
        reverse("notifications:quiet_hours"),
        {"starts": "22:00", "ends": "07:00", "time_zone": "America/Chicago"},
        follow=True,
    )
    assert "Your quiet hours are saved." in page(response)
    quiet = QuietHours.objects.get(user=maria.user)
    assert (quiet.starts, quiet.ends, quiet.time_zone) == (
        dt.time(22),
        dt.time(7),
        "America/Chicago",
    )
    html = page(client.get(SETTINGS))
    assert 'value="22:00"' in html
    assert re.search(r'<option value="America/Chicago"[^>]*selected', html)

    client.post(
        reverse("notifications:quiet_hours"), {"starts": "", "ends": "", "time_zone": "UTC"}
    )
    assert not QuietHours.objects.filter(user=maria.user).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"starts": "22:00", "ends": "", "time_zone": "UTC"}, "Enter both times"),
        ({"starts": "22:00", "ends": "22:00", "time_zone": "UTC"}, "different times"),
        ({"starts": "22:00", "ends": "06:00", "time_zone": "Mars/Olympus"}, "Select a valid"),
        ({"starts": "25:00", "ends": "06:00", "time_zone": "UTC"}, "Enter a valid time"),
    ],
)
def test_bad_quiet_hours_show_an_error_and_change_nothing(client, maria, data, error):
    response = client.post(reverse("notifications:quiet_hours"), data)
    assert response.status_code == 200
    assert error in page(response)
    assert not QuietHours.objects.exists()


# Notification center and bell -----------------------------------------------------------


def test_bell_shows_the_unread_count_and_goes_to_zero_after_mark_all_read(client, maria):
    for subject in ["Your bill is ready", "Payment received", "Usage at 80%"]:
        tell(maria, subject)
    overview = page(client.get("/"))
    assert "Notifications, 3 unread" in overview
    assert 'class="bell-count" aria-hidden="true">3<' in overview

    center = page(client.get(CENTRE))
    assert center.count(">Unread<") == 3
    assert "Your bill is ready" in center

    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    html = page(response)
    assert "3 notifications marked as read." in html
    assert "Notifications, none unread" in html
    assert "bell-count" not in html
    assert ">Unread<" not in html
    assert not Message.objects.filter(read_at__isnull=True).exists()


def test_marking_one_read_leaves_the_others_unread(client, maria):
    first = tell(maria, "First")
    second = tell(maria, "Second")
    client.post(reverse("notifications:mark_read", args=[first.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert "Notifications, 1 unread" in page(client.get(CENTRE))


def test_another_persons_message_cannot_be_marked_read_or_seen(client, maria, other):
    theirs = tell(other, "Their secret bill")
    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Their secret bill" not in page(client.get(CENTRE))


def test_the_centre_shows_body_date_and_safe_links_and_pages_by_25(client, maria):
    tell(maria, "With a link", link="/billing/invoices/7/", body="Your bill for June.")
    tell(maria, "Sneaky", link="javascript:alert(1)")
    for n in range(28):
        tell(maria, f"Filler {n:02d}")
    first = page(client.get(CENTRE))
    assert first.count('class="inbox-item') == 25
    assert "Page 1 of 2" in first
    second = page(client.get(CENTRE, {"page": 2}))
    assert second.count('class="inbox-item') == 5
    assert "Your bill for June." in second
    assert 'href="/billing/invoices/7/"' in second
    assert "javascript:" not in second
    assert "<time datetime=" in second


def test_the_centre_counts_its_pages_no_further_than_the_last_one_offered(client, maria):
    for n in range(30):
        tell(maria, f"Filler {n:02d}")
    with CaptureQueriesContext(connection) as ctx:
        too_far = page(client.get(CENTRE, {"page": 9}))
    assert "Page 2 of 2" in too_far  # a page past the last is the last
    assert too_far.count('class="inbox-item') == 5
    counts = [
        q["sql"].upper()
        for q in ctx.captured_queries
        if "notifications_message" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    # The bell's count of unread ones, and the pages' count, which stops at the last page.
    assert any(f"LIMIT {INBOX_PAGE_SIZE * INBOX_MAX_PAGES}" in sql for sql in counts)


def test_the_bell_costs_one_count_query_and_nothing_for_visitors(client, maria):
    tell(maria, "Hello")
    with CaptureQueriesContext(connection) as ctx:
        client.get(CONTACTS)
    on_messages = [q["sql"] for q in ctx.captured_queries if "notifications_message" in q["sql"]]
    assert len(on_messages) == 1
    assert "COUNT(" in on_messages[0].upper()

    with CaptureQueriesContext(connection) as ctx:
        Client().get(reverse("account_login"))
    assert not [q for q in ctx.captured_queries if "notifications_" in q["sql"]]


# Unsubscribe ----------------------------------------------------------------------------


def unsubscribe_url(customer: Customer, category: str) -> str:
    return reverse(
        "notifications:unsubscribe",
        args=[make_token(user_id=customer.user.pk, category=category)],
    )


def test_unsubscribe_by_get_only_asks(other):
    before = preference_grid(user=other.user)
    response = Client().get(unsubscribe_url(other, Category.BILLING))
    assert response.status_code == 200
    assert "Stop emails about Bills?" in page(response)
    assert preference_grid(user=other.user) == before
    assert not Preference.objects.exists()


def test_unsubscribe_by_post_signed_out_turns_off_that_email_only(other):
    before = preference_grid(user=other.user)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(unsubscribe_url(other, Category.BILLING))
    assert response.status_code == 200
    assert "You will no longer get emails about Bills" in page(response)
    after = preference_grid(user=other.user)
    before[Category.BILLING][Channel.EMAIL] = False
    assert after == before


def test_one_click_unsubscribe_from_a_mail_client(other):
    before = preference_grid(user=other.user)
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_url(other, Category.USAGE),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    before[Category.USAGE][Channel.EMAIL] = False
    assert preference_grid(user=other.user) == before


def test_unsubscribing_does_not_touch_other_people(maria, other):
    Client().post(unsubscribe_url(other, Category.BILLING))
    assert preference_grid(user=maria.user)[Category.BILLING][Channel.EMAIL] is True


@pytest.mark.parametrize("mangle", ["tail", "garbage", "other-salt"])
def test_a_forged_or_garbled_link_is_refused(other, mangle):
    token = make_token(user_id=other.user.pk, category=Category.BILLING)
    if mangle == "tail":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif mangle == "garbage":
        token = "not-a-token"
    else:
        from django.core import signing

        token = signing.dumps({"u": other.user.pk, "c": Category.BILLING}, salt="something")
    url = reverse("notifications:unsubscribe", args=[token])
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 400
        assert "This link is not valid" in page(response)
    assert not Preference.objects.exists()


def test_security_emails_cannot_be_unsubscribed(other):
    url = unsubscribe_url(other, Category.SECURITY)
    response = Client().post(url)
    assert response.status_code == 200
    assert "cannot be switched off" in page(response)
    assert preference_grid(user=other.user)[Category.SECURITY][Channel.EMAIL] is True
    assert not Preference.objects.exists()


# Outage and maintenance banner ----------------------------------------------------------


def announce(*, area: ServiceArea, starts_at: dt.datetime, ends_at: dt.datetime, capture):
    with capture(execute=True):
        announcement = announcements.create_announcement(
            kind=AnnouncementKind.OUTAGE,
            areas=[area],
            starts_at=starts_at,
            ends_at=ends_at,
            title_en="Internet outage in Testville",
            title_es="Corte de internet en Testville",
            body_en="Crews are repairing a cut fibre.",
            body_es="Los equipos reparan una fibra cortada.",
            created_by=None,
        )
        announcements.start_sending(announcement=announcement)
    return announcement


def move_to_new_area(customer: Customer, code: str) -> ServiceArea:
    area = ServiceArea.objects.create(code=code, name=code.title())
    ServiceAddress.objects.filter(pk=customer.account.service_address_id).update(service_area=area)
    return area


def test_banner_shows_for_the_announced_area_during_the_window_only(
    client, maria, other, django_capture_on_commit_callbacks
):
    now = clock.now()
    area = maria.account.service_address.service_area
    move_to_new_area(other, "elsewhere")
    announce(
        area=area,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3),
        capture=django_capture_on_commit_callbacks,
    )
    html = page(client.get("/"))
    assert "Internet outage in Testville" in html
    assert "Crews are repairing a cut fibre." in html
    assert "Outage" in html
    assert "Service notices for your area" in html
    # on the notification pages too
    assert "Internet outage in Testville" in page(client.get(SETTINGS))

    sign_in_recently(client, other)
    assert "Internet outage in Testville" not in page(client.get("/"))

    sign_in_recently(client, maria)
    with clock.frozen(now + dt.timedelta(hours=3, minutes=1)):
        assert "Internet outage in Testville" not in page(client.get("/"))


def test_banner_waits_for_its_window_and_speaks_spanish(
    client, maria, django_capture_on_commit_callbacks
):
    now = clock.now()
    announce(
        area=maria.account.service_address.service_area,
        starts_at=now + dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=4),
        capture=django_capture_on_commit_callbacks,
    )
    assert "Internet outage in Testville" not in page(client.get("/"))
    with clock.frozen(now + dt.timedelta(hours=2, minutes=5)):
        client.post(reverse("set_language"), {"language": "es", "next": "/"})
        html = page(client.get("/"))
    assert "Corte de internet en Testville" in html
    assert "Los equipos reparan una fibra cortada." in html
    assert "Internet outage in Testville" not in html


def test_banner_and_bell_add_one_query_each_to_the_overview(
    client, maria, django_capture_on_commit_callbacks
):
    now = clock.now()
    announce(
        area=maria.account.service_address.service_area,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        capture=django_capture_on_commit_callbacks,
    )
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        html = page(client.get("/"))
    assert "Internet outage in Testville" in html
    assert "Notifications, 1 unread" in html  # the announcement's in-portal message
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len([s for s in sql if "notifications_announcement" in s]) == 1
    assert len([s for s in sql if "notifications_message" in s]) == 1
    assert (
        len([s for s in sql if 'FROM "customers_accountmember"' in s]) == 1
    )  # the view's own, shared with the banner
