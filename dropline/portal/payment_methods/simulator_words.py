"""The simulator's test numbers in words, for its form's table (both languages)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dropline.payments.gateways import simulator

OUTCOMES: dict[str, Promise] = {
    simulator.APPROVE: _("Approved"),
    simulator.DECLINE: _("Declined"),
    simulator.INSUFFICIENT: _("Declined: not enough money"),
    simulator.EXPIRED: _("Declined: the card has expired"),
    simulator.PROCESSING_ERROR: _("A processing error; trying again may work"),
    simulator.TIMEOUT: _("No answer at first, then approved"),
    simulator.SETTLE_LATE: _("Approved; the money arrives late"),
    simulator.CHARGEBACK: _("Approved, then taken back by the card's bank a week later"),
    simulator.BANK_SUCCEEDS: _("Processing, then paid after 3 days"),
    simulator.BANK_FAILS: _("Processing, then fails after 3 days (not enough money)"),
    simulator.BANK_RETURNS: _("Paid after 3 days, then returned by the bank"),
}


def card_rows() -> list[tuple[str, str]]:
    return [
        (f"{number} ({simulator.card_brand(number).title()})", str(OUTCOMES.get(code, code)))
        for number, code in simulator.TEST_CARDS.items()
    ]


def bank_rows() -> list[tuple[str, str]]:
    return [
        (f"{simulator.ROUTING_NUMBER} / {number}", str(OUTCOMES.get(code, code)))
        for number, code in simulator.TEST_BANK_ACCOUNTS.items()
    ]
