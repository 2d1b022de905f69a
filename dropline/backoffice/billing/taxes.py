"""Staff pages for the tax table: every jurisdiction with its taxes and fees and their
effective-dated rates, and a new rate for one of them from a date.

Thin: parse input, call ``dropline.billing.rate_setting``, render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.billing.forms import TaxRateForm
from dropline.billing.describe import percent_text
from dropline.billing.errors import TaxRateError
from dropline.billing.models import ChargeCategory, Jurisdiction, TaxRate
from dropline.billing.rate_setting import PERCENT_KINDS, add_rate, latest_billed_cycle_start
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money


@dataclass(frozen=True)
class ShownRate:
    rate: TaxRate
    name: str
    value: str
    applies_to: str
    current: bool


def _shown(rate: TaxRate, *, spanish: bool) -> ShownRate:
    categories = dict(ChargeCategory.choices)
    today = clock.today()
    return ShownRate(
        rate=rate,
        name=(rate.name_es or rate.name) if spanish else rate.name,
        value=(
            percent_text(rate.percent)
            if rate.percent is not None
            else str(Money(rate.amount_cents or 0, "USD"))
        ),
        applies_to=", ".join(str(categories.get(code, code)) for code in rate.applies_to),
        current=rate.effective_from <= today
        and (rate.effective_until is None or rate.effective_until >= today),
    )


@staff_permission_required("billing.view_taxrate")
def tax_table(request: HttpRequest) -> HttpResponse:
    spanish = (get_language() or "").startswith("es")
    jurisdictions = list(Jurisdiction.objects.order_by("state", "county", "city"))
    rates = TaxRate.objects.select_related("jurisdiction").order_by(
        "jurisdiction_id", "code", "-effective_from"
    )
    by_jurisdiction: dict[int, list[ShownRate]] = {j.pk: [] for j in jurisdictions}
    for rate in rates:
        by_jurisdiction[rate.jurisdiction_id].append(_shown(rate, spanish=spanish))
    return render(
        request,
        "backoffice/billing/taxes.html",
        {
            "jurisdictions": [
                ((j.name_es or j.name) if spanish else j.name, j, by_jurisdiction[j.pk])
                for j in jurisdictions
            ],
            "latest_billed": latest_billed_cycle_start(),
        },
    )


@staff_permission_required("billing.add_taxrate")
@require_http_methods(["GET", "POST"])
def tax_rate_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new rate for the tax or fee of rate ``pk`` (any of its rates), from a date."""
    base = get_object_or_404(TaxRate.objects.select_related("jurisdiction"), pk=pk)
    percent_kind = base.kind in PERCENT_KINDS
    form = TaxRateForm(
        request.POST if request.method == "POST" else None, percent_kind=percent_kind
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                rate = add_rate(
                    jurisdiction=base.jurisdiction,
                    code=base.code,
                    effective_from=data["effective_from"],
                    percent=data.get("percent"),
                    amount_cents=data.get("amount"),
                    actor=signed_in_user(request),
                    request=request,
                )
            except TaxRateError as exc:
                field = form.DOMAIN_FIELDS.get(exc.field)
                form.add_error(field if field in form.fields else None, exc.reason)
            else:
                flash.success(
                    request,
                    _("The new rate of %(tax)s applies from %(date)s.")
                    % {"tax": rate.name, "date": display_date(rate.effective_from)},
                )
                return redirect("backoffice:tax_table")
    spanish = (get_language() or "").startswith("es")
    history = TaxRate.objects.filter(jurisdiction=base.jurisdiction, code=base.code).order_by(
        "-effective_from"
    )
    return render(
        request,
        "backoffice/billing/tax_rate_form.html",
        {
            "base": _shown(base, spanish=spanish),
            "jurisdiction": base.jurisdiction,
            "history": [_shown(rate, spanish=spanish) for rate in history],
            "form": form,
            "latest_billed": latest_billed_cycle_start(),
        },
        status=status,
    )
