"""What every page must be, checked in the browser: one line per thing wrong.

- it fits a 390px screen (nothing scrolls sideways);
- it is in Dropline's layout: ``<body data-layout="portal">``, or ``"backoffice"`` under
  /backoffice/; the Django admin keeps its own layout but is branded as the back-office,
  its header linking back to it;
- axe-core finds nothing of serious or critical impact;
- no raw code ("customer.viewed") stands in for words, and on a Spanish page no text is
  left in English (an English string of Dropline's catalogue whose Spanish differs);
- none of the style guide's forbidden spellings (dropline.core.style).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from tests.support.style import forbidden_spellings

if TYPE_CHECKING:
    from playwright.sync_api import Page

CATALOGUE = Path(__file__).resolve().parents[2] / "dropline/locale/es/LC_MESSAGES/django.po"

# Elements sticking out of the viewport, unless they sit inside a box that scrolls
# or clips sideways (a table in a scrolling region), or are hidden on purpose
# (the skip link waiting off-screen, visually hidden text).
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const clipsSideways = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow !== "visible") return true;
    }
    return false;
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
    if (rect.right <= 0) continue;  // parked off-screen on purpose, like the skip link
    if (rect.right <= width + 0.5 && rect.left >= -0.5) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (clipsSideways(el)) continue;
    found.push(`${describe(el)} spans ${Math.round(rect.left)}..${Math.round(rect.right)}px`);
  }
  return found;
}"""

# A target this close to 44px is 44px once the browser rounds.
MIN_TARGET = 43.5

# Every touch target smaller than ``minimum`` either way, with its size (see
# tests/e2e/test_phone_layout.py's docstring for what counts and what is exempt).
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

# The facts about a page the checks need, in one round trip: its layout marker, its
# width, its language and every piece of text a person sees or hears (text on the
# page, visually hidden text, labels in attributes, the title), with the language
# it is marked as and the element it is in. Code samples are left out.
PAGE_FACTS = """() => {
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    else if (el.classList.length) name += "." + [...el.classList].slice(0, 2).join(".");
    return name;
  };
  const languageOf = (el) => (el.closest("[lang]")?.getAttribute("lang") || "").toLowerCase();
  const skipped = "script,style,noscript,template,code,kbd,samp,pre,textarea";
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skipped)) continue;
    if (el.tagName !== "OPTION" && !el.checkVisibility()) continue;
    texts.push([text, languageOf(el), describe(el)]);
  }
  const labelled = "[placeholder],[aria-label],[title],[alt],input[type=submit],input[type=button]";
  for (const el of document.body.querySelectorAll(labelled)) {
    if (el.closest(skipped)) continue;
    for (const attribute of ["placeholder", "aria-label", "title", "alt", "value"]) {
      if (attribute === "value" && !el.matches("input[type=submit],input[type=button]")) continue;
      const value = (el.getAttribute(attribute) || "").replace(/\\s+/g, " ").trim();
      if (value) texts.push([value, languageOf(el), `${describe(el)}[${attribute}]`]);
    }
  }
  texts.push([document.title.trim(), languageOf(document.documentElement), "title"]);
  const scroller = document.scrollingElement;
  return {
    layout: document.body.dataset.layout || "",
    backToBackoffice: !!document.querySelector('#header a[href="/backoffice/"]'),
    language: languageOf(document.documentElement),
    scrollWidth: scroller.scrollWidth,
    clientWidth: scroller.clientWidth,
    texts,
  };
}"""

