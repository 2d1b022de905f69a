"""The staff page for an internet plan's broadband facts label: its fields and its
itemised fees, made the first time it is saved (with its unique plan identifier) and
changed in place after that.

Thin: parse input, call ``dropline.catalog.editing.labels``, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.catalog.forms import FeeFormSet, LabelForm
from dropline.catalog.editing.labels import FeeLine, LabelTerms, save_label
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import BroadbandLabel, Plan, ServiceKind
from dropline.core.money import Money


def _dollars(cents: int, currency: str) -> str:
    return str(Money(cents, currency).to_decimal())


def _initial(label: BroadbandLabel | None, currency: str) -> tuple[dict[str, Any], list[Any]]:
    if label is None:
        return {}, []
    initial: dict[str, Any] = {name: getattr(label, name) for name in LabelForm.MODEL_FIELDS}
    if label.early_termination_fee_cents:
        initial["early_termination_fee"] = _dollars(label.early_termination_fee_cents, currency)
    if label.additional_data_cents:
        initial["additional_data"] = _dollars(label.additional_data_cents, currency)
    fees = [
        {
            "kind": fee.kind,
            "name": fee.name,
            "name_es": fee.name_es,
            "amount": _dollars(fee.amount_cents, currency),
        }
        for fee in label.fees.order_by("position", "id")
    ]
    return initial, fees


def _terms(data: dict[str, Any]) -> LabelTerms:
    return LabelTerms(
        typical_download_mbps=data["typical_download_mbps"],
        typical_upload_mbps=data["typical_upload_mbps"],
        typical_latency_ms=data["typical_latency_ms"],
        network_management_url=data["network_management_url"],
        privacy_policy_url=data["privacy_policy_url"],
        contract_months=data.get("contract_months"),
        contract_terms_url=data.get("contract_terms_url") or "",
        early_termination_fee_cents=data.get("early_termination_fee") or 0,
        taxes_included=bool(data.get("taxes_included")),
        discounts_text=data.get("discounts_text") or "",
        discounts_text_es=data.get("discounts_text_es") or "",
        discounts_url=data.get("discounts_url") or "",
        additional_data_cents=data.get("additional_data") or 0,
        additional_data_block_gb=data.get("additional_data_block_gb"),
    )


def _fees(formset: Any) -> list[FeeLine]:
    fees = []
    for row in formset.cleaned_data:
        if not row or row.get("DELETE") or not (row.get("name") or "").strip():
            continue
        fees.append(
            FeeLine(
                kind=row["kind"],
                name=row["name"],
                name_es=row.get("name_es") or "",
                amount_cents=row["amount"],
            )
        )
    return fees


@staff_permission_required("catalog.change_broadbandlabel")
@require_http_methods(["GET", "POST"])
def label_edit(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_object_or_404(Plan, code=code)
    if plan.kind != ServiceKind.INTERNET:
        raise Http404
    label = BroadbandLabel.objects.filter(plan=plan).first()
    initial, fee_rows = _initial(label, plan.currency)
    posted = request.POST if request.method == "POST" else None
    form = LabelForm(posted, initial=initial)
    formset = FeeFormSet(posted, initial=fee_rows, prefix="fees")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                save_label(
                    plan=plan,
                    terms=_terms(form.cleaned_data),
                    fees=_fees(formset),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                flash.success(
                    request,
                    _("The broadband facts label of %(name)s has been saved.")
                    % {"name": plan.name},
                )
                return redirect("backoffice:catalog_plan", code=plan.code)
    return render(
        request,
        "backoffice/catalog/label_form.html",
        {"plan": plan, "label": label, "form": form, "formset": formset},
        status=status,
    )
