"""The provider's contact details: configured once from the environment, shown in the
footer of every portal page (signed in or not), on the pages that say "contact us" and
in security alerts; with nothing configured, nothing is shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dropline.accounts.models import User
from dropline.config import ConfigError, env_http_url, env_phone
from dropline.core import clock
from dropline.notifications.rendering import render
from tests.support.factories import make_customer, make_user

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"
HOURS = f"Mon{DASH}Sat 8 am{DASH}8 pm Central"
HOURS_ES = f"lun.{DASH}sáb., 8 a. m.{DASH}8 p. m., hora del Centro"
RIVERBEND = {
    "DROPLINE_SUPPORT_PHONE": "+13195550100",
    "DROPLINE_SUPPORT_HOURS": HOURS,
    "DROPLINE_SUPPORT_HOURS_ES": HOURS_ES,
    "DROPLINE_SUPPORT_ADDRESS": "410 River Street, Riverbend, IA 52240",
    "DROPLINE_HELP_URL": "https://help.example.net/chat",
}
NOTHING = dict.fromkeys(RIVERBEND, "")


@pytest.fixture
def riverbend(settings):
    for name, value in RIVERBEND.items():
        setattr(settings, name, value)


@pytest.fixture
def unconfigured(settings):
    for name, value in NOTHING.items():
        setattr(settings, name, value)


def footer(html: str) -> str:
    start = html.index('<footer class="site-footer">')
    return html[start : html.index("</footer>", start)]


def assert_shows_riverbend(html: str) -> None:
    assert "(319) 555-0100" in html
    assert 'href="tel:+13195550100"' in html
    assert HOURS in html
    assert "410 River Street, Riverbend, IA 52240" in html
    assert 'href="https://help.example.net/chat"' in html
    assert "+13195550100<" not in html  # never the raw E.164 as text


def customer_client() -> Client:
    client = Client()
    client.force_login(make_customer(username="footer").user)
    return client


def test_a_signed_in_portal_page_has_the_details_in_its_footer(riverbend):
    response = customer_client().get(reverse("portal:overview"))
    assert response.status_code == 200
    assert_shows_riverbend(footer(response.content.decode()))
    assert "Call us" in footer(response.content.decode())


def test_a_signed_out_page_has_the_details_in_its_footer(riverbend, client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert_shows_riverbend(footer(response.content.decode()))


def test_the_footer_is_in_spanish_with_the_spanish_hours(riverbend, client):
    client.cookies["django_language"] = "es"
    html = footer(client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Llámenos" in html
    assert HOURS_ES in html
    assert HOURS not in html


def test_with_nothing_configured_the_footer_shows_no_empty_labels(unconfigured, client):
    for response in (
        client.get(reverse("account_login")),
        customer_client().get(reverse("portal:overview")),
    ):
        html = footer(response.content.decode())
        assert "Call us" not in html
        assert "Help and chat" not in html
        assert "<address" not in html
        assert 'href="tel:' not in html


def test_with_only_a_phone_only_the_phone_is_shown(unconfigured, settings, client):
    settings.DROPLINE_SUPPORT_PHONE = "+13195550100"
    html = footer(client.get(reverse("account_login")).content.decode())
    assert "Call us" in html
    assert "(319) 555-0100" in html
    assert "Help and chat" not in html


def test_the_security_activity_page_that_says_contact_us_shows_how(riverbend):
    html = customer_client().get("/security/activity/").content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert "contact us" in main
    assert_shows_riverbend(main)


def test_the_page_for_a_login_without_an_account_shows_how_to_reach_customer_care(riverbend):
    client = Client()
    client.force_login(make_user(username="orphan"))
    response = client.get(reverse("portal:overview"), follow=True)
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert "customer care" in main
    assert_shows_riverbend(main)


def security_alert(language: str) -> tuple[str, str]:
    user = User.objects.filter(username="alerted").first() or make_user(username="alerted")
    rendered = render(
        event="security.new_device",
        language=language,
        context={
            "event": None,
            "at": clock.now() - dt.timedelta(minutes=1),
            "ip": "203.0.113.9",
            "provider_name": "Riverbend Broadband",
            "reset_url": "https://portal.example.net/reset/",
            "activity_url": "",
            "user": user,
        },
    )
    return rendered.email_text, rendered.email_html


def test_security_alerts_that_say_contact_us_give_the_number_and_hours(riverbend):
    text, html = security_alert("en")
    assert f"Call us at (319) 555-0100 ({HOURS})." in text
    assert "Help and chat: https://help.example.net/chat" in text
    assert 'href="tel:+13195550100"' in html
    text, _html = security_alert("es")
    assert f"Llámenos al (319) 555-0100 ({HOURS_ES})." in text


def test_security_alerts_without_details_have_no_empty_line_about_them(unconfigured):
    text, html = security_alert("en")
    assert "Call us" not in text
    assert "Call us" not in html
    assert "\n\n\n" not in text


def test_the_phone_is_read_as_e164_and_checked(monkeypatch):
    monkeypatch.setenv("DROPLINE_SUPPORT_PHONE", "(319) 555-0100")
    assert env_phone("DROPLINE_SUPPORT_PHONE") == "+13195550100"
    monkeypatch.setenv("DROPLINE_SUPPORT_PHONE", "")
    assert env_phone("DROPLINE_SUPPORT_PHONE") == ""
    monkeypatch.setenv("DROPLINE_SUPPORT_PHONE", "call me")
    with pytest.raises(ConfigError, match="DROPLINE_SUPPORT_PHONE"):
        env_phone("DROPLINE_SUPPORT_PHONE")


def test_the_help_address_must_be_a_web_address(monkeypatch):
    monkeypatch.setenv("DROPLINE_HELP_URL", "https://help.example.net/")
    assert env_http_url("DROPLINE_HELP_URL") == "https://help.example.net/"
    monkeypatch.setenv("DROPLINE_HELP_URL", "javascript:alert(1)")
    with pytest.raises(ConfigError, match="DROPLINE_HELP_URL"):
        env_http_url("DROPLINE_HELP_URL")
