"""Getting back in: a reset by email (allauth's link and Dropline's code in one message),
a reset code by text message, a username reminder, and what an outsider learns from
each (nothing).

Everything goes through the real pages with Django's test client; text messages land
in the SMS simulator's inbox and email in Django's test outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.test import Client

from dropline.accounts.models import SecurityEvent, SecurityEventKind, User
from dropline.core import clock, onetime
from dropline.identity import tasks
from dropline.identity.recovery import errors, reset_codes, text_reset, username_reminder
from dropline.identity.recovery import limits as recovery_limits
from dropline.identity.security_events.alerts import PASSWORD_CHANGED_ALERT
from dropline.notifications.channels.email import EmailDeliveryError
from dropline.notifications.contacts import add_contact, add_verified_contact
from dropline.notifications.models import ContactKind, Message, SimulatedSms
from tests.support.factories import PASSWORD
from tests.support.recovery import (
    MARIA_PHONE,
    NEW_PASSWORD,
    TEXT_CODE,
    TEXT_REQUEST,
    ask_for_code,
    code_in,
    enter_code,
    latest_code,
    person,
    texts_to,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PORTAL = "/"
RESET_PAGE = "/accounts/password/reset/"
RESET_BY_EMAIL = "/accounts/recover/email/"
EMAIL_CODE = "/accounts/recover/email/code/"
RESET_DONE = "/accounts/recover/done/"
REMINDER = "/accounts/recover/username/"
REMINDER_SENT = "/accounts/recover/username/sent/"

CODE_DID_NOT_WORK = "That code did not work. Check it, or ask for a new code."


@pytest.fixture
def still_clock() -> Iterator[None]:
    """Hold the clock so a test that counts up to a limit stays in one fixed window."""
    with clock.frozen(clock.now()):
        yield


@pytest.fixture
def maria() -> User:
    return person("maria", phone=MARIA_PHONE)


def signed_in(user: User, password: str = PASSWORD) -> Client:
    browser = Client()
    response = browser.post(LOGIN, {"login": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    assert browser.get(PORTAL).status_code == 200
    return browser


def can_sign_in(username: str, password: str) -> bool:
    response = Client().post(LOGIN, {"login": username, "password": password})
    return response.status_code == 302


def page(response: Any, *typed: str) -> str:
    """The page as a person sees it, without the per-request CSRF token and with what
    they typed replaced, so two pages can be compared."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    for value in typed:
        text = text.replace(value, "<typed>")
    return text


def security_notices(user: User) -> dict[str, Message]:
    """The "your password was reset" alert, by channel; exactly one on each."""
    notices = list(Message.objects.filter(user=user, event=PASSWORD_CHANGED_ALERT))
    by_channel = {m.channel: m for m in notices}
    assert len(by_channel) == len(notices), "one notice per channel, never two"
    return by_channel


# === the reset by email: a link and a code in one message ======================================


def ask_by_email(browser: Client, address: str, **extra: Any) -> Any:
    """What the reset page's form does."""
    return browser.post(RESET_BY_EMAIL, {"email": address}, **extra)


def reset_mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def reset_link_for(address: str) -> str:
    message = reset_mails_to(address)[-1]
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def emailed_code(address: str = "maria@example.com") -> str:
    message = reset_mails_to(address)[-1]
    match = re.search(r"in our app: (\d{6})$", str(message.body), re.MULTILINE)
    assert match, message.body
    return match.group(1)


def html_of(message: mail.EmailMessage) -> str:
    assert isinstance(message, mail.EmailMultiAlternatives)
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return str(html)


def enter_emailed_code(browser: Client, code: str, password: str = NEW_PASSWORD) -> Any:
    return browser.post(EMAIL_CODE, {"code": code, "password1": password, "password2": password})


