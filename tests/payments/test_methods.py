"""Saved methods: the first is the default, removing the default promotes the newest,
each change audited and told; cards about to expire warned about once."""

import datetime as dt

import pytest

from dropline.core import clock
from dropline.core.models import AuditEvent
from dropline.payments import methods, queries
from dropline.payments.errors import PaymentError
from dropline.payments.models import GatewayCustomer
from tests.support.billing import at
from tests.support.payments import PAY_DAY, card_token, make_payer, messages, save_card

pytestmark = pytest.mark.django_db


def test_the_first_method_is_the_default_and_a_new_one_may_take_over():
    payer = make_payer()
    assert payer.method.is_default
    assert (payer.method.brand, payer.method.last4) == ("visa", "4242")
    with clock.frozen(at(PAY_DAY)):
        second = save_card(payer.customer, "5555555555554444")
        assert not second.is_default
        third = save_card(payer.customer, "378282246310005", default=True)
    assert [m.pk for m in queries.methods_for(account=payer.account)] == [
        third.pk,
        second.pk,
        payer.method.pk,
    ]
    assert queries.default_method(account=payer.account) == third
    assert GatewayCustomer.objects.filter(account=payer.account).count() == 1


def test_removing_the_default_makes_the_newest_remaining_one_default():
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        second = save_card(payer.customer, "5555555555554444")
    with clock.frozen(at(PAY_DAY + dt.timedelta(days=1))):
        methods.remove_method(method=payer.method, actor=payer.customer.user)
    second.refresh_from_db()
    assert second.is_default
    assert queries.method_for(account=payer.account, method_id=payer.method.pk) is None
    assert len(messages(payer.account, "payment_method_removed")) == 1
    assert len(messages(payer.account, "payment_method_added")) == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"payment_method.added", "payment_method.removed"} <= actions


def test_make_default_switches_and_a_removed_method_cannot_be_default():
    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        second = save_card(payer.customer, "5555555555554444")
    methods.make_default(method=second, actor=payer.customer.user)
    assert queries.default_method(account=payer.account) == second
    methods.remove_method(method=payer.method, actor=payer.customer.user)
    with pytest.raises(PaymentError) as caught:
        methods.make_default(method=payer.method, actor=payer.customer.user)
    assert caught.value.code == "method_removed"


def test_a_token_is_attached_to_one_account_only():
    payer = make_payer()
    other = make_payer()
    token = card_token()
    methods.add_method(account=payer.account, token=token, actor=None)
    with pytest.raises(PaymentError):
        methods.add_method(account=other.account, token=token, actor=None)
    with pytest.raises(PaymentError) as caught:
        methods.add_method(account=other.account, token="simpm_unknown", actor=None)
    assert caught.value.field == "token"


def test_a_card_expiring_within_a_month_is_warned_about_once():
    payer = make_payer()
    with clock.frozen(at(dt.date(2026, 1, 10))):
        expiring = methods.add_method(
            account=payer.account, token=card_token(exp_year=2026), actor=None
        )
    # Expires end of December 2026: not yet in October, warned in November, once.
    assert methods.warn_expiring(today=dt.date(2026, 10, 20)) == 0
    assert methods.warn_expiring(today=dt.date(2026, 11, 20)) == 1
    assert methods.warn_expiring(today=dt.date(2026, 11, 21)) == 0
    expiring.refresh_from_db()
    assert expiring.expiry_warned_on == dt.date(2026, 11, 20)
    [warning] = messages(payer.account, "card_expiring")
    assert "12/2026" in warning


def test_adding_and_removing_a_method_shows_on_the_persons_security_activity():
    from dropline.accounts.models import SecurityEvent, SecurityEventKind
    from dropline.identity.security_events.describe import describe

    payer = make_payer()
    with clock.frozen(at(PAY_DAY)):
        second = save_card(payer.customer, "5555555555554444")
    methods.remove_method(method=second, actor=payer.customer.user)
    events = list(SecurityEvent.objects.filter(user=payer.customer.user).order_by("at", "pk"))
    kinds = [event.kind for event in events]
    assert kinds.count(SecurityEventKind.PAYMENT_METHOD_ADDED) == 2
    assert kinds[-1] == SecurityEventKind.PAYMENT_METHOD_REMOVED
    assert describe(events[-1]) == "Payment method removed: Mastercard •••• 4444"
    assert "5555555555554444" not in str([event.data for event in events])
