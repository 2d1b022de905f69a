"""The message after signing in greets the person by name, not by username."""

import pytest
from django.urls import reverse

from tests.support.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client, username: str):
    return client.post(
        reverse("account_login"), {"login": username, "password": PASSWORD}, follow=True
    )


def test_the_greeting_uses_the_first_name(client):
    make_user(username="demo", first_name="Dana", last_name="Rivera")
    page = sign_in(client, "demo").content.decode()
    assert "Hello, Dana. You are signed in." in page
    assert "Successfully signed in" not in page
    assert "signed in as demo" not in page


def test_the_greeting_falls_back_to_the_full_name_then_the_username(client):
    make_user(username="rivera", last_name="Rivera")
    assert "Hello, Rivera. You are signed in." in sign_in(client, "rivera").content.decode()
    client.logout()
    make_user(username="nameless")
    assert "Hello, nameless. You are signed in." in sign_in(client, "nameless").content.decode()


def test_the_greeting_speaks_spanish(client):
    make_user(username="demo", first_name="Dana")
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Hola, Dana. Ha iniciado sesión." in sign_in(client, "demo").content.decode()
