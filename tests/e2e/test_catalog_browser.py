"""The catalogue's forms in a browser: on a 390px phone, in English and Spanish, they fit
the screen, wear the back-office layout and have nothing axe-core rates serious or
critical; an administrator changes where a plan is sold with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.checks import axe_problems, page_problems
from tests.e2e.support import DEMO_ADMIN, MOBILE, STAFF_LOGIN_PATH, DemoSite, sign_in_staff

pytestmark = pytest.mark.browser

FORMS = [
    "/backoffice/catalog/plans/internet-gig/edit/",
    "/backoffice/catalog/plans/internet-gig/areas/",
    "/backoffice/catalog/plans/internet-gig/label/",
    "/backoffice/catalog/plans/internet-gig/promotions/new/",
    "/backoffice/catalog/plans/tv-select/channels/",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_catalog_forms_follow_the_rules_on_a_phone(
    browser: Browser, demo_site: DemoSite, language: str
) -> None:
    # The checks inject axe-core's script, so the page's own policy lets it in.
    context = browser.new_context(viewport=MOBILE, locale="en-US", bypass_csp=True)
    page = context.new_page()
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_site.url}])
    findings = {}
    for path in FORMS:
        response = page.goto(demo_site.at(path))
        assert response is not None
        assert response.status == 200, path
        problems = page_problems(page, path, spanish=language == "es")
        if language == "en":
            axe = axe_problems(page)
            if axe:
                problems["axe-core"] = axe
        if problems:
            findings[path] = problems
    context.close()
    assert findings == {}


def test_an_administrator_chooses_where_a_plan_is_sold_with_the_keyboard(
    page: Page, demo_site: DemoSite
) -> None:
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_ADMIN)
    page.goto(demo_site.at("/backoffice/catalog/plans/internet-gig/areas/"))
    lake = page.get_by_label("Lake County")
    expect(lake).not_to_be_checked()  # the gig tier is not sold there
    lake.focus()
    page.keyboard.press("Space")
    expect(lake).to_be_checked()
    page.get_by_role("button", name="Save the areas").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Where Internet Gig is sold has been saved.")
    expect(page.get_by_role("region", name="Where it is sold")).to_contain_text("Lake County")
