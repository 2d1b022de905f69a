"""A customer checks their connection in the browser: from the navigation, one button
(pressed with the keyboard), the answer with the outage's ETA and what was found; the
page and the answer fit a phone, axe finds nothing, in English and in Spanish."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from dropline.core import clock
from tests.e2e.checks import page_problems
from tests.e2e.support import LOGIN_PATH, MOBILE, TIMEOUT_MS, axe_violations, sign_in
from tests.support.factories import PASSWORD, make_customer
from tests.support.outages import declare_outage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "nav": "Connection check",
        "h1": "Check your connection",
        "button": "Check my connection",
        "headline": "There is an outage in your area",
        "title": "Internet outage",
        "eta": "Expected back by",
    },
    "es": {
        "nav": "Revisión de la conexión",
        "h1": "Revise su conexión",
        "button": "Revisar mi conexión",
        "headline": "Hay un corte de servicio en su zona",
        "title": "Corte de internet",
        "eta": "Debería volver antes de",
    },
}


@pytest.fixture
def outage_at_home(transactional_db: None) -> None:
    customer = make_customer(username="dark")
    declare_outage(
        areas=[customer.account.service_address.service_area],
        eta=clock.now() + dt.timedelta(hours=3),
    )


def _check(page: Page, path: str, *, spanish: bool) -> None:
    assert page_problems(page, path, spanish=spanish) == {}
    rules, report = axe_violations(page)
    assert not rules, f"axe found violations on {page.url}: {rules}\n{report}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_check_answers_with_the_outage_on_a_phone(
    browser: Browser, live_server: LiveServer, outage_at_home: None, language: str
) -> None:
    words = WORDS[language]
    context = browser.new_context(viewport=MOBILE, locale=language)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server.url + LOGIN_PATH, "dark", PASSWORD)
        page.goto(live_server.url + "/")
        nav = page.get_by_role("navigation", name=re.compile("Main|Principal"))
        nav.get_by_role("link", name=words["nav"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["h1"])
        _check(page, "/connection-check/", spanish=language == "es")

        page.get_by_role("button", name=words["button"]).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        answer = page.get_by_role("region", name=words["headline"])
        expect(answer).to_contain_text(words["title"])
        expect(answer).to_contain_text(words["eta"])
        _check(page, "/connection-check/", spanish=language == "es")
    finally:
        context.close()
