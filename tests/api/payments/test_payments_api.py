"""Paying from the app: the Idempotency-Key header makes a repeat safe (201, then 200
with the same body), a request still running answers 409, refusals 422 with the field;
another account's payment is 404."""

import pytest

from dropline.core import clock
from dropline.payments.models import Payment
from tests.support.app_client import App
from tests.support.billing import at
from tests.support.payments import PAY_DAY, make_payer, save_card

pytestmark = pytest.mark.django_db

PAYMENTS = "/api/v1/payments"


@pytest.fixture
def payer():
    return make_payer(username="paula")


@pytest.fixture
def app(payer):
    return App("paula")


def test_paying_answers_201_then_200_with_the_same_body(app, payer):
    owed = payer.balance
    first = app.post(PAYMENTS, {"amount_cents": owed}, Idempotency_Key="abc-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "succeeded"
    assert body["amount_cents"] == owed
    assert body["method"]["last4"] == "4242"
    again = app.post(PAYMENTS, {"amount_cents": owed}, Idempotency_Key="abc-1")
    assert again.status_code == 200
    assert again.json() == body
    assert Payment.objects.count() == 1
    assert payer.balance == 0


def test_the_key_is_required_and_may_not_be_reused_for_another_amount(app, payer):
    missing = app.post(PAYMENTS, {"amount_cents": 100})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "idempotency_key"
    app.post(PAYMENTS, {"amount_cents": 100}, Idempotency_Key="k")
    reused = app.post(PAYMENTS, {"amount_cents": 200}, Idempotency_Key="k")
    assert reused.status_code == 422
    assert reused.json()["code"] == "key_reused"
    assert Payment.objects.count() == 1


def test_a_request_still_running_answers_409(app, payer):
    with clock.frozen(at(PAY_DAY)):
        slow = save_card(payer.customer, "4000000000000408")
    body = {"amount_cents": 100, "payment_method_id": slow.pk}
    first = app.post(PAYMENTS, body, Idempotency_Key="slow")
    assert first.status_code == 201
    assert first.json()["status"] == "sending"
    again = app.post(PAYMENTS, body, Idempotency_Key="slow")
    assert again.status_code == 409
    assert again.json()["code"] == "in_progress"


def test_over_the_balance_says_the_most_that_may_be_paid(app, payer):
    owed = payer.balance
    response = app.post(PAYMENTS, {"amount_cents": owed + 1}, Idempotency_Key="o")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "amount_cents"
    assert f"{owed % 100:02d}" in error["reason"]
    assert response.json()["code"] == "over_balance"
    assert not Payment.objects.exists()


def test_a_declined_card_is_a_failed_payment(app, payer):
    with clock.frozen(at(PAY_DAY)):
        declined = save_card(payer.customer, "4000000000000002")
    response = app.post(
        PAYMENTS,
        {"amount_cents": 100, "payment_method_id": declined.pk},
        Idempotency_Key="d",
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["failure_code"]) == (
        "failed",
        "card_declined",
    )


def test_listing_and_one_payment_and_the_amounts(app, payer):
    owed = payer.balance
    amounts = app.get(f"{PAYMENTS}/amounts").json()
    assert (amounts["balance_cents"], amounts["max_cents"]) == (owed, owed)
    number = app.post(PAYMENTS, {"amount_cents": 100}, Idempotency_Key="a").json()[
        "confirmation_number"
    ]
    app.post(PAYMENTS, {"amount_cents": 200}, Idempotency_Key="b")
    page = app.get(f"{PAYMENTS}?limit=1").json()
    assert [p["amount_cents"] for p in page["items"]] == [200]
    rest = app.get(f"{PAYMENTS}?limit=1&cursor={page['next_cursor']}").json()
    assert [p["confirmation_number"] for p in rest["items"]] == [number]
    one = app.get(f"{PAYMENTS}/{number}")
    assert one.status_code == 200
    assert one.json()["amount_cents"] == 100


def test_another_accounts_payment_and_method_are_not_found(app, payer):
    other = make_payer(username="oscar")
    theirs = App("oscar").post(PAYMENTS, {"amount_cents": 100}, Idempotency_Key="x")
    number = theirs.json()["confirmation_number"]
    assert app.get(f"{PAYMENTS}/{number}").status_code == 404
    assert app.get(f"{PAYMENTS}?account={other.account.number}").status_code == 404
    response = app.post(
        PAYMENTS,
        {"amount_cents": 100, "payment_method_id": other.method.pk},
        Idempotency_Key="y",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payment_method_id"
    assert Payment.objects.filter(account=payer.account).count() == 0


def test_a_refusal_is_said_in_the_callers_language(payer):
    app = App("paula")
    owed = payer.balance
    response = app.post(
        PAYMENTS, {"amount_cents": owed + 1}, Idempotency_Key="es", Accept_Language="es"
    )
    assert response.status_code == 422
    assert "Lo máximo que puede pagar ahora es" in response.json()["detail"]
