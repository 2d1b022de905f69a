""" "Is there an outage?": the outage or maintenance on now at the account's service
address with its cause, expected end and updates, maintenance ahead, what was fixed
lately, or plainly that all is well, with the connection check and the speed test.

Thin: ``network.outages.queries`` reads within the account the person is looking at;
``network.outages.watching`` starts and stops "tell me when it's fixed". An outage
elsewhere, or over, answers 404.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.customers.models import AccountMember
from dropline.network.models import Outage
from dropline.network.outages import queries, watching
from dropline.portal.common import current_membership

NO_ACCOUNT = "portal/no_account.html"
# The connection check's and the speed test's pages, linked by path when the site has
# them (each is its own feature; a link to a page that is not there would be a 404).
CONNECTION_CHECK_PATH = "/connection-check/"
SPEED_TEST_PATH = "/speed-test/"


def _if_served(path: str) -> str:
    try:
        resolve(path)
    except Resolver404:
        return ""
    return path


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    found = queries.for_account(account=membership.account)
    open_ids = [o.pk for o in found.current + found.upcoming]
    return render(
        request,
        "portal/outages/index.html",
        {
            "membership": membership,
            "found": found,
            "address": membership.account.service_address,
            "watched": queries.watched_ids(user=signed_in_user(request), outage_ids=open_ids),
            "connection_check_path": _if_served(CONNECTION_CHECK_PATH),
            "speed_test_path": _if_served(SPEED_TEST_PATH),
            "status_url": reverse("status:area", kwargs={"code": found.area.code}),
        },
    )


def _membership(request: HttpRequest) -> AccountMember:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def watch(request: HttpRequest, outage_id: int) -> HttpResponse:
    membership = _membership(request)
    try:
        watching.watch(
            account=membership.account, user=signed_in_user(request), outage_id=outage_id
        )
    except Outage.DoesNotExist as missing:
        raise Http404 from missing
    flash.success(request, _("We will tell you when it is fixed."))
    return redirect("outages:index")


@login_required
@require_POST
def unwatch(request: HttpRequest, outage_id: int) -> HttpResponse:
    membership = _membership(request)
    try:
        watching.unwatch(
            account=membership.account, user=signed_in_user(request), outage_id=outage_id
        )
    except Outage.DoesNotExist as missing:
        raise Http404 from missing
    flash.success(request, _("We will not message you about it any more."))
    return redirect("outages:index")
