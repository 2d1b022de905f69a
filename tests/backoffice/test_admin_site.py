"""The records admin wears the back-office's brand: the provider's name in its header and
title, "View site" back to the back-office's home, and one heading per app."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.apps import apps
from django.test import Client
from django.urls import resolve, reverse

from tests.support.factories import PASSWORD, STAFF_TOTP_SECRET, make_user
from tests.support.totp import code_with_time_to_spare

pytestmark = pytest.mark.django_db

APP_HEADING = re.compile(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def staff_client(settings) -> Client:
    """Staff signed in with a password and their second factor."""
    settings.DROPLINE_PROVIDER_NAME = "Riverbend Broadband"
    client = Client()
    user = make_user(username="brandadmin", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("backoffice:login"), {"login": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("mfa_authenticate"), {"code": code_with_time_to_spare(STAFF_TOTP_SECRET)}
    )
    assert response.status_code == 302
    client.post(reverse("mfa_trust"), {"action": "skip"})
    return client


def test_the_admin_index_carries_the_providers_back_office_brand(staff_client):
    html = unescape(staff_client.get(reverse("admin:index")).content.decode())
    assert "<title>Back-office records | Riverbend Broadband back-office</title>" in html
    assert "Riverbend Broadband back-office</a>" in html
    assert "Dropline" not in html


def test_the_brand_is_in_spanish_too(staff_client):
    staff_client.cookies["django_language"] = "es"
    html = unescape(staff_client.get(reverse("admin:index")).content.decode())
    assert "Administración de Riverbend Broadband" in html
    assert "Registros de la administración" in html


def test_staff_change_their_password_on_the_password_page_everyone_uses(staff_client):
    response = staff_client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


def test_the_header_says_sign_out_not_log_out(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert ">Sign out</button>" in html
    assert "Log out" not in html


def test_view_site_leads_to_the_back_office_home(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    link = re.search(r'<a href="([^"]*)">Back-office</a>', html)
    assert link is not None
    assert link.group(1) == "/backoffice/"
    assert resolve(link.group(1)).namespace == "backoffice"


def test_no_two_apps_share_a_heading_in_the_admin_index(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    headings = [unescape(h).strip() for h in APP_HEADING.findall(html)]
    assert len(headings) >= 5
    assert len(headings) == len({h.casefold() for h in headings}), headings
    assert "Logins and staff" in headings
    assert "Sign-in email addresses" in headings


def test_no_two_installed_apps_share_a_name():
    names = [str(config.verbose_name).casefold() for config in apps.get_app_configs()]
    assert len(names) == len(set(names))


def test_the_admin_brand_leads_back_to_the_back_office_home(staff_client):
    html = unescape(staff_client.get(reverse("admin:index")).content.decode())
    brand = re.search(r'<div id="site-name"><a href="([^"]*)">([^<]*)</a>', html)
    assert brand is not None
    assert brand.group(1) == reverse("backoffice:home")
    assert brand.group(2) == "Riverbend Broadband back-office"
    # the back-office's navigation names the admin by the same word as the admin's index
    home = staff_client.get(reverse("backoffice:home")).content.decode()
    assert f'<a href="{reverse("admin:index")}">Records</a>' in home
