"""Dropline configured for Stripe (``DROPLINE_PAYMENT_GATEWAY=stripe``) against the
local Stripe server: a method saved through a SetupIntent, a payment through
``paying.pay``, and Stripe's signed events through the webhook path."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client, override_settings

from dropline.core import clock
from dropline.customers.models import CustomerAccount
from dropline.ledger.queries import balance_cents
from dropline.payments import methods
from dropline.payments.events import APPLIED, OLDER, receive_webhook
from dropline.payments.models import GatewayEvent, Payment, PaymentMethod
from dropline.payments.paying import pay
from tests.support.app_client import App
from tests.support.billing import at
from tests.support.bills import billed_customer
from tests.support.stripe_stub import PUBLISHABLE_KEY, StripeStub, sign, stripe_stub

PAY_TIME = at(dt.date(2026, 1, 10))


@pytest.fixture
def stub() -> Iterator[StripeStub]:
    with stripe_stub() as running, override_settings(**running.settings()):
        yield running


@dataclass
class StripePayer:
    account: CustomerAccount
    user: object
    method: PaymentMethod

    @property
    def balance(self) -> int:
        return balance_cents(self.account.pk)


def _payer(stub: StripeStub, test_method: str = "pm_card_visa") -> StripePayer:
    household = billed_customer(username=f"stripe{len(stub.calls)}", months=1)
    with clock.frozen(PAY_TIME):
        setup = methods.start_setup(account=household.account)
        setup_intent = setup.client_secret.split("_secret_")[0]
        stub.confirm_setup(setup_intent, test_method)
        method = methods.add_method(
            account=household.account, token=setup_intent, actor=household.user
        )
    return StripePayer(account=household.account, user=household.user, method=method)


def _pay(payer: StripePayer, amount: int, key: str = "k1") -> Payment:
    with clock.frozen(PAY_TIME):
        return pay(
            account=payer.account,
            amount_cents=amount,
            idempotency_key=key,
            source="portal",
            actor=payer.user,  # type: ignore[arg-type]
        )


def _deliver(stub: StripeStub, event_type: str, obj: dict, **kw: object) -> GatewayEvent:
    body = stub.event(event_type, obj, **kw)  # type: ignore[arg-type]
    with clock.frozen(PAY_TIME):
        return receive_webhook(gateway="stripe", body=body, headers=sign(body))


def test_a_saved_card_is_the_pm_not_the_setup_intent(db: None, stub: StripeStub) -> None:
    payer = _payer(stub)

    assert payer.method.gateway == "stripe"
    assert payer.method.token.startswith("pm_")
    assert (payer.method.brand, payer.method.last4, payer.method.is_default) == (
        "visa",
        "4242",
        True,
    )
    assert (
        stub.objects[payer.method.token]["customer"]
        == payer.account.gateway_customers.get(gateway="stripe").reference
    )


def test_paying_the_balance_by_card_charges_stripe_once(db: None, stub: StripeStub) -> None:
    payer = _payer(stub)
    owed = payer.balance

    payment = _pay(payer, owed)
    again = _pay(payer, owed)

    assert payment.status == "succeeded"
    assert payment.gateway_reference.startswith("pi_")
    assert again.pk == payment.pk
    assert payer.balance == 0
    charges = stub.posts("/v1/payment_intents")
    assert len(charges) == 1
    assert charges[0].headers["idempotency-key"] == f"dropline-{payment.confirmation_number}"
    assert charges[0].params["amount"] == str(owed)
    assert charges[0].params["customer"] == payer.account.gateway_customers.get().reference


def test_a_declined_card_leaves_the_balance(db: None, stub: StripeStub) -> None:
    payer = _payer(stub, "pm_card_chargeDeclined")
    owed = payer.balance

    payment = _pay(payer, owed)

    assert (payment.status, payment.failure_code) == ("failed", "generic_decline")
    assert payer.balance == owed


def test_a_timeout_stays_sending_then_the_same_key_finds_the_one_charge(
    db: None, stub: StripeStub
) -> None:
    from dropline.payments.paying import resolve_unknown

    payer = _payer(stub)
    owed = payer.balance
    stub.slow_next(2.0)

    payment = _pay(payer, owed)
    assert payment.status == "sending"
    assert payer.balance == owed
    time.sleep(1.2)
    with clock.frozen(PAY_TIME + dt.timedelta(minutes=5)):
        assert resolve_unknown() == 1

    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert payer.balance == 0
    assert len([o for o in stub.objects.values() if o["object"] == "payment_intent"]) == 1


def test_a_bank_debit_clears_by_webhook_and_a_replay_changes_nothing(
    db: None, stub: StripeStub
) -> None:
    payer = _payer(stub, "pm_usBankAccount_success")
    owed = payer.balance

    payment = _pay(payer, owed)
    assert payment.status == "processing"
    intent = {**stub.objects[payment.gateway_reference], "status": "succeeded"}
    body_created = int(time.time())
    first = _deliver(
        stub, "payment_intent.succeeded", intent, created=body_created, event_id="evt_ok"
    )
    replay = _deliver(
        stub, "payment_intent.succeeded", intent, created=body_created, event_id="evt_ok"
    )

    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert first.outcome == APPLIED
    assert replay.pk == first.pk
    assert GatewayEvent.objects.filter(event_id="evt_ok").count() == 1
    assert payer.balance == 0


def test_a_late_failure_older_than_the_success_is_not_applied(db: None, stub: StripeStub) -> None:
    payer = _payer(stub, "pm_usBankAccount_success")
    payment = _pay(payer, payer.balance)
    intent = stub.objects[payment.gateway_reference]
    now = int(time.time())

    _deliver(stub, "payment_intent.succeeded", {**intent, "status": "succeeded"}, created=now)
    late = _deliver(
        stub,
        "payment_intent.payment_failed",
        {**intent, "last_payment_error": {"code": "insufficient_funds"}},
        created=now - 60,
    )

    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert late.payment_id == payment.pk
    assert late.outcome == OLDER
    assert payer.balance == 0


def test_settlement_and_a_chargeback_move_the_money_back(db: None, stub: StripeStub) -> None:
    payer = _payer(stub)
    owed = payer.balance
    payment = _pay(payer, owed)
    charge = stub.objects[stub.objects[payment.gateway_reference]["latest_charge"]]

    settled = _deliver(stub, "charge.succeeded", charge)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": owed,
        "charge": charge["id"],
        "payment_intent": payment.gateway_reference,
        "reason": "fraudulent",
        "status": "needs_response",
    }
    chargeback = _deliver(stub, "charge.dispute.created", dispute)

    payment.refresh_from_db()
    assert settled.kind == "payment.settled"
    assert payment.settled_at is not None
    assert chargeback.kind == "payment.chargeback"
    assert (payment.status, payment.failure_code) == ("returned", "fraudulent")
    assert payer.balance == owed


def test_a_badly_signed_event_records_nothing(db: None, stub: StripeStub) -> None:
    from dropline.payments.errors import InvalidWebhookError

    body = stub.event("payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"})
    with pytest.raises(InvalidWebhookError):
        receive_webhook(gateway="stripe", body=body, headers=sign(body, secret="whsec_other"))
    assert not GatewayEvent.objects.exists()


def test_through_the_api_a_method_a_payment_and_stripes_webhook(db: None, stub: StripeStub) -> None:
    """The app saves a card through Stripe, pays once per key, and Stripe's signed event
    arrives at ``POST /api/v1/webhooks/stripe``."""
    household = billed_customer(username="stripeapp", months=1)
    owed = balance_cents(household.account.pk)
    with clock.frozen(PAY_TIME):
        app = App("stripeapp")
        setup = app.post("/api/v1/payment-methods/setup")
        assert setup.status_code == 200, setup.content
        assert setup.json()["gateway"] == "stripe"
        assert setup.json()["publishable_key"] == PUBLISHABLE_KEY
        setup_intent = setup.json()["client_secret"].split("_secret_")[0]
        stub.confirm_setup(setup_intent)
        added = app.post("/api/v1/payment-methods", {"token": setup_intent})
        assert added.status_code == 201, added.content
        paid = app.post("/api/v1/payments", {"amount_cents": owed}, Idempotency_Key="app-1")
        again = app.post("/api/v1/payments", {"amount_cents": owed}, Idempotency_Key="app-1")

    assert paid.status_code == 201, paid.content
    assert paid.json()["status"] == "succeeded"
    assert again.status_code == 200
    assert again.json() == paid.json()
    assert len(stub.posts("/v1/payment_intents")) == 1
    payment = Payment.objects.get(confirmation_number=paid.json()["confirmation_number"])
    charge = stub.objects[stub.objects[payment.gateway_reference]["latest_charge"]]
    body = stub.event("charge.succeeded", charge)
    webhook = Client(enforce_csrf_checks=True)

    delivered = webhook.post(
        "/api/v1/webhooks/stripe", body, content_type="application/json", headers=sign(body)
    )
    replayed = webhook.post(
        "/api/v1/webhooks/stripe", body, content_type="application/json", headers=sign(body)
    )
    forged = webhook.post(
        "/api/v1/webhooks/stripe",
        body,
        content_type="application/json",
        headers=sign(body, secret="whsec_forged"),
    )

    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["outcome"] == APPLIED
    assert replayed.status_code == 200
    assert forged.status_code == 400
    assert GatewayEvent.objects.filter(gateway="stripe").count() == 1
    payment.refresh_from_db()
    assert payment.settled_at is not None
    assert balance_cents(household.account.pk) == 0
