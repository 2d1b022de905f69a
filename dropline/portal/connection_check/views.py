"""The connection check: one button (a POST) that looks at everything Dropline knows
about the account's connection and answers with the next step.

Thin: ``network.diagnosis.checking.check_connection`` limits, gathers, decides and puts
the answer in words; this view picks the link or button for the next step (the
equipment's restart confirmation, "tell me when it's fixed" unless asked already, the
pay page, the booking page with the visit's reason filled in).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.network.diagnosis.checking import TooManyChecksError, check_connection
from dropline.network.diagnosis.diagnose import Answer, NextStep
from dropline.network.outages.queries import watched_ids
from dropline.portal.common import current_membership
from dropline.portal.troubleshooter.links import booking_url

NO_ACCOUNT = "portal/no_account.html"
INDEX = "portal/connection_check/index.html"
ANSWER = "portal/connection_check/answer.html"


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _links(answer: Answer, reason: str = "") -> dict[str, str]:
    """Where the next step leads, and what to try when all is well."""
    step = answer.next_step
    links = {
        "speed_test": reverse("speed_test:index"),
        "equipment": reverse("equipment:index"),
        "troubleshooter": reverse("troubleshooter:index"),
    }
    if step == NextStep.RESTART and answer.equipment_id is not None:
        links["restart"] = reverse("equipment:restart", args=[answer.equipment_id])
    if step == NextStep.WAIT and answer.outage_id is not None:
        links["outages"] = reverse("outages:index")
        links["watch"] = reverse("outages:watch", args=[answer.outage_id])
    if step == NextStep.PAY_BILL:
        links["pay"] = reverse("payments:pay")
    if step == NextStep.BOOK_VISIT:
        links["booking"] = booking_url(details=reason)
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
    answer = result.answer
    watching = answer.outage_id is not None and bool(
        watched_ids(user=signed_in_user(request), outage_ids=[answer.outage_id])
    )
    return render(
        request,
        ANSWER,
        {
            "membership": membership,
            "answer": answer,
            "words": result.words,
            "links": _links(answer, result.words.reason),
            "watching": watching,
        },
    )
