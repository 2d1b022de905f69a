"""Input for the contact pages: parsed here, acted on by dropline.notifications.contacts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.notifications.models import ContactKind

CODE_MAX_LENGTH = 12


class AddContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=ContactKind.choices, initial=ContactKind.EMAIL
    )
    address = forms.CharField(
        label=_("Email address or mobile number"),
        max_length=254,
        help_text=_("For example maria@example.com or (319) 555-0142."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=CODE_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "size": "8",
            }
        ),
    )
