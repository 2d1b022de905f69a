"""Security events: every authentication event is recorded with when, the IP address and
the device; failures never keep what was typed; and the customer is alerted (email,
and SMS to a verified phone) about a new device, a new password, a new email address
or mobile number, and a second factor added or removed.

Sign-ins and failures go through the real sign-in form; other events through the
signals allauth sends (its documented contract) or the functions callers use.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from allauth.account import signals as account_signals
from allauth.account.models import EmailAddress
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from dropline.accounts.devices import device_fingerprint, parse_user_agent
from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.identity.security_events import record as security_events
from dropline.identity.security_events.describe import describe
from dropline.notifications.models import Message, SimulatedSms
from dropline.portal.errors import too_many_requests
from tests.support.factories import PASSWORD, make_user
from tests.support.notifications import make_person

pytestmark = pytest.mark.django_db

Kind = SecurityEventKind

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)
CHROME_WINDOWS_UPDATED = CHROME_WINDOWS.replace("Chrome/124.0.0.0", "Chrome/126.0.6478.57")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
PHONE = "+13195550142"
LOGIN = "/accounts/login/"


def browser(user_agent: str = CHROME_WINDOWS, ip: str = "198.51.100.7") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def sign_in(client: Client, login: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"login": login, "password": password})


def request_from(
    user: User | None = None, *, user_agent: str = CHROME_WINDOWS, ip: str = "198.51.100.7"
) -> Any:
    request = RequestFactory().post("/", HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    request.user = user if user is not None else AnonymousUser()
    return request


def events(user: User | None = None, kind: str | None = None) -> list[SecurityEvent]:
    found = SecurityEvent.objects.order_by("id")
    if user is not None:
        found = found.filter(user=user)
    if kind is not None:
        found = found.filter(kind=kind)
    return list(found)


def security_messages(user: User, event: str) -> list[Message]:
    return list(Message.objects.filter(user=user, event=event).order_by("id"))


def texts_to(number: str) -> list[SimulatedSms]:
    return list(SimulatedSms.objects.filter(to=number).order_by("id"))


# --- devices ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (CHROME_WINDOWS, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (FIREFOX_LINUX, "Firefox on Linux"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("okhttp/4.12.0", "Mobile app on Android"),
        ("curl/8.5.0", "curl"),
        ("SomeClient/2.1 (compatible)", "SomeClient"),
        ("", "Unknown device"),
        ("<script>alert(1)</script>", "Unknown device"),
    ],
)
def test_a_user_agent_is_named_as_browser_on_system(user_agent, label):
    assert parse_user_agent(user_agent).label == label


def test_the_fingerprint_ignores_versions_but_not_the_browser_or_system():
    chrome = parse_user_agent(CHROME_WINDOWS).fingerprint
    assert parse_user_agent(CHROME_WINDOWS_UPDATED).fingerprint == chrome
    assert parse_user_agent(FIREFOX_LINUX).fingerprint != chrome
    assert (
        parse_user_agent(
            CHROME_WINDOWS.replace("Windows NT 10.0; Win64; x64", "X11; Linux x86_64")
        ).fingerprint
        != chrome
    )
    assert device_fingerprint(browser="Chrome", os="Windows") == chrome
    assert len(chrome) == 32


# --- sign-in, failure, lockout, sign-out -------------------------------------------------


def test_a_sign_in_is_recorded_with_time_ip_and_device():
    person = make_person(username="maria")
    response = sign_in(browser(CHROME_WINDOWS, "198.51.100.7"), "maria")
    assert response.status_code == 302

    [event] = events(person.user)
    assert event.kind == Kind.SIGN_IN
    assert event.ip == "198.51.100.7"
    assert event.user_agent == CHROME_WINDOWS
    assert (event.browser, event.os) == ("Chrome", "Windows")
    assert event.device_label == "Chrome on Windows"
    assert event.at is not None


def test_a_sign_in_through_the_mobile_app_is_recorded_too():
    person = make_person(username="maria")
    app = Client(HTTP_USER_AGENT="okhttp/4.12.0", REMOTE_ADDR="203.0.113.9")
    response = app.post(
        "/_allauth/app/v1/auth/login",
        {"username": "maria", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content

    [event] = events(person.user)
    assert (event.kind, event.ip, event.device_label) == (
        Kind.SIGN_IN,
        "203.0.113.9",
        "Mobile app on Android",
    )


def _everything_stored() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {SecurityEvent._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    return json.dumps([[str(value) for value in row] for row in rows])


def test_a_failed_sign_in_is_recorded_but_never_the_password(caplog):
    person = make_person(username="maria")
    wrong = "Tr0ub4dor&3-not-my-password"
    caplog.set_level(logging.DEBUG)

    response = sign_in(browser(FIREFOX_LINUX, "203.0.113.50"), "maria", wrong)

    assert response.status_code == 200  # the form again, with the generic error
    [event] = events(kind=Kind.SIGN_IN_FAILED)
    assert event.user == person.user
    assert event.ip == "203.0.113.50"
    assert event.device_label == "Firefox on Linux"
    assert event.data == {"reason": "wrong_password"}
    assert wrong not in _everything_stored()
    assert wrong not in caplog.text
    assert not events(kind=Kind.SIGN_IN)


def test_a_failed_sign_in_to_an_unknown_account_keeps_nothing_that_was_typed(caplog):
    make_person(username="maria")
    typed_login = "someone.else@example.org"
    typed_password = "hunter2-hunter2-hunter2"
    caplog.set_level(logging.DEBUG)

    sign_in(browser(), typed_login, typed_password)

    [event] = events(kind=Kind.SIGN_IN_FAILED)
    assert event.user is None
    assert event.data == {"reason": "unknown_account"}
    stored = _everything_stored()
    for secret in (typed_password, typed_login, "someone.else"):
        assert secret not in stored
        assert secret not in caplog.text


def test_a_failed_sign_in_by_e_mail_address_names_the_account():
    person = make_person(username="maria")
    sign_in(browser(), person.user.email, "wrong-password-entirely")
    [event] = events(kind=Kind.SIGN_IN_FAILED)
    assert event.user == person.user


def test_too_many_failures_are_recorded_once_as_a_lockout(settings):
    person = make_person(username="maria")
    client = browser(CHROME_WINDOWS, "203.0.113.66")
    for _ in range(5):
        sign_in(client, "maria", "wrong-password-entirely")
    assert len(events(kind=Kind.SIGN_IN_FAILED)) == 5
    assert not events(kind=Kind.LOCKED_OUT)

    for _ in range(3):
        response = sign_in(client, "maria", "wrong-password-entirely")
        assert "Too many tries. Wait a few minutes" in response.content.decode()

    [lockout] = events(kind=Kind.LOCKED_OUT)
    assert lockout.user == person.user
    assert lockout.ip == "203.0.113.66"
    assert "wrong-password-entirely" not in _everything_stored()


def test_a_rate_limit_answer_is_recorded_once_per_window():
    request = request_from(ip="203.0.113.77")
    first = too_many_requests(request)
    second = too_many_requests(request_from(ip="203.0.113.77"))

    assert first.status_code == second.status_code == 429
    [event] = events(kind=Kind.RATE_LIMITED)
    assert event.user is None
    assert event.ip == "203.0.113.77"
    assert event.data == {"path": "/"}


def test_the_sign_in_rate_limit_is_recorded(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip", "login_failed": False}
    make_person(username="maria")
    client = browser(CHROME_WINDOWS, "203.0.113.88")
    statuses = [sign_in(client, "maria", "wrong-password-entirely").status_code for _ in range(3)]
    assert statuses[-1] == 429
    [event] = events(kind=Kind.RATE_LIMITED)
    assert event.ip == "203.0.113.88"
    assert event.data == {"path": LOGIN}


def test_signing_out_is_recorded():
    person = make_person(username="maria")
    client = browser(SAFARI_IPHONE, "198.51.100.20")
    sign_in(client, "maria")
    client.post(reverse("account_logout"))
    assert [e.kind for e in events(person.user)] == [Kind.SIGN_IN, Kind.SIGN_OUT]
    assert events(person.user)[-1].device_label == "Safari on iPhone"


# --- new device -------------------------------------------------------------------------


def test_a_sign_in_from_a_new_device_alerts_by_e_mail_and_sms(
    django_capture_on_commit_callbacks,
):
    person = make_person(username="maria", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(CHROME_WINDOWS, "198.51.100.7"), "maria")
    assert mail.outbox == []  # the very first sign-in is not news
    assert texts_to(PHONE) == []

    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(FIREFOX_LINUX, "203.0.113.5"), "maria")

    [email] = mail.outbox
    assert email.to == [person.user.email]
    assert "New sign-in" in email.subject
    assert "Firefox on Linux" in email.body
    assert "203.0.113.5" in email.body
    assert "reset your password" in email.body
    assert "/accounts/password/reset/" in email.body
    assert "List-Unsubscribe" not in email.extra_headers  # security mail cannot be unsubscribed
    [text] = texts_to(PHONE)
    assert "Firefox on Linux" in text.body
    assert "203.0.113.5" in text.body
    new_sign_in = events(person.user, Kind.SIGN_IN)[-1]
    assert new_sign_in.data == {"new_device": True}
    assert {m.subject_key for m in security_messages(person.user, "security.new_device")} == {
        f"security_event:{new_sign_in.pk}"
    }


def test_signing_in_again_from_the_same_device_sends_nothing(django_capture_on_commit_callbacks):
    make_person(username="maria", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(CHROME_WINDOWS, "198.51.100.7"), "maria")
        sign_in(browser(FIREFOX_LINUX, "203.0.113.5"), "maria")
    mail.outbox.clear()
    sent_texts = SimulatedSms.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        # the same browser and system, a newer version, another address: not a new device
        sign_in(browser(CHROME_WINDOWS_UPDATED, "192.0.2.44"), "maria")
        sign_in(browser(FIREFOX_LINUX, "203.0.113.5"), "maria")

    assert mail.outbox == []
    assert SimulatedSms.objects.count() == sent_texts
    assert len(events(kind=Kind.SIGN_IN)) == 4


def test_an_alert_reaches_the_sign_in_e_mail_when_there_is_no_notification_address(
    django_capture_on_commit_callbacks,
):
    person = make_person(username="maria", email_address=None)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(CHROME_WINDOWS), "maria")
        sign_in(browser(FIREFOX_LINUX), "maria")
    [email] = mail.outbox
    assert email.to == [person.user.email]


def test_a_failed_sign_in_from_a_new_device_sends_nothing(django_capture_on_commit_callbacks):
    make_person(username="maria", phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(browser(CHROME_WINDOWS), "maria")
        sign_in(browser(FIREFOX_LINUX), "maria", "wrong-password-entirely")
    assert mail.outbox == []
    assert texts_to(PHONE) == []


# --- password -----------------------------------------------------------------------------


def test_a_password_change_is_recorded_and_alerted(django_capture_on_commit_callbacks):
    person = make_person(username="maria", phone=PHONE)
    client = browser(CHROME_WINDOWS, "198.51.100.7")
    sign_in(client, "maria")
    new_password = "a-brand-new-long-passphrase-42"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        )

    assert response.status_code == 302, response.content
    [event] = events(person.user, Kind.PASSWORD_CHANGED)
    assert event.ip == "198.51.100.7"
    [email] = mail.outbox
    assert email.to == [person.user.email]
    assert "password was changed" in email.subject
    assert "Chrome on Windows" in email.body
    [text] = texts_to(PHONE)
    assert "password was changed" in text.body
    stored = _everything_stored()
    assert new_password not in stored
    assert PASSWORD not in stored


def test_a_password_reset_is_alerted_as_a_reset(django_capture_on_commit_callbacks):
    person = make_person(username="maria")
    with django_capture_on_commit_callbacks(execute=True):
        account_signals.password_reset.send(
            sender=User, request=request_from(ip="192.0.2.9"), user=person.user
        )
    [event] = events(person.user, Kind.PASSWORD_RESET)
    assert event.ip == "192.0.2.9"
    [email] = mail.outbox
    assert "password was reset" in email.subject


# --- email and phone -------------------------------------------------------------------------


def test_an_e_mail_change_alerts_both_the_old_and_the_new_address(
    django_capture_on_commit_callbacks,
):
    person = make_person(username="maria", email_address="maria.contact@example.com")
    old = EmailAddress.objects.get(user=person.user, primary=True)
    new = EmailAddress.objects.create(
        user=person.user, email="maria.new@example.net", verified=True, primary=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        account_signals.email_changed.send(
            sender=EmailAddress,
            request=request_from(person.user, ip="198.51.100.30"),
            user=person.user,
            from_email_address=old,
            to_email_address=new,
        )

    [event] = events(person.user, Kind.EMAIL_CHANGED)
    assert event.data == {"old": "m•••@example.com", "new": "m•••@example.net"}
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == sorted(["maria.contact@example.com", old.email, "maria.new@example.net"])
    assert all("email address on your" in email.subject for email in mail.outbox)
    assert all("198.51.100.30" in email.body for email in mail.outbox)
    assert "maria.new@example.net" not in _everything_stored()


def test_an_e_mail_change_to_the_notification_address_is_not_sent_twice(
    django_capture_on_commit_callbacks,
):
    person = make_person(username="maria")  # the notification address is the sign-in address
    old = EmailAddress.objects.get(user=person.user, primary=True)
    new = EmailAddress.objects.create(user=person.user, email="maria.new@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        account_signals.email_changed.send(
            sender=EmailAddress,
            request=request_from(person.user),
            user=person.user,
            from_email_address=old,
            to_email_address=new,
        )
    assert sorted(address for email in mail.outbox for address in email.to) == sorted(
        [old.email, "maria.new@example.net"]
    )


def test_e_mail_addresses_added_and_removed_are_recorded():
    person = make_person(username="maria")
    address = EmailAddress(user=person.user, email="extra@example.org")
    account_signals.email_added.send(
        sender=EmailAddress,
        request=request_from(person.user),
        user=person.user,
        email_address=address,
    )
    account_signals.email_removed.send(
        sender=EmailAddress,
        request=request_from(person.user),
        user=person.user,
        email_address=address,
    )
    assert [(e.kind, e.data) for e in events(person.user)] == [
        (Kind.EMAIL_ADDED, {"address": "e•••@example.org"}),
        (Kind.EMAIL_REMOVED, {"address": "e•••@example.org"}),
    ]


def test_a_phone_change_texts_the_old_and_the_new_number(django_capture_on_commit_callbacks):
    old_number, new_number = PHONE, "+13195550177"
    person = make_person(username="maria", phone=old_number)

    with django_capture_on_commit_callbacks(execute=True):
        security_events.contact_changed(
            request=request_from(person.user, ip="198.51.100.31"),
            user=person.user,
            kind="phone",
            added=new_number,
            removed=old_number,
        )

    [event] = events(person.user, Kind.PHONE_CHANGED)
    assert event.data == {"added": "•••• 0177", "removed": "•••• 0142"}
    assert event.ip == "198.51.100.31"
    assert len(texts_to(old_number)) == 1
    assert len(texts_to(new_number)) == 1
    assert "mobile number on your account changed" in texts_to(new_number)[0].body
    [email] = mail.outbox
    assert "•••• 0177" in email.body
    assert "•••• 0142" in email.body
    assert new_number not in _everything_stored()


# --- second factors, recovery codes, sessions, trusted browsers ----------------------------------


def _authenticator(user: User, kind: str) -> Authenticator:
    return Authenticator(user=user, type=kind, data={})


def test_adding_and_removing_a_second_factor_is_recorded_and_alerted(
    django_capture_on_commit_callbacks,
):
    person = make_person(username="maria", phone=PHONE)
    request = request_from(person.user, user_agent=SAFARI_IPHONE, ip="198.51.100.40")
    with django_capture_on_commit_callbacks(execute=True):
        mfa_signals.authenticator_added.send(
            sender=Authenticator,
            request=request,
            user=person.user,
            authenticator=_authenticator(person.user, Authenticator.Type.TOTP),
        )
        # allauth makes recovery codes along with the first factor: recorded, not alerted
        mfa_signals.authenticator_added.send(
            sender=Authenticator,
            request=request,
            user=person.user,
            authenticator=_authenticator(person.user, Authenticator.Type.RECOVERY_CODES),
        )
    [added] = mail.outbox
    assert "second factor was added" in added.subject
    assert "authenticator app" in added.body
    assert "Safari on iPhone" in added.body

    with django_capture_on_commit_callbacks(execute=True):
        mfa_signals.authenticator_removed.send(
            sender=Authenticator,
            request=request,
            user=person.user,
            authenticator=_authenticator(person.user, Authenticator.Type.WEBAUTHN),
        )
    assert "second factor was removed" in mail.outbox[1].subject
    assert "passkey" in mail.outbox[1].body
    assert len(mail.outbox) == 2
    assert len(texts_to(PHONE)) == 2
    assert [(e.kind, e.data) for e in events(person.user)] == [
        (Kind.SECOND_FACTOR_ADDED, {"method": "totp"}),
        (Kind.RECOVERY_CODES_GENERATED, {}),
        (Kind.SECOND_FACTOR_REMOVED, {"method": "webauthn"}),
    ]
    assert all(e.ip == "198.51.100.40" for e in events(person.user))


def test_regenerated_recovery_codes_and_a_wrong_second_step_code_are_recorded():
    person = make_person(username="maria")
    request = request_from(person.user)
    mfa_signals.authenticator_reset.send(
        sender=Authenticator,
        request=request,
        user=person.user,
        authenticator=_authenticator(person.user, Authenticator.Type.RECOVERY_CODES),
    )
    mfa_signals.authentication_failed.send(
        sender=Authenticator,
        request=request_from(),
        user=person.user,
        authenticator=_authenticator(person.user, Authenticator.Type.TOTP),
    )
    assert [(e.kind, e.data) for e in events(person.user)] == [
        (Kind.RECOVERY_CODES_GENERATED, {}),
        (Kind.SECOND_FACTOR_FAILED, {"method": "totp"}),
    ]
    assert mail.outbox == []


def test_ending_another_session_is_recorded_for_its_person(settings):
    settings.USERSESSIONS_ADAPTER = "dropline.identity.sessions.UserSessionsAdapter"
    person = make_person(username="maria")
    phone = browser(SAFARI_IPHONE, "203.0.113.61")
    sign_in(phone, "maria")
    laptop = browser(FIREFOX_LINUX, "198.51.100.62")
    sign_in(laptop, "maria")

    response = laptop.post(reverse("usersessions_list"))  # allauth: sign out the others

    assert response.status_code == 302
    [ended] = events(person.user, Kind.SESSION_ENDED)
    assert ended.ip == "198.51.100.62"  # who ended it
    assert ended.data == {
        "session_ip": "203.0.113.61",
        "session_browser": "Safari",
        "session_os": "iPhone",
    }
    assert describe(ended) == "Signed out Safari on iPhone from the list of sessions"
    assert UserSession.objects.filter(user=person.user).count() == 1


def test_forgetting_trusted_browsers_is_recorded():
    person = make_person(username="maria")
    event = security_events.trusted_browsers_revoked(
        request=request_from(person.user, ip="198.51.100.70"), user=person.user
    )
    assert (event.kind, event.user, event.ip) == (
        Kind.TRUSTED_BROWSER_REVOKED,
        person.user,
        "198.51.100.70",
    )


def test_staff_sign_ins_are_recorded_too():
    staff = make_user(username="care", is_staff=True, second_factor=False)
    sign_in(browser(), "care")
    assert [e.kind for e in events(staff)] == [Kind.SIGN_IN]
