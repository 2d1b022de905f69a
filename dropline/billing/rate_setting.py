"""Changing the tax table: a new rate for one of a jurisdiction's taxes or fees, from a
date. Rates are effective-dated and never edited in place: the new rate closes the one
in force before it on the day before its first day (and ends the day before a rate
already planned after it). Bills already issued are never re-priced, so a rate cannot
start on or before the first day of a bill cycle that has been billed. One transaction,
one audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.billing.errors import TaxRateError
from dropline.billing.models import Invoice, InvoiceStatus, Jurisdiction, TaxKind, TaxRate
from dropline.core import audit
from dropline.core.formatting import display_date

_ONE_DAY = dt.timedelta(days=1)
MAX_FEE_CENTS = 100_000  # $1,000.00 per line: anything larger is a typing mistake
PERCENT_KINDS = {TaxKind.SALES_TAX, TaxKind.REGULATORY_RECOVERY, TaxKind.FRANCHISE_FEE}


def latest_billed_cycle_start() -> dt.date | None:
    """The first day of the latest bill cycle with an invoice that stands (not void)."""
    latest: dt.date | None = (
        Invoice.objects.exclude(status=InvoiceStatus.VOID)
        .aggregate(latest=Max("period_start"))
        .get("latest")
    )
    return latest


def _check_value(kind: str, percent: Decimal | None, amount_cents: int | None) -> None:
    if kind in PERCENT_KINDS:
        if percent is None:
            raise TaxRateError("percent", _("Enter the rate as a percentage."))
        if amount_cents is not None:
            raise TaxRateError("amount_cents", _("This tax is a percentage, not an amount."))
        if not percent.is_finite() or percent <= 0 or percent > 100:
            raise TaxRateError("percent", _("Enter a percentage greater than 0 and up to 100."))
        if percent != percent.quantize(Decimal("0.0001")):
            raise TaxRateError("percent", _("Enter the percentage with at most 4 decimals."))
        return
    if amount_cents is None:
        raise TaxRateError("amount_cents", _("Enter the amount per line."))
    if percent is not None:
        raise TaxRateError("percent", _("This fee is an amount per line, not a percentage."))
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TaxRateError("amount_cents", _("Enter the amount in whole cents."))
    if amount_cents <= 0 or amount_cents > MAX_FEE_CENTS:
        raise TaxRateError("amount_cents", _("Enter an amount greater than zero, up to $1,000.00."))


def add_rate(
    *,
    jurisdiction: Jurisdiction,
    code: str,
    effective_from: dt.date,
    percent: Decimal | None = None,
    amount_cents: int | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> TaxRate:
    """A new rate for the tax or fee ``code`` of ``jurisdiction`` from ``effective_from``.

    The kind, the names on the bill and what it applies to are those of the rate in
    force before (the tax stays the same tax; only its rate changes). Raises
    ``TaxRateError`` naming the input at fault.
    """
    with transaction.atomic():
        # One change to a jurisdiction's rates at a time: the rates are read after the
        # lock, so a change made meanwhile is seen (and never overlaps this one).
        list(Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).values_list("pk"))
        rates = list(
            TaxRate.objects.filter(jurisdiction=jurisdiction, code=code).order_by("effective_from")
        )
        if not rates:
            raise TaxRateError("code", _("This jurisdiction has no such tax or fee."))
        before = [rate for rate in rates if rate.effective_from < effective_from]
        after = [rate for rate in rates if rate.effective_from > effective_from]
        if any(rate.effective_from == effective_from for rate in rates):
            raise TaxRateError(
                "effective_from", _("A rate already starts on that day. Choose another date.")
            )
        latest = latest_billed_cycle_start()
        if latest is not None and effective_from <= latest:
            raise TaxRateError(
                "effective_from",
                _(
                    "Bills for the cycle starting %(latest)s have been issued already and "
                    "keep the rates they were billed with. Choose a date after %(latest)s."
                )
                % {"latest": display_date(latest)},
            )
        model = before[-1] if before else rates[0]
        _check_value(model.kind, percent, amount_cents)
        previous = before[-1] if before else None
        closed_on = None
        if previous is not None and (
            previous.effective_until is None or previous.effective_until >= effective_from
        ):
            closed_on = effective_from - _ONE_DAY
            TaxRate.objects.filter(pk=previous.pk).update(effective_until=closed_on)
        rate = TaxRate.objects.create(
            jurisdiction=jurisdiction,
            code=code,
            kind=model.kind,
            name=model.name,
            name_es=model.name_es,
            applies_to=list(model.applies_to),
            percent=percent,
            amount_cents=amount_cents,
            effective_from=effective_from,
            effective_until=after[0].effective_from - _ONE_DAY if after else None,
        )
        audit.record(
            action="billing.tax_rate_added",
            request=request,
            actor=actor,
            target=rate,
            data={
                "jurisdiction": jurisdiction.code,
                "code": code,
                "percent": str(percent) if percent is not None else None,
                "amount_cents": amount_cents,
                "effective_from": effective_from.isoformat(),
                "previous_closed_on": closed_on.isoformat() if closed_on else None,
            },
        )
    return rate