def set_password_by_link(browser: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    form_url = browser.get(link)["Location"]
    return browser.post(form_url, {"password1": password, "password2": password})


def test_the_reset_pages_look_like_the_portal(client):
    response = client.get(RESET_PAGE)

    text = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Reset your password</h1>" in text
    assert "We will email you a link and a code" in text
    assert f'action="{RESET_BY_EMAIL}"' in text
    assert 'class="skip-link"' in text  # the site's own layout
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<label for="id_email">Email address</label>' in text
    assert f'href="{TEXT_REQUEST}"' in text
    assert f'href="{REMINDER}"' in text
    # Nothing the strict CSP would block: scripts only from the site's own files.
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", text)
    assert "style=" not in text


def test_the_reset_email_is_droplines_own_with_a_link_and_a_code(client, maria):
    ask_by_email(client, "maria@example.com")

    (message,) = reset_mails_to("maria@example.com")
    assert message.subject == "Reset your Dropline password"  # no "[testserver]" prefix
    body = str(message.body)
    assert "your Dropline login, maria." in body
    assert reset_link_for("maria@example.com").startswith("/accounts/password/reset/key/")
    code = emailed_code()
    assert "work once, for 15 minutes" in body
    assert "If you did not ask for it, you can ignore this message" in body
    assert "You're receiving this email" not in body  # allauth's words are gone
    assert "Hello from" not in body
    html = html_of(message)
    assert code in html
    assert '<html lang="en">' in html
    assert "/accounts/password/reset/key/" in html


def test_asking_by_email_answers_the_same_for_an_unknown_address(maria):
    known, unknown = Client(), Client()
    for_known = ask_by_email(known, "maria@example.com")
    for_unknown = ask_by_email(unknown, "nobody@example.com")

    assert for_known.status_code == for_unknown.status_code == 302
    assert for_known["Location"] == for_unknown["Location"] == EMAIL_CODE
    assert page(known.get(EMAIL_CODE), "maria@example.com") == page(
        unknown.get(EMAIL_CODE), "nobody@example.com"
    )
    # The unknown address hears that no login uses it: no link, no code, no sign-up.
    (told,) = reset_mails_to("nobody@example.com")
    assert told.subject == "No Dropline login uses this address"
    body = str(told.body)
    assert "/account/claim/" in body
    assert "/password/reset/key/" not in body
    assert not re.search(r"\b\d{6}\b", body)
    assert "sign up" not in body.lower()


def test_allauths_own_reset_endpoint_sends_the_same_email(client, maria):
    response = client.post(RESET_PAGE, {"email": "maria@example.com"})

    assert response.status_code == 302
    (message,) = reset_mails_to("maria@example.com")
    assert message.subject == "Reset your Dropline password"
    assert emailed_code()


def test_a_code_by_email_resets_the_password(client, maria):
    ask_by_email(client, "maria@example.com")

    code_page = client.get(EMAIL_CODE).content.decode()
    assert "we have sent it a message with a link and a 6-digit code" in code_page
    assert "Code from the email" in code_page
    done = enter_emailed_code(client, emailed_code())

    assert done.status_code == 302
    assert done["Location"] == RESET_DONE
    assert "Your password is changed" in client.get(RESET_DONE).content.decode()
    assert can_sign_in("maria", NEW_PASSWORD)
    assert not can_sign_in("maria", PASSWORD)


def test_the_code_is_refused_once_the_link_has_been_used(client, maria):
    ask_by_email(client, "maria@example.com")
    code, link = emailed_code(), reset_link_for("maria@example.com")

    set_password_by_link(Client(), link)
    response = enter_emailed_code(client, code, password="another-long-phrase-9")

    assert CODE_DID_NOT_WORK in response.content.decode()
    assert can_sign_in("maria", NEW_PASSWORD)


def test_the_link_is_refused_once_the_code_has_been_used(client, maria):
    ask_by_email(client, "maria@example.com")
    link = reset_link_for("maria@example.com")

    assert enter_emailed_code(client, emailed_code()).status_code == 302
    again = Client().get(link)

    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


def test_a_reset_link_sets_a_new_password_and_works_once(client, maria):
    ask_by_email(client, "maria@example.com")
    link = reset_link_for("maria@example.com")

    form_page = client.get(link)
    assert form_page.status_code == 302  # the key leaves the address bar
    chosen = client.get(form_page["Location"])
    assert "<h1>Choose a new password</h1>" in chosen.content.decode()
    done = client.post(
        form_page["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert done.status_code == 302
    assert "Your password is changed" in client.get(done["Location"]).content.decode()
    assert can_sign_in("maria", NEW_PASSWORD)
    assert not can_sign_in("maria", PASSWORD)

    again = Client().get(link)
    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


def test_the_link_and_the_code_live_as_long_as_each_other():
    assert dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) == reset_codes.CODE_LIFETIME


def test_a_reset_link_expires_after_15_minutes(client, maria, monkeypatch):
    ask_by_email(client, "maria@example.com")
    link = reset_link_for("maria@example.com")
    issued = dt.datetime.now()  # noqa: DTZ005 - the token generator's own naive clock

    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: issued + dt.timedelta(minutes=14)
    )
    assert Client().get(link).status_code == 302  # still good

    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: issued + dt.timedelta(minutes=16)
    )
    expired = Client().get(link)
    assert expired.status_code == 200
    assert "This link does not work" in expired.content.decode()
    form_url = link.rsplit("/", 2)[0] + "/set-password/"
    attempt = Client().post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert "This link does not work" in attempt.content.decode()
    assert not can_sign_in("maria", NEW_PASSWORD)


