"""A customer disputes a charge from the invoice page with a picture attached, on a
390px phone: the form, the dispute's page and the list follow the rules (axe, no
sideways scroll, words in the page's language) in English and in Spanish."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.payments.disputes.models import Dispute
from dropline.payments.disputes.queries import held_cents
from tests.e2e.checks import assert_follows_the_rules
from tests.e2e.support import LOGIN_PATH, MOBILE, TIMEOUT_MS, sign_in
from tests.support.bills import Household, billed_customer
from tests.support.disputes import charge_line, png_bytes, use_upload_root
from tests.support.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def household(transactional_db: None, settings: object, tmp_path: Path) -> Household:
    use_upload_root(settings, tmp_path)
    return billed_customer(username="rivera", months=3)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=MOBILE, locale="en-US", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_customer_disputes_a_charge_with_a_picture(
    phone: Page, live_server: LiveServer, household: Household, tmp_path: Path
) -> None:
    page = phone
    sign_in(page, live_server.url + LOGIN_PATH, "rivera", PASSWORD)
    invoice = household.invoices[-1]
    line = charge_line(invoice)
    page.goto(f"{live_server.url}/billing/invoices/{invoice.number}/")
    links = page.locator("a.dispute-link")
    expect(links.first).to_be_visible()
    assert links.first.inner_text() == ""
    assert links.first.get_attribute("aria-label")
    page.locator(f'a.dispute-link[href$="line={line.pk}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dispute a charge")
    assert_follows_the_rules(page, spanish=False)

    picture = tmp_path / "modem-returned.png"
    picture.write_bytes(png_bytes((40, 30)))
    page.get_by_label("Amount you dispute").fill("12.50")
    page.get_by_label("Why you dispute it").select_option("equipment_returned")
    page.get_by_label("What happened").fill("I returned the modem in February.")
    page.get_by_label(re.compile(r"^Files")).set_input_files(str(picture))
    page.get_by_role("button", name="Send the dispute").click()

    dispute = Dispute.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Dispute {dispute.number}")
    expect(page.get_by_role("link", name="modem-returned.png")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("I returned the modem in February.")
    assert dispute.attachments.get().content_type == "image/png"
    assert held_cents(account_id=household.account.pk) == 1250
    assert_follows_the_rules(page, spanish=False)
    page.goto(f"{live_server.url}/billing/disputes/")
    expect(page.get_by_role("link", name=dispute.number)).to_be_visible()
    assert_follows_the_rules(page, spanish=False)

    # The same pages in Spanish, as a person switches language.
    with page.expect_navigation():
        page.locator("button[name=language][value=es]").click()
    first = household.invoices[0]
    for path in (
        "/billing/disputes/",
        f"/billing/disputes/{dispute.pk}/",
        f"/billing/disputes/new/?invoice={first.number}&line={charge_line(first).pk}",
        f"/billing/invoices/{invoice.number}/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "es"
        assert_follows_the_rules(page, spanish=True)
    page.goto(f"{live_server.url}/billing/disputes/{dispute.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Disputa {dispute.number}")
