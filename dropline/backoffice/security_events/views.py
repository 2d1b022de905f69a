"""Staff search of security events: by account number, username, e-mail address, IP
address, kind and the provider's days. Thin: parse the filters, call
``dropline.accounts.security_events.search``, render one bounded page.

Every search (every page view) is written to the audit log: who looked, for what.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dropline.accounts import security_events
from dropline.accounts.models import SecurityEventKind
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.notifications.views import bounded_page
from dropline.core import audit
from dropline.customers.numbering import normalize_account_number

PERMISSION = "accounts.view_securityevent"


class SecurityEventFilterForm(forms.Form):
    """Every filter optional, all combined; an invalid one is dropped (and shown)."""

    account = forms.CharField(label=_("Account number"), max_length=40, required=False)
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    ip = forms.GenericIPAddressField(label=_("IP address"), required=False, unpack_ipv4=True)
    kind = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("Any event")), *SecurityEventKind.choices],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since is not None and until is not None and until < since:
            self.add_error("until", _("The end date must not be before the start date."))
            cleaned.pop("until", None)
        return cleaned

    def filters(self) -> security_events.SearchFilters:
        data = self.cleaned_data if self.is_bound else {}
        return security_events.SearchFilters(
            account_number=normalize_account_number(data.get("account") or ""),
            username=(data.get("username") or "").strip(),
            email=(data.get("email") or "").strip(),
            ip=data.get("ip") or "",
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


def _audit_data(filters: security_events.SearchFilters) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, value in vars(filters).items():
        if isinstance(value, dt.date):
            shown[name] = value.isoformat()
        elif value:
            shown[name] = str(value)
    return shown


@staff_permission_required(PERMISSION)
def search(request: HttpRequest) -> HttpResponse:
    form = SecurityEventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; the valid filters still apply
    filters = form.filters()
    found = security_events.search(filters=filters).prefetch_related("user__memberships__account")
    page = bounded_page(found, page=request.GET.get("page"))
    audit.record(
        action="security_events.searched",
        request=request,
        account_number=filters.account_number,
        data={"filters": _audit_data(filters), "page": page.number, "results": len(page.rows)},
    )
    rows = [(event, security_events.describe(event)) for event in page.rows]
    return render(
        request,
        "backoffice/security_events/events.html",
        {"form": form, "page": page, "rows": rows, "filtered": not filters.is_empty()},
    )
