"""Email addresses and mobile numbers from the mobile app: the same codes, limits,
re-authentication and alerts as the web's contact page, and nobody reaches another
person's contacts."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dropline.accounts.models import SecurityEvent, SmsSecondFactor
from dropline.identity.factors import sms_codes
from dropline.notifications.contacts import add_contact, add_verified_contact
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    ContactVerification,
    SimulatedSms,
)
from tests.support.factories import PASSWORD, Customer, make_customer

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"
APP = "/_allauth/app/v1"
PHONE_UA = "Dropline-App/2.3 (Android 14; Pixel 8) okhttp/4.12.0"


class App:
    """The app signed in as one person: JSON and the session token, no cookies."""

    def __init__(self, username: str, *, reauthenticated: bool = True) -> None:
        login = Client().post(
            f"{APP}/auth/login",
            {"username": username, "password": PASSWORD},
            content_type="application/json",
        )
        assert login.status_code == 200, login.content
        self.token = login.json()["meta"]["session_token"]
        if reauthenticated:
            self.reauthenticate()

    def reauthenticate(self) -> None:
        again = self._client().post(
            f"{APP}/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json"
        )
        assert again.status_code == 200, again.content

    def _client(self) -> Client:
        return Client(HTTP_USER_AGENT=PHONE_UA, HTTP_X_SESSION_TOKEN=self.token)

    def get(self, url: str) -> Any:
        return self._client().get(url)

    def post(self, url: str, body: dict[str, Any] | None = None) -> Any:
        return self._client().post(url, body or {}, content_type="application/json")

    def delete(self, url: str) -> Any:
        return self._client().delete(url)


@pytest.fixture
def maria() -> Customer:
    return make_customer(username="maria")


@pytest.fixture
def app(maria: Customer) -> App:
    return App("maria")


@pytest.fixture
def stale(maria: Customer) -> App:
    """Signed in, but the sign-in was not confirmed again in the last five minutes."""
    return App("maria", reauthenticated=False)


def url(contact: ContactPoint, action: str = "") -> str:
    return f"{CONTACTS}/{contact.pk}/{action}" if action else f"{CONTACTS}/{contact.pk}"


def field_error(response: Any) -> tuple[str, str]:
    [only] = response.json()["errors"]
    return only["field"], only["reason"]


def code_in(text: str) -> str:
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)


def texted_code(to: str) -> str:
    sms = SimulatedSms.objects.filter(to=to).order_by("-id").first()
    assert sms is not None, f"no text message to {to}"
    return code_in(sms.body)


def wrong(right: str) -> str:
    return "000000" if right != "000000" else "111111"


def is_reauthentication_answer(response: Any) -> bool:
    body = response.json()
    flows = [flow["id"] for flow in body["data"]["flows"]]
    return (
        response.status_code == 401
        and body["meta"]["is_authenticated"]
        and ("reauthenticate" in flows)
    )


def alerts_of(kind: str, maria: Customer) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(user=maria.user, kind=kind))


# --- listing ------------------------------------------------------------------------------


def test_the_list_shows_each_address_as_the_web_does_with_its_state(app, maria):
    add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    bouncing = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="maria@example.com", primary=True
    )
    ContactPoint.objects.filter(pk=bouncing.pk).update(
        status=ContactStatus.UNDELIVERABLE, failure_reason="550 mailbox unavailable"
    )
    pending = add_contact(user=maria.user, kind=ContactKind.EMAIL, address="new@example.com")

    response = app.get(CONTACTS)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": bouncing.pk,
            "kind": "email",
            "address": "maria@example.com",
            "state": "undeliverable",
            "primary": True,
            "undeliverable_reason": "550 mailbox unavailable",
        },
        {
            "id": pending.pk,
            "kind": "email",
            "address": "new@example.com",
            "state": "pending",
            "primary": False,
            "undeliverable_reason": "",
        },
        {
            "id": ContactPoint.objects.get(kind=ContactKind.PHONE).pk,
            "kind": "phone",
            "address": "(319) 555-0142",
            "state": "verified",
            "primary": True,
            "undeliverable_reason": "",
        },
    ]


def test_signed_out_the_app_gets_nothing(maria):
    add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    response = Client().get(CONTACTS)
    assert response.status_code == 401
    assert "555-0142" not in response.content.decode()


# --- adding and verifying -------------------------------------------------------------------


def test_adding_a_phone_texts_a_code_and_the_code_verifies_it_and_alerts(
    app, maria, django_capture_on_commit_callbacks
):
    response = app.post(CONTACTS, {"kind": "phone", "address": "(319) 555-0150"})

    assert response.status_code == 201, response.content
    added = response.json()
    assert added["address"] == "(319) 555-0150"
    assert added["state"] == "pending"
    assert added["primary"] is False
    assert added["code_expires_in"] == 15 * 60
    contact = ContactPoint.objects.get(pk=added["id"], user=maria.user)
    assert contact.address == "+13195550150"
    assert not contact.is_verified

    with django_capture_on_commit_callbacks(execute=True):
        verified = app.post(url(contact, "verify"), {"code": texted_code("+13195550150")})

    assert verified.status_code == 200, verified.content
    assert verified.json()["state"] == "verified"
    assert verified.json()["primary"] is True
    contact.refresh_from_db()
    assert contact.is_verified
    assert contact.is_primary
    [event] = alerts_of("phone_changed", maria)
    assert event.data == {"added": "•••• 0150", "removed": ""}
    assert event.user_agent == PHONE_UA
    alert = SimulatedSms.objects.filter(to="+13195550150").order_by("-id").first()
    assert alert is not None
    assert "mobile number on your account changed" in alert.body


def test_adding_an_e_mail_address_sends_the_code_by_e_mail(
    app, maria, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    response = app.post(CONTACTS, {"kind": "email", "address": "m.r@Example.COM"})

    assert response.status_code == 201, response.content
    assert response.json()["address"] == "m.r@example.com"
    [sent] = mail.outbox
    assert sent.to == ["m.r@example.com"]
    contact = ContactPoint.objects.get(pk=response.json()["id"])

    with django_capture_on_commit_callbacks(execute=True):
        verified = app.post(url(contact, "verify"), {"code": code_in(str(sent.body))})

    assert verified.json()["state"] == "verified"
    assert len(alerts_of("email_changed", maria)) == 1
    assert ["m.r@example.com"] in [m.to for m in mail.outbox[1:]]


def test_a_malformed_phone_number_names_address_and_keeps_nothing(app, maria):
    response = app.post(CONTACTS, {"kind": "phone", "address": "555-CALL-NOW"})

    assert response.status_code == 400
    field, reason = field_error(response)
    assert field == "address"
    assert reason.startswith("Enter a valid mobile number")
    assert not ContactPoint.objects.exists()
    assert not SimulatedSms.objects.exists()


def test_the_reason_speaks_the_apps_language(app, maria):
    response = app._client().post(
        CONTACTS,
        {"kind": "phone", "address": "555-CALL-NOW"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert field_error(response) == (
        "address",
        "Ingrese un número de celular válido, como (319) 555-0142.",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "fax", "address": "(319) 555-0150"}, "kind"),
        ({"kind": "email", "address": "   "}, "address"),
        ({"kind": "email"}, "address"),
    ],
)
def test_input_that_is_not_an_address_names_the_field(app, maria, body, field):
    response = app.post(CONTACTS, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not ContactPoint.objects.exists()


def test_a_number_that_cannot_get_texts_is_not_kept(app, maria):
    # The simulator treats numbers ending in 99 as landlines.
    response = app.post(CONTACTS, {"kind": "phone", "address": "(319) 555-0199"})

    assert response.status_code == 400
    assert field_error(response) == (
        "address",
        "We could not send a code to this address. Check it and try again.",
    )
    assert not ContactPoint.objects.exists()
    assert not ContactVerification.objects.exists()


def test_adding_the_same_address_twice_says_so_and_sends_nothing(app, maria):
    add_contact(user=maria.user, kind=ContactKind.EMAIL, address="maria@example.net")
    mail.outbox.clear()

    response = app.post(CONTACTS, {"kind": "email", "address": "maria@example.net"})

    assert response.status_code == 400
    assert field_error(response) == ("address", "You have already added this address.")
    assert ContactPoint.objects.filter(user=maria.user).count() == 1
    assert not mail.outbox


def test_a_wrong_code_names_code_and_leaves_the_number_pending(app, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0151")
    app.post(url(contact, "code"))

    response = app.post(url(contact, "verify"), {"code": wrong(texted_code("+13195550151"))})

    assert response.status_code == 400
    assert field_error(response) == ("code", "That code is not right. Check it and try again.")
    contact.refresh_from_db()
    assert not contact.is_verified
    assert not SecurityEvent.objects.filter(kind="phone_changed").exists()


def test_the_sixth_try_is_refused_even_with_the_right_code(app, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0152")
    app.post(url(contact, "code"))
    right = texted_code("+13195550152")
    for _ in range(5):
        assert app.post(url(contact, "verify"), {"code": wrong(right)}).status_code == 400

    response = app.post(url(contact, "verify"), {"code": right})

    assert response.status_code == 400
    assert field_error(response) == ("code", "Too many wrong codes. Ask for a new one.")
    contact.refresh_from_db()
    assert not contact.is_verified


def test_an_address_already_verified_answers_as_it_is(app, maria):
    contact = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="one@example.com", primary=True
    )
    response = app.post(url(contact, "verify"), {"code": "123456"})
    assert response.status_code == 200
    assert response.json()["state"] == "verified"
    assert not SecurityEvent.objects.filter(kind="email_changed").exists()


def test_an_empty_code_names_code_and_costs_no_try(app, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0153")
    app.post(url(contact, "code"))

    response = app.post(url(contact, "verify"), {"code": "  "})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["code"]
    assert ContactVerification.objects.get(contact=contact).attempts == 0


# --- codes again ---------------------------------------------------------------------------


def test_a_new_code_can_be_sent_five_times_an_hour(app, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0170")
    for _ in range(5):
        response = app.post(url(contact, "code"))
        assert response.status_code == 200, response.content
    assert response.json() == {"address": "(319) 555-0170", "code_expires_in": 900}

    refused = app.post(url(contact, "code"))

    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Too many codes sent to this address. Try again in an hour."
    }
    assert SimulatedSms.objects.filter(to="+13195550170").count() == 5


def test_a_verified_address_gets_no_new_code(app, maria):
    contact = add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550171", primary=True
    )
    response = app.post(url(contact, "code"))
    assert response.status_code == 409
    assert not SimulatedSms.objects.exists()


def test_a_bouncing_address_can_be_confirmed_again(app, maria):
    contact = add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550172", primary=True
    )
    ContactPoint.objects.filter(pk=contact.pk).update(
        status=ContactStatus.UNDELIVERABLE, failure_reason="30006 landline"
    )
    assert app.post(url(contact, "code")).status_code == 200

    response = app.post(url(contact, "verify"), {"code": texted_code("+13195550172")})

    assert response.json()["state"] == "verified"
    assert response.json()["undeliverable_reason"] == ""


# --- primary and removal --------------------------------------------------------------------


def test_make_primary_answers_every_contact_with_the_new_primary(app, maria):
    first = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="one@example.com", primary=True
    )
    second = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="two@example.com", primary=False
    )

    response = app.post(url(second, "primary"))

    assert response.status_code == 200
    assert [(c["id"], c["primary"]) for c in response.json()] == [
        (second.pk, True),
        (first.pk, False),
    ]
    first.refresh_from_db()
    assert not first.is_primary
    # As on the web, choosing which verified address comes first is not a change of
    # address: no security event and no alert.
    assert not SecurityEvent.objects.filter(kind="email_changed").exists()


def test_an_unverified_address_cannot_be_made_primary(app, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.EMAIL, address="new@example.com")
    response = app.post(url(contact, "primary"))
    assert response.status_code == 409
    assert response.json() == {"detail": "Verify this address before making it primary."}
    contact.refresh_from_db()
    assert not contact.is_primary


def test_removing_a_verified_address_alerts_it_and_hands_primary_on(
    app, maria, django_capture_on_commit_callbacks
):
    first = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="one@example.com", primary=True
    )
    second = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="two@example.com", primary=False
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = app.delete(url(first))

    assert response.status_code == 204
    assert list(ContactPoint.objects.filter(user=maria.user)) == [second]
    second.refresh_from_db()
    assert second.is_primary
    [event] = alerts_of("email_changed", maria)
    assert event.data["old"] == "o•••@example.com"
    assert ["one@example.com"] in [m.to for m in mail.outbox]


def test_removing_an_unverified_address_alerts_nobody(app, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.EMAIL, address="new@example.com")
    assert app.delete(url(contact)).status_code == 204
    assert not ContactPoint.objects.exists()
    assert not SecurityEvent.objects.filter(kind="email_changed").exists()


def test_the_number_that_receives_sign_in_codes_cannot_be_removed(app, maria):
    phone = add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    sms_codes.enable_sms_factor(user=maria.user, contact_id=phone.pk)

    response = app.delete(url(phone))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "This number receives your sign-in codes. Turn off codes by text message first."
    }
    assert ContactPoint.objects.filter(pk=phone.pk).exists()
    assert SmsSecondFactor.objects.filter(contact=phone).exists()
    assert not SecurityEvent.objects.filter(kind="phone_changed").exists()


# --- re-authentication ----------------------------------------------------------------------


def test_a_stale_sign_in_gets_allauths_reauthentication_answer_and_nothing_is_added(stale, maria):
    response = stale.post(CONTACTS, {"kind": "phone", "address": "(319) 555-0150"})

    assert is_reauthentication_answer(response), response.content
    assert not ContactPoint.objects.exists()
    assert not SimulatedSms.objects.exists()

    stale.reauthenticate()
    again = stale.post(CONTACTS, {"kind": "phone", "address": "(319) 555-0150"})

    assert again.status_code == 201, again.content
    assert SimulatedSms.objects.filter(to="+13195550150").count() == 1


def test_a_stale_sign_in_can_neither_make_primary_nor_remove(stale, maria):
    first = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="one@example.com", primary=True
    )
    second = add_verified_contact(
        user=maria.user, kind=ContactKind.EMAIL, address="two@example.com", primary=False
    )

    assert is_reauthentication_answer(stale.post(url(second, "primary")))
    assert is_reauthentication_answer(stale.delete(url(first)))

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_primary
    assert not second.is_primary
    assert not SecurityEvent.objects.filter(kind="email_changed").exists()


def test_codes_need_no_fresh_sign_in_as_on_the_web(stale, maria):
    contact = add_contact(user=maria.user, kind=ContactKind.PHONE, address="(319) 555-0154")

    assert stale.post(url(contact, "code")).status_code == 200
    response = stale.post(url(contact, "verify"), {"code": texted_code("+13195550154")})

    assert response.status_code == 200
    assert response.json()["state"] == "verified"


def test_a_browser_session_is_held_to_the_same_five_minutes(maria):
    browser = Client()
    browser.force_login(maria.user)

    response = browser.post(
        CONTACTS, {"kind": "email", "address": "m@example.org"}, content_type="application/json"
    )

    assert is_reauthentication_answer(response), response.content
    assert not ContactPoint.objects.exists()
    confirmed = browser.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert confirmed.status_code == 302
    again = browser.post(
        CONTACTS, {"kind": "email", "address": "m@example.org"}, content_type="application/json"
    )
    assert again.status_code == 201, again.content


# --- another person's contacts ----------------------------------------------------------------


def test_another_persons_contacts_answer_404_and_stay_as_they_were(app, maria):
    other = make_customer(username="other", name="Other Household")
    pending = add_contact(user=other.user, kind=ContactKind.PHONE, address="(319) 555-0160")
    verified = add_verified_contact(
        user=other.user, kind=ContactKind.EMAIL, address="other@example.net", primary=False
    )
    before = list(ContactPoint.objects.filter(user=other.user).order_by("pk").values())
    mail.outbox.clear()

    answers = [
        app.post(url(pending, "verify"), {"code": "123456"}),
        app.post(url(pending, "code")),
        app.post(url(verified, "primary")),
        app.delete(url(pending)),
        app.delete(url(verified)),
    ]

    assert [a.status_code for a in answers] == [404] * 5
    assert list(ContactPoint.objects.filter(user=other.user).order_by("pk").values()) == before
    assert not ContactVerification.objects.exists()
    assert not SimulatedSms.objects.exists()
    assert not mail.outbox
    assert not SecurityEvent.objects.filter(kind__in=["phone_changed", "email_changed"]).exists()
    listing = app.get(CONTACTS).content.decode()
    assert "555-0160" not in listing
    assert "other@example.net" not in listing


def test_another_persons_id_is_404_even_before_the_sign_in_is_confirmed(stale, maria):
    other = make_customer(username="other", name="Other Household")
    theirs = add_verified_contact(
        user=other.user, kind=ContactKind.EMAIL, address="other@example.net", primary=False
    )
    assert stale.post(url(theirs, "primary")).status_code == 404
    assert stale.delete(url(theirs)).status_code == 404
    assert ContactPoint.objects.filter(pk=theirs.pk, is_primary=False).exists()


def test_a_confirmation_older_than_five_minutes_is_stale_again(app, maria):
    phone = add_verified_contact(
        user=maria.user, kind=ContactKind.PHONE, address="+13195550142", primary=True
    )
    later = time.time() + 5 * 60 + 1
    with mock.patch(
        "allauth.account.internal.flows.reauthentication.time.time", return_value=later
    ):
        response = app.delete(url(phone))
    assert is_reauthentication_answer(response), response.content
    assert ContactPoint.objects.filter(pk=phone.pk).exists()
