"""The Stripe adapter against a local server that answers as the Stripe API does: the
real ``stripe`` library makes every request over a real socket."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from dropline.payments.errors import GatewayUnavailableError, InvalidWebhookError, PaymentError
from dropline.payments.gateways import get_gateway
from dropline.payments.gateways.base import (
    ChargeStatus,
    EventKind,
    MethodKind,
    RefundStatus,
    WebhookEvent,
)
from dropline.payments.gateways.stripe_gateway import StripeGateway
from tests.support.stripe_stub import (
    PUBLISHABLE_KEY,
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeStub,
    sign,
    stripe_stub,
)


@pytest.fixture
def stub() -> Iterator[StripeStub]:
    with stripe_stub() as running, override_settings(**running.settings()):
        yield running


@pytest.fixture
def gateway(stub: StripeStub) -> StripeGateway:
    chosen = get_gateway()
    assert isinstance(chosen, StripeGateway)
    return chosen


def _customer(gateway: StripeGateway) -> str:
    return gateway.ensure_customer(account_number="100000001", name="Ana Ruiz", email="a@x.test")


def _saved(gateway: StripeGateway, stub: StripeStub, test_method: str = "pm_card_visa") -> str:
    customer = _customer(gateway)
    setup = gateway.start_setup(customer=customer)
    setup_intent = setup.client_secret.split("_secret_")[0]
    stub.confirm_setup(setup_intent, test_method)
    return gateway.attach_method(customer=customer, token=setup_intent).token


def _charge(gateway: StripeGateway, customer: str, method: str, key: str, amount: int = 5000):
    return gateway.charge(
        customer=customer,
        method_token=method,
        amount_cents=amount,
        currency="USD",
        idempotency_key=key,
        description="Dropline payment P000000001",
        metadata={"confirmation_number": "P000000001", "account_number": "100000001"},
    )


def test_requests_carry_the_secret_key_and_form_encoding(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    customer = _customer(gateway)
    setup = gateway.start_setup(customer=customer)

    assert customer.startswith("cus_")
    assert setup.client_secret.startswith("seti_")
    assert "_secret_" in setup.client_secret
    assert setup.publishable_key == PUBLISHABLE_KEY
    made = stub.posts("/v1/customers")[0]
    assert made.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert made.params["metadata"] == {"account_number": "100000001"}
    setup_call = stub.posts("/v1/setup_intents")[0]
    assert setup_call.params["payment_method_types"] == ["card", "us_bank_account"]
    assert setup_call.params["usage"] == "off_session"


def test_a_wrong_key_is_unavailable_not_a_decline(stub: StripeStub) -> None:
    wrong_key = override_settings(STRIPE_SECRET_KEY="sk_test_wrong")
    with wrong_key, pytest.raises(GatewayUnavailableError):
        _customer(StripeGateway())


def test_a_confirmed_setup_intent_gives_the_card_without_its_number(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    customer = _customer(gateway)
    setup_intent = gateway.start_setup(customer=customer).client_secret.split("_secret_")[0]
    stub.confirm_setup(setup_intent, "pm_card_visa")

    details = gateway.attach_method(customer=customer, token=setup_intent)

    assert details.token.startswith("pm_")
    assert (details.kind, details.brand, details.last4) == (MethodKind.CARD, "visa", "4242")
    assert (details.exp_month, details.exp_year, details.holder_name) == (12, 2034, "Jenny Rosen")


def test_a_bank_account_gives_the_bank_name(gateway: StripeGateway, stub: StripeStub) -> None:
    customer = _customer(gateway)
    setup_intent = gateway.start_setup(customer=customer).client_secret.split("_secret_")[0]
    stub.confirm_setup(setup_intent, "pm_usBankAccount_success")

    details = gateway.attach_method(customer=customer, token=setup_intent)

    assert details.kind == MethodKind.BANK_ACCOUNT
    assert (details.brand, details.last4, details.exp_month) == ("STRIPE TEST BANK", "6789", None)


def test_a_payment_method_id_is_attached_to_the_customer(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    customer = _customer(gateway)

    details = gateway.attach_method(customer=customer, token="pm_card_visa")

    assert details.token.startswith("pm_")
    assert details.token != "pm_card_visa"
    assert stub.objects[details.token]["customer"] == customer


@pytest.mark.parametrize("token", ["seti_unknown", "pm_unknown", "tok_other", ""])
def test_an_unknown_token_is_refused(gateway: StripeGateway, token: str) -> None:
    with pytest.raises(PaymentError) as refused:
        gateway.attach_method(customer=_customer(gateway), token=token)
    assert (refused.value.field, refused.value.code) == ("token", "invalid_token")


def test_an_unconfirmed_or_another_customers_setup_intent_is_refused(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    customer = _customer(gateway)
    other = gateway.ensure_customer(account_number="100000002", name="B", email="")
    unconfirmed = gateway.start_setup(customer=customer).client_secret.split("_secret_")[0]
    theirs = gateway.start_setup(customer=other).client_secret.split("_secret_")[0]
    stub.confirm_setup(theirs)

    for token in (unconfirmed, theirs):
        with pytest.raises(PaymentError) as refused:
            gateway.attach_method(customer=customer, token=token)
        assert refused.value.code == "invalid_token"


def test_a_card_charge_succeeds_off_session_with_the_key(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)
    customer = stub.objects[method]["customer"]

    result = _charge(gateway, customer, method, "pay:1")

    assert result.status == ChargeStatus.SUCCEEDED
    assert result.reference.startswith("pi_")
    sent = stub.posts("/v1/payment_intents")[0]
    assert sent.headers["idempotency-key"] == "pay:1"
    assert sent.params["confirm"] == "true"
    assert sent.params["off_session"] == "true"
    assert (sent.params["amount"], sent.params["currency"]) == ("5000", "usd")
    assert sent.params["metadata"]["confirmation_number"] == "P000000001"


def test_the_same_key_again_gives_the_first_charge_not_a_second(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)
    customer = stub.objects[method]["customer"]

    first = _charge(gateway, customer, method, "pay:1")
    again = _charge(gateway, customer, method, "pay:1")

    assert again == first
    intents = [o for o in stub.objects.values() if o["object"] == "payment_intent"]
    assert len(intents) == 1


def test_the_same_key_with_another_amount_is_refused(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)
    customer = stub.objects[method]["customer"]
    _charge(gateway, customer, method, "pay:1", amount=5000)

    with pytest.raises(PaymentError) as refused:
        _charge(gateway, customer, method, "pay:1", amount=6000)

    assert refused.value.code == "key_reused"
    intents = [o for o in stub.objects.values() if o["object"] == "payment_intent"]
    assert [i["amount"] for i in intents] == [5000]


@pytest.mark.parametrize(
    ("test_method", "code"),
    [
        ("pm_card_chargeDeclined", "generic_decline"),
        ("pm_card_visa_chargeDeclinedExpiredCard", "expired_card"),
    ],
)
def test_a_declined_card_fails_with_the_decline_code(
    gateway: StripeGateway, stub: StripeStub, test_method: str, code: str
) -> None:
    method = _saved(gateway, stub, test_method)
    customer = stub.objects[method]["customer"]

    result = _charge(gateway, customer, method, "pay:1")

    assert result.status == ChargeStatus.FAILED
    assert result.failure_code == code
    assert result.reference.startswith("pi_")
    assert result.failure_message
    assert not result.retryable


def test_a_bank_debit_is_processing(gateway: StripeGateway, stub: StripeStub) -> None:
    method = _saved(gateway, stub, "pm_usBankAccount_success")
    customer = stub.objects[method]["customer"]

    result = _charge(gateway, customer, method, "pay:1")

    assert result.status == ChargeStatus.PROCESSING


def test_a_timeout_is_unknown_and_the_same_key_later_gives_the_one_charge(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)
    customer = stub.objects[method]["customer"]
    stub.slow_next(2.0)  # longer than STRIPE_TIMEOUT_SECONDS

    with pytest.raises(GatewayUnavailableError):
        _charge(gateway, customer, method, "pay:1")
    time.sleep(1.2)  # the server finishes the request it was slow to answer
    later = _charge(gateway, customer, method, "pay:1")

    assert later.status == ChargeStatus.SUCCEEDED
    intents = [o for o in stub.objects.values() if o["object"] == "payment_intent"]
    assert len(intents) == 1


def test_a_server_error_is_unavailable(gateway: StripeGateway, stub: StripeStub) -> None:
    method = _saved(gateway, stub)
    customer = stub.objects[method]["customer"]
    stub.fail_next(500)

    with pytest.raises(GatewayUnavailableError):
        _charge(gateway, customer, method, "pay:1")


def test_a_method_of_another_customer_is_a_failed_charge(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)
    other = gateway.ensure_customer(account_number="100000002", name="B", email="")

    result = _charge(gateway, other, method, "pay:1")

    assert result.status == ChargeStatus.FAILED
    assert result.failure_code == "payment_method_unavailable"


def test_detach_forgets_the_method_and_twice_is_fine(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)

    gateway.detach_method(token=method)
    gateway.detach_method(token=method)

    assert stub.objects[method]["customer"] is None


def test_refunds_in_part_then_refuses_more_than_is_left(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    method = _saved(gateway, stub)
    paid = _charge(gateway, stub.objects[method]["customer"], method, "pay:1")

    first = gateway.refund(
        reference=paid.reference, amount_cents=3000, idempotency_key="refund:1", reason="goodwill"
    )
    again = gateway.refund(
        reference=paid.reference, amount_cents=3000, idempotency_key="refund:1", reason="goodwill"
    )
    too_much = gateway.refund(
        reference=paid.reference, amount_cents=3000, idempotency_key="refund:2", reason="goodwill"
    )

    assert first.status == RefundStatus.SUCCEEDED
    assert first.reference.startswith("re_")
    assert again == first
    assert (too_much.status, too_much.failure_code) == (RefundStatus.FAILED, "amount_too_large")
    sent = stub.posts("/v1/refunds")[0]
    assert sent.headers["idempotency-key"] == "refund:1"
    assert sent.params["metadata"] == {"reason": "goodwill"}
    assert "reason" not in sent.params


def test_a_bank_refund_is_pending(gateway: StripeGateway, stub: StripeStub) -> None:
    method = _saved(gateway, stub, "pm_usBankAccount_success")
    paid = _charge(gateway, stub.objects[method]["customer"], method, "pay:1")

    refund = gateway.refund(
        reference=paid.reference, amount_cents=5000, idempotency_key="r", reason="duplicate"
    )

    assert refund.status == RefundStatus.PENDING
    assert stub.posts("/v1/refunds")[0].params["reason"] == "duplicate"


# -- webhooks ---------------------------------------------------------------------


def _intent(stub: StripeStub, gateway: StripeGateway, test_method: str = "pm_card_visa") -> dict:
    method = _saved(gateway, stub, test_method)
    result = _charge(gateway, stub.objects[method]["customer"], method, f"pay:{test_method}")
    return stub.objects[result.reference]


def test_a_signed_event_verifies_and_maps(gateway: StripeGateway, stub: StripeStub) -> None:
    intent = _intent(stub, gateway, "pm_usBankAccount_success")
    intent = {**intent, "status": "succeeded", "amount_received": 5000}
    body = stub.event("payment_intent.succeeded", intent, created=1_780_000_000)

    event = gateway.verify_webhook(body=body, headers=sign(body))

    assert event.kind == EventKind.PAYMENT_SUCCEEDED
    assert event.payment_reference == intent["id"]
    assert event.amount_cents == 5000
    assert event.occurred_at.timestamp() == 1_780_000_000
    assert event.id == json.loads(body)["id"]
    assert event.payload["type"] == "payment_intent.succeeded"


def test_headers_as_django_meta_are_read(gateway: StripeGateway, stub: StripeStub) -> None:
    body = stub.event("customer.created", {"id": "cus_1", "object": "customer"})

    event = gateway.verify_webhook(
        body=body, headers={"HTTP_STRIPE_SIGNATURE": sign(body)["Stripe-Signature"]}
    )

    assert event.kind == EventKind.OTHER


def test_a_bad_signature_is_refused(gateway: StripeGateway, stub: StripeStub) -> None:
    body = stub.event("payment_intent.succeeded", {"id": "pi_1", "object": "payment_intent"})

    for headers in (sign(body, secret="whsec_someone_else"), sign(body + b" "), {}):
        with pytest.raises(InvalidWebhookError):
            gateway.verify_webhook(body=body, headers=headers)
    with pytest.raises(InvalidWebhookError):  # a body changed after signing
        gateway.verify_webhook(body=body.replace(b"pi_1", b"pi_2"), headers=sign(body))


def test_a_signature_older_than_five_minutes_is_refused(
    gateway: StripeGateway, stub: StripeStub
) -> None:
    body = stub.event("payment_intent.succeeded", {"id": "pi_1", "object": "payment_intent"})

    with pytest.raises(InvalidWebhookError):
        gateway.verify_webhook(body=body, headers=sign(body, at=int(time.time()) - 600))
    assert gateway.verify_webhook(body=body, headers=sign(body, at=int(time.time()) - 60))


def test_no_webhook_secret_refuses_everything(gateway: StripeGateway, stub: StripeStub) -> None:
    body = stub.event("payment_intent.succeeded", {"id": "pi_1", "object": "payment_intent"})
    with override_settings(STRIPE_WEBHOOK_SECRET=""), pytest.raises(InvalidWebhookError):
        gateway.verify_webhook(body=body, headers=sign(body))


def test_a_signed_body_that_is_not_an_event_is_refused(gateway: StripeGateway) -> None:
    for body in (b"not json", b'{"id": "evt_1"}'):
        with pytest.raises(InvalidWebhookError):
            gateway.verify_webhook(body=body, headers=sign(body))


def _kind(
    stub: StripeStub, gateway: StripeGateway, event_type: str, obj: dict, **kw: Any
) -> WebhookEvent:
    body = stub.event(event_type, obj, **kw)
    return gateway.verify_webhook(body=body, headers=sign(body))


def test_event_types_map_to_dropline_kinds(gateway: StripeGateway, stub: StripeStub) -> None:
    intent = _intent(stub, gateway)
    charge = stub.objects[intent["latest_charge"]]
    pending = {**charge, "balance_transaction": None}
    failed_intent = {
        **intent,
        "status": "requires_payment_method",
        "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds"},
    }
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 5000,
        "charge": charge["id"],
        "payment_intent": intent["id"],
        "reason": "fraudulent",
        "status": "needs_response",
    }
    refund = {"id": "re_1", "object": "refund", "amount": 100, "payment_intent": intent["id"]}

    failed = _kind(stub, gateway, "payment_intent.payment_failed", failed_intent)
    settled = _kind(stub, gateway, "charge.succeeded", charge)
    not_yet = _kind(stub, gateway, "charge.succeeded", pending)
    later = _kind(
        stub, gateway, "charge.updated", charge, previous_attributes={"balance_transaction": None}
    )
    described = _kind(
        stub, gateway, "charge.updated", charge, previous_attributes={"description": None}
    )
    returned = _kind(
        stub,
        gateway,
        "charge.updated",
        {**charge, "status": "failed", "failure_code": "account_closed"},
        previous_attributes={"status": "succeeded"},
    )
    chargeback = _kind(stub, gateway, "charge.dispute.created", dispute)
    refunded = _kind(stub, gateway, "charge.refund.updated", {**refund, "status": "succeeded"})
    refund_failed = _kind(
        stub, gateway, "refund.failed", {**refund, "status": "failed", "failure_reason": "lost"}
    )
    refund_pending = _kind(stub, gateway, "refund.updated", {**refund, "status": "pending"})

    assert (failed.kind, failed.failure_code) == (EventKind.PAYMENT_FAILED, "insufficient_funds")
    assert failed.payment_reference == intent["id"]
    assert settled.kind == EventKind.PAYMENT_SETTLED
    assert settled.payment_reference == intent["id"]
    assert not_yet.kind == EventKind.OTHER
    assert later.kind == EventKind.PAYMENT_SETTLED
    assert described.kind == EventKind.OTHER
    assert (returned.kind, returned.failure_code) == (EventKind.PAYMENT_RETURNED, "account_closed")
    assert (chargeback.kind, chargeback.amount_cents) == (EventKind.CHARGEBACK, 5000)
    assert chargeback.payment_reference == intent["id"]
    assert (refunded.kind, refunded.refund_reference) == (EventKind.REFUND_SUCCEEDED, "re_1")
    assert (refund_failed.kind, refund_failed.failure_code) == (EventKind.REFUND_FAILED, "lost")
    assert refund_pending.kind == EventKind.OTHER


def test_the_secret_key_is_not_logged(
    gateway: StripeGateway, stub: StripeStub, caplog: pytest.LogCaptureFixture
) -> None:
    method = _saved(gateway, stub)
    stub.fail_next(503)
    with caplog.at_level("DEBUG"), pytest.raises(GatewayUnavailableError):
        _charge(gateway, stub.objects[method]["customer"], method, "pay:1")
    assert SECRET_KEY not in caplog.text
    assert WEBHOOK_SECRET not in caplog.text
