"""RADIUS usernames: the usernames whose usage is kept aside (nobody's service has
them), assigning one to a service, and one service's username.

Thin: ``dropline.usage.mapping.set_radius_username`` validates, sets the username,
gives the service the usage kept aside under it and audits; this parses and renders.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.usage_ops.forms import AssignForm, UsernameForm
from dropline.backoffice.usage_ops.status import tabs
from dropline.catalog.models import ServiceKind
from dropline.core.audit import client_ip
from dropline.core.phones import display_phone
from dropline.customers.models import CustomerAccount
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.queries import CURRENT_STATUSES
from dropline.usage import status
from dropline.usage.errors import UsageError
from dropline.usage.mapping import set_radius_username
from dropline.usage.models import GB

PERMISSION = "usage.map_usernames"
METERED_KINDS = (ServiceKind.INTERNET, ServiceKind.MOBILE)


def gigabytes(count: int) -> str:
    """Bytes as staff read them: "12.35 GB" (a GB is 10**9 bytes)."""
    return _("%(amount)s GB") % {"amount": floatformat(Decimal(count) / GB, 2)}


def _service_label(service: Subscription) -> str:
    kind = service.plan.get_kind_display()
    detail = (
        display_phone(service.phone_number) if service.phone_number else service.radius_username
    )
    label = f"{service.plan.name} ({kind})"
    return f"{label}: {detail}" if detail else label


def _metered_services(account_number: str) -> tuple[CustomerAccount | None, list[tuple[int, str]]]:
    account = CustomerAccount.objects.filter(number=account_number).first()
    if account is None:
        return None, []
    services = (
        Subscription.objects.filter(
            account=account, status__in=CURRENT_STATUSES, plan__kind__in=METERED_KINDS
        )
        .select_related("plan")
        .order_by("plan__kind", "started_on", "id")
    )
    return account, [(service.pk, _service_label(service)) for service in services]


@staff_permission_required(PERMISSION)
@require_GET
def unknown_usernames(request: HttpRequest) -> HttpResponse:
    rows = status.kept_usernames()
    return render(
        request,
        "backoffice/usage_ops/unknown.html",
        {
            "tabs": tabs(request, "usage_unknown"),
            "rows": [(row, gigabytes(row.bytes)) for row in rows],
            "limit": status.UNKNOWN_LIMIT,
        },
    )


def _assigned(request: HttpRequest, *, username: str, count: int) -> None:
    flash.success(
        request,
        _("%(username)s now belongs to the service; %(amount)s of usage kept aside went to it.")
        % {"username": username, "amount": gigabytes(count)},
    )


@staff_permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def assign_username(request: HttpRequest) -> HttpResponse:
    """Give a username kept aside to a service: the account's number, then which of its
    internet or mobile services; or the service's number directly."""
    source = request.POST if request.method == "POST" else request.GET
    username = (source.get("username") or "").strip()
    kept = status.kept_usernames(username=username, limit=1) if username else []
    if not kept:
        return render(
            request,
            "backoffice/usage_ops/assign.html",
            {"tabs": tabs(request, "usage_unknown"), "kept": None},
            status=404 if username else 200,
        )
    account_number = ""
    services: list[tuple[int, str]] = []
    code = 200
    if request.method == "POST":
        probe = AssignForm(request.POST)
        probe.is_valid()
        account_number = probe.cleaned_data.get("account") or ""
        account, services = _metered_services(account_number) if account_number else (None, [])
        form = AssignForm(request.POST, services=services)
        if form.is_valid():
            chosen = form.chosen_subscription()
            if chosen is None:
                if not account_number:
                    form.add_error(None, _("Enter an account number or the service's number."))
                elif account is None:
                    form.add_error("account", _("No account has this number."))
                elif not services:
                    form.add_error("account", _("This account has no internet or mobile service."))
                # else: the account's services are now offered; pick one.
            else:
                try:
                    count = set_radius_username(
                        subscription_id=chosen,
                        username=username,
                        actor=signed_in_user(request),
                        ip=client_ip(request),
                    )
                except UsageError as exc:
                    form.add_error(None, exc.message)
                else:
                    _assigned(request, username=username, count=count)
                    return redirect("backoffice:usage_unknown")
        if form.errors:
            code = 400
    else:
        form = AssignForm(initial={"username": username})
    return render(
        request,
        "backoffice/usage_ops/assign.html",
        {
            "tabs": tabs(request, "usage_unknown"),
            "form": form,
            "kept": kept[0],
            "kept_amount": gigabytes(kept[0].bytes),
            "choosing": bool(services) and "service" in form.fields,
        },
        status=code,
    )


@staff_permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def service_username(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """One service's RADIUS username: shown, and set (refused when another current
    service uses it, with the reason in the form)."""
    service = (
        Subscription.objects.filter(pk=subscription_id).select_related("account", "plan").first()
    )
    if service is None:
        raise Http404
    code = 200
    if request.method == "POST":
        form = UsernameForm(request.POST)
        if form.is_valid():
            username = form.cleaned_data["radius_username"]
            try:
                count = set_radius_username(
                    subscription_id=service.pk,
                    username=username,
                    actor=signed_in_user(request),
                    ip=client_ip(request),
                )
            except UsageError as exc:
                field = "radius_username" if exc.field == "radius_username" else None
                form.add_error(field, exc.message)
            else:
                text = _("The RADIUS username is now %(username)s.") % {"username": username}
                if count:
                    text += " " + _(
                        "%(amount)s of usage kept aside under it went to this service."
                    ) % {"amount": gigabytes(count)}
                flash.success(request, text)
                return redirect("backoffice:usage_service_username", subscription_id=service.pk)
        code = 400
    else:
        form = UsernameForm(initial={"radius_username": service.radius_username})
    return render(
        request,
        "backoffice/usage_ops/username.html",
        {
            "tabs": tabs(request, "usage_unknown"),
            "service": service,
            "kind": service.plan.get_kind_display(),
            "form": form,
        },
        status=code,
    )
