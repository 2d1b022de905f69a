"""The connection check's pages: one button, then one answer with the next step, in
both languages; CSRF on the button, a limit per account, and only ever the account the
signed-in person is looking at."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from dropline.core import clock
from dropline.network.diagnosis.checking import CHECKS_PER_ACCOUNT
from dropline.portal.common import SESSION_ACCOUNT_KEY
from dropline.subscriptions.suspension import suspend_services
from tests.support.factories import make_customer

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


@pytest.fixture
def customer():
    return make_customer(username="checker")


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer.user)
    return client


def test_the_page_has_one_button_that_posts_with_a_csrf_token(signed_in):
    response = signed_in.get("/connection-check/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your connection" in text(response)
    form = re.search(
        r'<form method="post" action="/connection-check/"[^>]*>(.*?)</form>', html, re.S
    )
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert "Check my connection" in form.group(1)


def test_the_page_and_the_answer_in_spanish(signed_in):
    page = text(signed_in.get("/connection-check/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Revisar mi conexión" in page
    answer = text(signed_in.post("/connection-check/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Todo se ve bien desde aquí" in answer
    assert "Everything looks fine" not in answer


def test_a_healthy_account_hears_everything_looks_fine_and_what_to_try(signed_in):
    response = signed_in.post("/connection-check/")
    words = text(response)
    assert response.status_code == 200
    assert "Everything looks fine from here" in words
    assert "run a speed test" in words
    assert "Check again" in words


def test_a_suspended_account_is_sent_to_pay_the_bill(signed_in, customer):
    suspend_services(account=customer.account, reason="Unpaid balance")
    response = signed_in.post("/connection-check/")
    words = text(response)
    assert "Your service is suspended for an unpaid balance" in words
    assert 'href="/billing/pay/"' in response.content.decode()
    assert "Restart" not in words


def test_without_the_csrf_token_the_button_is_refused_and_checks_nothing(customer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer.user)
    assert browser.post("/connection-check/").status_code == 403
    # Refused requests did not count against the account's checks.
    for _ in range(CHECKS_PER_ACCOUNT.count):
        token = browser.get("/connection-check/").context["csrf_token"]
        assert browser.post("/connection-check/", {"csrfmiddlewaretoken": token}).status_code == 200


def test_checks_are_limited_per_account_and_say_how_long_to_wait(signed_in):
    with clock.frozen(clock.now()):
        for _ in range(CHECKS_PER_ACCOUNT.count):
            assert signed_in.post("/connection-check/").status_code == 200
        refused = signed_in.post("/connection-check/")
    assert refused.status_code == 429
    words = text(refused)
    assert "You have checked several times in the last few minutes" in words
    assert "Everything looks fine" not in words
    # The button is still there for later.
    assert "Check my connection" in words


def test_the_limit_passes_with_time(signed_in):
    start = clock.now()
    with clock.frozen(start):
        for _ in range(CHECKS_PER_ACCOUNT.count):
            signed_in.post("/connection-check/")
        assert signed_in.post("/connection-check/").status_code == 429
    with clock.frozen(start + CHECKS_PER_ACCOUNT.window):
        assert signed_in.post("/connection-check/").status_code == 200


def test_only_the_signed_in_persons_account_is_checked(signed_in, customer):
    other = make_customer(username="neighbor")
    suspend_services(account=other.account, reason="Unpaid balance")
    session = signed_in.session
    session[SESSION_ACCOUNT_KEY] = other.account.pk
    session.save()
    words = text(signed_in.post("/connection-check/"))
    assert "Everything looks fine from here" in words
    assert "suspended" not in words


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/connection-check/").status_code == 302
    response = client.post("/connection-check/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_navigation_and_the_overview_lead_here(signed_in):
    overview = signed_in.get("/")
    html = overview.content.decode()
    assert 'href="/connection-check/"' in html
    assert "Internet not working?" in text(overview)
