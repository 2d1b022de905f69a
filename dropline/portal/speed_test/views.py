"""The speed test page, starting a test and recording its result.

Thin: ``network.speed_tests`` grants the budget, records, reads and advises; the page
draws the history chart and its table from the same read. The measuring itself is
``static/dropline/speed_test.js`` against the endpoints in ``transfer.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.customers.models import CustomerAccount
from dropline.customers.queries import membership_for
from dropline.helpdesk.troubleshooting.queries import open_run_for
from dropline.network.models import ConnectionKind
from dropline.network.speed_tests import (
    SpeedTestError,
    advice,
    assess,
    charts,
    history,
    latest_for,
    plan_speeds,
    record_speed_test,
)
from dropline.network.speed_tests import budget as budgets
from dropline.network.speed_tests.advice import percent_of_plan
from dropline.portal.common import current_membership
from dropline.portal.speed_test.transfer import address

NO_ACCOUNT = "portal/no_account.html"
FIGURES = ("latency_ms", "jitter_ms", "download_kbps", "upload_kbps", "streams")


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _troubleshooting(request: HttpRequest, account: CustomerAccount) -> str:
    """The troubleshooting run this test was asked for (``?run=``), to go back to once
    it has run: only an open run of this account."""
    run_id = request.GET.get("run", "")
    if not run_id.isdigit():
        return ""
    run = open_run_for(account, int(run_id))
    return reverse("troubleshooter:run", args=[run.pk]) if run is not None else ""


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    account = membership.account
    latest = latest_for(account=account)
    past = history(account=account)
    title, desc = charts.describe(past, language=_language())
    return render(
        request,
        "portal/speed_test/index.html",
        {
            "membership": membership,
            "plan": plan_speeds(account=account),
            "latest": latest,
            "assessment": assess(latest) if latest else None,
            "advice": advice(latest) if latest else [],
            "download_percent": percent_of_plan(latest.download_kbps, latest.plan_download_mbps)
            if latest
            else None,
            "upload_percent": percent_of_plan(latest.upload_kbps, latest.plan_upload_mbps)
            if latest
            else None,
            "past": past[::-1],
            "chart": charts.data_uri(charts.history_chart_svg(past, language=_language()))
            if past
            else "",
            "chart_title": title,
            "chart_desc": desc,
            "connections": ConnectionKind.choices,
            "seconds": budgets.PHASE_SECONDS,
            "troubleshooter_url": _troubleshooting(request, account),
        },
    )


def _too_many(error: budgets.TooManyTestsError) -> JsonResponse:
    seconds = max(1, int(error.retry_after.total_seconds() + 0.999))
    response = JsonResponse({"detail": str(error), "retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """A budget for one test: its token and what it allows, for the page's script."""
    membership = current_membership(request)
    if membership is None:
        return JsonResponse({"detail": _("This login has no account to test.")}, status=404)
    account = membership.account
    try:
        budget = budgets.grant(
            user=signed_in_user(request),
            account=account,
            address=address(request),
            plan=plan_speeds(account=account),
        )
    except budgets.TooManyTestsError as error:
        return _too_many(error)
    return JsonResponse(
        {
            "token": budget.token,
            "seconds": budget.seconds,
            "streams": budget.streams,
            "pings": budget.pings,
            "chunk_bytes": budget.chunk_bytes,
            "download_chunks": budget.download_chunks,
            "upload_chunks": budget.upload_chunks,
        },
        status=201,
    )


def _figures(request: HttpRequest) -> dict[str, object]:
    """The posted figures: whole numbers where they are, else as sent (the domain says
    which field is wrong)."""
    figures: dict[str, object] = {}
    for name in FIGURES:
        text = request.POST.get(name, "")
        try:
            figures[name] = int(text)
        except ValueError:
            figures[name] = text
    figures["connection"] = request.POST.get("connection", ConnectionKind.UNKNOWN)
    return figures


@login_required
@require_POST
def result(request: HttpRequest) -> HttpResponse:
    """Record what the browser measured under a budget it was given, once."""
    user = signed_in_user(request)
    budget = budgets.settle(request.POST.get("token", ""), user=user)
    if budget is None:
        return JsonResponse(
            {"detail": _("Start a new speed test: this one has ended.")}, status=409
        )
    membership = membership_for(user=user, account_id=budget.account_id)
    if membership is None or membership.account_id != budget.account_id:
        return JsonResponse({"detail": _("This login has no account to test.")}, status=404)
    try:
        record_speed_test(account=membership.account, user=user, **_figures(request))  # type: ignore[arg-type]
    except SpeedTestError as error:
        return JsonResponse(
            {"detail": error.reason, "errors": [{"field": error.field, "reason": error.reason}]},
            status=400,
        )
    messages.success(request, _("Your speed test is saved."))
    return JsonResponse({"url": reverse("speed_test:index") + "#speed-test-result"}, status=201)
