"""The API reference pages work offline: the JSON API's (``/api/v1/docs``) and allauth's
sign-in API's (``/_allauth/openapi.html``) render their operations in Chromium from this
server alone, under the site's Content-Security-Policy, with nothing asked of another host
and nothing refused by the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.e2e.support import TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


class Offline:
    """A page whose requests to any other host are refused and noted, and whose
    console errors (a refused script or style among them) are noted too."""

    def __init__(self, context: BrowserContext, site: str) -> None:
        self.site = urlsplit(site).netloc
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _route(self, route: Route) -> None:
        if urlsplit(route.request.url).netloc == self.site:
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()


@pytest.fixture
def offline(context: BrowserContext, transactional_db: None, live_server: LiveServer) -> Offline:
    return Offline(context, live_server.url)


def test_the_api_reference_renders_from_this_server_alone(offline, live_server):
    from playwright.sync_api import expect

    page: Page = offline.page
    page.goto(live_server.url + "/api/v1/docs")

    expect(page.get_by_role("heading", name="Dropline API")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("The notification center")).to_be_visible()
    expect(page.get_by_text("/api/v1/payments/{confirmation_number}")).to_be_visible()
    expect(page.get_by_role("button", name="Authorize", exact=True)).to_be_visible()
    assert page.get_by_role("link", name="their reference").get_attribute("href") == (
        "/_allauth/openapi.html"
    )
    assert offline.elsewhere == []
    assert offline.errors == []


def test_allauths_sign_in_reference_renders_from_this_server_alone(offline, live_server):
    from playwright.sync_api import expect

    page: Page = offline.page
    page.goto(live_server.url + "/_allauth/openapi.html")

    heading = page.get_by_role("heading", name="django-allauth: Headless API")
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".opblock").first).to_be_visible()
    assert offline.elsewhere == []
    assert offline.errors == []
