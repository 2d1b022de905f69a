"""The customer turns push notifications on in Chromium and gets a test notification.

Headless Chromium has no push service to subscribe at, so the browser's push manager is
played by a script injected before the page's own (``FAKE_PUSH_MANAGER``): it hands out
the subscription the local push service made (``tests/support/push_service.py``), as a
browser would after asking that service. Everything else is real: the page script
(permission, ``serviceWorker.ready``, ``pushManager.subscribe`` with the site's key, the
POST with the CSRF token), the server's checks, the outbox, and the push service's
check of the signature and decryption of the message. The page fits a phone and axe
finds nothing, in both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from dropline.notifications.channels.vapid import application_server_key
from dropline.notifications.models import PushSubscription
from dropline.seeding.demo.household import loaded_account
from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import DEMO_CUSTOMER, MOBILE, TIMEOUT_MS, DemoSite, sign_in
from tests.support.push import use_local_push
from tests.support.push_service import PushServiceStub, running_push_service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

pytestmark = pytest.mark.browser

PATH = "/notifications/push/"

# A registration whose push manager gives out the subscription in window.__pushFake and
# records what ``subscribe`` was asked (pwa.js's ``register`` gets the same registration).
FAKE_PUSH_MANAGER = """
(() => {
  const given = window.__pushFake;
  const STORED = "__pushFakeKey";  // the browser keeps its subscription across pages
  window.__pushCalls = JSON.parse(sessionStorage.getItem("__pushCalls") || "[]");
  const subscription = (key) => ({
    endpoint: given.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: new Uint8Array(key).buffer },
    toJSON: () => ({ endpoint: given.endpoint, expirationTime: null, keys: given.keys }),
    unsubscribe: () => {
      localStorage.removeItem(STORED);
      return Promise.resolve(true);
    },
  });
  const stored = () => {
    const key = localStorage.getItem(STORED);
    return key ? subscription(JSON.parse(key)) : null;
  };
  const pushManager = {
    getSubscription: () => Promise.resolve(stored()),
    subscribe: (options) => {
      const key = Array.from(new Uint8Array(options.applicationServerKey));
      window.__pushCalls.push({ userVisibleOnly: options.userVisibleOnly, key });
      sessionStorage.setItem("__pushCalls", JSON.stringify(window.__pushCalls));
      localStorage.setItem(STORED, JSON.stringify(key));
      return Promise.resolve(stored());
    },
  };
  const registration = { pushManager, scope: "/" };
  Object.defineProperty(navigator, "serviceWorker", {
    configurable: true,
    value: {
      ready: Promise.resolve(registration),
      getRegistration: () => Promise.resolve(registration),
      register: () => Promise.resolve(registration),
      addEventListener: () => {},
      controller: null,
    },
  });
})();
"""


@pytest.fixture
def push_service(settings: Any) -> Iterator[PushServiceStub]:
    use_local_push(settings)
    with running_push_service() as stub:
        yield stub


def _with_fake_push(context: BrowserContext, browser_subscription: dict[str, Any]) -> None:
    context.grant_permissions(["notifications"])
    context.add_init_script(f"window.__pushFake = {json.dumps(browser_subscription)};")
    context.add_init_script(FAKE_PUSH_MANAGER)


def test_a_customer_turns_push_on_and_gets_a_test_notification(
    context: BrowserContext, demo_site: DemoSite, push_service: PushServiceStub
) -> None:
    key = application_server_key()
    _with_fake_push(context, push_service.subscribe(key))
    page = context.new_page()
    sign_in(page, demo_site.at(PATH), *DEMO_CUSTOMER)

    expect(page.get_by_role("heading", level=1)).to_have_text("Push notifications")
    status = page.locator("#push-status")
    expect(status).to_have_text("Push notifications are off on this device.")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on notifications on this device").click()

    expect(
        page.get_by_role("status").filter(has_text="Push notifications are on for")
    ).to_be_visible()
    expect(status).to_have_text("This device gets your push notifications.")
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_hidden()
    row = page.locator("[data-device]")
    expect(row).to_have_count(1)
    expect(row.get_by_text("This device")).to_be_visible()
    calls = page.evaluate("window.__pushCalls")
    assert calls == [{"userVisibleOnly": True, "key": list(_bytes(key))}]
    account = loaded_account()
    assert account is not None
    user = account.members.get(role="holder").user
    assert PushSubscription.objects.filter(user=user).count() == 1

    page.get_by_role("button", name="Send a test notification").click()
    expect(page.get_by_text("We sent a test notification to your devices.")).to_be_visible()
    # The delivery ran with the request (no broker): the push service has it.
    [payload] = push_service.payloads()
    assert payload["title"].startswith("Test notification from")
    assert payload["url"] == PATH
    assert push_service.refusals == []

    # Removing this browser's row ends its subscription here too.
    with page.expect_navigation():
        row.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("No device gets push notifications yet.")).to_be_visible()
    assert (
        page.evaluate("navigator.serviceWorker.ready.then(r => r.pushManager.getSubscription())")
        is None
    )
    assert not PushSubscription.objects.filter(user=user).exists()


def _bytes(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_a_browser_without_push_is_told_what_is_needed(
    context: BrowserContext, demo_site: DemoSite
) -> None:
    context.add_init_script("delete window.PushManager;")
    page = context.new_page()
    sign_in(page, demo_site.at(PATH), *DEMO_CUSTOMER)
    expect(page.locator("#push-status")).to_contain_text(
        "This browser cannot show push notifications."
    )
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_hidden()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_fits_a_phone_and_axe_finds_nothing(
    browser: Browser, demo_site: DemoSite, push_service: PushServiceStub, language: str
) -> None:
    context = browser.new_context(
        viewport=MOBILE, locale=language, bypass_csp=True, service_workers="allow"
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        _with_fake_push(context, push_service.subscribe(application_server_key()))
        page = context.new_page()
        sign_in(page, demo_site.at(PATH), *DEMO_CUSTOMER)
        with page.expect_navigation():
            page.locator("#push-on").click()
        expect(page.locator("[data-this-device]")).to_be_visible()
        assert page_problems(page, PATH, spanish=language == "es") == {}
        assert axe_problems(page) == []
    finally:
        context.close()