# axe-core, run with what is serious or critical only, one line per rule broken.
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
}"""

# A code where words belong: "customer.viewed", "announcement.notice" (lowercase words
# joined by dots). Host names are not codes.
RAW_CODE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")
HOST_ENDINGS = {"com", "net", "org", "edu", "gov", "us", "io", "example", "test", "local"}

PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGs]|\{[^{}]*\}")
WORD = re.compile(r"[A-Za-z]{3,}")


@dataclass(frozen=True)
class EnglishText:
    """English strings of Dropline's catalogue that read differently in Spanish:
    ``exact`` (msgid -> msgstr) and, for msgids with placeholders, patterns."""

    exact: dict[str, str]
    patterns: list[tuple[re.Pattern[str], str]]

    def spanish_for(self, text: str) -> str | None:
        """The Spanish ``text`` should have been, if ``text`` is untranslated English."""
        if text in self.exact:
            return self.exact[text]
        for pattern, spanish in self.patterns:
            if pattern.fullmatch(text):
                return spanish
        return None


def _literal(text: str) -> str:
    return PLACEHOLDER.sub("", text)


@functools.cache
def english_text() -> EnglishText:
    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            pairs = [(entry.msgid, forms.get(0, "")), (entry.msgid_plural, forms.get(1, ""))]
        for english, spanish in pairs:
            english = " ".join(english.split())
            if not spanish or " ".join(spanish.split()) == english:
                continue
            if not PLACEHOLDER.search(english):
                if WORD.search(english):
                    exact[english] = spanish
                continue
            # With placeholders: only when the words around them give it away.
            if len(WORD.findall(_literal(english))) < 2 or _literal(english) == _literal(spanish):
                continue
            pieces = PLACEHOLDER.split(english)
            regex = ".+?".join(re.escape(piece) for piece in pieces).replace("%%", "%")
            patterns.append((re.compile(regex), spanish))
    return EnglishText(exact=exact, patterns=patterns)


DJANGO_ADMIN = "/backoffice/admin/"


def layout_expected(path: str) -> str:
    return "backoffice" if path.startswith("/backoffice/") else "portal"


def page_problems(page: Page, path: str, *, spanish: bool) -> dict[str, list[str]]:
    """What is wrong with the page as loaded, by rule (axe is run separately)."""
    facts = page.evaluate(PAGE_FACTS)
    problems: dict[str, list[str]] = {}

    def add(rule: str, detail: str) -> None:
        if detail not in problems.setdefault(rule, []):
            problems[rule].append(detail)

    if facts["scrollWidth"] > facts["clientWidth"]:
        rule = f"scrolls sideways ({facts['scrollWidth']}px wide on {facts['clientWidth']}px)"
        for detail in page.evaluate(OVERFLOWING)[:5] or ["(no single element sticks out)"]:
            add(rule, detail)
    expected = layout_expected(path)
    if path.startswith(DJANGO_ADMIN):
        if not facts["backToBackoffice"]:
            add("Django admin not branded", "no link back to /backoffice/ in its #header")
    elif facts["layout"] != expected:
        found = f'data-layout="{facts["layout"]}"' if facts["layout"] else "no data-layout"
        add("not in Dropline's layout", f'<body> has {found}, expected "{expected}"')
    if spanish and not facts["language"].startswith("es"):
        add("not in Spanish", f'<html lang="{facts["language"]}">')
    catalogue = english_text()
    page_language = facts["language"][:2]
    for text, marked, where in facts["texts"]:
        language = marked[:2] or page_language
        if RAW_CODE.match(text) and text.rsplit(".", 1)[1] not in HOST_ENDINGS:
            add("raw code instead of words", f'{where} "{text}"')
        for spelling in forbidden_spellings(text, language):
            add("forbidden spelling", f"{where} {spelling} in {_short(text)}")
        if spanish and language == "es":
            translation = catalogue.spanish_for(text)
            if translation is not None:
                add("English on a Spanish page", f'{where} "{text}" (Spanish: "{translation}")')
    return problems


def _short(text: str, length: int = 60) -> str:
    return f'"{text}"' if len(text) <= length else f'"{text[: length - 1]}…"'


@functools.cache
def axe_source() -> str:
    """axe-core's script, as installed with the dev dependencies (never from a CDN)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_problems(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line per rule."""
    page.add_script_tag(content=axe_source())
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(violation["targets"][:4])
        + (f" and {len(violation['targets']) - 4} more" if len(violation["targets"]) > 4 else "")
        for violation in page.evaluate(AXE_RUN)
    ]


def assert_follows_the_rules(page: Page, *, spanish: bool) -> None:
    """The page as loaded breaks none of ``page_problems``' rules nor axe's serious ones."""
    path = re.sub(r"^https?://[^/]+", "", page.url)
    problems = page_problems(page, path, spanish=spanish)
    axe = axe_problems(page)
    if axe:
        problems["axe-core, serious or critical"] = axe
    assert not problems, f"{page.url}: {problems}"
