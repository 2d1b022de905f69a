"""A customer signs in, reads the account overview, changes language and signs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import DEMO_CUSTOMER, LOGIN_PATH, DemoSite, sign_in

pytestmark = pytest.mark.browser


# Plan, the price shown on its card, an add-on line. A year in, the internet's first-year
# price has ended, TV Silver costs more and has the Latino Pack added since.
SERVICES = [
    ("Internet Ultra 500", "$69.99", "Whole-home Wi-Fi"),
    ("TV Silver", "$89.99", "Latino Pack"),
    ("Mobile Unlimited", "$29.99", None),
    ("Mobile By the Gig", "$0.00", "International calling"),
]


def on_sign_in_page(page: Page, site: DemoSite) -> None:
    expect(page).to_have_url(re.compile(re.escape(site.at(LOGIN_PATH))))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your account")
    expect(page.get_by_label("Username or email")).to_be_visible()


def test_customer_signs_in_and_sees_the_overview(page: Page, demo_site: DemoSite) -> None:
    page.goto(demo_site.at("/"))
    on_sign_in_page(page, demo_site)

    sign_in(page, page.url, *DEMO_CUSTOMER)

    expect(page).to_have_url(demo_site.at("/"))
    expect(page).to_have_title(re.compile(r"^Account overview"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maria")
    main = page.get_by_role("main")
    facts = main.locator("dl.facts")
    number = re.escape(demo_site.display_number)
    expect(facts).to_contain_text(re.compile(rf"Account number\s*{number}"))
    assert re.fullmatch(r"\d{4}( \d{4})+", demo_site.display_number)
    expect(facts).to_contain_text("418 Willow Bend Road")
    expect(main).to_contain_text(re.compile(r"Monthly service charges\s*\$268\.43"))

    services = main.get_by_role("region", name="Your services")
    for plan, price, add_on in SERVICES:
        card = services.get_by_role("listitem").filter(
            has=page.get_by_role("heading", name=plan, exact=True)
        )
        expect(card).to_have_count(1)
        expect(card).to_contain_text(f"{price} a month")
        if add_on:
            expect(card).to_contain_text(add_on)
    expect(services).not_to_contain_text("promotional price")  # it ended

    devices = main.get_by_role("table", name="Devices on this account")
    gateway = devices.get_by_role("row").filter(has_text="DRG54A7710392")
    expect(gateway).to_contain_text("Arris SURFboard G54")
    expect(gateway).to_contain_text("$15.00")


def test_wrong_password_shows_an_error_and_stays_on_sign_in(
    page: Page, demo_site: DemoSite
) -> None:
    username, password = DEMO_CUSTOMER
    sign_in(page, demo_site.at(LOGIN_PATH), username, password + "-wrong")

    on_sign_in_page(page, demo_site)
    error = page.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).to_contain_text("do not match")
    expect(page.get_by_label("Username or email")).to_have_value(username)
    expect(page.get_by_label("Username or email")).to_have_attribute(
        "aria-describedby", "login-error"
    )
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_language_switch_to_spanish_and_back(customer_page: Page) -> None:
    page = customer_page
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")

    page.get_by_role("banner").get_by_role("button", name="Español").click()
    expect(html).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("banner").get_by_role("button", name="English")).to_be_visible()
    expect(page.get_by_role("heading", name="TV Plata", exact=True)).to_be_visible()
    # Interface text comes from the compiled catalogue (`python -m dropline.i18n`).
    expect(page.get_by_role("heading", level=1)).to_have_text("Hola, Maria")
    page.reload()
    expect(html).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="TV Plata", exact=True)).to_be_visible()

    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maria")
    expect(page.get_by_role("heading", name="TV Silver", exact=True)).to_be_visible()


def test_sign_out_from_the_header(customer_page: Page, demo_site: DemoSite) -> None:
    page = customer_page
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    on_sign_in_page(page, demo_site)
    expect(page.get_by_role("status")).to_contain_text("You have signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto(demo_site.at("/"))
    on_sign_in_page(page, demo_site)
