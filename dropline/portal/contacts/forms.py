"""Input for the contact pages: parsed here, acted on by dropline.notifications.contacts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.notifications.models import ContactKind
from dropline.portal.fields import one_time_code_input

CODE_MAX_LENGTH = 12


class AddContactForm(forms.Form):
    """An address to add: which kind travels in a hidden field, so that each kind has a
    form of its own with the phone's keyboard for it (``for_kind``)."""

    kind = forms.ChoiceField(choices=ContactKind.choices, widget=forms.HiddenInput)
    address = forms.CharField(max_length=254)


class AddEmailForm(AddContactForm):
    address = forms.CharField(
        label=_("Email address"),
        max_length=254,
        help_text=_("For example maria@example.com."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class AddPhoneForm(AddContactForm):
    address = forms.CharField(
        label=_("Mobile number"),
        max_length=254,
        help_text=_("For example (319) 555-0142."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


_FORMS: dict[str, type[AddContactForm]] = {
    ContactKind.EMAIL: AddEmailForm,
    ContactKind.PHONE: AddPhoneForm,
}


def for_kind(kind: str, data: Any = None) -> AddContactForm:
    """The form for adding an address of ``kind`` (an email address for anything else,
    whose ``kind`` field then refuses it), bound to ``data`` if given. Each has ids of
    its own: both are on one page."""
    form_class = _FORMS.get(kind, AddEmailForm)
    initial_kind = kind if kind in _FORMS else ContactKind.EMAIL
    return form_class(data, initial={"kind": initial_kind}, auto_id=f"add-{initial_kind}-%s")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=CODE_MAX_LENGTH,
        widget=one_time_code_input(size="8"),
    )
