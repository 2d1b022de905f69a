"""Staff payment pages: who may open them, the search and its filters, a payment's page
with its postings, events and refunds, refunds in full or in part with a reason, and the
customer hub's payments section (last four digits only)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from dropline.accounts import roles
from dropline.core import clock
from dropline.payments.gateways import simulator
from dropline.payments.models import Payment, Refund
from dropline.payments.paying import pay
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import PAY_DAY, make_payer
from tests.support.payportal import words
from tests.support.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    catalog = make_catalog()
    payer = make_payer(catalog=catalog)
    other = make_payer(catalog=catalog)
    with clock.frozen(at(PAY_DAY)):
        payment = pay(
            account=payer.account,
            amount_cents=payer.balance,
            idempotency_key="staff-test",
            source="portal",
            actor=payer.customer.user,
        )
        pay(
            account=other.account,
            amount_cents=1234,
            idempotency_key="other",
            source="portal",
            actor=other.customer.user,
        )
    return payment


def _urls(payment: Payment) -> dict[str, str]:
    return {
        "payments": reverse("backoffice:payments"),
        "payment": reverse("backoffice:payment", args=[payment.confirmation_number]),
    }


def test_anonymous_visitors_go_to_the_staff_sign_in(client, paid):
    for url in _urls(paid).values():
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response.url).path == reverse("backoffice:login")


def test_staff_without_the_permission_and_customers_get_403(client, paid):
    client.force_login(make_staff(username="dispatcher", role=roles.FIELD_DISPATCH))
    for url in _urls(paid).values():
        assert client.get(url).status_code == 403
    refund = reverse("backoffice:payment_refund", args=[paid.confirmation_number])
    assert client.post(refund, {"amount": "1.00", "reason": "x"}).status_code == 403
    client.force_login(paid.account.members.get().user)
    assert client.get(_urls(paid)["payments"]).status_code == 403
    assert not Refund.objects.exists()


def test_customer_care_reads_payments_but_cannot_refund(client, paid):
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    page = client.get(_urls(paid)["payment"])
    assert page.status_code == 200
    text = words(page)
    assert "Refund this payment" not in text
    assert "Ledger postings" in text
    refund = reverse("backoffice:payment_refund", args=[paid.confirmation_number])
    assert client.post(refund, {"amount": "1.00", "reason": "x"}).status_code == 403
    assert not Refund.objects.exists()
    nav = client.get(reverse("backoffice:home")).content.decode()
    assert 'href="/backoffice/payments/"' in nav


def test_the_search_finds_by_account_confirmation_status_and_amount(client, paid):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    url = reverse("backoffice:payments")
    everything = words(client.get(url))
    assert paid.confirmation_number in everything
    assert "$12.34" in everything
    by_account = words(client.get(url, {"account": paid.account.number}))
    assert paid.confirmation_number in by_account
    assert "$12.34" not in by_account
    by_number = words(client.get(url, {"confirmation": paid.confirmation_number.lower()}))
    assert paid.confirmation_number in by_number
    assert "$12.34" not in by_number
    by_amount = words(client.get(url, {"amount": "12.34"}))
    assert paid.confirmation_number not in by_amount
    assert "$12.34" in by_amount
    assert "No payment matches" in words(client.get(url, {"status": "failed"}))
    on_day = words(
        client.get(url, {"made_from": PAY_DAY.isoformat(), "made_to": PAY_DAY.isoformat()})
    )
    assert paid.confirmation_number in on_day


def test_a_payment_page_shows_postings_and_a_refund_in_part_then_the_rest(client, paid):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    page = words(client.get(_urls(paid)["payment"]))
    assert "Refund this payment" in page
    assert "Cash clearing" in page or "clearing" in page.lower()
    refund_url = reverse("backoffice:payment_refund", args=[paid.confirmation_number])
    form = {"amount": "10.00", "reason": "Billing error", "idempotency_key": "r1"}
    with clock.frozen(at(PAY_DAY)):
        assert client.post(refund_url, {**form, "reason": ""}).status_code == 400
        too_much = client.post(refund_url, {**form, "amount": "100000"})
        assert too_much.status_code == 400
        assert "more than is left" in words(too_much)
        assert not Refund.objects.exists()
        done = client.post(refund_url, form)
        assert done.status_code == 302
        # The same form again is the same refund.
        client.post(refund_url, form)
    assert Refund.objects.filter(payment=paid).count() == 1
    refund = Refund.objects.get(payment=paid)
    assert refund.amount_cents == 1000
    assert refund.reason == "Billing error"
    page = words(client.get(_urls(paid)["payment"]))
    assert "Billing error" in page
    with clock.frozen(at(PAY_DAY)):
        simulator.release_due_events(now=clock.now())
        rest = paid.amount_cents - 1000
        left = f"{rest // 100}.{rest % 100:02d}"
        assert (
            client.post(refund_url, {**form, "amount": left, "idempotency_key": "r2"}).status_code
            == 302
        )
    paid.refresh_from_db()
    assert Refund.objects.filter(payment=paid).count() == 2
    assert "Refund this payment" not in words(client.get(_urls(paid)["payment"]))


def test_an_unknown_confirmation_number_is_a_404(client, paid):
    client.force_login(make_staff(username="biller", role=roles.BILLING))
    assert client.get(reverse("backoffice:payment", args=["P999999999"])).status_code == 404


def test_the_customer_hub_shows_payments_and_methods_last_four_only(client, paid):
    client.force_login(make_staff(username="agent", role=roles.CUSTOMER_CARE))
    hub = client.get(reverse("backoffice:customer", args=[paid.account.number]))
    text = words(hub)
    assert paid.confirmation_number in text
    assert "Visa •••• 4242" in text
    assert "4242424242424242" not in hub.content.decode()
