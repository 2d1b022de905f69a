"""Phone-first layout: at 360, 390 and 430px no page scrolls sideways, and everything
a customer taps is at least 44 by 44 CSS pixels.

The signed-in pages are found by crawling, not listed (tests/e2e/crawling.py): every
same-origin link on each page reached, GET only, never sign-out, so a new portal page
is checked as soon as something links to it. Each page is loaded once: the checks run
at the three widths by resizing the window, which reflows the page without a reload.
test_every_page.py checks every page at 390px in both languages; this one adds the
other widths and the size of touch targets.

A touch target is anything a person taps: links, buttons, summaries of a disclosure,
text boxes, selects, file pickers, checkboxes and radio buttons. A checkbox or a radio
button may be small when its label is not: tapping the label ticks it, so the box around
both counts. A link (or a link-styled button) inside running text is exempt, as WCAG
2.5.8 says: a target is "in running text" when the nearest block around it (its
paragraph, list item or table cell) holds a word or a number outside any link or button,
in the same block rather than a nested one. "Pay now", a row's "View", a navigation
entry, a card's "Change plan" and page numbers stand alone and must be 44 by 44.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.e2e.checks import MIN_TARGET, OVERFLOWING, SMALL_TARGETS
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

# The narrowest phones in use, a current one, and a large one.
PHONES: list[ViewportSize] = [
    {"width": 360, "height": 740},
    MOBILE,
    {"width": 430, "height": 932},
]
MAX_PAGES = 90
# Not pages of the customer portal (tests/e2e/crawling.py leaves out what is not a
# page or not safe to open by following a link).
SKIPPED_PREFIXES = ("/backoffice/",)
SIGNED_OUT_PATHS = (
    LOGIN_PATH,
    "/accounts/password/reset/",
)
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


def problems_at_every_width(page: Page) -> dict[int, list[str]]:
    """The page as loaded, at each phone width in turn: resizing reflows it, no reload."""
    found: dict[int, list[str]] = {}
    for viewport in PHONES:
        page.set_viewport_size(viewport)
        problems = layout_problems(page)
        if problems:
            found[viewport["width"]] = problems
    page.set_viewport_size(MOBILE)
    return found


def crawl_and_check(
    page: Page, site: DemoSite, start: Iterable[str], password: str | None = None
) -> tuple[list[str], dict[str, list[str]]]:
    """Every portal page reachable from ``start`` by GET links (at most MAX_PAGES), and
    the problems found on each at each width. With ``password``, pages behind "confirm
    your password" are opened too."""
    report: dict[str, list[str]] = {}

    def check(url: str, response: Response | None) -> None:
        assert response is not None
        assert response.ok, f"GET {url} answered HTTP {response.status}"
        if password is not None:
            confirm_password_if_asked(page, password)
        for width, problems in problems_at_every_width(page).items():
            report[f"{width}px {url.removeprefix(site.url)}"] = problems

    crawl = Crawl(origin=site.url, skipped=SKIPPED_PREFIXES, max_pages=MAX_PAGES)
    pages = crawl.run(page, start, check)
    return pages, report


def formatted(report: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in report.items())


def test_signed_in_pages_fit_a_phone(customer_page: Page, demo_site: DemoSite) -> None:
    page = customer_page
    page.set_viewport_size(MOBILE)
    pages, report = crawl_and_check(page, demo_site, ["/"], password=DEMO_CUSTOMER[1])
    # The crawl reaches well beyond the overview (navigation, security, notifications).
    assert len(pages) >= 8, f"the crawl found only {pages}"
    assert demo_site.at("/accounts/2fa/totp/activate/") in pages
    assert not report, f"on a phone ({len(report)} of {len(pages)} pages):\n" + formatted(report)


def test_signed_out_pages_fit_a_phone(page: Page, demo_site: DemoSite) -> None:
    page.set_viewport_size(MOBILE)
    page.goto(demo_site.at(LOGIN_PATH))
    # "Get a login" and the other ways in are linked from the sign-in page.
    pages, report = crawl_and_check(page, demo_site, SIGNED_OUT_PATHS)
    ways_in = [
        url for url in pages if urlsplit(url).path.startswith("/accounts/") or "claim" in url
    ]
    assert demo_site.at(LOGIN_PATH) in ways_in
    assert len(ways_in) >= 4, f"the crawl found only {ways_in}"
    assert not report, "on a phone, signed out:\n" + formatted(report)


def test_the_check_finds_a_small_target_and_spares_a_link_in_a_sentence(page: Page) -> None:
    """The rules themselves, on a page made for them: what must be reported is, and what
    is exempt is not."""
    page.set_viewport_size(MOBILE)
    page.set_content(
        """<main>
        <p>Read <a href="/a" id="in-sentence">the terms</a> before you pay.</p>
        <p><a href="/b" id="alone">View</a></p>
        <ul><li><a href="/c" id="separated">One</a> · <a href="/d">Two</a></li></ul>
        <button id="small" style="padding:0;font-size:12px">Go</button>
        <button id="big" style="min-height:48px;min-width:48px">Pay</button>
        <label style="display:flex;min-height:44px;align-items:center">
          <input type="checkbox" id="labelled"> Email me a copy of the bill</label>
        <input type="checkbox" id="bare">
        <input type="text" id="short-box" style="height:30px" aria-label="Name">
        <p><a href="/e" style="display:inline-block;min-height:44px;min-width:44px">Big</a></p>
        </main>"""
    )
    found = "\n".join(page.evaluate(SMALL_TARGETS, MIN_TARGET))
    assert "#in-sentence" not in found
    assert 'a#alone "View" is' in found
    assert 'a#separated "One" is' in found, "a dot between two links is not a sentence"
    assert "button#small" in found
    assert "#big" not in found
    assert "#labelled" not in found, "a checkbox is tapped through its label"
    assert "input[type=checkbox]#bare" in found
    assert "input[type=text]#short-box" in found
    assert '"Big"' not in found
