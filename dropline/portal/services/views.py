"""My services: each service of the account being looked at with what it includes, its
equipment, the price now, after the promotion and any price change to come.

Thin: ``overview.services.my_services`` reads, within the account the person is looking
at (any member may view); ``orders.queries.pending_orders`` adds the changes waiting. Each
service links to its compare and add-ons pages (``portal/changes``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dropline.orders.queries import pending_orders
from dropline.overview.services import my_services
from dropline.portal.common import current_membership


@login_required
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, "portal/no_account.html")
    language = (get_language() or "en").split("-")[0]
    mine = my_services(account=membership.account, language=language)
    pending = pending_orders(account=membership.account)
    return render(
        request,
        "portal/services/services.html",
        {
            "membership": membership,
            "mine": mine,
            "services_with_orders": [
                (detail, pending.get(detail.service.subscription_id)) for detail in mine.services
            ],
            "has_mobile": any(detail.service.kind == "mobile" for detail in mine.services),
        },
    )
