"""Forms for the disputes queue and a dispute: they parse; ``payments.disputes`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.billing.forms import DollarsField
from dropline.backoffice.common import StaffForm
from dropline.payments.disputes.models import DisputeStatus
from dropline.payments.disputes.queries import (
    ASSIGNEE_ME,
    ASSIGNEE_NOBODY,
    STATUS_FILTER_ALL,
    STATUS_FILTER_OPEN,
    QueueFilters,
)


class QueueForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_FILTER_OPEN, _("Open and in review")),
            (STATUS_FILTER_ALL, _("Any status")),
            *DisputeStatus.choices,
        ],
    )
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), (ASSIGNEE_ME, _("Me")), (ASSIGNEE_NOBODY, _("Nobody yet"))],
    )

    def filters(self) -> QueueFilters:
        data: dict[str, Any] = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return QueueFilters(
            status=str(data.get("status") or STATUS_FILTER_OPEN),
            assignee=str(data.get("assignee") or ""),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"multiple": True, "accept": ".pdf,.png,.jpg,.jpeg"}),
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Optional. PDF, PNG or JPEG, 10 MB each."))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(StaffForm):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    internal = forms.BooleanField(
        label=_("Internal note (the customer never sees it, and is not told)"), required=False
    )
    attachments = FilesField(label=_("Files"))

    DOMAIN_FIELDS = {"body": "body", "files": "attachments", "internal": "internal"}


class CreditForm(StaffForm):
    amount = DollarsField(label=_("Credit"), help_text=_("At most the disputed amount."))
    note = forms.CharField(
        label=_("What was decided (the customer reads this)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    DOMAIN_FIELDS = {"amount_cents": "amount", "note": "note"}


class RejectForm(StaffForm):
    reason = forms.CharField(
        label=_("Why not (the customer reads this)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    DOMAIN_FIELDS = {"reason": "reason"}
