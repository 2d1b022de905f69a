"""The portal as an app in Chromium: installable, readable offline, forgotten at sign-out.

- Chromium finds nothing stopping an install (its own check, over the DevTools protocol)
  and reads the manifest without errors.
- Signed in, the overview, billing and data usage are kept by the service worker; with
  the network gone they still show the amount due, the data meter and the phone numbers,
  under a notice saying they are what was shown then. A page not kept shows the offline
  page, with the provider's phone number, in the language last used.
- After signing out, nothing is kept (the browser cleared the site's storage): offline,
  the overview is the offline page. A session that ran out drops the kept pages at the
  next visit, and the next person to sign in on the same browser never sees them.
- A push message becomes a notification with the payload's words and address.
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from playwright.sync_api import expect

from tests.e2e.checks import assert_follows_the_rules
from tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_CUSTOMER,
    LOGIN_PATH,
    MOBILE,
    TIMEOUT_MS,
    sign_in,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page

    from tests.e2e.support import DemoSite

pytestmark = pytest.mark.browser

T = TypeVar("T")

KEPT = ["/", "/billing/", "/usage/"]
SUPPORT_PHONE = "+13195550100"

CONTROLLED = "() => navigator.serviceWorker.controller !== null"
# An active service worker for the page (or, after the timeout, none).
READY = """(timeout) => Promise.race([
  navigator.serviceWorker.ready, new Promise((done) => setTimeout(done, timeout)),
]).then(() => null)"""
# The addresses the worker keeps, in every cache of kept pages.
KEPT_NOW = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("dropline-pages-"));
  const kept = [];
  for (const name of names) {
    for (const request of await (await caches.open(name)).keys()) {
      kept.push(new URL(request.url).pathname);
    }
  }
  return kept.sort();
}"""


