"""Data usage: a meter per internet service and mobile line for this bill cycle, where
it is heading, what going over would cost, the days of the cycle and the last twelve
cycles, as charts with their tables.

Thin: ``usage.queries`` reads within the account the person is looking at, ``usage.charts``
draws. The charts come with the page as ``data:`` images, drawn from the same read as
the tables beside them: no second read, no request more.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dropline.portal.common import current_membership
from dropline.portal.pwa.offline_copy import offline_copy
from dropline.usage import charts, queries

NO_ACCOUNT = "portal/no_account.html"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@login_required
@require_GET
@offline_copy
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    language = _language()
    meters = queries.account_usage(account=membership.account, language=language)
    drawn = charts.page_charts(meters, language=language)
    return render(
        request,
        "portal/usage/index.html",
        {
            "membership": membership,
            "meters": [
                (
                    meter,
                    daily,
                    history,
                    charts.describe_daily(meter, language=language),
                    charts.describe_history(meter, language=language),
                )
                for meter, (daily, history) in zip(meters, drawn, strict=True)
            ],
        },
    )
