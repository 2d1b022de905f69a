"""The staff side of notifications: message log, text inbox, announcements, template previews."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dropline.accounts import roles
from dropline.accounts.models import User
from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.customers.models import (
    AccountStatus,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.onboarding import add_member, open_account
from dropline.notifications.contacts import add_verified_contact
from dropline.notifications.models import (
    Announcement,
    AnnouncementStatus,
    ContactKind,
    Message,
    MessageStatus,
    SimulatedSms,
)
from tests.support.factories import make_user

DEMO_LOGINS = {
    "customer": ("demo", "dropline-demo"),
    "customer_care": ("care", "dropline-care-demo"),
    "billing": ("billing", "dropline-billing-demo"),
    "dispatch": ("dispatch", "dropline-dispatch-demo"),
    "administrator": ("admin", "dropline-admin"),
}
_serial = itertools.count(1)
_message_serial = itertools.count(1)


def sign_in_as(client, who: str) -> None:
    if who == "anonymous":
        return
    if who == "staff_without_role":
        client.force_login(make_user(username="newhire", is_staff=True))
        return
    username, password = DEMO_LOGINS[who]
    assert client.login(username=username, password=password)


def staff(client, role: str, username: str = "") -> User:
    """A staff member in ``role``, signed in."""
    user = make_user(username=username or role.lower().replace(" ", ""), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def area(code: str) -> ServiceArea:
    found, _ = ServiceArea.objects.get_or_create(code=code, defaults={"name": code.title()})
    return found


def household(
    username: str, *, area_code: str, status: str = AccountStatus.ACTIVE
) -> CustomerAccount:
    """An account in ``area_code`` whose holder has a verified email address."""
    address = ServiceAddress.objects.create(
        line1=f"{next(_serial)} Outage Lane",
        city="Riverbend",
        region="IA",
        postal_code="52240",
        service_area=area(area_code),
    )
    account = open_account(
        name=f"{username.title()} Household",
        service_address=address,
        bill_cycle_day=1,
        status=status,
    )
    user = make_user(username=username)
    add_member(account=account, user=user, role=MemberRole.HOLDER)
    add_verified_contact(user=user, kind=ContactKind.EMAIL, address=user.email, primary=True)
    return account


def make_message(user: User, account: CustomerAccount | None = None, **fields) -> Message:
    values = {
        "idempotency_key": f"test:{next(_message_serial)}:{user.pk}",
        "user": user,
        "account": account,
        "event": "announcement.notice",
        "category": "outages",
        "channel": "email",
        "to_address": user.email,
        "language": "en",
        "subject": "Network maintenance",
        "body_text": "We are upgrading the network.",
        "body_html": "<p>We are upgrading the network.</p>",
        "status": MessageStatus.SENT,
        "not_before": clock.now(),
        "created_at": clock.now(),
        **fields,
    }
    return Message.objects.create(**values)


def draft_announcement(*areas: ServiceArea, **fields) -> Announcement:
    starts = clock.now() + dt.timedelta(days=1)
    values = {
        "kind": "maintenance",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "title_en": "Network maintenance tonight",
        "title_es": "Mantenimiento de la red esta noche",
        "body_en": "We are upgrading equipment in your area.",
        "body_es": "Estamos mejorando los equipos de su zona.",
        "created_at": clock.now(),
        **fields,
    }
    announcement = Announcement.objects.create(**values)
    announcement.areas.set(areas)
    return announcement


# --- who may open what ---------------------------------------------------------------------

# page, the roles that may open it, one staff role that may not
PAGES = [
    ("messages", ["customer_care", "billing", "administrator"], "dispatch"),
    ("message", ["customer_care", "billing"], "dispatch"),
    ("sms_inbox", ["customer_care", "administrator"], "billing"),
    ("announcements", ["customer_care", "dispatch", "administrator"], "billing"),
    ("announcement_new", ["dispatch", "administrator"], "customer_care"),
    ("announcement", ["customer_care", "dispatch"], "billing"),
    ("template_preview", ["customer_care", "dispatch"], "billing"),
]
ACCESS_CASES = [
    pytest.param(page, who, expected, id=f"{page}-{who}")
    for page, allowed, denied in PAGES
    for who, expected in [
        ("anonymous", 302),
        ("customer", 403),
        ("staff_without_role", 403),
        (denied, 403),
        *[(role, 200) for role in allowed],
    ]
]


@pytest.mark.parametrize(("page", "who", "expected"), ACCESS_CASES)
def test_each_page_is_for_staff_with_the_permission_only(client, demo, page, who, expected):
    customer = User.objects.get(username="demo")
    message = make_message(customer, subject="Only staff may read this")
    announcement = draft_announcement(area("riverbend-north"))
    args = {"message": [message.pk], "announcement": [announcement.pk]}.get(page, [])
    url = reverse(f"backoffice:{page}", args=args)

    sign_in_as(client, who)
    response = client.get(url)

    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("backoffice:login"))
    if expected != 200:
        assert b"Only staff may read this" not in response.content
        assert b"Network maintenance tonight" not in response.content


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        ("customer_care", ["messages", "sms_inbox", "announcements", "template_preview"], []),
        ("billing", ["messages"], ["sms_inbox", "announcements", "template_preview"]),
        ("dispatch", ["announcements", "template_preview"], ["messages", "sms_inbox"]),
    ],
)
def test_the_navigation_links_only_to_what_the_role_may_open(client, demo, who, visible, hidden):
    sign_in_as(client, who)
    page = client.get(reverse("backoffice:search")).content.decode()
    for name in visible:
        assert f'href="{reverse(f"backoffice:{name}")}"' in page, name
    for name in hidden:
        assert f'href="{reverse(f"backoffice:{name}")}"' not in page, name


def test_sending_and_resolving_need_the_change_permission(client, db):
    north = area("north")
    household("nora", area_code="north")
    announcement = draft_announcement(north)
    staff(client, roles.CUSTOMER_CARE)

    page = client.get(reverse("backoffice:announcement", args=[announcement.pk])).content.decode()
    assert reverse("backoffice:announcement_send", args=[announcement.pk]) not in page
    send = client.post(reverse("backoffice:announcement_send", args=[announcement.pk]))
    resolve = client.post(
        reverse("backoffice:announcement_resolve", args=[announcement.pk]),
        {"resolution_en": "Over", "resolution_es": "Terminado"},
    )

    assert send.status_code == 403
    assert resolve.status_code == 403
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT
    assert not Message.objects.exists()


# --- creating an announcement --------------------------------------------------------------


def valid_form(*areas: ServiceArea, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "outage",
        "areas": [a.pk for a in areas],
        "starts_at": "2031-03-01T22:00",
        "ends_at": "2031-03-02T02:30",
        "title_en": "Internet outage in North",
        "title_es": "Corte de internet en North",
        "body_en": "A fibre cut affects internet service.",
        "body_es": "Un corte de fibra afecta al servicio de internet.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"ends_at": "2031-03-01T21:00"}, "The end must be after the start."),
        ({"ends_at": "2031-03-01T22:00"}, "The end must be after the start."),
        ({"areas": []}, "Choose at least one service area."),
        ({"title_es": ""}, "This field is required."),
        ({"body_en": ""}, "This field is required."),
        ({"starts_at": "tomorrow"}, "Enter a valid date/time."),
        ({"areas": [999999]}, "Select a valid choice."),
    ],
)
def test_an_announcement_with_bad_input_shows_the_error_and_creates_nothing(
    client, db, overrides, error
):
    north = area("north")
    staff(client, roles.FIELD_DISPATCH)

    response = client.post(reverse("backoffice:announcement_new"), valid_form(north, **overrides))

    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "The announcement was not saved" in page
    assert 'role="alert"' in page
    assert not Announcement.objects.exists()
    assert not AuditEvent.objects.filter(action="announcement.created").exists()


def test_creating_an_announcement_reads_times_in_the_providers_zone_and_is_audited(
    client, db, settings
):
    settings.TIME_ZONE = "America/Chicago"
    north, south = area("north"), area("south")
    dispatcher = staff(client, roles.FIELD_DISPATCH)

    form = client.get(reverse("backoffice:announcement_new")).content.decode()
    assert 'type="datetime-local"' in form
    assert 'type="checkbox"' in form
    response = client.post(reverse("backoffice:announcement_new"), valid_form(north, south))

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:announcement", args=[announcement.pk])
    chicago = ZoneInfo("America/Chicago")
    assert announcement.starts_at == dt.datetime(2031, 3, 1, 22, 0, tzinfo=chicago)
    assert announcement.ends_at == dt.datetime(2031, 3, 2, 2, 30, tzinfo=chicago)
    assert announcement.status == AnnouncementStatus.DRAFT
    assert announcement.created_by == dispatcher
    assert set(announcement.areas.all()) == {north, south}
    assert (announcement.title_en, announcement.title_es) == (
        "Internet outage in North",
        "Corte de internet en North",
    )
    event = AuditEvent.objects.get(action="announcement.created")
    assert event.actor == dispatcher
    assert event.target_id == str(announcement.pk)
    assert not Message.objects.exists()  # nothing goes out before Send


def test_a_time_that_does_not_exist_in_the_providers_zone_is_refused(client, db, settings):
    settings.TIME_ZONE = "America/Chicago"
    staff(client, roles.FIELD_DISPATCH)

    # clocks jump from 02:00 to 03:00 on 9 March 2031 in Chicago
    form = valid_form(area("north"), starts_at="2031-03-09T02:30", ends_at="2031-03-09T05:00")
    response = client.post(reverse("backoffice:announcement_new"), form)

    assert "it may be ambiguous or it may not exist" in response.content.decode()
    assert not Announcement.objects.exists()


def test_the_preview_shows_the_reach_and_the_texts_in_both_languages(client, db):
    north = area("north")
    for name in ["nora", "ned", "nina"]:
        household(name, area_code="north")
    household("nick", area_code="north", status=AccountStatus.CLOSED)
    household("sam", area_code="south")
    announcement = draft_announcement(north)
    staff(client, roles.FIELD_DISPATCH)

    page = client.get(reverse("backoffice:announcement", args=[announcement.pk])).content.decode()

    assert "This notice will reach <strong>3</strong> customer accounts." in page
    assert "Network maintenance tonight" in page
    assert "Mantenimiento de la red esta noche" in page
    assert "Estamos mejorando los equipos de su zona." in page
    assert 'content="3"' not in page  # a draft does not refresh itself
    assert reverse("backoffice:announcement_send", args=[announcement.pk]) in page
    # the draft has told nobody anything yet
    assert not Message.objects.exists()


# --- sending and resolving -----------------------------------------------------------------


def recipients(event: str) -> set[str]:
    return set(Message.objects.filter(event=event).values_list("user__username", flat=True))


def test_sending_reaches_exactly_the_accounts_in_the_chosen_areas(
    client, db, django_capture_on_commit_callbacks
):
    north, south = area("north"), area("south")
    household("nora", area_code="north")
    household("ned", area_code="north")
    household("sam", area_code="south")
    household("eve", area_code="east")
    household("nick", area_code="north", status=AccountStatus.CLOSED)
    nora = User.objects.get(username="nora")
    add_verified_contact(user=nora, kind=ContactKind.PHONE, address="+13195550142", primary=True)
    announcement = draft_announcement(north, south)
    dispatcher = staff(client, roles.FIELD_DISPATCH)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:announcement_send", args=[announcement.pk]))

    assert response.status_code == 302
    assert recipients("announcement.notice") == {"nora", "ned", "sam"}
    # email and in-app for everyone; a text for the one with a mobile number
    assert Message.objects.filter(event="announcement.notice").count() == 7
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SENT
    assert (announcement.accounts_done, announcement.accounts_total) == (3, 3)
    event = AuditEvent.objects.get(action="announcement.sent")
    assert event.actor == dispatcher
    assert event.data == {"accounts_total": 3}

    page = client.get(response.url).content.decode()
    assert '<progress id="send-progress" max="3" value="3">' in page
    assert "3 of 3 accounts" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing

    # the text landed in the simulator's inbox, where care staff can read it
    text = SimulatedSms.objects.get()
    care = make_user(username="casey", is_staff=True)
    care.groups.add(Group.objects.get(name=roles.CUSTOMER_CARE))
    client.force_login(care)
    inbox = client.get(reverse("backoffice:sms_inbox")).content.decode()
    assert "(319) 555-0142" in inbox
    assert "Network maintenance tonight" in inbox
    assert text.encoding in inbox
    assert f'<td class="num">{text.segments}</td>' in inbox


def test_sending_twice_is_refused_and_tells_nobody_twice(
    client, db, django_capture_on_commit_callbacks
):
    north = area("north")
    household("nora", area_code="north")
    announcement = draft_announcement(north)
    staff(client, roles.FIELD_DISPATCH)
    url = reverse("backoffice:announcement_send", args=[announcement.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    sent = Message.objects.count()
    assert sent == 2

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, follow=True)

    assert callbacks == []
    assert Message.objects.count() == sent
    assert "already been sent" in response.content.decode()
    assert AuditEvent.objects.filter(action="announcement.sent").count() == 1


def test_sending_is_post_only(client, db):
    announcement = draft_announcement(area("north"))
    staff(client, roles.FIELD_DISPATCH)
    response = client.get(reverse("backoffice:announcement_send", args=[announcement.pk]))
    assert response.status_code == 405
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT


def test_resolving_tells_the_same_people_in_both_languages(
    client, db, django_capture_on_commit_callbacks
):
    north = area("north")
    household("nora", area_code="north")
    household("ned", area_code="north")
    household("sam", area_code="south")
    User.objects.filter(username="ned").update(preferred_language="es")
    announcement = draft_announcement(north)
    dispatcher = staff(client, roles.FIELD_DISPATCH)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:announcement_send", args=[announcement.pk]))
    page = client.get(reverse("backoffice:announcement", args=[announcement.pk])).content.decode()
    assert reverse("backoffice:announcement_resolve", args=[announcement.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("backoffice:announcement_resolve", args=[announcement.pk]),
            {"resolution_en": "Service is back.", "resolution_es": "El servicio ha vuelto."},
        )

    assert response.status_code == 302
    assert recipients("announcement.resolved") == recipients("announcement.notice")
    assert recipients("announcement.resolved") == {"nora", "ned"}
    texts = dict(
        Message.objects.filter(event="announcement.resolved", channel="in_app").values_list(
            "user__username", "body_text"
        )
    )
    assert texts == {"nora": "Service is back.", "ned": "El servicio ha vuelto."}
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.RESOLVED
    assert (announcement.resolution_done, announcement.resolution_total) == (2, 2)
    assert AuditEvent.objects.get(action="announcement.resolved").actor == dispatcher

    page = client.get(response.url).content.decode()
    assert '<progress id="resolve-progress" max="2" value="2">' in page
    assert "Service is back." in page
    assert "El servicio ha vuelto." in page


def test_resolving_needs_both_languages_and_a_sent_announcement(
    client, db, django_capture_on_commit_callbacks
):
    north = area("north")
    household("nora", area_code="north")
    announcement = draft_announcement(north)
    staff(client, roles.FIELD_DISPATCH)
    url = reverse("backoffice:announcement_resolve", args=[announcement.pk])

    early = client.post(url, {"resolution_en": "Over", "resolution_es": "Terminado"}, follow=True)
    assert "finished sending" in early.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:announcement_send", args=[announcement.pk]))
    missing = client.post(url, {"resolution_en": "Over", "resolution_es": ""})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()

    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SENT
    assert not Message.objects.filter(event="announcement.resolved").exists()


def test_the_progress_page_refreshes_itself_only_while_sending(client, db):
    announcement = draft_announcement(area("north"))
    Announcement.objects.filter(pk=announcement.pk).update(
        status=AnnouncementStatus.SENDING, accounts_total=2000, accounts_done=1000
    )
    staff(client, roles.CUSTOMER_CARE)
    url = reverse("backoffice:announcement", args=[announcement.pk])

    sending = client.get(url).content.decode()
    # Refreshing on its own is the staff member's choice (WCAG 2.2.1), not the default.
    assert '<meta http-equiv="refresh"' not in sending
    assert '<progress id="send-progress" max="2000" value="1000">' in sending
    assert "1000 of 2000 accounts" in sending
    automatic = client.get(url, {"auto": "on"}).content.decode()
    head = automatic.split("</head>")[0]
    assert '<meta http-equiv="refresh" content="3">' in head

    Announcement.objects.filter(pk=announcement.pk).update(
        status=AnnouncementStatus.SENT, accounts_done=2000
    )
    assert '<meta http-equiv="refresh"' not in client.get(url, {"auto": "on"}).content.decode()


def test_the_announcement_list_shows_status_and_progress(client, db):
    north = area("north")
    draft_announcement(north, title_en="Still a draft")
    sending = draft_announcement(north, title_en="Going out now")
    Announcement.objects.filter(pk=sending.pk).update(
        status=AnnouncementStatus.SENDING, accounts_total=40, accounts_done=10
    )
    staff(client, roles.CUSTOMER_CARE)

    page = client.get(reverse("backoffice:announcements")).content.decode()

    assert "Still a draft" in page
    assert "Going out now" in page
    assert "10 of 40 accounts" in page
    assert "Sending" in page
    assert "Draft" in page
    # customer care reads announcements but does not write them
    assert reverse("backoffice:announcement_new") not in page


# --- showing email HTML safely ------------------------------------------------------------

HOSTILE_HTML = '<h1 id="injected">Hello</h1><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_messages_html_body_is_never_put_into_the_page_as_markup(client, db):
    customer = make_user(username="maria")
    message = make_message(customer, body_html=HOSTILE_HTML)
    staff(client, roles.CUSTOMER_CARE)

    response = client.get(reverse("backoffice:message", args=[message.pk]))

    page = response.content.decode()
    assert '<h1 id="injected">' not in page
    assert "<script>" not in page
    assert "<img src=x" not in page
    assert (
        'sandbox="" referrerpolicy="no-referrer" title="The email as the customer sees it" '
        'srcdoc="&lt;h1 id=&quot;injected&quot;&gt;Hello&lt;/h1&gt;&lt;script&gt;' in page
    )
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "img-src 'self' data:" in policy  # the email cannot load remote images
    assert "style-src 'self' 'unsafe-inline'" in policy  # but keeps its inline styles
    assert response["X-Frame-Options"] == "DENY"


def test_announcement_text_is_escaped_in_the_preview(client, db):
    announcement = draft_announcement(
        area("north"), body_en=HOSTILE_HTML, title_en="<b>Bold</b> outage"
    )
    staff(client, roles.CUSTOMER_CARE)

    page = client.get(reverse("backoffice:announcement", args=[announcement.pk])).content.decode()

    assert '<h1 id="injected">' not in page
    assert "<script>" not in page
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; outage" in page


def test_a_message_shows_its_delivery_attempts(client, db, django_capture_on_commit_callbacks):
    north = area("north")
    household("nora", area_code="north")
    announcement = draft_announcement(north)
    staff(client, roles.ADMINISTRATOR, username="boss")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:announcement_send", args=[announcement.pk]))
    email = Message.objects.get(channel="email")

    page = client.get(reverse("backoffice:message", args=[email.pk])).content.decode()

    assert email.to_address in page
    assert "Sent" in page
    assert "Delivered" in page
    assert "We are upgrading equipment in your area." in page


def test_an_unknown_message_or_announcement_is_404(client, db):
    staff(client, roles.ADMINISTRATOR, username="boss")
    assert client.get(reverse("backoffice:message", args=[987654])).status_code == 404
    assert client.get(reverse("backoffice:announcement", args=[987654])).status_code == 404


# --- the message log -----------------------------------------------------------------------


def test_the_message_log_filters(client, db):
    north = household("nora", area_code="north")
    south = household("sam", area_code="south")
    nora, sam = User.objects.get(username="nora"), User.objects.get(username="sam")
    bill = make_message(nora, north, subject="Your bill is ready", category="billing")
    outage = make_message(nora, None, subject="Outage notice", channel="in_app", to_address="")
    text = make_message(
        sam,
        south,
        subject="Usage alert",
        category="usage",
        channel="sms",
        to_address="+13195550187",
        status=MessageStatus.FAILED,
    )
    staff(client, roles.BILLING)

    def found(**query: str) -> set[str]:
        response = client.get(reverse("backoffice:messages"), query)
        assert response.status_code == 200
        page = response.content.decode()
        return {
            m.subject
            for m in (bill, outage, text)
            if reverse("backoffice:message", args=[m.pk]) + '"' in page
        }

    everything = {"Your bill is ready", "Outage notice", "Usage alert"}
    assert found() == everything
    # an account's log includes its people's announcements, which name no account
    assert found(account=north.display_number) == {"Your bill is ready", "Outage notice"}
    assert found(account=south.number) == {"Usage alert"}
    assert found(recipient="NORA") == {"Your bill is ready", "Outage notice"}
    assert found(recipient=nora.email.upper()) == {"Your bill is ready"}
    assert found(recipient="(319) 555-0187") == {"Usage alert"}
    assert found(category="billing") == {"Your bill is ready"}
    assert found(channel="in_app") == {"Outage notice"}
    assert found(status="failed") == {"Usage alert"}
    assert found(account=north.number, channel="email") == {"Your bill is ready"}
    assert found(account="826000000000") == set()
    # an invalid filter is ignored (not a 500); the valid ones still apply
    assert found(status="nonsense") == everything
    assert found(account=south.number, status="nonsense") == {"Usage alert"}


def test_the_message_log_pages_by_fifty_newest_first(client, db):
    nora = make_user(username="nora")
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    Message.objects.bulk_create(
        Message(
            idempotency_key=f"page:{n}",
            user=nora,
            event="announcement.notice",
            category="outages",
            channel="in_app",
            language="en",
            subject=f"Notice number {n:03d}",
            body_text="",
            not_before=start,
            created_at=start + dt.timedelta(minutes=n),
        )
        for n in range(60)
    )
    staff(client, roles.CUSTOMER_CARE)

    first = client.get(reverse("backoffice:messages")).content.decode()
    second = client.get(reverse("backoffice:messages"), {"page": "2"}).content.decode()

    assert "Notice number 059" in first
    assert "Notice number 010" in first
    assert "Notice number 009" not in first
    assert "page=2" in first
    assert "Notice number 009" in second
    assert "Notice number 000" in second
    assert "Notice number 010" not in second
    assert client.get(reverse("backoffice:messages"), {"page": "x"}).status_code == 200
    assert client.get(reverse("backoffice:messages"), {"page": "99999"}).status_code == 200


PER_REQUEST = 9


@pytest.mark.parametrize("count", [3, 120])
def test_the_message_log_query_count_does_not_grow_with_the_messages(
    client, db, django_assert_max_num_queries, count
):
    accounts = [household(f"person{n}", area_code="north") for n in range(3)]
    members = [account.members.get().user for account in accounts]
    Message.objects.bulk_create(
        Message(
            idempotency_key=f"load:{n}",
            user=members[n % 3],
            account=accounts[n % 3] if n % 2 else None,
            event="announcement.notice",
            category="outages",
            channel="email",
            to_address=members[n % 3].email,
            language="en",
            subject=f"Notice {n}",
            body_text="",
            status=MessageStatus.SENT,
            not_before=clock.now(),
            created_at=clock.now(),
        )
        for n in range(count)
    )
    staff(client, roles.CUSTOMER_CARE)
    client.get(reverse("backoffice:messages"))  # warm up the session and permission caches

    # 5 for the page; the rest is per request whatever the page: session read and
    # renewal, session tracking (read, user, update, savepoints), second-factor check.
    with django_assert_max_num_queries(PER_REQUEST + 5):
        response = client.get(reverse("backoffice:messages"))
    with django_assert_max_num_queries(PER_REQUEST + 5):
        filtered = client.get(
            reverse("backoffice:messages"), {"account": accounts[0].number, "channel": "email"}
        )

    assert response.status_code == 200
    assert filtered.status_code == 200
    assert response.content.decode().count('<span class="badge message-sent">') == min(count, 50)


def test_the_sms_inbox_lists_newest_first_and_filters_by_number(client, db):
    base = dt.datetime(2030, 5, 1, 12, 0, tzinfo=dt.UTC)
    SimulatedSms.objects.create(
        to="+13195550142",
        body="Older text",
        segments=1,
        encoding="GSM-7",
        reference="SIM1",
        sent_at=base,
    )
    SimulatedSms.objects.create(
        to="+13195550187",
        body="Newer text ñ ✓",
        segments=1,
        encoding="UCS-2",
        reference="SIM2",
        sent_at=base + dt.timedelta(minutes=5),
    )
    staff(client, roles.CUSTOMER_CARE)

    page = client.get(reverse("backoffice:sms_inbox")).content.decode()
    assert page.index("Newer text") < page.index("Older text")
    assert "UCS-2" in page
    filtered = client.get(reverse("backoffice:sms_inbox"), {"to": "(319) 555-0142"})
    assert "Older text" in filtered.content.decode()
    assert "Newer text" not in filtered.content.decode()


# --- template previews ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "language", "expected"),
    [
        ("announcement.notice", "en", "Planned maintenance in Riverbend North"),
        ("announcement.notice", "es", "Mantenimiento programado en Riverbend North"),
        ("announcement.resolved", "en", "The maintenance is finished and every service is back."),
        ("announcement.resolved", "es", "El mantenimiento ha terminado"),
    ],
)
def test_a_template_renders_each_part_with_a_sample_announcement(
    client, db, event, language, expected
):
    staff(client, roles.FIELD_DISPATCH)

    response = client.get(
        reverse("backoffice:template_preview"), {"event": event, "language": language}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{event}" selected>' in page
    assert expected in page
    for part in ["Email subject", "Text message", "In the portal", "Email, plain text"]:
        assert part in page
    assert 'sandbox="" referrerpolicy="no-referrer"' in page
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page
    assert "<!DOCTYPE html>\n<html lang" not in page.split("</head>", 1)[1]
    assert not Announcement.objects.exists()  # the sample is never saved


def test_only_known_templates_can_be_previewed(client, db):
    staff(client, roles.FIELD_DISPATCH)
    response = client.get(
        reverse("backoffice:template_preview"), {"event": "../../backoffice", "language": "en"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert "Email subject" not in response.content.decode()


# --- roles ---------------------------------------------------------------------------------


def test_roles_hold_the_notification_permissions_of_each_job(db):
    def codes(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
            if p.content_type.app_label == "notifications"
        }

    assert codes(roles.CUSTOMER_CARE) == {
        "notifications.view_message",
        "notifications.view_simulatedsms",
        "notifications.view_announcement",
    }
    assert codes(roles.BILLING) == {"notifications.view_message"}
    assert codes(roles.FIELD_DISPATCH) == {
        "notifications.add_announcement",
        "notifications.change_announcement",
        "notifications.view_announcement",
    }
    assert {
        "notifications.view_message",
        "notifications.view_simulatedsms",
        "notifications.add_announcement",
        "notifications.change_announcement",
        "notifications.delete_message",
    } <= codes(roles.ADMINISTRATOR)
