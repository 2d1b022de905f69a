"""The gateway event log's filters: they parse input, the domain searches."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.payments import event_log


class GatewayEventFilterForm(StaffForm):
    """Every filter optional, all combined; an invalid one is dropped (and shown)."""

    gateway = forms.ChoiceField(label=_("Gateway"), required=False)
    kind = forms.ChoiceField(label=_("Event"), required=False)
    payment = forms.RegexField(
        label=_("Payment confirmation number"),
        regex=r"^\s*[Pp]\d{9}\s*$",
        max_length=16,
        required=False,
        error_messages={"invalid": _("A confirmation number is P and 9 digits.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *event_log.OUTCOME_CHOICES],
    )
    event_id = forms.CharField(label=_("Event id"), max_length=128, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        gateway = self.fields["gateway"]
        assert isinstance(gateway, forms.ChoiceField)
        gateway.choices = [("", _("Any gateway")), *event_log.gateway_choices()]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Any event")), *event_log.kind_choices()]

    def filters(self) -> event_log.EventFilters:
        data = self.cleaned_data if self.is_bound else {}
        return event_log.EventFilters(
            gateway=data.get("gateway") or "",
            kind=data.get("kind") or "",
            confirmation_number=(data.get("payment") or "").strip().upper(),
            outcome=data.get("outcome") or "",
            event_id=(data.get("event_id") or "").strip(),
        )