def test_an_emailed_code_expires_with_the_link(maria):
    start = clock.now()
    with clock.frozen(start):
        browser = Client()
        ask_by_email(browser, "maria@example.com")
    with clock.frozen(start + dt.timedelta(minutes=16)):
        response = enter_emailed_code(browser, emailed_code())
    assert CODE_DID_NOT_WORK in response.content.decode()
    assert not can_sign_in("maria", NEW_PASSWORD)


@pytest.mark.usefixtures("still_clock")
def test_five_wrong_emailed_codes_use_the_code_up(client, maria):
    ask_by_email(client, "maria@example.com")
    code = emailed_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for _ in range(reset_codes.MAX_CODE_ATTEMPTS):
        assert CODE_DID_NOT_WORK in enter_emailed_code(client, wrong).content.decode()

    assert CODE_DID_NOT_WORK in enter_emailed_code(client, code).content.decode()
    assert not can_sign_in("maria", NEW_PASSWORD)


def test_an_emailed_code_must_be_six_digits(client, maria):
    ask_by_email(client, "maria@example.com")
    response = enter_emailed_code(client, "12ab")
    assert "Enter the 6 digits from the email." in response.content.decode()


def test_a_bad_address_is_named_on_the_reset_page(client):
    response = ask_by_email(client, "not-an-address")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_each_code_page_without_its_own_request_goes_back_to_its_start(client, maria):
    assert client.get(EMAIL_CODE)["Location"] == RESET_PAGE
    ask_for_code(client, "maria")  # a text-message request does not open the email page
    assert client.get(EMAIL_CODE)["Location"] == RESET_PAGE
    assert client.get(RESET_BY_EMAIL)["Location"] == RESET_PAGE


def test_an_address_not_yet_verified_gets_the_link_only(client):
    user = User.objects.create_user(username="pending", email="", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="pending@example.com", verified=False)

    ask_by_email(client, "pending@example.com")

    (message,) = reset_mails_to("pending@example.com")
    assert "/accounts/password/reset/key/" in message.body
    assert "in our app:" not in message.body
    assert "The link works once, for 15 minutes." in message.body


def test_the_reset_email_is_in_spanish_for_a_spanish_speaker(maria):
    maria.preferred_language = "es"
    maria.save(update_fields=["preferred_language"])

    ask_by_email(Client(), "maria@example.com")  # asked from the English page

    (message,) = reset_mails_to("maria@example.com")
    assert "Si no lo pidió, puede ignorar este mensaje: su contraseña sigue igual." in message.body
    assert '<html lang="es">' in html_of(message)


def test_the_reset_email_is_in_the_language_it_was_asked_in(maria):
    ask_by_email(Client(), "maria@example.com", HTTP_ACCEPT_LANGUAGE="es")
    ask_by_email(Client(), "nobody@example.com", HTTP_ACCEPT_LANGUAGE="es")

    (message,) = reset_mails_to("maria@example.com")
    assert "Si no lo pidió, puede ignorar este mensaje" in message.body
    (told,) = reset_mails_to("nobody@example.com")
    assert '<html lang="es">' in html_of(told)


def test_a_reset_by_link_ends_every_other_session(client, maria):
    laptop, phone = signed_in(maria), signed_in(maria)

    ask_by_email(client, "maria@example.com")
    set_password_by_link(client, reset_link_for("maria@example.com"))

    for browser in (laptop, phone):
        response = browser.get(PORTAL)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_a_reset_by_emailed_code_ends_every_other_session(client, maria):
    laptop, phone = signed_in(maria), signed_in(maria)

    ask_by_email(client, "maria@example.com")
    enter_emailed_code(client, emailed_code())

    for browser in (laptop, phone):
        response = browser.get(PORTAL)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("way", ["link", "code"])
