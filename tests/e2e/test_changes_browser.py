"""A customer compares plans, previews a change, confirms it and cancels it; the
pages for changing plans and add-ons and the orders pass axe in English and Spanish
and fit a 390px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.checks import OVERFLOWING
from tests.e2e.support import MOBILE, DemoSite, axe_violations

pytestmark = pytest.mark.browser


def _heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_compare_preview_confirm_then_cancel(customer_page: Page, demo_site: DemoSite) -> None:
    page = customer_page
    main = page.get_by_role("main")
    page.goto(demo_site.at("/services/"))
    page.get_by_role("link", name="Change plan: TV Silver").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compare plans")
    cards = main.get_by_role("list", name="Plans side by side")
    current = cards.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="TV Silver", exact=True)
    )
    expect(current).to_contain_text("Your plan")
    expect(current).to_contain_text(re.compile(r"12 months: \$[\d,]+\.\d\d"))
    expect(main.get_by_role("table")).to_contain_text("TV Select")

    main.get_by_role("link", name="Preview this change to TV Select").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview this change")
    expect(main).to_contain_text("from TV Silver to TV Select")
    expect(main).to_contain_text("At the end of this bill cycle")
    expect(main).to_contain_text("First full bill at the new price")
    page.get_by_role("button", name="Confirm this change").click()

    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"Your change is confirmed\. It takes effect on \w+")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plan change from TV Silver to TV Select"
    )
    page.get_by_role("link", name="Cancel this change").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this change?")
    page.get_by_role("button", name="Yes, cancel this change").click()

    expect(page.get_by_role("status")).to_contain_text("Your change is canceled.")
    expect(main).to_contain_text("This change was canceled on")
    expect(main.get_by_role("link", name="Cancel this change")).to_have_count(0)

    # The service is as it was, and a new change can be previewed.
    page.goto(demo_site.at("/services/"))
    expect(main).not_to_contain_text("A change you ordered takes effect")
    page.get_by_role("link", name="Change plan: TV Silver").click()
    expect(main.get_by_role("link", name="Preview this change to TV Select")).to_be_visible()
    page.goto(demo_site.at("/orders/"))
    expect(main.get_by_role("table")).to_contain_text("Plan change from TV Silver to TV Select")


def _new_pages(demo_site: DemoSite) -> list[str]:
    """Every page of changing plans and add-ons and of the orders, for the demo
    household, with a change waiting so that the order and cancel pages show it."""
    from dropline.customers.models import AccountMember, MemberRole
    from dropline.orders.changes import REMOVE_ADD_ON, Change
    from dropline.orders.placing import place_order
    from dropline.orders.preview import preview_change
    from dropline.subscriptions.models import Subscription

    tv = Subscription.objects.get(
        account__number=demo_site.account_number, plan__code="tv-silver", status="active"
    )
    holder = AccountMember.objects.get(account=tv.account, role=MemberRole.HOLDER)
    add_on = tv.add_ons.filter(ended_on__isnull=True).select_related("add_on").first()
    assert add_on is not None
    change = Change(subscription_id=tv.pk, action=REMOVE_ADD_ON, add_on_code=add_on.add_on.code)
    preview = preview_change(account=tv.account, change=change, language="en")
    order = place_order(
        user=holder.user,
        account=tv.account,
        change=change,
        fingerprint=preview.fingerprint,
        language="en",
    )
    internet = Subscription.objects.get(
        account__number=demo_site.account_number, plan__kind="internet", status="active"
    )
    return [
        f"/services/{internet.pk}/change/",
        f"/services/{internet.pk}/change/internet-gig/",
        f"/services/{internet.pk}/add-ons/",
        f"/services/{internet.pk}/add-ons/static-ip/add/",
        f"/services/{tv.pk}/change/tv-gold/",  # refused: a change is waiting
        "/services/extras/",
        "/services/lines/",
        "/orders/",
        f"/orders/{order.pk}/",
        f"/orders/{order.pk}/cancel/",
    ]


def _problems(page: Page, *, axe: bool) -> list[str]:
    found = [f"sticks out: {item}" for item in page.evaluate(OVERFLOWING)]
    if axe:
        rules, report = axe_violations(page)
        found += [f"axe: {rule}" for rule in rules]
        if rules:
            found.append(report)
    return found


def test_the_new_pages_pass_axe_in_both_languages_and_fit_a_phone(
    customer_page: Page, demo_site: DemoSite
) -> None:
    page = customer_page
    paths = _new_pages(demo_site)
    problems: list[str] = []
    for path in paths:
        page.goto(demo_site.at(path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems += [f"{path} (desktop, en): {p}" for p in _problems(page, axe=True)]
    page.set_viewport_size(MOBILE)
    for language, button in (("en", None), ("es", "Español")):
        if button:
            with page.expect_navigation():
                page.get_by_role("banner").get_by_role("button", name=button).click()
            expect(page.locator("html")).to_have_attribute("lang", language)
        for path in paths:
            page.goto(demo_site.at(path))
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert _heading(page)
            problems += [f"{path} (390px, {language}): {p}" for p in _problems(page, axe=True)]
    assert not problems, "\n".join(problems)
