"""Collectors: the list with each one's last record, adding one (its password shown
once, on the answer to the form, never again), and revoking one after a confirmation.

Thin: ``dropline.usage.collectors`` writes (and audits), ``dropline.usage.status`` reads.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.usage_ops.forms import CollectorForm
from dropline.backoffice.usage_ops.status import tabs
from dropline.core import clock
from dropline.usage import status
from dropline.usage.collectors import add_collector, revoke_collector
from dropline.usage.errors import UsageError
from dropline.usage.models import Collector


def _list(
    request: HttpRequest,
    *,
    form: CollectorForm | None = None,
    added: Collector | None = None,
    password: str = "",
    code: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    may_add = user.has_perm("usage.add_collector")
    return render(
        request,
        "backoffice/usage_ops/collectors.html",
        {
            "tabs": tabs(request, "usage_collectors"),
            "collectors": status.collectors(now=clock.now()),
            "form": (form or CollectorForm()) if may_add else None,
            "may_revoke": user.has_perm("usage.change_collector"),
            "added": added,
            "password": password,
        },
        status=code,
    )


@staff_permission_required("usage.view_collector")
@require_GET
def collector_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@staff_permission_required("usage.add_collector")
@require_POST
def collector_add(request: HttpRequest) -> HttpResponse:
    """Add a collector and show its password in this answer only (it is kept hashed)."""
    form = CollectorForm(request.POST)
    if form.is_valid():
        try:
            collector, password = add_collector(
                name=form.cleaned_data["name"], actor=signed_in_user(request)
            )
        except UsageError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            return _list(request, added=collector, password=password)
    return _list(request, form=form, code=400)


@staff_permission_required("usage.change_collector")
@require_http_methods(["GET", "POST"])
def collector_revoke(request: HttpRequest, collector_id: int) -> HttpResponse:
    """GET: ask to confirm. POST: revoke; its posts are refused from then on."""
    collector = Collector.objects.filter(pk=collector_id).first()
    if collector is None:
        raise Http404
    if request.method == "POST":
        if collector.revoked_at is None:
            try:
                revoke_collector(collector_id=collector.pk, actor=signed_in_user(request))
            except UsageError as exc:
                flash.error(request, exc.message)
                return redirect("backoffice:usage_collectors")
        flash.success(
            request,
            _("%(name)s is revoked: its accounting is refused from now on.")
            % {"name": collector.name},
        )
        return redirect("backoffice:usage_collectors")
    return render(
        request,
        "backoffice/usage_ops/collector_revoke.html",
        {"tabs": tabs(request, "usage_collectors"), "collector": collector},
    )
