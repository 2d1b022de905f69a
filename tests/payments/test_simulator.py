"""The simulator gateway: its forms' checks, its test cards, idempotency as a real
gateway keeps it, and no card or bank number kept anywhere."""

import logging

import pytest
from django.apps import apps
from django.db import models

from dropline.core import clock
from dropline.payments.errors import GatewayUnavailableError, PaymentError
from dropline.payments.gateways import get_gateway, simulator
from dropline.payments.gateways.base import ChargeStatus
from tests.support.billing import at
from tests.support.payments import PAY_DAY, make_payer, pay_on, save_bank_account

pytestmark = pytest.mark.django_db


def card(number="4242424242424242", month=12, year=2030, cvc="123", name="Pat"):
    return simulator.tokenise_card(
        number=number, exp_month=month, exp_year=year, cvc=cvc, holder_name=name
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number": "4242424242424241"}, "number"),
        ({"number": "12"}, "number"),
        ({"month": 13}, "exp_month"),
        ({"year": 2025}, "exp_year"),
        ({"cvc": "12"}, "cvc"),
        ({"number": "378282246310005", "cvc": "123"}, "cvc"),
        ({"name": " "}, "holder_name"),
    ],
)
def test_the_card_form_refuses_what_is_not_a_card(fields, field):
    with clock.frozen(at(PAY_DAY)), pytest.raises(PaymentError) as caught:
        card(**fields)
    assert caught.value.field == field


def test_the_bank_form_needs_a_nine_digit_routing_number():
    with pytest.raises(PaymentError) as caught:
        simulator.tokenise_bank_account(
            routing_number="1100", account_number="000123456789", holder_name="Pat"
        )
    assert caught.value.field == "routing_number"


def test_tokens_are_opaque_and_say_the_brand():
    with clock.frozen(at(PAY_DAY)):
        tokens = [card(), card("5555 5555 5555 4444"), card("378282246310005", cvc="1234")]
    assert all(t.startswith("simpm_") and "4242" not in t for t in tokens)
    gateway = get_gateway("simulator")
    brands = [gateway.attach_method(customer="simcus_1", token=t).brand for t in tokens]
    assert brands == ["visa", "mastercard", "amex"]


def test_the_same_key_with_another_amount_is_refused_like_a_real_gateway():
    with clock.frozen(at(PAY_DAY)):
        token = card()
    gateway = get_gateway("simulator")
    gateway.attach_method(customer="simcus_1", token=token)
    args = {
        "customer": "simcus_1",
        "method_token": token,
        "currency": "USD",
        "description": "",
        "metadata": {},
    }
    first = gateway.charge(amount_cents=100, idempotency_key="k", **args)
    assert gateway.charge(amount_cents=100, idempotency_key="k", **args) == first
    with pytest.raises(simulator.IdempotencyConflictError):
        gateway.charge(amount_cents=200, idempotency_key="k", **args)


def test_the_timeout_card_answers_the_second_time():
    with clock.frozen(at(PAY_DAY)):
        token = card("4000000000000408")
    gateway = get_gateway("simulator")
    gateway.attach_method(customer="simcus_1", token=token)
    args = {
        "customer": "simcus_1",
        "method_token": token,
        "currency": "USD",
        "description": "",
        "metadata": {},
        "amount_cents": 100,
        "idempotency_key": "k",
    }
    with pytest.raises(GatewayUnavailableError):
        gateway.charge(**args)
    assert gateway.charge(**args).status == ChargeStatus.SUCCEEDED


def test_the_processing_error_card_says_retry():
    with clock.frozen(at(PAY_DAY)):
        token = card("4000000000000119")
    gateway = get_gateway("simulator")
    gateway.attach_method(customer="simcus_1", token=token)
    result = gateway.charge(
        customer="simcus_1",
        method_token=token,
        currency="USD",
        description="",
        metadata={},
        amount_cents=100,
        idempotency_key="k",
    )
    assert (result.status, result.failure_code, result.retryable) == (
        ChargeStatus.FAILED,
        "processing_error",
        True,
    )


def test_no_card_or_bank_number_is_kept_anywhere(caplog):
    caplog.set_level(logging.DEBUG)
    numbers = ["4242424242424242", "4000000000000077", "000222222227"]
    payer = make_payer(card=numbers[0])
    with clock.frozen(at(PAY_DAY)):
        late = card(numbers[1])
        from dropline.payments import methods

        methods.add_method(account=payer.account, token=late, actor=None, make_default=True)
        save_bank_account(payer.customer, numbers[2])
    pay_on(PAY_DAY, payer, 1000, "p")
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for row in model._default_manager.values_list(*text_fields) if text_fields else []:
            for value in row:
                if any(number in str(value) for number in numbers):
                    found.append((model._meta.label, value))
    assert found == []
    assert not any(number in caplog.text for number in numbers)
