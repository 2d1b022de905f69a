"""Staff pages for catalogue prices: every plan, add-on and equipment model with its
price now and the next one, one item's scheduled and past prices with the form for a
new one, a scheduled price with the live progress of applying it to subscribers (JSON
for ``static/dropline/bill_run.js``), and canceling one still to come.

Thin: parse input, call ``dropline.catalog`` / ``dropline.subscriptions``, render.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.prices.forms import SchedulePriceForm
from dropline.catalog.errors import PriceScheduleError
from dropline.catalog.models import ApplyStatus, Plan, PricedItem, ScheduledPrice
from dropline.catalog.price_book import find_item, price_book, price_history
from dropline.catalog.price_schedule import (
    Priced,
    cancel_scheduled_price,
    current_cents,
    earliest_applied_date,
    item_kind,
)
from dropline.core import clock
from dropline.core.formatting import display_date
from dropline.core.money import Money
from dropline.subscriptions.repricing import schedule

# Without the script, the page of a price being applied reloads itself this often.
REFRESH_SECONDS = 5


@staff_permission_required("catalog.view_scheduledprice")
def prices(request: HttpRequest) -> HttpResponse:
    book = price_book()
    return render(
        request,
        "backoffice/prices/prices.html",
        {
            "sections": [
                (PricedItem.PLAN, _("Plans"), book[PricedItem.PLAN]),
                (PricedItem.ADD_ON, _("Add-ons"), book[PricedItem.ADD_ON]),
                (PricedItem.EQUIPMENT, _("Equipment rentals"), book[PricedItem.EQUIPMENT]),
            ]
        },
    )


def _item_or_404(kind: str, pk: int) -> Priced:
    item = find_item(kind, pk)
    if item is None:
        raise Http404
    return item


def _item_page(
    request: HttpRequest, item: Priced, form: SchedulePriceForm | None, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "backoffice/prices/item.html",
        {
            "item": item,
            "kind": item_kind(item),
            "price": Money(current_cents(item), item.currency),
            "history": price_history(item),
            "form": form if user.has_perm("catalog.add_scheduledprice") else None,
            "earliest_applied": earliest_applied_date(clock.today()),
            "today": clock.today(),
        },
        status=status,
    )


@staff_permission_required("catalog.view_scheduledprice")
@require_GET
def price_item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _item_or_404(kind, pk)
    return _item_page(request, item, SchedulePriceForm(can_apply=isinstance(item, Plan)))


@staff_permission_required("catalog.add_scheduledprice")
@require_POST
def price_schedule(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _item_or_404(kind, pk)
    form = SchedulePriceForm(request.POST, can_apply=isinstance(item, Plan))
    if form.is_valid():
        data = form.cleaned_data
        try:
            scheduled = schedule(
                item=item,
                effective_on=data["effective_on"],
                monthly_price_cents=data["price"],
                reason=data["reason"],
                applies_to_subscribers=bool(data.get("applies_to_subscribers")),
                actor=signed_in_user(request),
                request=request,
            )
        except PriceScheduleError as exc:
            field = form.DOMAIN_FIELDS.get(exc.field)
            form.add_error(field if field in form.fields else None, exc.reason)
        else:
            flash.success(
                request,
                _("%(item)s costs %(price)s a month from %(date)s.")
                % {
                    "item": item,
                    "price": scheduled.monthly_price,
                    "date": display_date(scheduled.effective_on),
                },
            )
            if scheduled.applies_to_subscribers:
                return redirect("backoffice:scheduled_price", pk=scheduled.pk)
            return redirect("backoffice:price_item", kind=item_kind(item), pk=item.pk)
    return _item_page(request, item, form, status=400)


def progress_of(scheduled: ScheduledPrice) -> dict[str, object]:
    """What the page's script shows (the bill run page's script reads the same shape):
    the figures now, as numbers and as words in the staff member's language."""
    figures = {
        "chunks_done": scheduled.chunks_done,
        "chunks_total": scheduled.chunks_total,
        "services_total": scheduled.services_total,
        "services_changed": scheduled.services_changed,
        "notices": scheduled.notices,
    }
    text = {name: intcomma(value) for name, value in figures.items()}
    text["status_label"] = str(scheduled.get_apply_status_display())
    text["chunks"] = _("%(done)s of %(total)s chunks") % {
        "done": scheduled.chunks_done,
        "total": scheduled.chunks_total,
    }
    return {
        "status": scheduled.apply_status or "none",
        "running": scheduled.apply_status == ApplyStatus.RUNNING,
        **figures,
        "text": text,
    }


@staff_permission_required("catalog.view_scheduledprice")
@require_GET
def scheduled_price(request: HttpRequest, pk: int) -> HttpResponse:
    scheduled = get_object_or_404(
        ScheduledPrice.objects.select_related(
            "plan", "add_on", "equipment_model", "scheduled_by", "cancelled_by"
        ),
        pk=pk,
    )
    running = scheduled.apply_status == ApplyStatus.RUNNING
    item = scheduled.priced
    return render(
        request,
        "backoffice/prices/scheduled.html",
        {
            "scheduled": scheduled,
            "item": item,
            "kind": item_kind(item),
            "running": running,
            "refresh": REFRESH_SECONDS if running else None,
            "cancellable": scheduled.status == "scheduled"
            and scheduled.effective_on > clock.today()
            and not scheduled.applies_to_subscribers,
        },
    )


@staff_permission_required("catalog.view_scheduledprice")
@require_GET
def scheduled_price_progress(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(progress_of(get_object_or_404(ScheduledPrice, pk=pk)))


@staff_permission_required("catalog.change_scheduledprice")
@require_POST
def scheduled_price_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    scheduled = get_object_or_404(
        ScheduledPrice.objects.select_related("plan", "add_on", "equipment_model"), pk=pk
    )
    item = scheduled.priced
    try:
        cancel_scheduled_price(schedule=scheduled, actor=signed_in_user(request), request=request)
    except PriceScheduleError as exc:
        flash.error(request, exc.reason)
    else:
        flash.success(
            request,
            _("The new price of %(item)s from %(date)s is canceled.")
            % {"item": item, "date": display_date(scheduled.effective_on)},
        )
    return redirect("backoffice:price_item", kind=item_kind(item), pk=item.pk)
