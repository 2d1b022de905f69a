"""Helpers and demo logins shared by the browser tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response, ViewportSize

# Debian's Chromium (never a downloaded browser), and how every test starts it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MOBILE: ViewportSize = {"width": 390, "height": 844}  # a current phone, in CSS pixels

DEMO_CUSTOMER = ("demo", "dropline-demo")
DEMO_ADMIN = ("admin", "dropline-admin")
DEMO_CARE = ("care", "dropline-care-demo")

LOGIN_PATH = "/accounts/login/"
STAFF_LOGIN_PATH = "/backoffice/login/"

#: How long a browser step may wait, in milliseconds.
TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class DemoSite:
    """The live server's address and the demo household's account number."""

    url: str
    account_number: str
    display_number: str

    def at(self, path: str) -> str:
        return self.url + path


def sign_in(page: Page, url: str, username: str, password: str) -> Response | None:
    """Sign in as a person would: open ``url`` (which shows the sign-in form),
    type into the form and press Enter. Returns the response to the submission
    (after redirects)."""
    page.goto(url)
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation() as navigation:
        page.locator("#id_password").press("Enter")
    return navigation.value


def sign_in_staff(page: Page, url: str, username: str, password: str) -> Response | None:
    """Password, then the authenticator code (the back-office needs a second factor),
    then "don't trust this browser"."""
    from dropline.seeding.demo.staff import demo_totp_secret
    from tests.support.totp import code_with_time_to_spare

    sign_in(page, url, username, password)
    page.locator("#id_code").fill(code_with_time_to_spare(demo_totp_secret(username)))
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Don't Trust").click()
    return navigation.value


def axe_violations(page: Page) -> tuple[list[str], str]:
    """Run axe-core on the page: the ids of the rules it breaks, and the report."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    rules = sorted(violation["id"] for violation in results.response["violations"])
    return rules, results.generate_report()


def opened(page: Page, url: str) -> None:
    """Go to ``url``; fail with the status if it (or where it redirects) is not a page."""
    response = page.goto(url)
    assert response is not None
    assert response.ok, f"GET {url} answered HTTP {response.status} at {page.url}"


def confirm_password_if_asked(page: Page, password: str) -> None:
    """allauth asks for the password again before security changes unless the person
    signed in within the last few minutes."""
    if "/reauthenticate/" not in page.url:
        return
    # allauth's own page leaves the field unlabelled (a placeholder); ours labels it.
    field = (
        page.get_by_label(re.compile(r"^password$", re.IGNORECASE))
        .or_(page.locator("input[name=password]"))
        .first
    )
    field.fill(password)
    with page.expect_navigation() as navigation:
        field.press("Enter")
    response = navigation.value
    assert response is not None
    assert response.ok, f"after the password, HTTP {response.status} at {page.url}"
