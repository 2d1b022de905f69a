"""A customer asks for help with a picture attached, on a 390px phone, reads the answer
(never staff's internal note), replies, closes the request and rates the help: every page
follows the rules (axe, no sideways scroll, words in the page's language) in English and
in Spanish."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.helpdesk.models import Ticket, TicketStatus
from dropline.helpdesk.tickets.replying import add_note, staff_reply
from tests.e2e.checks import assert_follows_the_rules
from tests.e2e.support import LOGIN_PATH, MOBILE, TIMEOUT_MS, sign_in
from tests.support.disputes import png_bytes, use_upload_root
from tests.support.factories import PASSWORD, Customer, make_customer, make_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def household(transactional_db: None, settings: object, tmp_path: Path) -> Customer:
    use_upload_root(settings, tmp_path)
    return make_customer(username="rivera", devices=0)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=MOBILE, locale="en-US", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_customer_asks_for_help_and_rates_the_answer(
    phone: Page, live_server: LiveServer, household: Customer, tmp_path: Path
) -> None:
    page = phone
    sign_in(page, live_server.url + LOGIN_PATH, "rivera", PASSWORD)
    page.goto(f"{live_server.url}/support/tickets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your support requests")
    assert_follows_the_rules(page, spanish=False)
    page.get_by_role("link", name="Ask for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help")
    assert_follows_the_rules(page, spanish=False)

    picture = tmp_path / "modem-lights.png"
    picture.write_bytes(png_bytes((40, 30)))
    page.get_by_label("What is it about?").select_option("equipment")
    page.get_by_label("Subject").fill("Modem light blinks orange")
    page.get_by_label("How can we help?").fill("Since this morning the light blinks orange.")
    page.get_by_label(re.compile(r"^Files")).set_input_files(str(picture))
    page.get_by_role("button", name="Send the request").click()

    ticket = Ticket.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modem light blinks orange")
    expect(page.get_by_role("link", name="modem-lights.png")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Waiting for us")
    assert_follows_the_rules(page, spanish=False)

    staff = make_user(username="care", is_staff=True, first_name="Casey")
    add_note(ticket_id=ticket.pk, by=staff, body="Probably the known firmware bug")
    staff_reply(ticket_id=ticket.pk, by=staff, body="Please restart it and tell us.")
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("Please restart it and tell us.")
    expect(page.get_by_role("main")).not_to_contain_text("firmware")
    page.get_by_label("Your message").fill("Restarted, it is fine now.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("main")).to_contain_text("Restarted, it is fine now.")
    page.get_by_role("button", name="Close this request").click()
    expect(page.get_by_role("heading", name="Rate our help")).to_be_visible()
    assert_follows_the_rules(page, spanish=False)
    page.get_by_label("5: Very good").check()
    page.get_by_role("button", name="Send the rating").click()
    expect(page.get_by_role("main")).to_contain_text("You rated our help 5 stars out of 5")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.rating == 5

    # The same pages in Spanish, as a person switches language.
    with page.expect_navigation():
        page.locator("button[name=language][value=es]").click()
    for path in (
        "/support/tickets/",
        "/support/tickets/new/?category=internet&subject=Sin+internet",
        f"/support/tickets/{ticket.pk}/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "es"
        assert_follows_the_rules(page, spanish=True)
