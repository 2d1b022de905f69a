"""The back-office wears its own layout: its own header (the provider, "Back-office",
who is signed in, sign out), its own footer, and only the sections each staff
member's role opens."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dropline.accounts import roles
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


def _nav(html: str) -> list[str]:
    found = re.search(r'<nav class="staff-nav"[^>]*>(.*?)</nav>', html, re.S)
    assert found is not None, "the back-office navigation is missing"
    return re.findall(r"<a [^>]*>([^<]+)</a>", found.group(1))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            roles.CUSTOMER_CARE,
            [
                "Customers",
                "Message log",
                "Text inbox",
                "Announcements",
                "Outages",
                "Message templates",
                "Invoices",
                "Payments",
                "Disputes",
                "Security events",
                "Usage",
                "Equipment",
                "Technician visits",
                "Tickets",
                "Help articles",
            ],
        ),
        (
            roles.BILLING,
            [
                "Customers",
                "Message log",
                "Invoices",
                "Payments",
                "Bill runs",
                "Tax table",
                "Collections",
                "Disputes",
                "Gateway events",
                "Usage",
                "Equipment",
                "Tickets",
            ],
        ),
        (
            roles.FIELD_DISPATCH,
            [
                "Customers",
                "Announcements",
                "Outages",
                "Message templates",
                "Equipment",
                "Technician visits",
                "Tickets",
                "Records",
            ],
        ),
        (
            roles.ADMINISTRATOR,
            [
                "Customers",
                "Message log",
                "Text inbox",
                "Announcements",
                "Outages",
                "Message templates",
                "Invoices",
                "Payments",
                "Bill runs",
                "Tax table",
                "Collections",
                "Catalog prices",
                "Disputes",
                "Gateway events",
                "Security events",
                "Catalog",
                "Usage",
                "Equipment",
                "Technician visits",
                "My visits",
                "Tickets",
                "Help articles",
                "Records",
            ],
        ),
        (roles.TECHNICIAN, ["My visits"]),
    ],
)
def test_the_navigation_shows_only_the_sections_the_role_opens(client, role, expected):
    client.force_login(make_staff(username="navtester", role=role))
    # A technician's home is their visits.
    html = client.get(reverse("backoffice:home"), follow=True).content.decode()
    assert _nav(html) == expected


def test_every_section_in_the_navigation_opens_for_the_staff_member(client):
    for role in (roles.CUSTOMER_CARE, roles.BILLING, roles.FIELD_DISPATCH, roles.TECHNICIAN):
        user = make_staff(username=f"opener-{role[:4].lower()}", role=role)
        client.force_login(user)
        html = client.get(reverse("backoffice:home"), follow=True).content.decode()
        links = re.findall(
            r'<a href="([^"]+)"',
            re.search(r'<nav class="staff-nav"[^>]*>(.*?)</nav>', html, re.S).group(1),  # type: ignore[union-attr]
        )
        for link in links:
            assert client.get(link).status_code == 200, (role, link)


def test_the_header_and_footer_are_the_back_offices_not_the_portals(client, settings):
    settings.DROPLINE_PROVIDER_NAME = "Riverbend Broadband"
    user = make_staff(
        username="casey", role=roles.CUSTOMER_CARE, first_name="Casey", last_name="Care"
    )
    client.force_login(user)
    html = client.get(reverse("backoffice:home")).content.decode()
    header = re.search(r"<header.*?</header>", html, re.S).group(0)  # type: ignore[union-attr]
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)  # type: ignore[union-attr]
    assert "Riverbend Broadband" in header
    assert "Back-office" in header
    assert "Signed in as Casey Care" in header
    assert "Sign out" in header
    assert 'class="skip-link" href="#main"' in html
    assert "Customer portal" not in html
    assert "Back-office" in footer
    assert f'href="{reverse("portal:overview")}"' not in html


def test_the_staff_sign_in_page_wears_the_back_office_layout(client):
    html = client.get(reverse("backoffice:login")).content.decode()
    assert 'data-layout="backoffice"' in html
    assert "Back-office sign-in" in html
    assert 'name="login"' in html
    assert 'name="password"' in html
    assert "Customer portal" not in html
    assert reverse("accounts_portal:claim") not in html  # no customer set-up link for staff


def test_the_layout_is_in_spanish_for_spanish_staff(client):
    client.force_login(make_staff(username="lupe", role=roles.CUSTOMER_CARE))
    client.cookies["django_language"] = "es"
    html = client.get(reverse("backoffice:home")).content.decode()
    assert '<html lang="es">' in html
    assert "Cerrar sesión" in html
    assert "Clientes recientes" in html
    assert "Recent customers" not in html
