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

# Every touch target smaller than ``minimum`` either way, with its size (see the
# module's docstring for what counts and what is exempt).
SMALL_TARGETS = """(minimum) => {
  const TARGETS = [
    "a[href]", "button", "summary", "select", "textarea", "[role=button]",
    "input:not([type=hidden])",
  ].join(",");
  const blocks = new Map();
  // The nearest block box holding ``el``: its paragraph, list item, table cell...
  const blockAround = (el) => {
    if (!blocks.has(el)) {
      const display = getComputedStyle(el).display;
      const isBlock = !display.startsWith("inline") && display !== "contents";
      const parent = el.parentElement;
      blocks.set(el, isBlock || !parent || el === document.body ? el : blockAround(parent));
    }
    return blocks.get(el);
  };
  const shown = (el) => {
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1;
  };
  const WORD = /[\\p{L}\\p{N}]/u;
  // A link or a link-styled button in a sentence: a word of other text in its block.
  const inRunningText = (el) => {
    if (!el.matches("a, button.link")) return false;
    const block = blockAround(el.parentElement);
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const holder = node.parentElement;
      if (!holder || !WORD.test(node.textContent)) continue;
      if (holder.closest("a, button, script, style, template")) continue;
      if (blockAround(holder) !== block || !shown(holder)) continue;
      return true;
    }
    return false;
  };
  // A checkbox or radio button is tapped through its label too.
  const box = (el) => {
    const rects = [el.getBoundingClientRect()];
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      for (const label of el.labels || []) {
        if (shown(label)) rects.push(label.getBoundingClientRect());
      }
    }
    const left = Math.min(...rects.map((r) => r.left));
    const top = Math.min(...rects.map((r) => r.top));
    const right = Math.max(...rects.map((r) => r.right));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    return {width: right - left, height: bottom - top};
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.type && el.tagName === "INPUT") name += `[type=${el.type}]`;
    if (el.id) name += "#" + el.id;
    else if (el.classList.length) name += "." + [...el.classList].slice(0, 3).join(".");
    const label = el.matches("input, select, textarea") && el.labels && el.labels[0]
      ? el.labels[0].innerText
      : el.innerText || el.value || "";
    const text = (el.getAttribute("aria-label") || label || el.name || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const found = [];
  for (const el of document.body.querySelectorAll(TARGETS)) {
    if (el.disabled || el.closest("[inert], [aria-hidden=true]")) continue;
    if (el.classList.contains("skip-link")) continue;
    if (!shown(el)) continue;
    if (inRunningText(el)) continue;
    const {width, height} = box(el);
    if (width < minimum || height < minimum) {
      found.push(`${describe(el)} is ${width.toFixed(0)}x${height.toFixed(0)}px`);
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
