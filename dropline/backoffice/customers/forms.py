"""The customer hub's form: an internal note (the domain checks it again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.customers.models import CustomerNote


class NoteForm(StaffForm):
    body = forms.CharField(
        label=_("New note"),
        max_length=CustomerNote.MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only staff see notes. A note cannot be changed once added."),
        error_messages={"required": _("Write the note before adding it.")},
    )
