"""The autopay and extension pages: what the customer sees, turning autopay on, changing
its method and turning it off with the cut-off said in words, asking for more time; and
what must not happen (another account's method, a date past the limit)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dropline.core import clock
from dropline.payments.models import AutopayEnrolment, PaymentExtension
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import make_payer

D = dt.date
pytestmark = pytest.mark.django_db
URL = "/billing/autopay/"
EXTENSION = "/billing/extension/"


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture
def payer(client):
    found = make_payer()
    client.force_login(found.customer.user)
    return found


def test_off_it_offers_the_discount_and_the_saved_methods(client, payer):
    with clock.frozen(at(D(2026, 1, 12))):
        page = client.get(URL)
    assert page.status_code == 200
    words = text(page)
    assert "Autopay is off" in words
    assert "$5.00 off each month with autopay and paperless bills" in words
    assert "ending in 4242" in words
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()


def test_turning_it_on_in_time_says_the_next_charge_and_the_discount(client, payer):
    with clock.frozen(at(D(2026, 1, 12))):
        done = client.post(URL, {"action": "enrol", "method": payer.method.pk}, follow=True)
    words = text(done)
    assert "Autopay is on. It starts with your bill due on Jan. 26, 2026." in words
    assert "Pays with" in words
    assert "on Jan. 26, 2026" in words
    assert "$5.00 off each month, from your bill of Feb. 5, 2026" in words


def test_turning_it_on_inside_the_cutoff_says_it_starts_with_the_bill_after(client, payer):
    with clock.frozen(at(D(2026, 1, 21))):
        done = client.post(URL, {"action": "enrol", "method": payer.method.pk}, follow=True)
    assert "Autopay starts with your bill due on Feb. 26, 2026." in text(done)


def test_turning_it_off_inside_the_cutoff_says_that_bill_is_still_charged(client, payer):
    with clock.frozen(at(D(2026, 1, 12))):
        client.post(URL, {"action": "enrol", "method": payer.method.pk})
    with clock.frozen(at(D(2026, 1, 22))):
        client.logout()  # a new day, a new sign-in
        client.force_login(payer.customer.user)
        done = client.post(URL, {"action": "cancel"}, follow=True)
    words = text(done)
    assert "Autopay is off" in words
    assert "Your bill due on Jan. 26, 2026 will still be charged." in words


def test_another_accounts_method_is_refused_and_nothing_is_enrolled(client):
    catalog = make_catalog()
    mine = make_payer(catalog=catalog)
    theirs = make_payer(catalog=catalog)
    client.force_login(mine.customer.user)
    with clock.frozen(at(D(2026, 1, 12))):
        refused = client.post(URL, {"action": "enrol", "method": theirs.method.pk})
    assert refused.status_code == 400
    assert not AutopayEnrolment.objects.exists()


def test_without_a_saved_method_it_links_to_saving_one(client, payer):
    payer.method.removed_at = payer.method.created_at
    payer.method.save(update_fields=["removed_at"])
    with clock.frozen(at(D(2026, 1, 12))):
        page = client.get(URL)
    words = text(page)
    assert "first save a card or bank account" in words
    assert 'value="enrol"' not in page.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
    assert client.get(EXTENSION).status_code == 302


def test_asking_for_more_time_within_the_limit(client, payer):
    with clock.frozen(at(D(2026, 1, 20))):
        page = client.get(EXTENSION)
        assert "Feb. 9, 2026" in text(page)
        done = client.post(EXTENSION, {"until": "2026-02-05"}, follow=True)
    assert "You have until Feb. 5, 2026 to pay your bill." in text(done)
    assert PaymentExtension.objects.get().until == D(2026, 2, 5)


def test_a_date_past_the_limit_is_refused_on_the_field(client, payer):
    with clock.frozen(at(D(2026, 1, 20))):
        refused = client.post(EXTENSION, {"until": "2026-03-01"})
    assert refused.status_code == 400
    assert "Choose a date no later than Feb. 9, 2026." in text(refused)
    assert 'aria-invalid="true"' in refused.content.decode()
    assert not PaymentExtension.objects.exists()


def test_spanish_pages(client, payer):
    with clock.frozen(at(D(2026, 1, 20))):
        page = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200


def test_turning_it_off_long_after_its_first_bill_says_nothing_more_is_charged(client, payer):
    with clock.frozen(at(D(2026, 1, 12))):
        client.post(URL, {"action": "enrol", "method": payer.method.pk})
    with clock.frozen(at(D(2026, 3, 2))):
        client.logout()
        client.force_login(payer.customer.user)
        done = client.post(URL, {"action": "cancel"}, follow=True)
    words = text(done)
    assert "charge your bills automatically." in words
    assert "will still be charged" not in words
