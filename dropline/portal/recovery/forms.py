"""Input for getting back in: the forms only parse; ``dropline.identity.recovery`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.identity.recovery import errors, reset_codes, username_reminder
from dropline.notifications.categories import Channel
from dropline.portal.fields import (
    check_typed_twice,
    new_password,
    new_password_again,
    one_time_code_input,
)

# How the code page speaks of where the code went: (label, error) by channel.
_CODE_WORDING = {
    Channel.SMS: (
        _("Code from the text message"),
        _("Enter the 6 digits from the text message."),
    ),
    Channel.EMAIL: (
        _("Code from the email"),
        _("Enter the 6 digits from the email."),
    ),
}


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none", **attrs})


class ResetEmailRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ResetCodeRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username, email address or mobile number"),
        max_length=254,
        help_text=_("Any one of them. We text the code to the verified mobile number on file."),
        widget=_text(autocomplete="username"),
    )


class ResetCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        help_text=_("6 digits."),
        widget=one_time_code_input(size="8"),
    )
    password1 = new_password(_("New password"))
    password2 = new_password_again(_("New password again"))

    def __init__(self, *args: Any, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label, self._code_error = _CODE_WORDING[Channel(channel)]

    def clean_code(self) -> str:
        code = reset_codes.clean_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(self._code_error)
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_typed_twice(self, data, "password1", "password2")
        return data


class UsernameReminderForm(forms.Form):
    address = forms.CharField(
        label=_("Email address or mobile number"),
        max_length=254,
        help_text=_("One you have verified on your login. We send your username there."),
        widget=_text(autocomplete="email"),
    )

    def clean_address(self) -> username_reminder.Address:
        try:
            return username_reminder.parse_address(self.cleaned_data["address"])
        except errors.InvalidAddressError as exc:
            raise forms.ValidationError(str(exc)) from None
