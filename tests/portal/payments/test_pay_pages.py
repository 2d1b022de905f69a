"""Paying the bill on the web: the amount due, the full balance or another amount, now
or on a later day; the receipt; the payments list; no double charge; refusals that say
why; another account's receipt is a 404."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.payments.models import Payment, ScheduledPayment
from tests.support.billing import at
from tests.support.catalog import make_catalog
from tests.support.payments import PAY_DAY, make_payer, save_bank_account
from tests.support.payportal import authorized_user, pay_form, sign_in, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return make_catalog()


@pytest.fixture
def payer(catalog):
    return make_payer(catalog=catalog)


@pytest.fixture
def today():
    with clock.frozen(at(PAY_DAY)):
        yield PAY_DAY


def _money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def test_the_pay_page_offers_the_amount_due_with_the_default_method(client, payer, today):
    sign_in(client, payer, fresh=False)
    response = client.get("/billing/pay/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = words(response)
    owed = _money(payer.balance)
    assert f"Amount due: {owed}" in text
    assert "Visa •••• 4242, expires 12/2030" in text
    form = pay_form(client)
    assert form["amount_choice"] == "due"
    assert form["method"] == str(payer.method.pk)
    assert len(form["idempotency_key"]) >= 20
    # A fresh key for every showing of the page.
    assert pay_form(client)["idempotency_key"] != form["idempotency_key"]


def test_paying_the_amount_due_shows_the_receipt(client, payer, today):
    sign_in(client, payer, fresh=False)
    owed = payer.balance
    response = client.post("/billing/pay/", pay_form(client))
    assert response.status_code == 302
    payment = Payment.objects.get(account=payer.account)
    assert payment.amount_cents == owed
    assert response["Location"] == f"/billing/payments/{payment.confirmation_number}/"
    receipt = client.get(response["Location"])
    text = words(receipt)
    assert "Thank you: your payment is made" in text
    assert f"Confirmation number {payment.confirmation_number}" in text
    assert f"Amount {_money(owed)}" in text
    assert "Paid with Visa •••• 4242" in text
    assert "Balance after this payment $0.00" in text
    assert payer.balance == 0


def test_a_double_submit_pays_once(client, payer, today):
    sign_in(client, payer, fresh=False)
    form = pay_form(client)
    first = client.post("/billing/pay/", form)
    second = client.post("/billing/pay/", form)
    assert first["Location"] == second["Location"]
    assert Payment.objects.filter(account=payer.account).count() == 1


def test_another_amount_and_a_refusal_over_the_balance_that_says_the_most(client, payer, today):
    sign_in(client, payer, fresh=False)
    owed = payer.balance
    form = pay_form(client) | {"amount_choice": "other", "other_amount": "10.00"}
    assert client.post("/billing/pay/", form).status_code == 302
    assert Payment.objects.get(account=payer.account).amount_cents == 1000
    form = pay_form(client) | {"amount_choice": "other", "other_amount": "100000"}
    refused = client.post("/billing/pay/", form)
    assert refused.status_code == 400
    assert f"The most you can pay now is {_money(owed - 1000)}" in words(refused)
    assert Payment.objects.filter(account=payer.account).count() == 1
    for junk in ("", "-5", "1e3", "12.345"):
        form = pay_form(client) | {"amount_choice": "other", "other_amount": junk}
        assert client.post("/billing/pay/", form).status_code == 400, junk
    assert Payment.objects.filter(account=payer.account).count() == 1


def test_a_declined_card_says_nothing_was_taken(client, catalog, today):
    payer = make_payer(card="4000000000000002", catalog=catalog)
    sign_in(client, payer, fresh=False)
    response = client.post("/billing/pay/", pay_form(client), follow=True)
    text = words(response)
    assert "Your payment did not go through" in text
    assert "Nothing was taken" in text
    assert payer.balance > 0


def test_a_bank_payment_is_processing_for_up_to_3_business_days(client, payer, today):
    bank = save_bank_account(payer.customer, "000123456789")
    sign_in(client, payer, fresh=False)
    form = pay_form(client) | {"method": str(bank.pk)}
    text = words(client.post("/billing/pay/", form, follow=True))
    assert "Your payment is on its way" in text
    assert "Bank payments take up to 3 business days" in text


def test_scheduling_a_payment_and_canceling_it(client, payer, today):
    sign_in(client, payer, fresh=False)
    later = today + dt.timedelta(days=5)
    form = pay_form(client) | {"when": "later", "pay_on": later.isoformat()}
    response = client.post("/billing/pay/", form, follow=True)
    text = words(response)
    assert "is scheduled for" in text
    assert "Scheduled payments" in text
    scheduled = ScheduledPayment.objects.get(account=payer.account)
    assert not Payment.objects.filter(account=payer.account).exists()
    response = client.post(f"/billing/payments/scheduled/{scheduled.pk}/cancel/", follow=True)
    assert "is canceled" in words(response)
    scheduled.refresh_from_db()
    assert scheduled.status == "cancelled"
    missing_day = pay_form(client) | {"when": "later", "pay_on": ""}
    assert client.post("/billing/pay/", missing_day).status_code == 400


def test_the_payments_list(client, payer, today):
    sign_in(client, payer, fresh=False)
    client.post("/billing/pay/", pay_form(client))
    payment = Payment.objects.get(account=payer.account)
    text = words(client.get("/billing/payments/"))
    assert payment.confirmation_number in text
    assert "Paid" in text
    assert "Visa •••• 4242" in text


def test_an_authorized_user_may_pay(client, payer, today):
    authorized_user(client, payer)
    assert client.post("/billing/pay/", pay_form(client)).status_code == 302
    assert Payment.objects.filter(account=payer.account).count() == 1


def test_without_a_saved_method_the_page_links_to_adding_one(client, payer, today):
    payer.method.removed_at = clock.now()
    payer.method.is_default = False
    payer.method.save()
    sign_in(client, payer, fresh=False)
    text = words(client.get("/billing/pay/"))
    assert "first save a card or bank account" in text


def test_another_accounts_receipt_and_scheduled_payment_are_404(client, payer, catalog, today):
    other = make_payer(catalog=catalog)
    other_client = sign_in(type(client)(), other, fresh=False)
    one_dollar = {"amount_choice": "other", "other_amount": "1.00"}
    later = {"when": "later", "pay_on": (today + dt.timedelta(days=3)).isoformat()}
    assert (
        other_client.post("/billing/pay/", pay_form(other_client) | one_dollar | later).status_code
        == 302
    )
    assert (
        other_client.post("/billing/pay/", pay_form(other_client) | one_dollar).status_code == 302
    )
    theirs = Payment.objects.get(account=other.account)
    scheduled = ScheduledPayment.objects.get(account=other.account)
    sign_in(client, payer, fresh=False)
    assert client.get(f"/billing/payments/{theirs.confirmation_number}/").status_code == 404
    assert client.post(f"/billing/payments/scheduled/{scheduled.pk}/cancel/").status_code == 404
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"
    assert theirs.confirmation_number not in words(client.get("/billing/payments/"))


def test_the_billing_overview_has_pay_now_and_the_statement_shows_the_payment(client, payer, today):
    sign_in(client, payer, fresh=False)
    overview = client.get("/billing/").content.decode()
    assert 'href="/billing/pay/"' in overview
    client.post("/billing/pay/", pay_form(client))
    payment = Payment.objects.get(account=payer.account)
    statement = words(client.get("/billing/statement/"))
    assert f"Payment {payment.confirmation_number} Paid" in statement
    assert "$0.00" in statement


def test_the_billing_overview_shows_the_last_payment_and_autopay_off(client, payer, today):
    sign_in(client, payer, fresh=False)
    client.post(
        "/billing/pay/", pay_form(client) | {"amount_choice": "other", "other_amount": "5.00"}
    )
    response = client.get("/billing/")
    text = words(response)
    assert "Last payment $5.00" in text
    assert "Autopay Off. Set up autopay" in text
    assert 'href="/billing/autopay/"' in response.content.decode()


def test_the_pay_page_in_spanish(client, payer, today):
    sign_in(client, payer, fresh=False)
    client.post("/i18n/setlang/", {"language": "es"})
    text = words(client.get("/billing/pay/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Pagar su factura" in text
    assert "Monto a pagar:" in text


def test_a_payment_whose_answer_is_not_known_yet_is_being_confirmed(client, catalog, today):
    payer = make_payer(card="4000000000000408", catalog=catalog)  # the gateway times out
    sign_in(client, payer, fresh=False)
    response = client.post("/billing/pay/", pay_form(client), follow=True)
    text = words(response)
    assert "Your payment is being confirmed" in text
    assert "please don't pay again" in text
    assert Payment.objects.get(account=payer.account).status == "sending"
