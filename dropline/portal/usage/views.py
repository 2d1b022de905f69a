"""Data usage: a meter per internet service and mobile line for this bill cycle, where
it is heading, what going over would cost, the days of the cycle and the last twelve
cycles, as charts with their tables.

Thin: ``usage.queries`` reads within the account the person is looking at (another
account's service is a 404), ``usage.charts`` draws.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dropline.portal.common import current_membership
from dropline.usage import charts, queries
from dropline.usage.meter import ServiceMeter

NO_ACCOUNT = "portal/no_account.html"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    language = _language()
    meters = queries.account_usage(account=membership.account, language=language)
    return render(
        request,
        "portal/usage/index.html",
        {
            "membership": membership,
            "meters": [
                (
                    meter,
                    charts.describe_daily(meter, language=language),
                    charts.describe_history(meter, language=language),
                )
                for meter in meters
            ],
        },
    )


def _meter(request: HttpRequest, subscription_id: int) -> ServiceMeter:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    found = queries.service_usage(
        account=membership.account, subscription_id=subscription_id, language=_language()
    )
    if found is None:
        raise Http404
    return found


def _svg(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The picture styles itself; it has no script and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_GET
def daily_chart(request: HttpRequest, subscription_id: int) -> HttpResponse:
    return _svg(charts.daily_chart_svg(_meter(request, subscription_id), language=_language()))


@login_required
@require_GET
def history_chart(request: HttpRequest, subscription_id: int) -> HttpResponse:
    return _svg(charts.history_chart_svg(_meter(request, subscription_id), language=_language()))
