"""Payment extensions: one a year, at most 14 days after the due date, for an open bill;
each refusal names the field and says why."""

from __future__ import annotations

import datetime as dt

import pytest

from dropline.core import clock
from dropline.payments import extensions
from dropline.payments.errors import PaymentError
from dropline.payments.models import PaymentExtension
from dropline.payments.paying import pay
from tests.support.billing import at
from tests.support.payments import make_payer

D = dt.date
pytestmark = pytest.mark.django_db


def ask(payer, until: dt.date, day: dt.date = D(2026, 1, 20)):  # noqa: B008
    with clock.frozen(at(day)):
        return extensions.ask_extension(
            account=payer.account, until=until, actor=payer.customer.user
        )


def refusal(payer, until: dt.date, day: dt.date = D(2026, 1, 20)) -> PaymentError:  # noqa: B008
    with pytest.raises(PaymentError) as refused:
        ask(payer, until, day)
    assert refused.value.field == "until"
    return refused.value


def test_an_extension_within_the_limit_is_given_and_shown():
    payer = make_payer()
    extension = ask(payer, D(2026, 2, 9))
    assert (extension.invoice, extension.until) == (payer.invoice, D(2026, 2, 9))
    with clock.frozen(at(D(2026, 1, 21))):
        options = extensions.options_for(account=payer.account)
    assert options.current == extension
    assert not options.may_ask
    assert options.next_allowed_on == D(2027, 1, 20)


def test_a_date_too_late_or_too_early_is_refused_and_nothing_is_written():
    payer = make_payer()
    late = refusal(payer, D(2026, 2, 10))
    assert late.code == "too_late"
    assert "Feb. 9, 2026" in late.reason
    assert refusal(payer, D(2026, 1, 26)).code == "too_early"
    assert not PaymentExtension.objects.exists()


def test_only_one_extension_a_year():
    payer = make_payer()
    ask(payer, D(2026, 2, 1))
    again = refusal(payer, D(2026, 2, 5), day=D(2026, 1, 21))
    assert again.code == "too_soon"
    assert "Jan. 20, 2027" in again.reason


def test_nothing_to_extend_without_an_unpaid_bill():
    payer = make_payer()
    with clock.frozen(at(D(2026, 1, 10))):
        pay(
            account=payer.account,
            amount_cents=payer.balance,
            idempotency_key="all",
            source="portal",
            actor=payer.customer.user,
        )
    assert refusal(payer, D(2026, 2, 1)).code == "nothing_to_pay"


def test_a_bill_is_extended_once_whatever_the_period(settings):
    settings.DROPLINE_EXTENSION_PERIOD_DAYS = 1
    payer = make_payer()
    ask(payer, D(2026, 2, 1))
    # The same bill: one extension each.
    assert refusal(payer, D(2026, 2, 2), day=D(2026, 1, 22)).code == "already_extended"
