"""Browser tests: Debian's Chromium driven by Playwright against ``live_server``.

One Chromium runs for the whole session; every test gets a fresh context (no
cookies, no storage) and a page in it. The demo provider is loaded into the
test database for each test, through ``transactional_db`` because the live
server answers from another thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_ADMIN,
    DEMO_CARE,
    DEMO_CUSTOMER,
    DESKTOP,
    TIMEOUT_MS,
    DemoSite,
    sign_in,
)
from tests.support.services import need

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page
    from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an event loop running in the main thread, and
# Django refuses database access from a thread with a running loop unless told.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, started once for the session (never a downloaded browser)."""
    need(os.path.exists(CHROMIUM), "Debian's Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        # The installable portal's service worker fetches pages and checks for its
        # updates beside the page's own requests; on SQLite the live server answers
        # every thread on one connection, so two requests at once can collide. Only
        # the tests of the worker itself (which ask for it) run it.
        open_context = chromium.new_context

        def new_context(**options: Any) -> BrowserContext:
            options.setdefault("service_workers", "block")
            return open_context(**options)

        chromium.new_context = new_context  # type: ignore[method-assign]
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A clean browser profile for one test, at a desktop size, in English."""
    ctx = browser.new_context(viewport=DESKTOP, locale="en-US")
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def reset_sign_in_limits(site_url: str) -> None:
    """Forget the sign-in attempts counted for the browser (127.0.0.1) and for
    the demo logins on this site, as if the rate-limit windows had passed."""
    from allauth.core import ratelimit
    from django.test import RequestFactory

    from dropline.accounts import sign_in_throttle

    host = urlsplit(site_url).netloc
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_HOST=host)
    ratelimit.clear(request, action="login")
    for username, _password in (DEMO_CUSTOMER, DEMO_ADMIN, DEMO_CARE):
        # Failures count per IP, per "<site domain>:<login>@<IP>" and per account
        # (dropline.accounts.sign_in_throttle).
        ratelimit.clear(request, action="login_failed", key=f"{host}:{username}@127.0.0.1")
        sign_in_throttle.clear_account_attempts(request, username)


@pytest.fixture
def demo_site(
    transactional_db: None, live_server: LiveServer, request: pytest.FixtureRequest
) -> DemoSite:
    """The demo provider in the test database, served by ``live_server``: copied back
    from this process's first load (tests/support/demo_snapshot.py) unless the test is
    marked ``real_demo``."""
    from django.apps import apps
    from django.core.cache import cache

    from dropline.accounts.roles import sync_roles
    from dropline.seeding.demo import load_demo
    from dropline.seeding.demo.household import loaded_account
    from tests.support.demo_snapshot import load_demo_data

    # Sign-in rate limits live in the cache (a table, or Redis with REDIS_URL),
    # which the flush between tests does not empty.
    reset_sign_in_limits(live_server.url)
    # Nor the rest of it: start from an empty cache as every other test does. The copy
    # of the demo gives its people the same keys in every test, so an authenticator
    # code an earlier test used (remembered by user id) would be refused.
    cache.clear()
    # The flush after each transactional test also empties what migrations
    # wrote, such as the staff role groups; put them back as the migration does.
    sync_roles(apps)
    if request.node.get_closest_marker("real_demo") is not None:
        load_demo()
    else:
        load_demo_data(load_demo)
    account = loaded_account()
    assert account is not None
    return DemoSite(
        url=live_server.url,
        account_number=account.number,
        display_number=account.display_number,
    )


@pytest.fixture
def customer_page(page: Page, demo_site: DemoSite) -> Page:
    """A page where the demo customer has signed in and sees the overview."""
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    assert page.url == demo_site.at("/"), f"sign-in did not reach the overview: {page.url}"
    return page
