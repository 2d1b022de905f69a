"""The security event search's filters: they parse input, the domain searches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.accounts.models import SecurityEventKind
from dropline.backoffice.common import StaffForm
from dropline.customers.numbering import normalize_account_number
from dropline.identity.security_events import search as event_search


class SecurityEventFilterForm(StaffForm):
    """Every filter optional, all combined; an invalid one is dropped (and shown)."""

    account = forms.CharField(label=_("Account number"), max_length=40, required=False)
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
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

    def filters(self) -> event_search.SearchFilters:
        data = self.cleaned_data if self.is_bound else {}
        return event_search.SearchFilters(
            account_number=normalize_account_number(data.get("account") or ""),
            username=(data.get("username") or "").strip(),
            email=(data.get("email") or "").strip(),
            ip=data.get("ip") or "",
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
