"""Gateways' webhooks over HTTP: no sign-in, a bad signature 400 with nothing recorded,
a replay 200 changing nothing."""

import json

import pytest
from django.test import Client

from dropline.payments.gateways import simulator
from dropline.payments.models import GatewayEvent, PaymentStatus
from tests.support.billing import at
from tests.support.payments import PAY_DAY, make_payer, pay_on

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/simulator"


def post(body: bytes, headers: dict[str, str]):
    return Client(enforce_csrf_checks=True).post(
        URL, body, content_type="application/json", headers=headers
    )


def test_a_signed_event_is_applied_once():
    payer = make_payer()
    payment = pay_on(PAY_DAY, payer, payer.balance, "p")
    body = json.dumps(
        {
            "id": "evt_http",
            "type": "payment.chargeback",
            "created": at(PAY_DAY).isoformat(),
            "data": {"charge": payment.gateway_reference},
        }
    ).encode()
    headers = simulator.sign(body)
    first = post(body, headers)
    assert first.status_code == 200, first.content
    assert first.json()["outcome"] == "applied"
    again = post(body, headers)
    assert again.status_code == 200
    assert GatewayEvent.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED


def test_a_bad_signature_is_400_and_nothing_is_recorded():
    body = b'{"id": "evt_bad", "type": "other", "created": "2026-01-10T12:00:00+00:00"}'
    response = post(body, {"Simulator-Signature": "t=1,v1=abc"})
    assert response.status_code == 400
    assert not GatewayEvent.objects.exists()
    assert post(body, {}).status_code == 400
