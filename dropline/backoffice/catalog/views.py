"""Staff pages for the catalogue's plans: the catalogue's home (every plan by kind with
its price, where it is sold, whether it is on sale and has its label), a plan's page,
a new plan, a plan's edit, where it is sold, its channels, and its promotions.
(Channels, add-ons and equipment models are in ``guide.py``, labels in ``labels.py``.)

Thin: parse input, call ``dropline.catalog.editing``, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.catalog.common import FormPage, form_page, recent_changes
from dropline.backoffice.catalog.forms import AreasForm, LineUpForm, PlanForm, PromotionForm
from dropline.catalog import queries
from dropline.catalog.editing.guide import set_line_up
from dropline.catalog.editing.plans import change_plan, create_plan, set_plan_areas
from dropline.catalog.editing.promotions import change_promotion, create_promotion
from dropline.catalog.errors import CatalogError
from dropline.catalog.models import Plan, Promotion, ServiceKind
from dropline.core.money import Money


def _spanish() -> bool:
    return (get_language() or "").startswith("es")


def _plan(code: str) -> Plan:
    return get_object_or_404(Plan.objects.select_related("broadband_label"), code=code)


def _saved(request: HttpRequest, changes: dict[str, Any], saved: str) -> None:
    if changes:
        flash.success(request, saved)
    else:
        flash.info(request, _("Nothing was changed."))


@staff_permission_required("catalog.change_plan")
def home(request: HttpRequest) -> HttpResponse:
    spanish = _spanish()
    plans = list(queries.catalogue_for_staff())
    kinds = []
    for kind, label in ServiceKind.choices:
        rows = [
            {
                "plan": plan,
                "name": plan.localized_name("es" if spanish else "en"),
                "price": plan.monthly_price,
                "needs_label": plan.kind == ServiceKind.INTERNET and not plan.has_label,  # type: ignore[attr-defined]
            }
            for plan in plans
            if plan.kind == kind
        ]
        kinds.append({"kind": kind, "label": label, "rows": rows})
    return render(
        request,
        "backoffice/catalog/home.html",
        {"kinds": kinds, "unlabelled": list(queries.unlabelled_internet_plans_on_sale())},
    )


@staff_permission_required("catalog.change_plan")
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(code)
    label = getattr(plan, "broadband_label", None)
    return render(
        request,
        "backoffice/catalog/plan.html",
        {
            "plan": plan,
            "label": label,
            "spanish": _spanish(),
            "areas": list(plan.service_areas.order_by("name")),
            "channel_count": plan.channels.count(),
            "promotions": [
                (promotion, Money(promotion.monthly_price_cents, plan.currency))
                for promotion in plan.promotions.order_by("-is_active", "monthly_price_cents")
            ],
            "changes": recent_changes(plan),
        },
    )


def _plan_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "name_es": data.get("name_es") or "",
        "description": data.get("description") or "",
        "download_mbps": data.get("download_mbps"),
        "upload_mbps": data.get("upload_mbps"),
        "data_allowance_gb": data.get("data_allowance_gb"),
        "price_per_gb": data.get("price_per_gb"),
        "is_active": bool(data.get("is_active")),
        "sort_order": data.get("sort_order") or 0,
    }


@staff_permission_required("catalog.add_plan")
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        creating=True,
        initial={"kind": kind if kind in ServiceKind.values else "", "is_active": False},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = create_plan(
                    code=data["code"],
                    kind=data["kind"],
                    monthly_price_cents=data["monthly_price"],
                    **_plan_values(data),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                flash.success(request, _("The plan %(name)s has been added.") % {"name": plan.name})
                return redirect("backoffice:catalog_plan", code=plan.code)
    page = FormPage(
        title=_("New plan"),
        back_url=reverse("backoffice:catalog"),
        back_label=_("Back to the catalog"),
        submit=_("Add the plan"),
        note=_(
            "The monthly price is the plan's first price; later prices change from a date "
            'under "Prices". Choose where it is sold on its page once it is added.'
        ),
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_plan")
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(code)
    initial = {name: getattr(plan, name) for name in PlanForm.MODEL_FIELDS}
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        creating=False,
        kind=plan.kind,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changes = change_plan(
                    plan=plan,
                    **_plan_values(form.cleaned_data),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                _saved(request, changes, _("The plan has been saved."))
                return redirect("backoffice:catalog_plan", code=plan.code)
    page = FormPage(
        title=_("Change %(name)s") % {"name": plan.name},
        back_url=reverse("backoffice:catalog_plan", args=[plan.code]),
        back_label=_("Back to the plan"),
        submit=_("Save the plan"),
        note=_(
            "The monthly price of %(price)s is not changed here: prices change from a date "
            'under "Prices", so customers are told first. Taking a plan off sale keeps it '
            "for the customers who have it."
        )
        % {"price": plan.monthly_price},
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_plan")
@require_http_methods(["GET", "POST"])
def plan_areas(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(code)
    form = AreasForm(
        request.POST if request.method == "POST" else None,
        initial={"areas": list(plan.service_areas.all())},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = set_plan_areas(
                plan=plan,
                areas=form.cleaned_data["areas"],
                actor=signed_in_user(request),
                request=request,
            )
            _saved(
                request,
                changes if changes["added"] or changes["removed"] else {},
                _("Where %(name)s is sold has been saved.") % {"name": plan.name},
            )
            return redirect("backoffice:catalog_plan", code=plan.code)
    page = FormPage(
        title=_("Where %(name)s is sold") % {"name": plan.name},
        back_url=reverse("backoffice:catalog_plan", args=[plan.code]),
        back_label=_("Back to the plan"),
        submit=_("Save the areas"),
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_plan")
@require_http_methods(["GET", "POST"])
def plan_line_up(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(code)
    if plan.kind != ServiceKind.TV:
        raise Http404
    form = LineUpForm(
        request.POST if request.method == "POST" else None,
        initial={"channels": list(plan.channels.all())},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = set_line_up(
                carrier=plan,
                channels=form.cleaned_data["channels"],
                actor=signed_in_user(request),
                request=request,
            )
            _saved(
                request,
                changes if changes["added"] or changes["removed"] else {},
                _("The channels of %(name)s have been saved.") % {"name": plan.name},
            )
            return redirect("backoffice:catalog_plan", code=plan.code)
    page = FormPage(
        title=_("Channels of %(name)s") % {"name": plan.name},
        back_url=reverse("backoffice:catalog_plan", args=[plan.code]),
        back_label=_("Back to the plan"),
        submit=_("Save the channels"),
        note=_("The channel finder shows the new line-up at once."),
    )
    return form_page(request, page, form, status=status, extra={"columns": True})


def _promotion_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "name_es": data.get("name_es") or "",
        "monthly_price_cents": data["monthly_price"],
        "duration_months": data["duration_months"],
        "is_active": bool(data.get("is_active")),
    }


@staff_permission_required("catalog.add_promotion")
@require_http_methods(["GET", "POST"])
def promotion_new(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan(code)
    form = PromotionForm(
        request.POST if request.method == "POST" else None,
        creating=True,
        initial={"is_active": True},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                create_promotion(
                    plan=plan,
                    code=form.cleaned_data["code"],
                    **_promotion_values(form.cleaned_data),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                flash.success(request, _("The promotion has been added."))
                return redirect("backoffice:catalog_plan", code=plan.code)
    page = FormPage(
        title=_("New promotion on %(name)s") % {"name": plan.name},
        back_url=reverse("backoffice:catalog_plan", args=[plan.code]),
        back_label=_("Back to the plan"),
        submit=_("Add the promotion"),
        note=_("A lower monthly price for the first months, then %(price)s a month.")
        % {"price": plan.monthly_price},
    )
    return form_page(request, page, form, status=status)


@staff_permission_required("catalog.change_promotion")
@require_http_methods(["GET", "POST"])
def promotion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    promotion = get_object_or_404(Promotion.objects.select_related("plan"), pk=pk)
    plan = promotion.plan
    initial = {
        "name": promotion.name,
        "name_es": promotion.name_es,
        "monthly_price": str(Money(promotion.monthly_price_cents, plan.currency).to_decimal()),
        "duration_months": promotion.duration_months,
        "is_active": promotion.is_active,
    }
    form = PromotionForm(
        request.POST if request.method == "POST" else None, creating=False, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changes = change_promotion(
                    promotion=promotion,
                    **_promotion_values(form.cleaned_data),
                    actor=signed_in_user(request),
                    request=request,
                )
            except CatalogError as exc:
                form.show_error(exc.field, exc.reason)
            else:
                _saved(request, changes, _("The promotion has been saved."))
                return redirect("backoffice:catalog_plan", code=plan.code)
    page = FormPage(
        title=_("Change %(name)s") % {"name": promotion.name},
        back_url=reverse("backoffice:catalog_plan", args=[plan.code]),
        back_label=_("Back to the plan"),
        submit=_("Save the promotion"),
        note=_("Once a customer has the promotion, its price and months stay."),
    )
    return form_page(request, page, form, status=status)