# The notifications the service worker shows now.
NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map((shown) => ({
    title: shown.title, body: shown.body, tag: shown.tag, url: shown.data.url, icon: shown.icon,
  }));
}"""


@pytest.fixture(autouse=True)
def support(settings) -> None:
    settings.DROPLINE_SUPPORT_PHONE = SUPPORT_PHONE
    settings.DROPLINE_SUPPORT_HOURS = "Every day, 7 a.m. to 10 p.m."


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A 390px phone; the scripts the page checks inject are allowed in."""
    context = browser.new_context(
        viewport=MOBILE, locale="en-US", bypass_csp=True, service_workers="allow"
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.set_offline(False)
        context.close()


def controlled(page: Page) -> None:
    """Wait until the service worker answers for the page. A page whose navigation
    started before the worker was active stays uncontrolled (as in any browser) until
    the next one: it is opened again."""
    page.evaluate(READY, TIMEOUT_MS)
    if not page.evaluate(CONTROLLED):
        page.reload()
    page.wait_for_function(CONTROLLED, timeout=TIMEOUT_MS)


def kept(page: Page) -> list[str]:
    return list(page.evaluate(KEPT_NOW))


def wait_until_kept(page: Page, paths: list[str]) -> None:
    """The worker keeps a page just after answering with it: wait for that."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while kept(page) != sorted(paths):
        assert time.monotonic() < deadline, f"kept {kept(page)}, not {sorted(paths)}"
        page.wait_for_timeout(100)


def test_chromium_finds_the_portal_installable(
    browser: Browser, demo_site: DemoSite, tmp_path: Path
) -> None:
    # Chromium never installs from a private window (every test's context is one): a
    # browser of its own with a profile on disk, as a person's is.
    profile = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="en-US"
    )
    try:
        page = profile.pages[0] if profile.pages else profile.new_page()
        page.goto(demo_site.at("/accounts/login/"))
        controlled(page)
        devtools = profile.new_cdp_session(page)
        manifest = devtools.send("Page.getAppManifest")
        assert manifest["url"] == demo_site.at("/manifest.webmanifest?lang=en")
        assert manifest["errors"] == []
        assert json.loads(manifest["data"])["display"] == "standalone"
        errors = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
    finally:
        profile.close()


def test_kept_pages_are_readable_offline_and_others_show_the_offline_page(
    phone: BrowserContext, demo_site: DemoSite
) -> None:
    page = phone.new_page()
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    controlled(page)
    for path in KEPT:  # opened now that the worker answers
        page.goto(demo_site.at(path))
    wait_until_kept(page, KEPT)

    phone.set_offline(True)
    page.goto(demo_site.at("/"))
    notice = page.get_by_role("status").filter(has_text="You're offline.")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(re.compile(r"This is what we showed you on \w+\.? \d+, 20\d\d"))
    expect(page.get_by_role("group", name="Amount due")).to_be_visible()
    expect(page.get_by_role("heading", name="Data used this cycle")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("(319) 555-0142")  # the account's number
    expect(page.locator(".site-footer")).to_contain_text("(319) 555-0100")  # the provider's
    assert_follows_the_rules(page, spanish=False)

    page.goto(demo_site.at("/billing/"))
    expect(notice).to_be_visible()
    expect(page.get_by_role("heading", name="Billing", level=1)).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("Current balance")

    page.goto(demo_site.at("/usage/"))
    expect(notice).to_be_visible()

    # Not kept: the offline page, with the number to call and the status page.
    page.goto(demo_site.at("/services/"))
    expect(page.get_by_role("heading", name="You're offline", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="(319) 555-0100")).to_have_attribute(
        "href", f"tel:{SUPPORT_PHONE}"
    )
    expect(page.get_by_role("link", name="Service status")).to_be_visible()
    assert_follows_the_rules(page, spanish=False)


def test_after_signing_out_nothing_is_kept(phone: BrowserContext, demo_site: DemoSite) -> None:
    page = phone.new_page()
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    controlled(page)
    page.goto(demo_site.at("/"))
    wait_until_kept(page, ["/"])

    page.evaluate("localStorage.setItem('left', 'behind')")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    controlled(page)  # registered again by the sign-in page
    assert kept(page) == []
    # The browser acted on the sign-out answer's Clear-Site-Data: its storage is empty.
    assert page.evaluate("localStorage.getItem('left')") is None

    phone.set_offline(True)
    page.goto(demo_site.at("/"))
    expect(page.get_by_role("heading", name="You're offline", level=1)).to_be_visible()
    expect(page.get_by_text("Amount due")).to_have_count(0)


def test_a_session_that_ran_out_drops_the_kept_pages_at_the_next_visit(
    phone: BrowserContext, demo_site: DemoSite
) -> None:
    page = phone.new_page()
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    controlled(page)
    for path in KEPT:
        page.goto(demo_site.at(path))
    wait_until_kept(page, KEPT)

    phone.clear_cookies()  # the session cookie ran out: no sign-out answer came
    page.goto(demo_site.at("/billing/"))
    expect(page.get_by_label("Username or email")).to_be_visible()
    wait_until_kept(page, [])


def test_the_next_person_to_sign_in_never_sees_the_last_ones_pages(
    phone: BrowserContext, demo_site: DemoSite
) -> None:
    page = phone.new_page()
    sign_in(page, demo_site.at("/"), *DEMO_CUSTOMER)
    controlled(page)
    for path in KEPT:
        page.goto(demo_site.at(path))
    wait_until_kept(page, KEPT)

    # Maria's session runs out; José signs in on the same phone, straight from the
    # sign-in page (so no kept page's address sends him there first).
    phone.clear_cookies()
    sign_in(page, demo_site.at(LOGIN_PATH), "jrivera", "dropline-demo-jose")
    wait_until_kept(page, ["/"])  # his overview, and nothing of Maria's

    phone.set_offline(True)
    page.goto(demo_site.at("/billing/"))
    expect(page.locator("h1")).to_have_text(re.compile("You're offline|No tiene conexión"))
    page.goto(demo_site.at("/"))
    expect(page.locator("h1")).to_contain_text("José")


def test_the_offline_page_speaks_the_language_last_used(
    phone: BrowserContext, demo_site: DemoSite
) -> None:
    page = phone.new_page()
    page.goto(demo_site.at("/status/"))
    controlled(page)
    page.goto(demo_site.at("/status/?lang=es"))
    expect(page.locator("html")).to_have_attribute("lang", "es")

    phone.set_offline(True)
    page.goto(demo_site.at("/services/"))
    expect(page.get_by_role("heading", name="No tiene conexión", level=1)).to_be_visible()
    assert_follows_the_rules(page, spanish=True)


def poll(page: Page, read: Callable[[], T]) -> T:
    """What ``read`` gives once it gives something, within the time a step may take."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not (found := read()) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return found


def test_a_push_message_becomes_a_notification(browser: Browser, demo_site: DemoSite) -> None:
    context = browser.new_context(locale="en-US", service_workers="allow")
    context.grant_permissions(["notifications"], origin=demo_site.url)
    try:
        page = context.new_page()
        page.goto(demo_site.at(LOGIN_PATH))
        controlled(page)
        devtools = context.new_cdp_session(page)
        registrations: list[dict[str, Any]] = []
        devtools.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(event["registrations"]),
        )
        devtools.send("ServiceWorker.enable")
        live = poll(
            page, lambda: {r["registrationId"] for r in registrations if not r["isDeleted"]}
        )
        (registration_id,) = live

        def push(payload: dict[str, str]) -> list[dict[str, str]]:
            # A push service delivers again when the browser did not take it; a worker
            # still starting on a busy machine may miss one. The same tag replaces.
            shown: list[dict[str, str]] = []
            tag = payload["tag"]
            for _attempt in range(3):
                devtools.send(
                    "ServiceWorker.deliverPushMessage",
                    {
                        "origin": demo_site.url,
                        "registrationId": registration_id,
                        "data": json.dumps(payload),
                    },
                )
                shown = poll(
                    page, lambda: [n for n in page.evaluate(NOTIFICATIONS) if n["tag"] == tag]
                )
                if shown:
                    break
            return shown

        message = {
            "title": "Your bill is ready",
            "body": "Your bill for March is $182.40.",
            "url": "/billing/invoices/",
            "tag": "invoice:42",
        }
        icon = demo_site.at("/static/dropline/icons/icon-192.png")
        assert push(message) == [message | {"icon": icon}]

        # No title: the provider's name. An address on another site: the home page.
        other = {"body": "Check this", "url": "//elsewhere.example/pay", "tag": "odd"}
        assert push(other) == [other | {"title": "Dropline", "url": "/", "icon": icon}]
    finally:
        context.close()
