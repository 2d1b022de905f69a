"""Reads of the catalogue: which plans can be ordered where."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from dropline.catalog.models import BroadbandLabel, Bundle, Plan, Promotion


def _active_promotions() -> Any:
    return Prefetch(
        "promotions",
        queryset=Promotion.objects.filter(is_active=True).order_by("monthly_price_cents", "id"),
        to_attr="active_promotions",
    )


def plans_available(*, service_area: Any) -> QuerySet[Plan]:
    """The plans on sale in ``service_area`` (a ServiceArea or its id), with their channel
    count (``channel_count``), label and active promotions: two queries whatever the count.

    Availability is explicit: a plan with no service areas is sold nowhere."""
    area_id = getattr(service_area, "pk", service_area)
    return (
        Plan.objects.filter(is_active=True, service_areas=area_id)
        .annotate(channel_count=Count("channels", distinct=True))
        .select_related("broadband_label")
        .prefetch_related(_active_promotions())
        .order_by("kind", "sort_order", "monthly_price_cents", "id")
    )


def plan_with_label(code: str) -> Plan | None:
    """An internet plan that has a label, by code, whether or not it is on sale anywhere
    (labels are public information); ``None`` when there is none."""
    return (
        Plan.objects.filter(code=code, kind="internet", broadband_label__isnull=False)
        .select_related("broadband_label")
        .prefetch_related(_active_promotions(), "broadband_label__fees")
        .first()
    )


def introductory_offer(plan: Plan) -> Promotion | None:
    """The plan's cheapest active promotion, from ``plans_available``/``plan_with_label``."""
    promotions: list[Promotion] = getattr(plan, "active_promotions", [])
    return promotions[0] if promotions else None


def catalogue_for_staff() -> QuerySet[Plan]:
    """Every plan, on sale or retired, for the staff catalogue: with the number of service
    areas it is sold in (``area_count``) and whether it has a label (``has_label``), in
    one query."""
    return Plan.objects.annotate(
        area_count=Count("service_areas", distinct=True),
        has_label=Exists(BroadbandLabel.objects.filter(plan=OuterRef("pk"))),
    ).order_by("kind", "sort_order", "monthly_price_cents", "id")


def unlabelled_internet_plans_on_sale() -> QuerySet[Plan]:
    """Internet plans on sale without a broadband facts label (made before the rule that
    a label comes first): staff are told on the catalogue's home."""
    return Plan.objects.filter(
        kind="internet", is_active=True, broadband_label__isnull=True
    ).order_by("sort_order", "id")


def bundles_on_offer(*, on: dt.date, kinds: Iterable[str] | None = None) -> list[Bundle]:
    """The bundles on offer and in force on ``on``, largest discount first, in one query;
    with ``kinds``, only those whose services are all among them (what can be ordered
    at an address, say)."""
    sold = set(kinds) if kinds is not None else None
    rows = (
        Bundle.objects.filter(is_active=True, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-monthly_discount_cents", "sort_order", "code")
    )
    return [bundle for bundle in rows if sold is None or set(bundle.kinds) <= sold]


def per_gb_rates(codes: list[str]) -> dict[str, Decimal]:
    """The price per GB of the plans among ``codes`` charged by the gigabyte, by code;
    one query."""
    rows = Plan.objects.filter(code__in=codes, price_per_gb__isnull=False).values_list(
        "code", "price_per_gb"
    )
    return {code: rate for code, rate in rows if rate is not None}
