"""The connection check: one button (a POST) that looks at everything Dropline knows
about the account's connection and answers with the next step.

Thin: ``network.diagnosis.checking.check_connection`` limits, gathers, decides and puts
the answer in words; this view picks the link or button for the next step.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from dropline.network.diagnosis.checking import TooManyChecksError, check_connection
from dropline.network.diagnosis.diagnose import Answer, NextStep
from dropline.portal.common import current_membership

NO_ACCOUNT = "portal/no_account.html"
INDEX = "portal/connection_check/index.html"
ANSWER = "portal/connection_check/answer.html"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _url(name: str, *args: Any) -> str:
    """The page's address, or "" while the feature that serves it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _links(answer: Answer) -> dict[str, str]:
    """Where the next step leads: each page the answer may point to."""
    step = answer.next_step
    links = {"speed_test": _url("speed_test:index"), "equipment": _url("equipment:index")}
    if step == NextStep.RESTART and answer.equipment_id is not None:
        links["restart"] = _url("equipment:restart", answer.equipment_id)
    if step == NextStep.WAIT and answer.outage_id is not None:
        links["outages"] = _url("outages:index")
        links["watch"] = _url("outages:watch", answer.outage_id)
    if step == NextStep.PAY_BILL:
        links["pay"] = reverse("payments:pay")
    return links


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    if request.method == "GET":
        return render(request, INDEX, {"membership": membership})
    try:
        result = check_connection(account=membership.account, language=_language())
    except TooManyChecksError as exc:
        context = {"membership": membership, "wait_minutes": exc.minutes}
        return render(request, INDEX, context, status=429)
    return render(
        request,
        ANSWER,
        {
            "membership": membership,
            "answer": result.answer,
            "words": result.words,
            "links": _links(result.answer),
        },
    )
