"""allauth's pages that customers reach are in Dropline's layout and voice, in English
and Spanish: confirming it is you, the sign-in email addresses, changing the password,
verifying a new address, and the messages and errors they show."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from dropline.core.style import violations
from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LABEL_WITH_COLON = re.compile(r":\s*</label>")


def signed_in(client: Client, username: str = "maria") -> Client:
    make_user(username=username, first_name="Maria")
    response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def in_dropline_layout(html: str) -> bool:
    return 'class="site-header"' in html and 'class="site-footer"' in html


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_confirming_it_is_you_is_a_dropline_page_in_plain_words(client):
    html = signed_in(client).get(reverse("account_reauthenticate")).content.decode()
    assert in_dropline_layout(html)
    assert "<h1>Confirm it is you</h1>" in html
    assert "Your password" in html
    for stock in ("Confirm Access", "reauthenticate to", "Enter your password:", "Password:"):
        assert stock not in html
    assert not LABEL_WITH_COLON.search(html)
    assert "placeholder=" not in html
    assert violations(visible_text(html), "en") == []


def test_confirming_it_is_you_with_a_wrong_password_says_what_to_do(client):
    response = signed_in(client).post(
        reverse("account_reauthenticate"), {"password": "not-the-password"}
    )
    assert response.status_code == 200
    assert "That password is not right. Check it and try again." in response.content.decode()


def test_confirming_it_is_you_speaks_spanish_with_usted(client):
    signed_in(client)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    html = client.get(reverse("account_reauthenticate")).content.decode()
    assert "Confirme que es usted" in html
    assert "Su contraseña" in html
    assert violations(visible_text(html), "es") == []


def test_the_only_sign_in_address_offers_no_actions_on_itself(client):
    html = signed_in(client).get(reverse("account_email")).content.decode()
    assert in_dropline_layout(html)
    assert "<h1>Sign-in email addresses</h1>" in html
    assert "maria@example.com" in html
    assert "Primary" in html
    assert "Verified" in html
    assert 'type="radio"' not in html
    for action in ("action_primary", "action_send", "action_remove"):
        assert f'name="{action}"' not in html
    for stock in ("Email Addresses", "Make Primary", "Re-send Verification"):
        assert stock not in html
    assert 'name="action_add"' in html  # adding one is still offered
    assert "placeholder=" not in html


def test_a_second_address_can_be_made_primary_or_removed_and_the_first_cannot(client):
    signed_in(client)
    user = EmailAddress.objects.get(email="maria@example.com").user
    EmailAddress.objects.create(user=user, email="maria.work@example.com", verified=True)
    EmailAddress.objects.create(user=user, email="maria.new@example.com", verified=False)
    html = client.get(reverse("account_email")).content.decode()
    forms = re.findall(r"<form.*?</form>", html, flags=re.S)

    def actions_for(address: str) -> set[str]:
        found: set[str] = set()
        for form in forms:
            if f'name="email" value="{address}"' in form:
                found |= set(re.findall(r'name="(action_\w+)"', form))
        return found

    assert actions_for("maria@example.com") == set()
    assert actions_for("maria.work@example.com") == {"action_primary", "action_remove"}
    assert actions_for("maria.new@example.com") == {"action_send", "action_remove"}
    assert "Not verified yet" in html


def test_the_primary_address_cannot_be_removed_and_the_page_says_why(client, settings):
    settings.ACCOUNT_REAUTHENTICATION_REQUIRED = False
    signed_in(client)
    user = EmailAddress.objects.get(email="maria@example.com").user
    EmailAddress.objects.create(user=user, email="maria.work@example.com", verified=True)
    response = client.post(
        reverse("account_email"),
        {"action_remove": "", "email": "maria@example.com"},
        follow=True,
    )
    assert EmailAddress.objects.filter(email="maria@example.com").exists()
    assert "Make another address primary" in response.content.decode()


def test_changing_the_password_has_no_placeholders_or_colons(client):
    html = signed_in(client).get(reverse("account_change_password")).content.decode()
    assert in_dropline_layout(html)
    assert "placeholder=" not in html
    assert "Current Password" not in html
    assert not LABEL_WITH_COLON.search(html)


def test_a_new_address_is_verified_with_a_code_on_a_dropline_page(client, settings):
    settings.ACCOUNT_REAUTHENTICATION_REQUIRED = False
    signed_in(client)
    added = client.post(
        reverse("account_email"), {"action_add": "", "email": "maria.work@example.com"}
    )
    assert added.status_code == 302
    message = next(m for m in mail.outbox if "maria.work@example.com" in m.to)
    assert message.subject == f"Verify your email address for {settings.DROPLINE_PROVIDER_NAME}"
    assert "maria" in str(message.body)
    assert violations(str(message.body), "en") == []

    html = client.get(added["Location"]).content.decode()
    assert in_dropline_layout(html)
    assert "<h1>Verify your email address</h1>" in html
    assert 'name="code"' in html
    assert "placeholder=" not in html
    assert "Enter Email Verification Code" not in html
    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{2,4})\s*$", str(message.body), re.M)
    assert code is not None
    client.post(added["Location"], {"code": code.group(1)})
    assert EmailAddress.objects.get(email="maria.work@example.com").verified


def test_signing_out_says_so_in_dropline_words(client):
    signed_in(client)
    page = client.post(reverse("account_logout"), follow=True).content.decode()
    assert "You have signed out." in page


def test_a_wrong_sign_in_names_what_to_check_in_both_languages(client):
    make_user(username="maria")
    wrong = {"login": "maria", "password": "not-the-password"}
    english = client.post(reverse("account_login"), wrong).content.decode()
    assert "That username and password do not match. Check them and try again." in english
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = client.post(reverse("account_login"), wrong).content.decode()
    assert "El nombre de usuario y la contraseña no coinciden." in spanish


def test_allauth_pages_left_in_stock_still_print_labels_without_colons(client):
    """The sign-up page is closed; any stock page that lists a form's fields prints them
    through Dropline's field (allauth/elements/fields.html)."""
    html = client.get(reverse("account_signup")).content.decode()
    assert in_dropline_layout(html)
    assert "Sign Up Closed" not in html
    assert not LABEL_WITH_COLON.search(html)
