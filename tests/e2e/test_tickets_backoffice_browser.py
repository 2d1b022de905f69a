"""Customer care works a ticket on a 390px phone: the queue and the ticket page fit the
screen, pass axe and read in the page's language (English and Spanish); the saved-reply
picker puts the text into the reply without a reload, and the reply is sent."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from dropline.accounts.models import User
from dropline.helpdesk.models import Ticket
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.helpdesk.tickets.saved_replies import add_saved_reply
from dropline.seeding.demo.household import loaded_account
from tests.e2e.checks import assert_follows_the_rules
from tests.e2e.support import (
    DEMO_CARE,
    MOBILE,
    STAFF_LOGIN_PATH,
    TIMEOUT_MS,
    DemoSite,
    sign_in_staff,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    # axe is injected as a script of its own, which the site's policy would refuse.
    context = browser.new_context(viewport=MOBILE, locale="en-US", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _a_ticket() -> Ticket:
    account = loaded_account()
    assert account is not None
    holder = account.members.filter(role="holder").get().user
    return open_ticket(
        account=account,
        person=holder,
        category="internet",
        subject="Wi-Fi drops in the evening",
        description="Since Monday the Wi-Fi drops around 8 p.m. for a few minutes.",
    )


def test_care_answers_a_ticket_with_a_saved_reply_on_a_phone(
    phone: Page, demo_site: DemoSite
) -> None:
    page = phone
    ticket = _a_ticket()
    care = User.objects.get(username=DEMO_CARE[0])
    add_saved_reply(
        title="Restart the gateway",
        language="en",
        body="Please restart your gateway: unplug it for 30 seconds.",
        by=care,
    )
    sign_in_staff(page, demo_site.at(STAFF_LOGIN_PATH), *DEMO_CARE)

    page.goto(demo_site.at("/backoffice/tickets/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets")
    expect(page.get_by_role("link", name=ticket.number)).to_be_visible()
    assert_follows_the_rules(page, spanish=False)

    page.get_by_role("link", name=ticket.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ticket {ticket.number}")
    assert_follows_the_rules(page, spanish=False)

    reply = page.get_by_label("Reply to the customer")
    reply.fill("Hello Maria. ")
    page.get_by_label("Saved reply").select_option(label="Restart the gateway (English)")
    url_before = page.url
    page.get_by_role("button", name="Use this reply").click()
    expect(reply).to_have_value(re.compile(r"^Hello Maria\. Please restart your gateway"))
    assert page.url == url_before  # the script filled it in; no reload
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator(".messages")).to_contain_text("The reply is sent; the customer is told.")
    expect(page.locator(".thread")).to_contain_text("Please restart your gateway")

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Solicitud {ticket.number}")
    assert_follows_the_rules(page, spanish=True)
    page.goto(demo_site.at("/backoffice/tickets/?status=all"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitudes")
    assert_follows_the_rules(page, spanish=True)
