"""Promotions: a lower monthly price on a plan for a subscription's first months, on
offer or not. Subscribers on a promotion are billed its price while it lasts, so its
price and length are fixed once anyone has it: a new offer is a new promotion."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.editing.saving import record, save_fields
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import Plan, Promotion

MAX_MONTHS = 60


def _check_terms(*, plan: Plan, monthly_price_cents: int, duration_months: int) -> None:
    if isinstance(monthly_price_cents, bool) or not isinstance(monthly_price_cents, int):
        raise CatalogError("monthly_price_cents", _("Enter the price in whole cents."))
    if monthly_price_cents < 0:
        raise CatalogError("monthly_price_cents", _("Enter a price of $0.00 or more."))
    if monthly_price_cents >= plan.monthly_price_cents:
        raise CatalogError(
            "monthly_price_cents",
            _("A promotional price is lower than the plan's price of %(price)s.")
            % {"price": plan.monthly_price},
        )
    if duration_months < 1 or duration_months > MAX_MONTHS:
        raise CatalogError("duration_months", _("Enter from 1 to 60 months."))


def _in_use(promotion: Promotion) -> bool:
    """Whether any subscription has had it (through the reverse relation: subscriptions
    sit above the catalogue)."""
    return Promotion.objects.filter(pk=promotion.pk, subscriptions__isnull=False).exists()


def create_promotion(
    *,
    plan: Plan,
    code: str,
    name: str,
    name_es: str = "",
    monthly_price_cents: int,
    duration_months: int,
    is_active: bool = True,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Promotion:
    """A new promotion on ``plan``: ``monthly_price_cents`` (lower than the plan's) for
    the first ``duration_months`` months. Codes are never reused."""
    code = code.strip().lower()
    if Promotion.objects.filter(code=code).exists():
        raise CatalogError("code", _("A promotion already has this code. Codes are never reused."))
    _check_terms(
        plan=plan, monthly_price_cents=monthly_price_cents, duration_months=duration_months
    )
    promotion = Promotion(plan=plan)
    with transaction.atomic():
        changes = save_fields(
            promotion,
            {
                "code": code,
                "name": name.strip(),
                "name_es": name_es.strip(),
                "monthly_price_cents": monthly_price_cents,
                "duration_months": duration_months,
                "is_active": is_active,
            },
        )
        record(
            action="catalog.promotion_created",
            target=promotion,
            data={"code": promotion.code, "plan": plan.code, "changes": changes},
            actor=actor,
            request=request,
        )
    return promotion


def change_promotion(
    *,
    promotion: Promotion,
    name: str,
    name_es: str,
    monthly_price_cents: int,
    duration_months: int,
    is_active: bool,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, dict[str, Any]]:
    """Change a promotion's names, terms or whether it is on offer; returns what
    changed. The terms (price and months) cannot change once a customer has it."""
    with transaction.atomic():
        locked = Promotion.objects.select_for_update().select_related("plan").get(pk=promotion.pk)
        terms_change = (
            monthly_price_cents != locked.monthly_price_cents
            or duration_months != locked.duration_months
        )
        if terms_change:
            field = (
                "monthly_price_cents"
                if monthly_price_cents != locked.monthly_price_cents
                else "duration_months"
            )
            if _in_use(locked):
                raise CatalogError(
                    field,
                    _(
                        "Customers already have this promotion, so its price and months "
                        "stay. Take it off offer and make a new one."
                    ),
                )
            _check_terms(
                plan=locked.plan,
                monthly_price_cents=monthly_price_cents,
                duration_months=duration_months,
            )
        changes = save_fields(
            locked,
            {
                "name": name.strip(),
                "name_es": name_es.strip(),
                "monthly_price_cents": monthly_price_cents,
                "duration_months": duration_months,
                "is_active": is_active,
            },
        )
        if changes:
            record(
                action="catalog.promotion_changed",
                target=locked,
                data={"code": locked.code, "plan": locked.plan.code, "changes": changes},
                actor=actor,
                request=request,
            )
    return changes