def test_a_reset_by_email_sends_one_security_notice(client, maria, way):
    ask_by_email(client, "maria@example.com")
    if way == "link":
        set_password_by_link(client, reset_link_for("maria@example.com"))
    else:
        enter_emailed_code(client, emailed_code())

    notices = security_notices(maria)
    assert set(notices) == {"email", "sms", "in_app"}
    assert notices["email"].to_address == "maria@example.com"
    assert "password was reset" in notices["email"].subject
    assert notices["sms"].to_address == MARIA_PHONE
    assert (
        SecurityEvent.objects.filter(user=maria, kind=SecurityEventKind.PASSWORD_RESET).count() == 1
    )


def test_asking_by_email_costs_the_same_hashing_whoever_is_asked_about(maria, monkeypatch):
    hashes = HashCounter(monkeypatch)
    work = {}
    for address in ["maria@example.com", "nobody@example.com"]:
        ask_by_email(browser := Client(), address)
        asking = hashes.take()
        enter_emailed_code(browser, "000000" if emailed_code() != "000000" else "111111")
        work[address] = (asking, hashes.take())

    assert set(work.values()) == {((1, 0), (0, 1))}


def test_an_undeliverable_reset_email_answers_the_same(client, maria, monkeypatch, caplog):
    def refuse(**kwargs: Any) -> str:
        raise EmailDeliveryError("SMTPServerDisconnected: gone")

    monkeypatch.setattr(tasks, "send_email", refuse)
    with caplog.at_level(logging.WARNING, logger="dropline.identity.tasks"):
        response = ask_by_email(client, "maria@example.com")

    assert response.status_code == 302
    assert response["Location"] == EMAIL_CODE
    assert "password_reset_key email not sent" in caplog.text
    assert not re.search(r"\b\d{6}\b", caplog.text)


@pytest.mark.usefixtures("still_clock")
def test_reset_emails_for_one_address_are_limited_the_same_for_everyone(maria):
    limit = recovery_limits.CODE_REQUESTS_PER_INPUT.count
    known = [ask_by_email(Client(), "maria@example.com") for _ in range(limit + 1)]
    unknown = [
        ask_by_email(Client(REMOTE_ADDR="203.0.113.5"), "nobody@example.com")
        for _ in range(limit + 1)
    ]

    assert [r.status_code for r in known] == [302] * limit + [429]
    assert [r.status_code for r in unknown] == [302] * limit + [429]
    assert "Too many attempts. Try again in" in known[-1].content.decode()
    assert page(known[-1], "maria@example.com") == page(unknown[-1], "nobody@example.com")
    assert len(reset_mails_to("maria@example.com")) == limit


@pytest.mark.usefixtures("still_clock")
def test_reset_emails_from_one_ip_address_are_limited(db):
    limit = recovery_limits.CODE_REQUESTS_PER_IP.count
    for number in range(limit):
        assert ask_by_email(Client(), f"someone{number}@example.com").status_code == 302
    assert ask_by_email(Client(), "one-more@example.com").status_code == 429
    assert (
        ask_by_email(Client(REMOTE_ADDR="203.0.113.9"), "one-more@example.com").status_code == 302
    )


@pytest.mark.usefixtures("still_clock")
def test_codes_by_either_channel_count_against_one_silent_account_limit(maria):
    assert recovery_limits.CODE_REQUESTS_PER_ACCOUNT.count == 3
    ask_for_code(Client(), "maria")
    ask_for_code(Client(), MARIA_PHONE)
    answers = {ask_by_email(Client(), "maria@example.com")["Location"] for _ in range(2)}

    assert answers == {EMAIL_CODE}  # the same answer each time ...
    assert len(texts_to(MARIA_PHONE)) == 2
    assert len(reset_mails_to("maria@example.com")) == 1  # ... but no fourth code


# === the reset code by text message =============================================================


def test_a_code_by_text_message_resets_the_password(client, maria):
    asked = ask_for_code(client, "maria")

    assert asked.status_code == 302
    assert asked["Location"] == TEXT_CODE
    (text,) = texts_to(MARIA_PHONE)
    code = code_in(text)
    assert "maria" in text
    assert "15 minutes" in text
    code_page = client.get(TEXT_CODE).content.decode()
    assert "Enter the code and a new password" in code_page

    done = enter_code(client, code)

    assert done.status_code == 302
    assert done["Location"] == RESET_DONE
    assert "Your password is changed" in client.get(RESET_DONE).content.decode()
    assert can_sign_in("maria", NEW_PASSWORD)
    assert not can_sign_in("maria", PASSWORD)


