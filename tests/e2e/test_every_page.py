"""Every page a customer or a member of staff can reach, in English and in Spanish, on
a 390px phone: it fits the screen, wears Dropline's layout, has nothing axe-core rates
serious or critical, speaks the page's language (no raw codes, no English left on a
Spanish page) and none of the style guide's forbidden spellings.

The pages are found by crawling from the home page (tests/e2e/crawling.py), so a new
page is checked as soon as something links to it. The language is switched the way a
person does, with the language button in the header. axe-core runs on the English
crawl only: what it checks does not change with the words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.e2e.checks import DJANGO_ADMIN, axe_problems, page_problems
from tests.e2e.crawling import Crawl
from tests.e2e.support import (
    DEMO_ADMIN,
    DEMO_CUSTOMER,
    MOBILE,
    STAFF_LOGIN_PATH,
    TIMEOUT_MS,
    DemoSite,
    confirm_password_if_asked,
    sign_in,
    sign_in_staff,
)
from tests.support.bills import bill_the_demo_household

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.browser


# Where the crawl starts and what it stays in, per area, and the fewest pages it must
# reach. Staff see the back-office and the Django admin under it (an Administrator
# sees all of both); the customer's crawl never goes there.
@dataclass(frozen=True)
class Area:
    start: tuple[str, ...]
    within: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    least: int = 5
    max_pages: int = 100


AREAS = {
    # The channel finder is reached with a search, so that it shows channels: some in
    # the demo household's package, some that a change would add.
    "customer": Area(
        start=("/", "/plans/", "/channels/?q=sports", "/offline/"),
        skipped=("/backoffice/",),
        least=10,
    ),
    # The customer pages are reached from a search, the agent's starting point.
    "staff": Area(
        start=("/backoffice/", "/backoffice/?q={account}"),
        within=("/backoffice/",),
        skipped=(DJANGO_ADMIN,),
        least=10,
    ),
    # The Django admin under the back-office ("Records"), apart: its pages are its own.
    # Its many lists and forms share a handful of templates: a sample of them is enough.
    "admin": Area(start=(DJANGO_ADMIN,), within=(DJANGO_ADMIN,), least=10, max_pages=16),
}
LANGUAGES = {"en": "English", "es": "Spanish"}
# Pictures and fonts do not change what is checked; not loading them keeps the crawl fast.
NOT_LOADED = "**/*.{png,jpg,jpeg,gif,webp,ico,svg,woff,woff2,ttf,otf}"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page on a 390px phone; the scripts the checks inject are allowed in."""
    context = browser.new_context(viewport=MOBILE, locale="en-US", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(NOT_LOADED, lambda route: route.abort())
    try:
        yield context.new_page()
    finally:
        context.close()


def signed_in(page: Page, site: DemoSite, area: str) -> None:
    """The customer on the overview, or the Administrator on the back-office home."""
    if area != "customer":
        sign_in_staff(page, site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
        assert urlsplit(page.url).path == "/backoffice/", f"staff sign-in ended at {page.url}"
    else:
        sign_in(page, site.at("/"), *DEMO_CUSTOMER)
        assert page.url == site.at("/"), f"sign-in did not reach the overview: {page.url}"


def switch_to(page: Page, language: str) -> None:
    """Press the header's button for ``language``, as a person would."""
    if page.locator("html").get_attribute("lang") == language:
        return
    with page.expect_navigation():
        page.locator(f"button[name=language][value={language}]").click()
    assert page.locator("html").get_attribute("lang") == language, "the language did not change"


def formatted(findings: dict[str, dict[str, list[str]]], checked: int, origin: str) -> str:
    """Findings grouped by page, then by rule; a count per rule first."""
    per_rule = Counter(rule.split(" (")[0] for rules in findings.values() for rule in rules)
    lines = [f"{len(findings)} of {checked} pages break the rules:"]
    lines += [f"  {rule}: {count} page(s)" for rule, count in sorted(per_rule.items())]
    for url, rules in findings.items():
        lines.append(f"\n{url.removeprefix(origin)}")
        for rule, details in rules.items():
            lines.append(f"  {rule}:")
            lines += [f"    {detail}" for detail in details]
    return "\n".join(lines)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("area_name", list(AREAS))
def test_every_page_reached_follows_the_rules(
    phone: Page, demo_site: DemoSite, area_name: str, language: str
) -> None:
    page = phone
    area = AREAS[area_name]
    # Bills, so that the billing pages are reached with invoices on them.
    bill_the_demo_household()
    signed_in(page, demo_site, area_name)
    switch_to(page, language)
    findings: dict[str, dict[str, list[str]]] = {}

    def check(url: str, response: Response | None) -> None:
        if area_name == "customer":
            confirm_password_if_asked(page, DEMO_CUSTOMER[1])
        path = urlsplit(page.url).path
        problems: dict[str, list[str]] = {}
        if response is None or not response.ok:
            status = "no response" if response is None else f"HTTP {response.status}"
            problems["does not open"] = [f"{status} at {page.url}"]
        else:
            problems = page_problems(page, path, spanish=language == "es")
            if language == "en":
                axe = axe_problems(page)
                if axe:
                    problems["axe-core, serious or critical"] = axe
        if problems:
            findings[url] = problems

    crawl = Crawl(
        origin=demo_site.url,
        within=area.within,
        skipped=area.skipped,
        max_pages=area.max_pages,
    )
    start = [path.format(account=demo_site.account_number) for path in area.start]
    pages = crawl.run(page, start, check)
    # The crawl must have gone well past its entry point, or it checked nothing.
    assert len(pages) >= area.least, f"the crawl found only {pages}"
    print("pages checked:", *(url.removeprefix(demo_site.url) for url in pages), sep="\n  ")
    if findings:
        pytest.fail(
            f"{area_name} pages in {LANGUAGES[language]}, on a 390px phone: "
            + formatted(findings, len(pages), demo_site.url),
            pytrace=False,
        )
