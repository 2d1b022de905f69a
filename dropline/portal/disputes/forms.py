"""Input for disputes: the forms only parse (an amount in dollars becomes exact cents
through ``Decimal``); ``dropline.payments.disputes`` decides, files included."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dropline.payments.disputes.models import DisputeReason

_DOLLARS = re.compile(r"^\$?\d{1,3}(,?\d{3})*(\.\d{1,2})?$|^\$?\d+(\.\d{1,2})?$")
ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
FILES_HELP = _("Optional. Up to 5 files, PDF, PNG or JPEG, 10 MB each.")


def dollars_to_cents(text: str) -> int:
    cleaned = text.strip().replace(" ", "")
    if not _DOLLARS.match(cleaned):
        raise ValidationError(_("Enter an amount in dollars and cents, such as 12.50."))
    try:
        amount = Decimal(cleaned.lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise ValidationError(_("Enter an amount in dollars and cents, such as 12.50.")) from None
    return int(amount * 100)


class DollarsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        return dollars_to_cents(text) if text else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the domain, by content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", FILES_HELP)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DisputeForm(forms.Form):
    amount = DollarsField(
        label=_("Amount you dispute"),
        help_text=_("In dollars, at most the amount of the charge."),
    )
    reason = forms.ChoiceField(
        label=_("Why you dispute it"),
        choices=[("", _("Choose a reason")), *DisputeReason.choices],
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        help_text=_("Tell us what is wrong, with any dates or names that help us check."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Files (a photo of a receipt, a screenshot)"))

    # Which field shows a domain refusal.
    DOMAIN_FIELDS = {
        "amount_cents": "amount",
        "reason": "reason",
        "description": "description",
        "files": "attachments",
    }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Files"))

    DOMAIN_FIELDS = {"body": "body", "files": "attachments"}
