"""What the account's people are told about payments, in their language, once."""

import pytest

from dropline.notifications.models import Message
from tests.support.payments import PAY_DAY, make_payer, messages, pay_on

pytestmark = pytest.mark.django_db


def test_the_receipt_in_spanish_names_the_payment_and_the_balance():
    payer = make_payer()
    payer.customer.user.preferred_language = "es"
    payer.customer.user.save(update_fields=["preferred_language"])
    payment = pay_on(PAY_DAY, payer, 1000, "p")
    [receipt] = messages(payer.account, "payment_received")
    assert f"Número de confirmación: {payment.confirmation_number}" in receipt
    assert "Su saldo ahora es" in receipt
    subject = Message.objects.get(event="payment_received", channel="email").subject
    assert subject.startswith("Recibimos su pago")


def test_every_payment_message_is_in_the_payments_category_with_a_link():
    payer = make_payer(card="4000000000000002")
    pay_on(PAY_DAY, payer, 1000, "p")
    sent = Message.objects.filter(account=payer.account, event__startswith="payment")
    assert sent.exists()
    assert {m.category for m in sent} == {"payments"}
    assert all(m.link.startswith("/billing/") for m in sent)