def test_the_code_is_never_kept_in_the_clear(client, maria):
    ask_for_code(client, "maria")
    code = latest_code()

    stored = reset_codes.RESET_CODES.peek(f"user:{maria.pk}")
    assert stored is not None
    assert stored.code_hash.startswith("hmac-sha256$")
    entry = cache.get(reset_codes.RESET_CODES.key(f"user:{maria.pk}"))
    assert code not in repr(entry)
    assert not Message.objects.filter(body_text__contains=code).exists()


@pytest.mark.parametrize(
    "typed", ["maria", "MARIA", "maria@example.com", "(319) 555-0142", "+1 319 555 0142"]
)
def test_the_login_can_be_named_by_username_email_or_phone(client, maria, typed):
    assert ask_for_code(client, typed).status_code == 302
    assert len(texts_to(MARIA_PHONE)) == 1
    assert enter_code(client, latest_code()).status_code == 302
    assert can_sign_in("maria", NEW_PASSWORD)


def test_the_code_goes_to_the_number_typed_when_there_are_several(client, maria):
    second = "+13195550150"
    add_verified_contact(user=maria, kind=ContactKind.PHONE, address=second, primary=False)

    ask_for_code(client, "(319) 555-0150")
    assert len(texts_to(second)) == 1
    assert texts_to(MARIA_PHONE) == []

    ask_for_code(Client(), "maria")  # by username: the primary number
    assert len(texts_to(MARIA_PHONE)) == 1


def test_an_unverified_number_gets_no_code(client):
    user = person("newphone")
    add_contact(user=user, kind=ContactKind.PHONE, address="+13195550160")

    assert ask_for_code(client, "newphone").status_code == 302
    assert ask_for_code(Client(), "+13195550160").status_code == 302
    assert not SimulatedSms.objects.exists()


def test_asking_for_a_code_answers_the_same_whoever_is_asked_about(maria):
    person("nophone")
    unverified = person("unverified")
    add_contact(user=unverified, kind=ContactKind.PHONE, address="+13195550170")
    typed = ["maria", "nophone", "nobody-at-all", "+13195550170", "+13195550111"]

    answers = []
    for value in typed:
        browser = Client()
        asked = ask_for_code(browser, value)
        answers.append(
            (asked.status_code, asked["Location"], page(browser.get(asked["Location"]), value))
        )

    assert len(set(answers)) == 1
    assert SimulatedSms.objects.count() == 1  # maria's, and nobody else's


def test_a_wrong_code_answers_the_same_as_no_such_login(maria):
    real, fake = Client(), Client()
    ask_for_code(real, "maria")
    ask_for_code(fake, "nobody-at-all")
    wrong = "000000" if latest_code() != "000000" else "111111"

    for_real = enter_code(real, wrong)
    for_fake = enter_code(fake, wrong)

    assert for_real.status_code == for_fake.status_code == 200
    assert CODE_DID_NOT_WORK in for_real.content.decode()
    assert page(for_real, "maria") == page(for_fake, "nobody-at-all")


