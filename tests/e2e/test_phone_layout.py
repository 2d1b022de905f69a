"""Phone-first layout: at 390px and 360px no page scrolls sideways, and the buttons
and links in navigation and forms are at least 44px tall.

The signed-in pages are found by crawling, not listed (tests/e2e/crawling.py): every
same-origin link on each page reached, GET only, never sign-out, so a new portal page
is checked as soon as something links to it. test_every_page.py checks every page at
390px in both languages; this one adds 360px and the size of touch targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.e2e.checks import OVERFLOWING
from tests.e2e.crawling import Crawl
from tests.e2e.support import (
    DEMO_CUSTOMER,
    LOGIN_PATH,
    MOBILE,
    DemoSite,
    confirm_password_if_asked,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response, ViewportSize

pytestmark = pytest.mark.browser

PHONES: list[ViewportSize] = [MOBILE, {"width": 360, "height": 740}]
MAX_PAGES = 90
# Not pages of the customer portal (tests/e2e/crawling.py leaves out what is not a
# page or not safe to open by following a link).
SKIPPED_PREFIXES = ("/backoffice/",)
SIGNED_OUT_PATHS = (
    LOGIN_PATH,
    "/accounts/password/reset/",
)
# A target this close to 44px is 44px once the browser rounds.
MIN_TARGET = 43.5

# Sideways-scrolling boxes whose content is wider than they are must say so: the
# stylesheet gives them a shadow at the edge where more is hidden, and marks them
# with the custom property --scroll-hint.
HIDDEN_SCROLLERS = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== "auto" && overflow !== "scroll") continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    if (getComputedStyle(el).getPropertyValue("--scroll-hint").trim()) continue;
    found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
      `is ${el.scrollWidth}px wide in ${el.clientWidth}px with no hint`);
  }
  return found;
}"""

# Buttons and links people tap to move around or to submit: the header, every
# navigation block, and forms. A link inside a sentence is exempt (WCAG 2.5.8).
SMALL_TARGETS = """(minimum) => {
  const textHolders = ["P", "LI", "DD", "TD", "SPAN", "LABEL", "SMALL"];
  const inSentence = (el) => {
    const parent = el.parentElement;
    if (!parent || !textHolders.includes(parent.tagName)) return false;
    for (const node of parent.childNodes) {
      if (node !== el && node.nodeType === Node.TEXT_NODE && node.textContent.trim()) return true;
    }
    return false;
  };
  const selector = [
    "header a", "header button", "nav a", "nav button",
    "form a", "form button", "form input[type=submit]", "main a.button", "main button",
  ].join(",");
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.classList.contains("skip-link")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (inSentence(el)) continue;
    if (rect.height < minimum) {
      const name = el.innerText || el.value || el.getAttribute("aria-label") || "";
      const text = name.trim().replace(/\\s+/g, " ").slice(0, 40);
      const height = rect.height.toFixed(1);
      found.push(`${el.tagName.toLowerCase()} "${text}" is ${height}px tall`);
    }
  }
  return found;
}"""


def layout_problems(page: Page) -> list[str]:
    """What is wrong with the page on the current screen, one line each."""
    problems: list[str] = []
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > inner_width:
        problems.append(f"the page is {scroll_width}px wide on a {inner_width}px screen")
    problems += page.evaluate(OVERFLOWING)
    problems += page.evaluate(HIDDEN_SCROLLERS)
    problems += page.evaluate(SMALL_TARGETS, MIN_TARGET)
    return problems


def crawl(
    page: Page, site: DemoSite, start: Iterable[str], password: str | None = None
) -> list[str]:
    """Every portal page reachable from ``start`` by GET links, at most MAX_PAGES.
    With ``password``, pages behind "confirm your password" are opened too."""

    def opened(url: str, response: Response | None) -> None:
        assert response is not None
        assert response.ok, f"GET {url} answered HTTP {response.status}"
        if password is not None:
            confirm_password_if_asked(page, password)

    return Crawl(origin=site.url, skipped=SKIPPED_PREFIXES, max_pages=MAX_PAGES).run(
        page, start, opened
    )


def check_pages(page: Page, urls: Iterable[str]) -> dict[str, list[str]]:
    """The problems found on each page, at each phone width."""
    report: dict[str, list[str]] = {}
    for viewport in PHONES:
        page.set_viewport_size(viewport)
        for url in urls:
            page.goto(url)
            problems = layout_problems(page)
            if problems:
                report[f"{viewport['width']}px {url}"] = problems
    return report


def formatted(report: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in report.items())


def test_signed_in_pages_fit_a_phone(customer_page: Page, demo_site: DemoSite) -> None:
    page = customer_page
    page.set_viewport_size(MOBILE)
    pages = crawl(page, demo_site, ["/"], password=DEMO_CUSTOMER[1])
    # The crawl reaches well beyond the overview (navigation, security, notifications).
    assert len(pages) >= 8, f"the crawl found only {pages}"
    assert demo_site.at("/accounts/2fa/totp/activate/") in pages
    report = check_pages(page, pages)
    assert not report, "on a phone:\n" + formatted(report)


def test_signed_out_pages_fit_a_phone(page: Page, demo_site: DemoSite) -> None:
    page.set_viewport_size(MOBILE)
    page.goto(demo_site.at(LOGIN_PATH))
    # "Get a login" and the other ways in are linked from the sign-in page.
    pages = [
        url
        for url in crawl(page, demo_site, SIGNED_OUT_PATHS)
        if urlsplit(url).path.startswith("/accounts/") or "claim" in url
    ]
    assert demo_site.at(LOGIN_PATH) in pages
    report = check_pages(page, pages)
    assert not report, "on a phone, signed out:\n" + formatted(report)
