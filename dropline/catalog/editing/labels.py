"""Broadband facts labels: the FCC label of an internet plan and its itemised fees.

The unique plan identifier is made once, when the label is first saved, and never
changes or goes to another plan; labels are never deleted, so no identifier is ever
handed out twice."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.editing.saving import record, save_fields
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import BroadbandLabel, LabelFee, Plan, ServiceKind

MAX_FEE_CENTS = 10_000_000
MAX_FEES = 20


@dataclass(frozen=True)
class LabelTerms:
    """Everything on a label but its identifier and fees."""

    typical_download_mbps: int
    typical_upload_mbps: int
    typical_latency_ms: int
    network_management_url: str
    privacy_policy_url: str
    contract_months: int | None = None
    contract_terms_url: str = ""
    early_termination_fee_cents: int = 0
    taxes_included: bool = False
    discounts_text: str = ""
    discounts_text_es: str = ""
    discounts_url: str = ""
    additional_data_cents: int = 0
    additional_data_block_gb: int | None = None


@dataclass(frozen=True)
class FeeLine:
    """One itemised fee: ``kind`` is ``monthly`` or ``one_time``."""

    kind: str
    name: str
    amount_cents: int
    name_es: str = ""


def _check(terms: LabelTerms, fees: Sequence[FeeLine]) -> None:
    for field in ("early_termination_fee_cents", "additional_data_cents"):
        cents = getattr(terms, field)
        if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
            raise CatalogError(field, _("Enter an amount of $0.00 or more."))
    if terms.additional_data_cents and not terms.additional_data_block_gb:
        raise CatalogError(
            "additional_data_block_gb", _("Say how many GB the charge for more data buys.")
        )
    if terms.contract_months and not terms.contract_terms_url:
        raise CatalogError("contract_terms_url", _("A contract needs the address of its terms."))
    if len(fees) > MAX_FEES:
        raise CatalogError("fees", _("A label lists at most 20 fees."))
    for fee in fees:
        if fee.kind not in LabelFee.Kind.values:
            raise CatalogError("fees", _("Each fee is monthly or one time."))
        if not fee.name.strip():
            raise CatalogError("fees", _("Each fee needs a name."))
        if fee.amount_cents < 0 or fee.amount_cents > MAX_FEE_CENTS:
            raise CatalogError("fees", _("Each fee is an amount of $0.00 or more."))


def _fee_rows(label: BroadbandLabel) -> list[dict[str, Any]]:
    return [
        {"kind": f.kind, "name": f.name, "name_es": f.name_es, "amount_cents": f.amount_cents}
        for f in label.fees.order_by("position", "id")
    ]


def save_label(
    *,
    plan: Plan,
    terms: LabelTerms,
    fees: Sequence[FeeLine],
    actor: Any = None,
    request: HttpRequest | None = None,
) -> BroadbandLabel:
    """Write the label of the internet plan ``plan``: made with a new identifier when it
    has none, otherwise changed in place (the identifier stays). ``fees`` are the
    label's itemised fees in order, replacing those it had."""
    if plan.kind != ServiceKind.INTERNET:
        raise CatalogError("plan", _("Only internet plans have a broadband facts label."))
    _check(terms, fees)
    wanted_fees = [
        {
            "kind": fee.kind,
            "name": fee.name.strip(),
            "name_es": fee.name_es.strip(),
            "amount_cents": fee.amount_cents,
        }
        for fee in fees
    ]
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        label = BroadbandLabel.objects.filter(plan_id=plan.pk).first()
        creating = label is None
        if label is None:
            label = BroadbandLabel(plan=plan)
        changes = save_fields(label, dataclasses.asdict(terms))
        before_fees = [] if creating else _fee_rows(label)
        if before_fees != wanted_fees:
            label.fees.all().delete()
            LabelFee.objects.bulk_create(
                [
                    LabelFee(label=label, position=position, **values)
                    for position, values in enumerate(wanted_fees)
                ]
            )
            changes["fees"] = {"before": None if creating else before_fees, "after": wanted_fees}
        if creating or changes:
            record(
                action="catalog.label_created" if creating else "catalog.label_changed",
                target=label,
                data={"plan": plan.code, "fields": sorted(changes), "changes": changes},
                actor=actor,
                request=request,
            )
    return label
