"""Plans: a new plan with its first price, its words, speeds and data, on sale or
retired, its place in the list, and where it is sold."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dropline.catalog.editing.saving import record, save_fields
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import BroadbandLabel, Plan, ServiceKind

MAX_PRICE_CENTS = 10_000_000  # $100,000.00 a month: anything larger is a typing mistake


def _check_kind_fields(
    *,
    kind: str,
    download_mbps: int | None,
    upload_mbps: int | None,
    data_allowance_gb: int | None,
    price_per_gb: Decimal | None,
) -> None:
    if kind == ServiceKind.INTERNET:
        if download_mbps is None:
            raise CatalogError("download_mbps", _("Enter the download speed of the plan."))
        if upload_mbps is None:
            raise CatalogError("upload_mbps", _("Enter the upload speed of the plan."))
        if download_mbps <= 0:
            raise CatalogError("download_mbps", _("Enter a speed greater than zero."))
        if upload_mbps <= 0:
            raise CatalogError("upload_mbps", _("Enter a speed greater than zero."))
    else:
        if download_mbps is not None:
            raise CatalogError("download_mbps", _("Only internet plans have speeds."))
        if upload_mbps is not None:
            raise CatalogError("upload_mbps", _("Only internet plans have speeds."))
    if kind == ServiceKind.TV and data_allowance_gb is not None:
        raise CatalogError("data_allowance_gb", _("TV plans have no data allowance."))
    if price_per_gb is not None:
        if kind != ServiceKind.MOBILE:
            raise CatalogError("price_per_gb", _("Only mobile plans are charged by the GB."))
        if not price_per_gb.is_finite() or price_per_gb <= 0:
            raise CatalogError("price_per_gb", _("Enter a price per GB greater than zero."))


def _check_on_sale(plan: Plan, *, is_active: bool) -> None:
    """An internet plan goes on sale only with its broadband facts label."""
    if not is_active or plan.kind != ServiceKind.INTERNET:
        return
    if plan.pk is None or not BroadbandLabel.objects.filter(plan_id=plan.pk).exists():
        raise CatalogError(
            "is_active",
            _(
                "An internet plan goes on sale once it has its broadband facts label. "
                "Save it off sale, add the label, then put it on sale."
            ),
        )


def create_plan(
    *,
    code: str,
    kind: str,
    name: str,
    name_es: str = "",
    description: str = "",
    monthly_price_cents: int,
    download_mbps: int | None = None,
    upload_mbps: int | None = None,
    data_allowance_gb: int | None = None,
    price_per_gb: Decimal | None = None,
    is_active: bool = False,
    sort_order: int = 0,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Plan:
    """A new plan at its first monthly price. Its code is a slug that no plan has ever
    had (plans are never deleted, so codes are never handed out twice). An internet
    plan is created off sale: it needs its label first."""
    code = code.strip().lower()
    if kind not in ServiceKind.values:
        raise CatalogError("kind", _("Choose internet, TV or mobile."))
    if Plan.objects.filter(code=code).exists():
        raise CatalogError("code", _("A plan already has this code. Codes are never reused."))
    if isinstance(monthly_price_cents, bool) or not isinstance(monthly_price_cents, int):
        raise CatalogError("monthly_price_cents", _("Enter the price in whole cents."))
    if monthly_price_cents < 0 or monthly_price_cents > MAX_PRICE_CENTS:
        raise CatalogError(
            "monthly_price_cents", _("Enter a price from $0.00 up to $100,000.00 a month.")
        )
    _check_kind_fields(
        kind=kind,
        download_mbps=download_mbps,
        upload_mbps=upload_mbps,
        data_allowance_gb=data_allowance_gb,
        price_per_gb=price_per_gb,
    )
    plan = Plan(kind=kind, currency=settings.DROPLINE_CURRENCY)
    _check_on_sale(plan, is_active=is_active)
    with transaction.atomic():
        changes = save_fields(
            plan,
            {
                "code": code,
                "kind": kind,
                "name": name.strip(),
                "name_es": name_es.strip(),
                "description": description.strip(),
                "monthly_price_cents": monthly_price_cents,
                "download_mbps": download_mbps,
                "upload_mbps": upload_mbps,
                "data_allowance_gb": data_allowance_gb,
                "price_per_gb": price_per_gb,
                "is_active": is_active,
                "sort_order": sort_order,
            },
        )
        record(
            action="catalog.plan_created",
            target=plan,
            data={"code": plan.code, "changes": changes},
            actor=actor,
            request=request,
        )
    return plan


def change_plan(
    *,
    plan: Plan,
    name: str,
    name_es: str,
    description: str,
    download_mbps: int | None,
    upload_mbps: int | None,
    data_allowance_gb: int | None,
    price_per_gb: Decimal | None,
    is_active: bool,
    sort_order: int,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, dict[str, Any]]:
    """Change what a plan says and whether it is on sale; returns what changed (nothing
    is recorded when nothing did). Its code, kind and monthly price stay: a price
    changes from a date under "Prices", so subscribers are told first. Taking a plan off
    sale (retiring it) keeps it for the customers who have it."""
    _check_kind_fields(
        kind=plan.kind,
        download_mbps=download_mbps,
        upload_mbps=upload_mbps,
        data_allowance_gb=data_allowance_gb,
        price_per_gb=price_per_gb,
    )
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if is_active and not locked.is_active:
            _check_on_sale(locked, is_active=is_active)
        changes = save_fields(
            locked,
            {
                "name": name.strip(),
                "name_es": name_es.strip(),
                "description": description.strip(),
                "download_mbps": download_mbps,
                "upload_mbps": upload_mbps,
                "data_allowance_gb": data_allowance_gb,
                "price_per_gb": price_per_gb,
                "is_active": is_active,
                "sort_order": sort_order,
            },
        )
        if changes:
            record(
                action="catalog.plan_changed",
                target=locked,
                data={"code": locked.code, "changes": changes},
                actor=actor,
                request=request,
            )
    return changes


def _code(area: models.Model) -> str:
    return str(getattr(area, "code", area.pk))


def set_plan_areas(
    *,
    plan: Plan,
    areas: Iterable[models.Model],
    actor: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, list[str]]:
    """Sell ``plan`` in exactly ``areas``, service areas (none: sold nowhere). Customers who have it
    keep it wherever they are. Returns the codes of the areas added and removed."""
    wanted = {area.pk: area for area in areas}
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        current = {area.pk: area for area in locked.service_areas.all()}
        added = sorted(_code(area) for pk, area in wanted.items() if pk not in current)
        removed = sorted(_code(area) for pk, area in current.items() if pk not in wanted)
        if not added and not removed:
            return {"added": [], "removed": []}
        locked.service_areas.set(list(wanted.values()))  # type: ignore[arg-type]
        record(
            action="catalog.plan_areas_changed",
            target=locked,
            data={"code": locked.code, "added": added, "removed": removed},
            actor=actor,
            request=request,
        )
    return {"added": added, "removed": removed}
