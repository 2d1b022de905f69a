from dropline.core import clock
from dropline.payments.paying import pay
from tests.support.billing import at
from tests.support.payments import PAY_DAY, make_payer


def test_paying_the_balance(db):
    payer = make_payer()
    owed = payer.balance
    assert owed > 0
    with clock.frozen(at(PAY_DAY)):
        payment = pay(
            account=payer.account,
            amount_cents=owed,
            idempotency_key="k1",
            source="portal",
            actor=payer.customer.user,
        )
    assert payment.status == "succeeded"
    assert payer.balance == 0
    payer.invoice.refresh_from_db()
    assert payer.invoice.status == "paid"
