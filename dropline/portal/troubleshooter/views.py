"""The guided troubleshooter: choose the problem (a POST starts a run), then one step
at a time, each with what its check found, the buttons for the answers and the steps
already taken above it. A restart's progress updates without a reload
(``static/dropline/restart_progress.js``, the equipment page's), with a "check again"
link without scripts.

Thin: ``helpdesk.troubleshooting.running`` starts, answers and reads a run (always within
the account the person is looking at: another account's run is a 404), ``words`` says
it and ``offers`` says what it leads to; this view turns that into the page's links.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.troubleshooting import offers, phrases, running, story, words
from dropline.helpdesk.troubleshooting.steps import PROBLEMS
from dropline.portal.common import current_membership
from dropline.portal.troubleshooter.links import booking_url

NO_ACCOUNT = "portal/no_account.html"
INDEX = "portal/troubleshooter/index.html"
RUN = "portal/troubleshooter/run.html"
# The help centre's article pages, by path.
ARTICLE_PATH = "/support/articles/{slug}/"
# How often the page asks how a restart is going (as the equipment page does).
POLL_SECONDS = 5
STATUSES = {"invalid": 400, "limit": 429, "unavailable": 503, "moved_on": 409, "closed": 409}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _problems() -> list[tuple[str, str]]:
    return [(problem, phrases.problem_words(problem)) for problem in PROBLEMS]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    context: dict[str, Any] = {"membership": membership, "problems": _problems()}
    if request.method == "GET":
        return render(request, INDEX, context)
    try:
        started = running.start(
            account=membership.account,
            person=signed_in_user(request),
            problem=request.POST.get("problem", ""),
        )
    except running.TooManyStartsError as exc:
        return render(request, INDEX, {**context, "wait_minutes": exc.minutes}, status=429)
    except SupportError as exc:
        return render(request, INDEX, {**context, "error": exc.message}, status=400)
    return redirect("troubleshooter:run", started.pk)


def _links(run_id: int, offer: offers.Offers) -> dict[str, str]:
    links = {"start": reverse("troubleshooter:index")}
    if offer.speed_test:
        links["speed_test"] = f"{reverse('speed_test:index')}?{urlencode({'run': run_id})}"
    if offer.article:
        links["article"] = ARTICLE_PATH.format(slug=offer.article)
    if offer.visit:
        links["booking"] = booking_url(details=offer.visit_details, run_id=run_id)
    if offer.pay:
        links["pay"] = reverse("payments:pay")
    if offer.outage_id is not None:
        links["outages"] = reverse("outages:index")
        if offer.may_watch:
            links["watch"] = reverse("outages:watch", args=[offer.outage_id])
    if offer.restart is not None:
        links["restart_status"] = reverse(
            "equipment:restart_status", args=[offer.restart.equipment_id, offer.restart.pk]
        )
    return links


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest, pk: int) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    account, language = membership.account, _language()
    error, status = "", 200
    if request.method == "POST":
        try:
            running.answer(
                account=account,
                person=signed_in_user(request),
                run_id=pk,
                step=request.POST.get("step", ""),
                answer=request.POST.get("answer", ""),
                ticked=request.POST.getlist("ticked"),
            )
        except SupportError as exc:
            if exc.code == "not_found":
                raise Http404 from exc
            error, status = exc.message, STATUSES.get(exc.code, 400)
        else:
            return redirect("troubleshooter:run", pk)
    current = running.look(account=account, run_id=pk, language=language)
    if current is None:
        raise Http404
    step, problem = current.step, current.run.problem
    said = (
        words.step_words(
            problem, step, facts=current.facts, restart=current.restart, language=language
        )
        if step is not None
        else None
    )
    offer = offers.offers(current, person=signed_in_user(request), language=language)
    return render(
        request,
        RUN,
        {
            "membership": membership,
            "run": current.run,
            "problem": phrases.problem_words(problem),
            "step": step,
            "words": said,
            "taken": story.taken_words(problem, current.taken, language=language),
            "links": _links(current.run.pk, offer),
            "watching": offer.watching,
            "error": error,
            "poll_seconds": POLL_SECONDS,
        },
        status=status,
    )
