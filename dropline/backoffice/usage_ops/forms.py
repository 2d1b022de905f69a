"""Forms for the usage operations pages. They only parse; ``dropline.usage`` decides
(a name already taken, a username another service uses, a file's lines)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.customers.numbering import normalize_account_number

TOO_LARGE = _("That file is over 20 MB. Split it and upload each part.")
NOT_CSV = _("That is not a CSV file.")
NOT_UTF8 = _("That file is not in UTF-8. Save it as UTF-8 and try again.")
# A usage file larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# What a browser may say a CSV file is (some say nothing useful, hence the content check).
CSV_TYPES = {
    "",
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "application/octet-stream",
}


class CollectorForm(StaffForm):
    name = forms.SlugField(
        label=_("Name"),
        max_length=60,
        help_text=_("Letters, digits, hyphens and underscores, such as radius-east-1."),
    )


class UsageFileForm(StaffForm):
    file = forms.FileField(
        label=_("Usage file"),
        help_text=_(
            "A CSV file in UTF-8 with the columns record_id, identifier, started_at, "
            "ended_at, input_bytes, output_bytes; at most 20 MB."
        ),
    )

    def clean_file(self) -> tuple[str, bytes]:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("That file is over 20 MB. Split it and upload each part.")
            )
        browser_type = (upload.content_type or "").split(";")[0].strip().lower()
        if browser_type not in CSV_TYPES:
            raise forms.ValidationError(NOT_CSV)
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("That file is over 20 MB. Split it and upload each part.")
            )
        if not data.strip():
            raise forms.ValidationError(_("That file is empty."))
        if b"\x00" in data:
            raise forms.ValidationError(NOT_CSV)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("That file is not in UTF-8. Save it as UTF-8 and try again.")
            ) from exc
        if any(ch < " " and ch not in "\t\r\n" for ch in text):
            raise forms.ValidationError(NOT_CSV)
        return (upload.name or "usage.csv")[:255], data


class UsernameForm(StaffForm):
    radius_username = forms.CharField(
        label=_("RADIUS username"),
        max_length=253,
        help_text=_("The User-Name the access network reports this service's usage under."),
    )

    def clean_radius_username(self) -> str:
        username = self.cleaned_data["radius_username"].strip()
        if not username or any(ch.isspace() or not ch.isprintable() for ch in username):
            raise forms.ValidationError(_("A RADIUS username has no spaces or hidden characters."))
        return username


class AssignForm(StaffForm):
    """Which service gets a username: an account number and one of its internet or
    mobile services (``service`` offers them once the account is known), or a service's
    number (its subscription id)."""

    username = forms.CharField(widget=forms.HiddenInput, max_length=253)
    account = forms.CharField(label=_("Account number"), required=False, max_length=40)
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, widget=forms.RadioSelect, choices=()
    )
    subscription_id = forms.IntegerField(
        label=_("Or the service's number"),
        required=False,
        min_value=1,
        help_text=_("The subscription id, when you know it."),
    )

    def __init__(self, *args: Any, services: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = services or []
        if not services:
            del self.fields["service"]

    def clean_account(self) -> str:
        text = self.cleaned_data.get("account") or ""
        number = normalize_account_number(text)
        if text and not number:
            raise forms.ValidationError(_("Enter the account number's digits."))
        return number

    def chosen_subscription(self) -> int | None:
        """The service chosen, once the form is valid; None while one is still to pick."""
        data = self.cleaned_data
        return data.get("subscription_id") or data.get("service") or None
