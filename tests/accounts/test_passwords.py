"""The password policy as a customer meets it, and Argon2id upgrades at sign-in.

The policy (NIST SP 800-63B, OWASP ASVS 5.0 V6.2) is checked through the project's own
``AUTH_PASSWORD_VALIDATORS``, and where it matters through the real pages.
"""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    make_password,
)
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.test import Client

from dropline.accounts.models import User
from dropline.accounts.passwords import MaximumLengthValidator
from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CHANGE = "/accounts/password/change/"
PORTAL = "/"


def refusal(password: str, user: User | None = None) -> list[str]:
    """The messages a person would see for ``password``; empty when it is accepted."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def person(**extra: object) -> User:
    return User(username="maria.rivera", email="mrivera@example.com", **extra)


# --- length ------------------------------------------------------------------------------


def test_twelve_characters_are_enough_and_eleven_are_not():
    assert refusal("violet-kite9") == []
    assert refusal("violet-kite") == [
        "This password is too short. It must contain at least 12 characters."
    ]


@pytest.mark.parametrize("length", [64, 100, 128])
def test_long_passwords_up_to_128_characters_are_allowed(length):
    password = ("amber lantern drifting over quiet harbor water " * 3)[:length]
    assert len(password) == length
    assert refusal(password, person()) == []


def test_a_password_over_128_characters_is_refused_with_a_clear_message():
    password = "amber lantern drifting over quiet harbor water " * 3  # 141 characters
    assert refusal(password) == ["This password is too long. Use at most 128 characters."]
    assert refusal(password[:129]) == ["This password is too long. Use at most 128 characters."]


def test_the_maximum_cannot_be_set_below_64():
    with pytest.raises(ValueError, match="at least 64"):
        MaximumLengthValidator(max_length=63)


def test_characters_are_counted_not_bytes():
    # 12 emoji are 48 bytes in UTF-8 but 12 characters: long enough, not too long.
    assert refusal("🦊🌲🏔🌊🚲🎻🍋🧭🛶🌙🪁🐢") == []
    assert refusal("ñandú cóndor águila") == []


# --- no composition rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "plain lowercase words here",  # no capitals, digits or symbols
        "ALLCAPSWORDSONLYHERE",
        "84736251908274",  # only digits, not a common sequence
        "   spaces count too   ",
    ],
)
def test_any_composition_is_accepted(password):
    assert refusal(password, person()) == []


# --- common, similar, context-specific -----------------------------------------------------


@pytest.mark.parametrize("password", ["qwerty123456", "1q2w3e4r5t6y", "123456123456"])
def test_common_passwords_are_refused_even_when_long_enough(password):
    assert refusal(password) == ["This password is too common."]


def test_a_password_like_the_username_is_refused():
    user = User(username="gonzalezfamily", email="someone@example.net")
    assert "The password is too similar to the username." in refusal("gonzalezfamily1", user)


def test_a_password_like_the_email_address_is_refused():
    user = User(username="customer0042", email="gonzalez.maria@example.net")
    similar = "The password is too similar to the email address."
    assert similar in refusal("gonzalez.maria@example", user)
    # ... and so is a part of the address on its own, or the address's words and a digit.
    assert similar in refusal("gonzalez1984", user)
    assert refusal("gonzalez.maria1", user)


def test_the_similarity_check_looks_at_username_and_email():
    validators = cast(list[dict[str, Any]], django_settings.AUTH_PASSWORD_VALIDATORS)
    (similarity,) = [
        validator
        for validator in validators
        if validator["NAME"].endswith("UserAttributeSimilarityValidator")
    ]
    assert {"username", "email"} <= set(similarity["OPTIONS"]["user_attributes"])


def test_a_password_made_of_the_username_and_a_number_is_refused():
    # Too different from "maria.rivera" for the similarity check alone (ratio 0.69),
    # but it is only the username's words, a year and a state.
    user = person()
    assert refusal("rivera-1985-maria-ia", user) == [
        "This password is mostly words anyone could guess, such as your username or our "
        "name. Add some words of your own."
    ]


def test_the_providers_name_does_not_make_a_password(settings):
    settings.DROPLINE_PROVIDER_NAME = "Riverbend Broadband"
    assert refusal("Riverbend-Broadband-2025")
    assert refusal("RIVERBÉND2025!!")  # case and accents do not hide it
    assert refusal("dropline-password-1")  # the product's name
    # The name inside a longer passphrase is fine: the rest carries the strength.
    assert refusal("riverbend trout fishing season") == []


def test_operators_can_add_their_own_context_words(settings):
    settings.DROPLINE_PASSWORD_CONTEXT_WORDS = ["Cedar Falls"]
    assert refusal("cedarfalls2025!")
    assert refusal("cedar-falls-home")


def test_every_rule_has_help_text():
    texts = password_validators_help_texts()
    assert all(text.strip() for text in texts)
    assert "Your password can be up to 128 characters long." in texts


# --- through the real pages -------------------------------------------------------------------


def test_a_password_is_used_exactly_as_typed(client):
    user = make_user(username="spaces", password="  leading and trailing  ")
    assert (
        client.post(LOGIN, {"login": "spaces", "password": "leading and trailing"}).status_code
        == 200
    )
    assert not client.session.get("_auth_user_id")
    response = client.post(LOGIN, {"login": "spaces", "password": "  leading and trailing  "})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_changing_the_password_follows_the_policy_and_ends_other_sessions(client):
    user = make_user(username="changer")
    other = Client()
    for browser in (client, other):
        assert browser.post(LOGIN, {"login": "changer", "password": PASSWORD}).status_code == 302

    page = client.get(CHANGE)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Change your password</h1>" in text
    assert '<label for="id_oldpassword">Current password</label>' in text
    assert 'autocomplete="new-password"' in text

    refused = client.post(
        CHANGE,
        {"oldpassword": PASSWORD, "password1": "changer2025!!", "password2": "changer2025!!"},
    )
    assert refused.status_code == 200
    assert "too similar to the username" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    new = "maple syrup on a snowy porch"
    changed = client.post(CHANGE, {"oldpassword": PASSWORD, "password1": new, "password2": new})

    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(PORTAL).status_code == 200  # this browser stays signed in
    ended = other.get(PORTAL)
    assert ended.status_code == 302  # the other one is signed out
    assert ended["Location"].startswith(LOGIN)


# --- Argon2id upgrade at sign-in ---------------------------------------------------------------

OWASP_PARAMETERS = re.compile(r"^argon2\$argon2id\$v=19\$m=19456,t=2,p=1\$")


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"login": username, "password": password})


@pytest.mark.parametrize(
    "old_hasher",
    [Argon2PasswordHasher, PBKDF2PasswordHasher],
    ids=["django-default-argon2", "pbkdf2"],
)
def test_an_old_hash_is_replaced_with_argon2id_at_the_next_sign_in(client, old_hasher):
    password = "harbor-lantern-quiet-7"
    user = make_user(username="longtime")
    old_hash = old_hasher().encode(password, old_hasher().salt())
    User.objects.filter(pk=user.pk).update(password=old_hash)
    assert not OWASP_PARAMETERS.match(old_hash)

    response = sign_in(client, "longtime", password)

    assert response.status_code == 302
    user.refresh_from_db()
    assert OWASP_PARAMETERS.match(user.password), user.password
    assert user.check_password(password)
    # The person stays signed in: the session was made with the new hash.
    assert client.get(PORTAL).status_code == 200


def test_django_default_argon2_hashes_use_heavier_parameters():
    # What the upgrade replaces: 100 MiB and 8 lanes, about 200 ms a sign-in on 2 cores.
    encoded = make_password("harbor-lantern-quiet-7", hasher=Argon2PasswordHasher())
    assert "m=102400" in encoded
    assert "p=8" in encoded


def test_a_wrong_password_does_not_touch_the_old_hash(client):
    user = make_user(username="longtime")
    old_hash = PBKDF2PasswordHasher().encode("harbor-lantern-quiet-7", "fixedsalt123")
    User.objects.filter(pk=user.pk).update(password=old_hash)

    response = sign_in(client, "longtime", "not-the-password-at-all")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old_hash


def test_a_current_hash_is_not_rewritten(client):
    user = make_user(username="current")
    before = user.password
    assert OWASP_PARAMETERS.match(before)

    assert sign_in(client, "current", "correct-horse-battery-staple").status_code == 302

    user.refresh_from_db()
    assert user.password == before
