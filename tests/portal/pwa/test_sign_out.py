"""Signing out tells the browser to drop what it kept of the site: its HTTP cache and its
storage (the service worker's kept pages with it), never its cookies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from dropline.core import clock
from tests.support.factories import PASSWORD, make_customer

pytestmark = pytest.mark.django_db

CLEAR = '"cache", "storage"'


def signed_in(username: str = "ines") -> Client:
    make_customer(username=username)
    client = Client()
    response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_signing_out_clears_the_sites_cache_and_storage():
    client = signed_in()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEAR
    assert SESSION_KEY not in client.session
    # Nothing kept is asked for again on the next page.
    assert "Clear-Site-Data" not in client.get(response["Location"], follow=True)


def test_cookies_stay_the_language_and_a_trusted_browser_are_not_the_session():
    client = signed_in()
    assert "cookies" not in client.post(reverse("account_logout"))["Clear-Site-Data"]


def test_pages_and_failed_sign_outs_clear_nothing(client):
    # A visitor who is not signed in, signing out.
    assert "Clear-Site-Data" not in client.post(reverse("account_logout"))
    signed = signed_in()
    for path in ["/", "/billing/", reverse("account_logout")]:  # the sign-out question page
        response = signed.get(path)
        assert response.status_code == 200, path
        assert "Clear-Site-Data" not in response, path
    assert SESSION_KEY in signed.session


def test_signing_in_clears_nothing(client):
    make_customer(username="ines")
    response = client.post(reverse("account_login"), {"login": "ines", "password": PASSWORD})
    assert response.status_code == 302
    assert "Clear-Site-Data" not in response


def test_a_session_ended_by_its_24_hours_clears_them_too():
    client = signed_in()
    with clock.frozen(clock.now() + dt.timedelta(hours=24, minutes=1)):
        response = client.get("/")
    assert response.status_code == 302  # to sign in
    assert response["Clear-Site-Data"] == CLEAR
