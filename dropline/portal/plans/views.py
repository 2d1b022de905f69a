"""Thin: ``catalog.queries`` says what is sold where, ``catalog.labels`` builds the label;
each kind of plan links to the compare page of the account's services of that kind.

The label page answers signed out too and shows nothing of any account: it reads only
the catalogue and the provider's settings."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dropline.catalog.labels import broadband_facts
from dropline.catalog.models import Plan, ServiceKind
from dropline.catalog.queries import bundles_on_offer, introductory_offer, plans_available
from dropline.core import clock
from dropline.core.money import Money
from dropline.portal.common import current_membership
from dropline.subscriptions.models import SubscriptionStatus
from dropline.subscriptions.queries import current_services


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    name: str
    price_now_cents: int
    promotion_months: int | None
    price_after_cents: int | None
    channel_count: int
    has_label: bool
    description: str = ""
    price_per_gb: str | None = None


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _row(plan: Plan, language: str) -> PlanRow:
    offer = introductory_offer(plan)
    return PlanRow(
        plan=plan,
        name=plan.localized_name(language),
        price_now_cents=offer.monthly_price_cents if offer else plan.monthly_price_cents,
        promotion_months=offer.duration_months if offer else None,
        price_after_cents=plan.monthly_price_cents if offer else None,
        channel_count=getattr(plan, "channel_count", 0),
        has_label=hasattr(plan, "broadband_label"),
        description=plan.localized_description(language),
        price_per_gb=(
            Money.from_decimal(plan.price_per_gb, plan.currency).format()
            if plan.price_per_gb is not None
            else None
        ),
    )


def _kind_names(kinds: list[str]) -> list[str]:
    return [str(ServiceKind(kind).label) for kind in kinds if kind in ServiceKind.values]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    address = membership.account.service_address
    language = _language()
    rows = [_row(plan, language) for plan in plans_available(service_area=address.service_area_id)]
    bundles = bundles_on_offer(on=clock.today(), kinds={row.plan.kind for row in rows})
    # The account's own services of each kind, each with a link to compare its plan.
    mine = [
        service
        for service in current_services(account=membership.account)
        if service.status == SubscriptionStatus.ACTIVE
    ]
    groups = [
        (
            kind,
            label,
            [row for row in rows if row.plan.kind == kind],
            [
                (service.pk, service.plan.localized_name(language), service.label)
                for service in mine
                if service.plan.kind == kind
            ],
        )
        for kind, label in Plan._meta.get_field("kind").choices or []
    ]
    return render(
        request,
        "portal/plans/index.html",
        {
            "membership": membership,
            "address": address,
            "groups": [group for group in groups if group[2]],
            "bundles": [
                (bundle, bundle.localized_name(language), _kind_names(bundle.kinds))
                for bundle in bundles
            ],
        },
    )


@require_GET
def label(request: HttpRequest, code: str) -> HttpResponse:
    facts = broadband_facts(code, language=_language())
    if facts is None:
        raise Http404
    return render(request, "portal/plans/label.html", {"facts": facts})
