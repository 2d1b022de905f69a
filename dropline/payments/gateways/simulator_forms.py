"""The simulator's own card and bank account forms (its "gateway side"): the checks a
real gateway's element makes, and the token it answers, remembered with the details a
gateway shows and the test behavior (see ``simulator`` for the tables). Never the number.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from dropline.core import clock
from dropline.payments.errors import PaymentError
from dropline.payments.gateways.base import MethodKind
from dropline.payments.models import SimulatedMethod

ROUTING_NUMBER = "110000000"

# Behaviors
APPROVE = "approve"
DECLINE = "card_declined"
INSUFFICIENT = "insufficient_funds"
EXPIRED = "expired_card"
PROCESSING_ERROR = "processing_error"
TIMEOUT = "timeout"
SETTLE_LATE = "settle_late"
CHARGEBACK = "chargeback"
BANK_SUCCEEDS = "bank_succeeds"
BANK_FAILS = "bank_fails"
BANK_RETURNS = "bank_returns"

TEST_CARDS: dict[str, str] = {
    "4242424242424242": APPROVE,
    "5555555555554444": APPROVE,
    "378282246310005": APPROVE,
    "4000000000000002": DECLINE,
    "4000000000009995": INSUFFICIENT,
    "4000000000000069": EXPIRED,
    "4000000000000119": PROCESSING_ERROR,
    "4000000000000408": TIMEOUT,
    "4000000000000077": SETTLE_LATE,
    "4000000000000259": CHARGEBACK,
}
TEST_BANK_ACCOUNTS: dict[str, str] = {
    "000123456789": BANK_SUCCEEDS,
    "000111111116": BANK_FAILS,
    "000222222227": BANK_RETURNS,
}
DECLINES = {DECLINE, INSUFFICIENT, EXPIRED, PROCESSING_ERROR}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch != "-")


def luhn_ok(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith(("34", "37")):
        return "amex"
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number.startswith(("6011", "65")):
        return "discover"
    return "card"


def _new_token() -> str:
    return "simpm_" + secrets.token_urlsafe(18)


def tokenise_card(*, number: str, exp_month: int, exp_year: int, cvc: str, holder_name: str) -> str:
    """The simulator's side of its card form: check the card, remember its details and
    behaviour (never the number), and answer an opaque token."""
    digits = _digits(number)
    if not luhn_ok(digits):
        raise PaymentError("number", _("Enter a valid card number."), "invalid_number")
    if not 1 <= exp_month <= 12:
        raise PaymentError("exp_month", _("Enter the expiry month (1 to 12)."), "invalid_expiry")
    if exp_year < 100:
        exp_year += 2000
    today = clock.today()
    if (exp_year, exp_month) < (today.year, today.month) or exp_year > today.year + 30:
        raise PaymentError("exp_year", _("This card has expired."), "expired_card")
    brand = card_brand(digits)
    cvc = cvc.strip()
    wanted = 4 if brand == "amex" else 3
    if not cvc.isdigit() or len(cvc) not in {3, 4} or (brand == "amex" and len(cvc) != wanted):
        raise PaymentError(
            "cvc", _("Enter the security code on the card (3 or 4 digits)."), "invalid_cvc"
        )
    holder = holder_name.strip()
    if not holder:
        raise PaymentError("holder_name", _("Enter the name on the card."), "required")
    token = _new_token()
    SimulatedMethod.objects.create(
        token=token,
        kind=MethodKind.CARD,
        brand=brand,
        last4=digits[-4:],
        exp_month=exp_month,
        exp_year=exp_year,
        holder_name=holder[:120],
        behaviour=TEST_CARDS.get(digits, APPROVE),
        created_at=clock.now(),
    )
    return token


def tokenise_bank_account(*, routing_number: str, account_number: str, holder_name: str) -> str:
    """The simulator's side of its bank account form; answers an opaque token."""
    routing = _digits(routing_number)
    if len(routing) != 9 or not routing.isdigit():
        raise PaymentError(
            "routing_number", _("Enter the 9-digit routing number."), "invalid_routing"
        )
    number = _digits(account_number)
    if not number.isdigit() or not 4 <= len(number) <= 17:
        raise PaymentError(
            "account_number", _("Enter the account number (4 to 17 digits)."), "invalid_account"
        )
    holder = holder_name.strip()
    if not holder:
        raise PaymentError("holder_name", _("Enter the name on the account."), "required")
    token = _new_token()
    SimulatedMethod.objects.create(
        token=token,
        kind=MethodKind.BANK_ACCOUNT,
        brand="Simulated Bank" if routing == ROUTING_NUMBER else "Bank",
        last4=number[-4:],
        holder_name=holder[:120],
        behaviour=TEST_BANK_ACCOUNTS.get(number, BANK_SUCCEEDS),
        created_at=clock.now(),
    )
    return token