class HashCounter:
    """Counts the hashing of codes a request does (a code hashed to keep it, a typed code
    compared with a hash): the same count for a real login and for nobody is what keeps
    the answers equally fast."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made = 0
        self.checked = 0
        real_make, real_check = onetime.hash_code, onetime.code_matches

        def make(*args: Any, **kwargs: Any) -> str:
            self.made += 1
            return real_make(*args, **kwargs)

        def check(*args: Any, **kwargs: Any) -> bool:
            self.checked += 1
            return real_check(*args, **kwargs)

        monkeypatch.setattr(onetime, "hash_code", make)
        monkeypatch.setattr(onetime, "code_matches", check)

    def take(self) -> tuple[int, int]:
        counts = (self.made, self.checked)
        self.made = self.checked = 0
        return counts


def test_every_answer_costs_the_same_hashing(maria, monkeypatch):
    person("nophone")
    hashes = HashCounter(monkeypatch)
    work = {}
    for name in ["maria", "nophone", "nobody-at-all"]:
        ask_for_code(browser := Client(), name)
        asking = hashes.take()
        enter_code(browser, "000000" if latest_code() != "000000" else "111111")
        work[name] = (asking, hashes.take())

    # One code made and hashed on asking, one hash compared on a wrong code: for all.
    assert set(work.values()) == {((1, 0), (0, 1))}


def test_a_code_works_once(maria):
    text_reset.request_reset_code(identifier="maria", ip="198.51.100.7", language="en")
    code = latest_code()
    reset_codes.reset_password_with_code(
        identifier="maria", code=code, new_password=NEW_PASSWORD, request=None
    )

    with pytest.raises(errors.CodeRejectedError):
        reset_codes.reset_password_with_code(
            identifier="maria", code=code, new_password="another-long-phrase-9", request=None
        )
    assert can_sign_in("maria", NEW_PASSWORD)


def test_a_code_expires_after_15_minutes(maria):
    start = clock.now()
    with clock.frozen(start):
        early, late = Client(), Client()
        ask_for_code(early, "maria")
    first = latest_code()
    with clock.frozen(start + dt.timedelta(minutes=16)):
        response = enter_code(early, first)
    assert CODE_DID_NOT_WORK in response.content.decode()
    assert not can_sign_in("maria", NEW_PASSWORD)

    with clock.frozen(start + dt.timedelta(minutes=20)):
        ask_for_code(late, "maria")
    second = latest_code()
    with clock.frozen(start + dt.timedelta(minutes=34)):
        assert enter_code(late, second).status_code == 302
    assert can_sign_in("maria", NEW_PASSWORD)


@pytest.mark.usefixtures("still_clock")
def test_five_wrong_codes_use_the_code_up(client, maria):
    ask_for_code(client, "maria")
    code = latest_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for _ in range(reset_codes.MAX_CODE_ATTEMPTS):
        assert CODE_DID_NOT_WORK in enter_code(client, wrong).content.decode()
    response = enter_code(client, code)

    assert CODE_DID_NOT_WORK in response.content.decode()
    assert not can_sign_in("maria", NEW_PASSWORD)
    # A new code works: the count belonged to the old one.
    ask_for_code(client, "maria")
    assert enter_code(client, latest_code()).status_code == 302


def test_a_new_code_replaces_the_old_one(client, maria):
    ask_for_code(client, "maria")
    old = latest_code()
    ask_for_code(client, "maria")
    new = latest_code()
    if old == new:  # one in a million
        pytest.skip("the two random codes happen to be the same")

    assert CODE_DID_NOT_WORK in enter_code(client, old).content.decode()
    assert enter_code(client, new).status_code == 302


def test_the_password_policy_applies_and_the_code_still_works(client, maria):
    ask_for_code(client, "maria")
    code = latest_code()

    short = enter_code(client, code, password="too-short")
    similar = enter_code(client, code, password="maria@example.com1")
    different = enter_code(client, code, password=NEW_PASSWORD, again=NEW_PASSWORD + "x")

    assert "This password is too short. It must contain at least 12 characters." in (
        short.content.decode()
    )
    assert "too similar to the" in similar.content.decode()
    assert "The two passwords are different." in different.content.decode()
    assert not can_sign_in("maria", "too-short")
    assert enter_code(client, code).status_code == 302
    assert can_sign_in("maria", NEW_PASSWORD)


def test_a_code_must_be_six_digits(client, maria):
    ask_for_code(client, "maria")
    response = enter_code(client, "12ab")
    assert "Enter the 6 digits from the text message." in response.content.decode()


def test_the_code_page_without_a_request_goes_back_to_the_start(client):
    response = client.get(TEXT_CODE)
    assert response.status_code == 302
    assert response["Location"] == TEXT_REQUEST


def test_a_reset_by_code_ends_every_other_session(client, maria):
    laptop, phone = signed_in(maria), signed_in(maria)

    ask_for_code(client, "maria")
    enter_code(client, latest_code())

    for browser in (laptop, phone):
        response = browser.get(PORTAL)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_a_reset_by_code_sends_a_security_notice(client, maria):
    ask_for_code(client, "maria")
    enter_code(client, latest_code())

    notices = security_notices(maria)
    assert set(notices) == {"email", "sms", "in_app"}
    assert notices["email"].category == "security"
    assert notices["email"].to_address == "maria@example.com"
    assert "password was reset" in notices["email"].subject
    assert "127.0.0.1" in notices["email"].body_text
    assert notices["sms"].to_address == MARIA_PHONE
    (event,) = SecurityEvent.objects.filter(user=maria, kind=SecurityEventKind.PASSWORD_RESET)
    assert event.ip == "127.0.0.1"


def test_a_reset_lets_a_throttled_person_straight_back_in(client, maria):
    for _ in range(5):
        Client().post(LOGIN, {"login": "maria", "password": "wrong-password-guess"})
    assert not can_sign_in("maria", PASSWORD)  # paused after too many failures

    ask_for_code(client, "maria")
    enter_code(client, latest_code())

    assert can_sign_in("maria", NEW_PASSWORD)


def test_a_texted_code_is_in_the_language_the_person_chose(client, maria):
    maria.preferred_language = "es"
    maria.save(update_fields=["preferred_language"])

    ask_for_code(client, "maria")  # asked from the English page

    assert "su código para restablecer la contraseña de maria" in texts_to(MARIA_PHONE)[-1]


def test_an_undeliverable_number_answers_the_same(client, caplog):
    person("unreachable", phone="+13195550199")  # the simulator refuses ...99

    with caplog.at_level(logging.WARNING, logger="dropline.identity.recovery.text_reset"):
        response = ask_for_code(client, "unreachable")

    assert response.status_code == 302
    assert response["Location"] == TEXT_CODE
    assert "not sent" in caplog.text
    assert not re.search(r"\b\d{6}\b", caplog.text)  # the code is never logged


def test_the_forms_need_the_csrf_token(maria):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(TEXT_REQUEST, {"identifier": "maria"}).status_code == 403
    assert browser.post(REMINDER, {"address": "maria@example.com"}).status_code == 403
    assert not SimulatedSms.objects.exists()


# --- limits on codes ----------------------------------------------------------------------------


def test_codes_for_one_name_are_limited_then_allowed_again(maria):
    start = clock.now()
    limit = recovery_limits.CODE_REQUESTS_PER_INPUT.count
    with clock.frozen(start):
        for _ in range(limit):
            assert ask_for_code(Client(), "maria").status_code == 302
        refused = ask_for_code(Client(), "maria")
        refused_unknown = [ask_for_code(Client(), "nobody-at-all") for _ in range(limit + 1)][-1]

    assert refused.status_code == refused_unknown.status_code == 429
    assert "Too many attempts. Try again in" in refused.content.decode()
    assert page(refused, "maria") == page(refused_unknown, "nobody-at-all")
    assert len(texts_to(MARIA_PHONE)) == limit

    # A window, not a lock: the next window takes requests again.
    with clock.frozen(start + recovery_limits.CODE_REQUESTS_PER_INPUT.window):
        assert ask_for_code(Client(), "maria").status_code == 302


@pytest.mark.usefixtures("still_clock")
def test_codes_from_one_ip_address_are_limited(db):
    limit = recovery_limits.CODE_REQUESTS_PER_IP.count
    for number in range(limit):
        assert ask_for_code(Client(), f"someone{number}").status_code == 302
    assert ask_for_code(Client(), "someone-else").status_code == 429
    other_ip = Client(REMOTE_ADDR="203.0.113.9")
    assert ask_for_code(other_ip, "someone-else").status_code == 302


def test_codes_for_one_account_are_limited_silently(maria):
    start = clock.now()
    names = ["maria", "maria@example.com", MARIA_PHONE, "(319) 555-0142"]
    with clock.frozen(start):
        answers = {ask_for_code(Client(), name)["Location"] for name in names}

    assert answers == {TEXT_CODE}  # every answer looks the same ...
    assert len(texts_to(MARIA_PHONE)) == recovery_limits.CODE_REQUESTS_PER_ACCOUNT.count  # ... but
    with clock.frozen(start + recovery_limits.CODE_REQUESTS_PER_ACCOUNT.window):
        ask_for_code(Client(), "maria")
    assert len(texts_to(MARIA_PHONE)) == recovery_limits.CODE_REQUESTS_PER_ACCOUNT.count + 1


@pytest.mark.usefixtures("still_clock")
def test_code_attempts_are_limited(client, maria):
    ask_for_code(client, "maria")
    limit = recovery_limits.CODE_ATTEMPTS_PER_INPUT.count
    for _ in range(limit):
        assert (
            enter_code(client, "999999" if latest_code() != "999999" else "888888").status_code
            == 200
        )

    response = enter_code(client, latest_code())

    assert response.status_code == 429
    assert "Too many attempts. Try again in" in response.content.decode()
    assert not can_sign_in("maria", NEW_PASSWORD)


# === the username reminder ======================================================================


def remind(browser: Client, address: str) -> Any:
    return browser.post(REMINDER, {"address": address})


def reminders() -> list[Message]:
    return list(Message.objects.filter(event="account.username_reminder").order_by("id"))


def test_a_reminder_by_email_sends_the_username(client, maria, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client, "Maria@Example.com")

    assert response.status_code == 302
    assert response["Location"] == REMINDER_SENT
    assert "Check your messages" in client.get(REMINDER_SENT).content.decode()
    (sent,) = [m for m in mail.outbox if m.to == ["Maria@example.com"]]
    assert "Your username: maria" in sent.body
    assert "/accounts/login/" in sent.body


def test_a_reminder_by_text_message_sends_the_username(
    client, maria, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, "(319) 555-0142")

    (text,) = texts_to(MARIA_PHONE)
    assert "your username is maria" in text


def test_a_reminder_goes_to_a_verified_contact_address_too(
    client, maria, django_capture_on_commit_callbacks
):
    add_verified_contact(
        user=maria, kind=ContactKind.EMAIL, address="maria.work@example.org", primary=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, "maria.work@example.org")

    (sent,) = mail.outbox
    assert sent.to == ["maria.work@example.org"]
    assert "maria" in sent.body


def test_everyone_who_shares_a_number_gets_their_own_username(
    client, maria, django_capture_on_commit_callbacks
):
    person("maria.jr", phone=MARIA_PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, MARIA_PHONE)

    texts = texts_to(MARIA_PHONE)
    assert len(texts) == 2
    assert any("your username is maria." in t for t in texts)
    assert any("your username is maria.jr." in t for t in texts)


def test_a_reminder_answers_the_same_for_unknown_and_unverified_addresses(maria):
    unverified = person("unverified")
    add_contact(user=unverified, kind=ContactKind.PHONE, address="+13195550180")
    EmailAddress.objects.create(user=unverified, email="pending@example.com", verified=False)
    typed = ["maria@example.com", "nobody@example.com", "pending@example.com", "+13195550180"]

    answers = []
    for value in typed:
        browser = Client()
        response = remind(browser, value)
        answers.append(
            (response.status_code, response["Location"], page(browser.get(response["Location"])))
        )

    assert len(set(answers)) == 1
    assert [m.to_address for m in reminders()] == ["maria@example.com"]


def test_a_reminder_needs_an_email_address_or_a_mobile_number(client, maria):
    response = remind(client, "maria")

    assert response.status_code == 200
    assert "Enter an email address or a mobile number" in response.content.decode()
    assert reminders() == []


@pytest.mark.usefixtures("still_clock")
def test_reminders_for_one_address_are_limited_the_same_for_everyone(maria):
    limit = username_reminder.REMINDERS_PER_ADDRESS.count
    known = [remind(Client(), "maria@example.com") for _ in range(limit + 1)]
    unknown = [
        remind(Client(REMOTE_ADDR="203.0.113.5"), "nobody@example.com") for _ in range(limit + 1)
    ]

    assert [r.status_code for r in known] == [302] * limit + [429]
    assert [r.status_code for r in unknown] == [302] * limit + [429]
    assert page(known[-1], "maria@example.com") == page(unknown[-1], "nobody@example.com")
    assert len(reminders()) == min(limit, username_reminder.REMINDERS_PER_ACCOUNT.count)


@pytest.mark.usefixtures("still_clock")
def test_reminders_from_one_ip_address_are_limited(db):
    limit = username_reminder.REMINDERS_PER_IP.count
    for number in range(limit):
        assert remind(Client(), f"someone{number}@example.com").status_code == 302
    assert remind(Client(), "one-more@example.com").status_code == 429


# === sign-in tells nobody whether a login exists ================================================


def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(maria):
    known = Client().post(LOGIN, {"login": "maria", "password": "wrong-password-guess"})
    unknown = Client().post(LOGIN, {"login": "nobody-at-all", "password": "wrong-password-guess"})

    assert known.status_code == unknown.status_code == 200
    assert page(known, "maria") == page(unknown, "nobody-at-all")
    assert "do not match" in known.content.decode()
